package io.github.clusterrun.cluster.control.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The client of the control endpoint that cluster-maven-plugin serves while a cluster runs: for
 * integration tests that stop, kill, pause, resume, start or restart single nodes, and break the
 * network between them (partition, isolate, delay, loss, heal). No dependencies,
 * Java 11.
 *
 * <pre>
 * import io.github.clusterrun.cluster.control.client.ClusterControl;
 * import io.github.clusterrun.cluster.control.client.NodeInfo;
 *
 * ClusterControl cluster = ClusterControl.fromSystemProperties();
 * NodeInfo killed = cluster.node("n_1").kill();     // returns once every process of n_1 is gone
 * NodeInfo again = cluster.node("n_1").start();     // returns once n_1 is ready again
 * cluster.node("n_0").isolate();                    // returns once n_0 is cut off from the others
 * cluster.heal();                                   // every network fault removed
 * </pre>
 *
 * Add it with {@code <classifier>client</classifier>} on {@code
 * io.github.clusterrun:cluster-maven-plugin}, test scope; let Failsafe pass {@code
 * cluster.control.url} and {@code cluster.control.token} on ({@code <systemPropertyVariables>}).
 */
public final class ClusterControl {
  private final URI base;
  private final String token;
  private final HttpClient http;
  private final Duration timeout;

  private ClusterControl(URI base, String token, Duration timeout) {
    this.base = base;
    this.token = token;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * The endpoint at {@code url} ({@code http://127.0.0.1:<port>/}, the trailing slash optional) with
   * its {@code token}; requests time out after 5 minutes ({@link #withTimeout}).
   */
  public static ClusterControl of(String url, String token) {
    return new ClusterControl(URI.create(url.endsWith("/") ? url : url + "/"), token, Duration.ofMinutes(5));
  }

  /**
   * From the system properties {@code cluster.control.url} and {@code cluster.control.token}.
   *
   * @throws IllegalStateException naming the properties when they are not set
   */
  public static ClusterControl fromSystemProperties() {
    return fromSystemProperties("cluster");
  }

  /**
   * From the system properties {@code <prefix>.control.url} and {@code <prefix>.control.token}, for
   * a cluster exported with a {@code propertyPrefix}.
   */
  public static ClusterControl fromSystemProperties(String prefix) {
    String url = System.getProperty(prefix + ".control.url");
    String token = System.getProperty(prefix + ".control.token");
    if (url == null || url.isEmpty() || url.startsWith("${") || token == null || token.isEmpty() || token.startsWith("${")) {
      throw new IllegalStateException(
          "No control endpoint: the system properties "
              + prefix
              + ".control.url and "
              + prefix
              + ".control.token are not set. Pass them on with Failsafe's <systemPropertyVariables>"
              + " (<"
              + prefix
              + ".control.url>${"
              + prefix
              + ".control.url}</…>), and run the tests in a build where cluster:start ran.");
    }
    return of(url, token);
  }

  /**
   * The same endpoint with another timeout per request (default 5 minutes: a start waits for
   * readiness); a request that takes longer throws {@link ClusterControlException} with status 0.
   * Connecting times out after 10 seconds whatever this timeout.
   */
  public ClusterControl withTimeout(Duration requestTimeout) {
    return new ClusterControl(base, token, requestTimeout);
  }

  /** Every node of the cluster as it is now, in index order: one {@code GET /nodes}. */
  public List<NodeInfo> nodes() {
    Object json = Json.parse(send("GET", "nodes"));
    List<NodeInfo> nodes = new ArrayList<>();
    for (Object node : (List<?>) json) {
      nodes.add(NodeInfo.of((Map<?, ?>) node));
    }
    return nodes;
  }

  /**
   * The node named {@code name} ({@code n_0}, {@code n_1}, …), to act on. Sends nothing: an unknown
   * name fails at the handle's first request, with status 404.
   */
  public NodeHandle node(String name) {
    return new NodeHandle(this, name);
  }

  /** The node of index {@code index}: {@code node("n_" + index)}. */
  public NodeHandle node(int index) {
    return node("n_" + index);
  }

  NodeInfo act(String name, String action) {
    return NodeInfo.of((Map<?, ?>) Json.parse(send("POST", "nodes/" + name + "/" + action)));
  }

  // --- The network between the nodes (0.3): each call returns once its rules are in force.

  /**
   * Cuts the traffic between the {@code groups} of nodes, both ways (each group stays whole; a node
   * in no group keeps reaching every node), replacing any earlier partition:
   * {@code partition(List.of(List.of("n_0"), List.of("n_1", "n_2")))}. Status 404 for an unknown
   * node, 400 for a node named twice, 409 where the network cannot be broken (the message says what
   * is missing); nothing is applied then.
   */
  public NetworkInfo partition(List<List<String>> groups) {
    StringBuilder json = new StringBuilder("{\"groups\":[");
    for (int g = 0; g < groups.size(); g++) {
      json.append(g == 0 ? "[" : ",[");
      for (int n = 0; n < groups.get(g).size(); n++) {
        json.append(n == 0 ? "" : ",").append(Json.quote(groups.get(g).get(n)));
      }
      json.append(']');
    }
    return network("POST", "network/partition", json.append("]}").toString());
  }

  /** Removes every network fault; returns once no rule is left. */
  public NetworkInfo heal() {
    return network("POST", "network/heal", null);
  }

  /** The network faults in force: one {@code GET /network}. */
  public NetworkInfo network() {
    return network("GET", "network", null);
  }

  NetworkInfo network(String method, String path, String body) {
    return NetworkInfo.of((Map<?, ?>) Json.parse(send(method, path, body)));
  }

  private String send(String method, String path) {
    return send(method, path, null);
  }

  private String send(String method, String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(timeout)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ClusterControlException(0, method + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterControlException(0, method + " " + request.uri() + " was interrupted", e);
    }
    if (response.statusCode() != 200) {
      String message = response.body();
      try {
        Object error = ((Map<?, ?>) Json.parse(response.body())).get("error");
        message = error == null ? message : error.toString();
      } catch (RuntimeException notJson) {
        // the body as it came
      }
      throw new ClusterControlException(
          response.statusCode(), method + " /" + path + ": " + response.statusCode() + " " + message, null);
    }
    return response.body();
  }
}
