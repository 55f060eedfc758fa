package io.github.clusterrun.cluster.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.Procs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How often the checks touch a node whose port accepts before it is ready (issue 17): a real server
 * logs, forks or queues work for every connection, so the checks must be next to invisible to it.
 */
class NodeTouchTest {
  @TempDir Path dir;
  final String clusterId = Procs.newClusterId();

  @AfterEach
  void killLeftovers() {
    Procs.killMarked(clusterId);
  }

  /**
   * A node on 127.0.0.1 that counts the connections it accepts and the HTTP requests among them, and
   * answers 503 until {@code healthyAt} ({@link System#nanoTime}), 200 from then on.
   */
  static final class CountingNode implements AutoCloseable {
    final ServerSocket server;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicLong healthyAt = new AtomicLong(Long.MAX_VALUE);
    private final Thread serving;

    CountingNode() throws IOException {
      this(0);
    }

    CountingNode(int port) throws IOException {
      server = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
      serving = new Thread(this::serve, "counting-node");
      serving.setDaemon(true);
      serving.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void serve() {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          connections.incrementAndGet();
          if (readHead(s.getInputStream())) {
            requests.incrementAndGet();
            String status = System.nanoTime() - healthyAt.get() >= 0 ? "200 OK" : "503 Service Unavailable";
            s.getOutputStream()
                .write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
          }
        } catch (IOException e) {
          // a probe's bare connection, closed with a reset; or the node closing
        }
      }
    }

    /** Whether a request head came (up to its blank line) before the connection ended. */
    private static boolean readHead(InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      for (int c; (c = in.read()) >= 0; ) {
        head.append((char) c);
        if (head.indexOf("\r\n\r\n") >= 0) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  @Test
  void aTcpCheckThatHeldIsNotRepeatedWhileTheLogLineIsAwaited() throws Exception {
    // The port opens at once, the ready line comes a second later: users saw 1,093-1,989 connections.
    try (CountingNode node = new CountingNode()) {
      Path log = dir.resolve("n_0.log");
      Process process = Procs.startMarked(clusterId, "n_0", dir, "sleep 1; echo 'n_0 ready' >> n_0.log; exec sleep 600");

      ReadinessWaiter.await(
          List.of(
              new ReadinessWaiter.Target(
                  "n_0",
                  process,
                  List.of(TcpProbe.parse(Integer.toString(node.port())), new LogProbe(log, Pattern.compile("ready"))))),
          Duration.ofSeconds(30),
          (name, took) -> {});

      Await.until("the node accepted the check's connection", () -> node.connections.get() >= 1, Duration.ofSeconds(10));
      assertThat(node.connections.get()).isEqualTo(1);
    }
  }

  @Test
  void anHttpCheckWaitsForTheLogLineBeforeItAsks() throws Exception {
    // The log, which the node does not see, is checked first whatever the order in the POM.
    try (CountingNode node = new CountingNode()) {
      node.healthyAt.set(System.nanoTime());
      Path log = dir.resolve("n_0.log");
      Process process = Procs.startMarked(clusterId, "n_0", dir, "sleep 1; echo 'n_0 ready' >> n_0.log; exec sleep 600");

      ReadinessWaiter.await(
          List.of(
              new ReadinessWaiter.Target(
                  "n_0",
                  process,
                  List.of(
                      new HttpProbe("http://127.0.0.1:" + node.port() + "/healthz"),
                      new LogProbe(log, Pattern.compile("ready"))))),
          Duration.ofSeconds(30),
          (name, took) -> {});

      Await.until("the node counted the request", () -> node.requests.get() >= 1, Duration.ofSeconds(10));
      assertThat(node.connections.get()).as("connections").isEqualTo(1);
    }
  }

  @Test
  void anHttpCheckOfAPortThatOpensLaterMakesNoBareConnection() throws Exception {
    int port = TcpProbeTest.freePort();
    HttpProbe probe = new HttpProbe("http://127.0.0.1:" + port + "/healthz");
    for (int i = 0; i < 3; i++) {
      assertThat(probe.check()).isFalse(); // refused: the port is closed
    }
    assertThat(probe.lastFailure()).containsIgnoringCase("refused");

    try (CountingNode node = new CountingNode(port)) {
      node.healthyAt.set(System.nanoTime());
      Await.until("the probe holds", probe::check, Duration.ofSeconds(10));

      Await.until("the node counted the request", () -> node.requests.get() >= 1, Duration.ofSeconds(10));
      assertThat(node.connections.get()).as("connections").isEqualTo(1);
      assertThat(node.requests.get()).as("requests").isEqualTo(1);
    }
  }

  @Test
  void aNodeAnswering503IsAskedLessAndLessOftenAndFoundReadySoonAfterItTurnsHealthy() throws Exception {
    // Users saw 1,011 requests in 3 s of 503, and as many bare connections for a <tcp> beside it.
    try (CountingNode node = new CountingNode()) {
      long launched = System.nanoTime();
      node.healthyAt.set(launched + TimeUnit.SECONDS.toNanos(3));
      Process process = Procs.startMarked(clusterId, "n_0", dir, "exec sleep 600");
      long[] readyAt = new long[1];

      ReadinessWaiter.await(
          List.of(
              new ReadinessWaiter.Target(
                  "n_0",
                  process,
                  List.of(
                      TcpProbe.parse(Integer.toString(node.port())),
                      new HttpProbe("http://127.0.0.1:" + node.port() + "/healthz")),
                  launched)),
          Duration.ofSeconds(30),
          (name, took) -> readyAt[0] = System.nanoTime());

      int requests = node.requests.get();
      int bare = node.connections.get() - requests;
      // At most 20 requests a second on average; the <tcp> connects once, the <http> never without asking.
      assertThat(requests).as("requests before ready").isBetween(1, 60);
      assertThat(bare).as("connections without a request").isLessThanOrEqualTo(1);
      // Ready within a tenth of the 3 s waited (300 ms; HttpProbeTest checks the schedule to the
      // millisecond), with a generous margin for a loaded machine.
      assertThat(Duration.ofNanos(readyAt[0] - node.healthyAt.get())).isLessThan(Duration.ofMillis(300 + 700));
    }
  }
}
