package io.github.clusterrun.cluster.control;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.model.ControlEndpoint;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.TestActions;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The control endpoint the tests use to break a running cluster (issue 12), served by the Maven JVM
 * on the loopback interface only, on a random port, with a random bearer token:
 *
 * <pre>
 * GET  /nodes                    every node as JSON: name, index, pid, ports, state, tests, network
 * POST /nodes/{name}/{action}    action: stop, kill, pause, resume, start, restart; isolate, delay
 *                                ({"ms": 200, "jitterMs": 0}), loss ({"percent": 10})
 * GET  /network                  the network faults in force
 * POST /network/partition        {"groups": [["n_0"], ["n_1", "n_2"]]}
 * POST /network/heal             every fault removed
 * </pre>
 *
 * Every request needs {@code Authorization: Bearer <token>}, else 401 and nothing happens. An
 * action answers once done with the node's new record; 404 for an unknown node or path, 409 for an
 * action that does not fit the node's state, 405 for a wrong method, 400 for a malformed request,
 * 500 when the action failed. A refused request changes nothing.
 */
public final class ControlServer implements ControlEndpoint {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HttpServer server;
  private final ExecutorService executor;
  private final NodeControl control;
  private final ClusterLog log;
  private final String token;
  private final byte[] expected;
  private final String url;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ControlServer(HttpServer server, ExecutorService executor, NodeControl control, ClusterLog log, String token) {
    this.server = server;
    this.executor = executor;
    this.control = control;
    this.log = log;
    this.token = token;
    this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** Serves {@code control} on 127.0.0.1, a free port, a new token; until {@link #close}. */
  public static ControlServer start(NodeControl control, ClusterLog log) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
    AtomicInteger count = new AtomicInteger();
    ExecutorService executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "cluster-control-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    ControlServer self = new ControlServer(server, executor, control, log, newToken());
    server.createContext("/", self::handle);
    server.setExecutor(executor);
    server.start();
    return self;
  }

  /** 32 random bytes, base64url without padding. */
  static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public String token() {
    return token;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      executor.shutdown();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      respond(exchange);
    } catch (RuntimeException e) {
      send(exchange, 500, error(e.toString()));
    } finally {
      exchange.close();
    }
  }

