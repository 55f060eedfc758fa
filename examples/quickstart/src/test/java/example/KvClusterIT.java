package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Talks to the cluster that cluster-maven-plugin started in {@code pre-integration-test}. Failsafe
 * passes the plugin's exported properties on as system properties (see the POM): {@code
 * cluster.hosts} is {@code HOST:PORT} of every node, in node order ({@code 127.0.0.1} on this
 * machine, the hosts' addresses with {@code -Dcluster.sshHosts=…}), and {@code cluster.node.<i>.dir}
 * the directory that holds each node's {@code data} where the node runs, in {@code cluster.dir}'s
 * {@code cluster.properties}.
 */
class KvClusterIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Test
  void everyNodeIsHealthy() throws Exception {
    for (String node : nodes()) {
      HttpResponse<String> response = get(node, "/health");
      assertEquals(200, response.statusCode(), node + " /health");
      assertEquals("ok", response.body());
    }
  }

  @Test
  void aValueWrittenOnOneNodeIsReadBackFromEveryNode() throws Exception {
    List<String> nodes = nodes();
    String key = "greeting-" + UUID.randomUUID();
    assertEquals(204, put(nodes.get(0), key, "hello, cluster").statusCode());

    for (String node : nodes) {
      HttpResponse<String> response = get(node, "/kv/" + key);
      assertEquals(200, response.statusCode(), node + " /kv/" + key);
      assertEquals("hello, cluster", response.body(), node + " /kv/" + key);
    }
  }

  @Test
  void everyNodeKeepsTheValueInItsOwnDataDirectory() throws Exception {
    List<String> nodes = nodes();
    String key = "stored-" + UUID.randomUUID();
    assertEquals(204, put(nodes.get(nodes.size() - 1), key, "on disk").statusCode());

    // cluster.properties, in cluster.dir, has every exported property, cluster.node.<i>.dir among them.
    String clusterDir = System.getProperty("cluster.dir");
    assertNotNull(clusterDir, "cluster.dir is not set");
    Properties cluster = new Properties();
    try (InputStream in = Files.newInputStream(Paths.get(clusterDir, "cluster.properties"))) {
      cluster.load(in);
    }
    for (int i = 0; i < nodes.size(); i++) {
      assumeTrue(
          "127.0.0.1".equals(cluster.getProperty("cluster.node." + i + ".host")),
          "n_" + i + " runs on another host: its data directory is there");
      Path file = Paths.get(cluster.getProperty("cluster.node." + i + ".dir"), "data", key);
      assertEquals("on disk", Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }
  }

  @Test
  void anUnknownKeyIsNotFound() throws Exception {
    for (String node : nodes()) {
      assertEquals(404, get(node, "/kv/never-written").statusCode(), node);
    }
  }

  /** {@code HOST:PORT} of every node, from the {@code cluster.hosts} property. */
  private static List<String> nodes() {
    String hosts = System.getProperty("cluster.hosts");
    assertNotNull(hosts, "cluster.hosts is not set: run the tests with mvn verify, which starts the cluster");
    List<String> nodes = List.of(hosts.split(","));
    assertFalse(nodes.isEmpty());
    for (String node : nodes) {
      assertTrue(node.matches("[^:,]+:\\d+"), "not a node address: " + node);
    }
    return nodes;
  }

  private static HttpResponse<String> get(String node, String path)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + node + path)).timeout(Duration.ofSeconds(10)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> put(String node, String key, String value)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + node + "/kv/" + key))
            .timeout(Duration.ofSeconds(10))
            .PUT(HttpRequest.BodyPublishers.ofString(value, StandardCharsets.UTF_8))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}
