package example;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * A small replicated key-value store over HTTP: the node program of the quickstart. JDK only.
 *
 * <pre>
 * java -cp target/classes example.KvNode --port=PORT --data=DIR [--host=ADDRESS] [--peers=HOST:PORT,...] [--name=NAME]
 *
 * GET /health    200 "ok"
 * PUT /kv/KEY    stores the body in DIR/KEY and copies it to every peer; 204
 * GET /kv/KEY    200 with the value, 404 if there is none
 * </pre>
 *
 * <p>{@code --peers} lists every node of the cluster (this one included, as cluster-maven-plugin's
 * {@code @{cluster.hosts}} does); a write received from a client is copied to every other node. The
 * name defaults to {@code CLUSTER_NODE_NAME}, which the plugin sets ({@code n_0}, {@code n_1}, …).
 * It binds {@code --host} (the loopback address by default; cluster-maven-plugin's {@code @{node.host}}
 * on other hosts) and prints {@code KvNode NAME listening on HOST:PORT} once it serves requests, and
 * stops on SIGTERM.
 */
public final class KvNode {
  /** Marks a write copied from another node, so that it is not copied again. */
  static final String REPLICA_HEADER = "X-KvNode-Replica";

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

  private final String name;
  private final Path data;
  private final List<String> otherNodes;
  private final HttpClient client =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private KvNode(String name, Path data, List<String> otherNodes) {
    this.name = name;
    this.data = data;
    this.otherNodes = otherNodes;
  }

  public static void main(String[] args) throws IOException {
    int port = -1;
    Path data = null;
    String peers = "";
    String host = InetAddress.getLoopbackAddress().getHostAddress();
    String name = System.getenv().getOrDefault("CLUSTER_NODE_NAME", "kv");
    for (String arg : args) {
      if (arg.startsWith("--port=")) {
        port = Integer.parseInt(arg.substring("--port=".length()));
      } else if (arg.startsWith("--data=")) {
        data = Paths.get(arg.substring("--data=".length()));
      } else if (arg.startsWith("--host=")) {
        host = arg.substring("--host=".length());
      } else if (arg.startsWith("--peers=")) {
        peers = arg.substring("--peers=".length());
      } else if (arg.startsWith("--name=")) {
        name = arg.substring("--name=".length());
      } else {
        usage("unknown argument " + arg);
      }
    }
    if (port < 0 || data == null) {
      usage("--port and --data are required");
    }
    Files.createDirectories(data);

    String self = host + ":" + port;
    List<String> otherNodes = new ArrayList<>();
    for (String peer : peers.split(",")) {
      if (!peer.isBlank() && !peer.trim().equals(self)) {
        otherNodes.add(peer.trim());
      }
    }
    KvNode node = new KvNode(name, data, otherNodes);

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 50);
    // Several threads: two nodes copying writes to each other at once must not wait on each other.
    ExecutorService threads = Executors.newFixedThreadPool(8);
    server.setExecutor(threads);
    server.createContext("/health", node::health);
    server.createContext("/kv/", node::kv);
    server.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop(0);
                  threads.shutdownNow();
                  System.out.println("KvNode " + node.name + " stopped");
                  System.out.flush();
                }));
    System.out.println("KvNode " + name + " data in " + data + ", other nodes " + otherNodes);
    System.out.println("KvNode " + name + " listening on " + self);
    System.out.flush();
  }

  private static void usage(String problem) {
    System.err.println(
        "KvNode: " + problem + "\nusage: KvNode --port=PORT --data=DIR [--host=ADDRESS] [--peers=HOST:PORT,...] [--name=NAME]");
    System.exit(2);
  }

  private void health(HttpExchange exchange) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      send(exchange, 405, "use GET");
      return;
    }
    send(exchange, 200, "ok");
  }

  private void kv(HttpExchange exchange) throws IOException {
    String key = exchange.getRequestURI().getPath().substring("/kv/".length());
    if (!KEY.matcher(key).matches()) {
      send(exchange, 400, "a key is 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'");
      return;
    }
    Path file = data.resolve(key);
    switch (exchange.getRequestMethod()) {
      case "GET":
        try {
          send(exchange, 200, Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
          send(exchange, 404, "no key " + key);
        }
        return;
      case "PUT":
        byte[] value;
        try (InputStream in = exchange.getRequestBody()) {
          value = in.readAllBytes();
        }
        store(file, value);
        boolean fromClient = exchange.getRequestHeaders().getFirst(REPLICA_HEADER) == null;
        String failed = fromClient ? copyToOtherNodes(key, value) : "";
        System.out.println(
            "KvNode "
                + name
                + " stored "
                + key
                + (fromClient
                    ? " from a client" + (failed.isEmpty() ? "" : "; copy failed on " + failed)
                    : " copied from " + exchange.getRequestHeaders().getFirst(REPLICA_HEADER)));
        if (!failed.isEmpty()) {
          send(exchange, 502, "stored on " + name + ", but not on " + failed);
          return;
        }
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
        return;
      default:
        send(exchange, 405, "use GET or PUT");
    }
  }

  /** Writes a value atomically: a reader sees the old value or the new one, never half of it. */
  private void store(Path file, byte[] value) throws IOException {
    Path tmp = Files.createTempFile(data, ".put-", ".tmp");
    Files.write(tmp, value);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Copies a write to every other node; returns the nodes that did not take it, or "". */
  private String copyToOtherNodes(String key, byte[] value) {
    List<String> failed = new ArrayList<>();
    for (String node : otherNodes) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://" + node + "/kv/" + key))
              .timeout(Duration.ofSeconds(5))
              .header(REPLICA_HEADER, name)
              .PUT(HttpRequest.BodyPublishers.ofByteArray(value))
              .build();
      try {
        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 204) {
          failed.add(node + " (HTTP " + status + ")");
        }
      } catch (IOException e) {
        failed.add(node + " (" + e + ")");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failed.add(node + " (interrupted)");
      }
    }
    return String.join(", ", failed);
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