  private void respond(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
      log.warn("The control endpoint refused " + method + " " + path + ": no valid token (401)");
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      send(exchange, 401, error("missing or wrong Authorization: Bearer <cluster.control.token>"));
      return;
    }
    String[] parts = path.split("/", -1); // "", "nodes" or "network", name or action, action
    if (parts.length >= 2 && parts[0].isEmpty() && "network".equals(parts[1])) {
      network(exchange, method, path, parts);
      return;
    }
    if (parts.length < 2 || !parts[0].isEmpty() || !"nodes".equals(parts[1])) {
      send(exchange, 404, error("no such path " + path + "; use /nodes, /nodes/{name}/{action} or /network"));
      return;
    }
    if (parts.length == 2 || (parts.length == 3 && parts[2].isEmpty())) {
      if (!allowed(exchange, method, path, "GET")) {
        return;
      }
      StringBuilder json = new StringBuilder("[");
      for (Node node : control.cluster().nodes()) {
        json.append(json.length() == 1 ? "" : ",").append(json(node));
      }
      send(exchange, 200, json.append(']').toString());
      return;
    }
    if (parts.length != 4 || parts[2].isEmpty() || parts[3].isEmpty()) {
      send(exchange, 400, error("malformed path " + path + "; use /nodes/{name}/{action}"));
      return;
    }
    TestActions.Action action = action(parts[3]);
    if (action == null) {
      send(
          exchange,
          400,
          error("unknown action '" + parts[3] + "'; use stop, kill, pause, resume, start, restart, isolate, delay or loss"));
      return;
    }
    if (!allowed(exchange, method, path, "POST")) {
      return;
    }
    try {
      switch (action) {
        case ISOLATE:
          send(exchange, 200, NetworkJson.of(control.network().isolate(parts[2])));
          return;
        case DELAY:
          Map<?, ?> delay = NetworkJson.body(exchange, "{\"ms\": 200, \"jitterMs\": 0}");
          send(
              exchange,
              200,
              NetworkJson.of(
                  control.network().delay(parts[2], NetworkJson.integer(delay, "ms", null), NetworkJson.integer(delay, "jitterMs", 0))));
          return;
        case LOSS:
          Map<?, ?> loss = NetworkJson.body(exchange, "{\"percent\": 10}");
          send(exchange, 200, NetworkJson.of(control.network().loss(parts[2], NetworkJson.integer(loss, "percent", null))));
          return;
        default:
          Node node = control.act(parts[2], action);
          send(exchange, 200, json(node));
      }
    } catch (NodeControl.Refused e) {
      if (action == TestActions.Action.ISOLATE || action == TestActions.Action.DELAY || action == TestActions.Action.LOSS) {
        log.warn("The tests' " + action.path() + " of " + parts[2] + " was refused (" + e.status() + "): " + e.getMessage());
      }
      send(exchange, e.status(), error(e.getMessage()));
    } catch (ClusterException e) {
      log.warn("The tests' " + action.path() + " of " + parts[2] + " failed: " + e.getMessage());
      send(exchange, 500, error(e.getMessage()));
    }
  }

  /** GET /network, POST /network/partition, POST /network/heal. */
  private void network(HttpExchange exchange, String method, String path, String[] parts) throws IOException {
    String what = parts.length == 2 ? "" : parts.length == 3 ? parts[2] : null;
    try {
      if ("".equals(what)) {
        if (allowed(exchange, method, path, "GET")) {
          send(exchange, 200, NetworkJson.of(control.network().network()));
        }
      } else if ("partition".equals(what)) {
        if (allowed(exchange, method, path, "POST")) {
          Map<?, ?> body = NetworkJson.body(exchange, "{\"groups\": [[\"n_0\"], [\"n_1\", \"n_2\"]]}");
          send(exchange, 200, NetworkJson.of(control.network().partition(NetworkJson.groups(body))));
        }
      } else if ("heal".equals(what)) {
        if (allowed(exchange, method, path, "POST")) {
          send(exchange, 200, NetworkJson.of(control.network().heal()));
        }
      } else {
        send(exchange, 404, error("no such path " + path + "; use GET /network, POST /network/partition or POST /network/heal"));
      }
    } catch (NodeControl.Refused e) {
      log.warn("The tests' " + method + " " + path + " was refused (" + e.status() + "): " + e.getMessage());
      send(exchange, e.status(), error(e.getMessage()));
    } catch (ClusterException e) {
      log.warn("The tests' " + path + " failed: " + e.getMessage());
      send(exchange, 500, error(e.getMessage()));
    }
  }

  /** Whether {@code method} is {@code allowed}; answers 405 when not. */
  private static boolean allowed(HttpExchange exchange, String method, String path, String allowed) throws IOException {
    if (allowed.equals(method)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", allowed);
    send(exchange, 405, error(method + " " + path + " is not allowed; use " + allowed));
    return false;
  }

  private static TestActions.Action action(String name) {
    for (TestActions.Action action : TestActions.Action.values()) {
      if (action.path().equals(name) && action != TestActions.Action.PARTITION && action != TestActions.Action.HEAL) {
        return action;
      }
    }
    return null;
  }

  /** Constant-time comparison of the Authorization header with the expected one. */
  private boolean authorized(String header) {
    return header != null && MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8));
  }

  static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = (json + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /**
   * {"name":"n_1","index":1,"pid":4242,"host":"127.0.0.1","sshHost":"","ports":{"http":4001},
   * "state":"RUNNING","tests":{"kill":1}}: {@code host} is the node's address, {@code sshHost} the
   * host it runs on as {@code <sshHosts>} names it (empty for the build machine).
   */
  String json(Node node) {
    StringBuilder sb = new StringBuilder("{");
    sb.append("\"name\":").append(quote(node.name()));
    sb.append(",\"index\":").append(node.index());
    sb.append(",\"pid\":").append(node.pid());
    sb.append(",\"host\":").append(quote(node.place().address()));
    sb.append(",\"sshHost\":").append(quote(node.place().sshHost()));
    sb.append(",\"ports\":{");
    boolean first = true;
    for (Map.Entry<String, Integer> port : node.ports().entrySet()) {
      sb.append(first ? "" : ",").append(quote(port.getKey())).append(':').append(port.getValue());
      first = false;
    }
    sb.append("},\"state\":").append(quote(node.state().name()));
    sb.append(",\"tests\":{");
    TestActions actions = control.cluster().testActions(node.name());
    first = true;
    for (TestActions.Action action : TestActions.Action.values()) {
      if (actions.count(action) > 0) {
        sb.append(first ? "" : ",").append(quote(action.path())).append(':').append(actions.count(action));
        first = false;
      }
    }
    sb.append("},\"network\":[");
    first = true;
    for (String fault : control.cluster().network().describe(node.name())) {
      sb.append(first ? "" : ",").append(quote(fault));
      first = false;
    }
    return sb.append("]}").toString();
  }

  static String error(String message) {
    return "{\"error\":" + quote(message) + "}";
  }

  static String quote(String s) {
    return io.github.clusterrun.cluster.control.client.Json.quote(s);
  }

}
