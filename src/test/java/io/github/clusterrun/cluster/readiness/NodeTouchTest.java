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
import java.util.concurrent.CountDownLatch;
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
    private static final String MARKER = "MARK\r\n\r\n";
    private final CountDownLatch marked = new CountDownLatch(1);
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

    /**
     * Returns once every connection accepted before this call has been counted: the node takes its
     * connections one by one in the order they came, so once it has taken a marker connection of the
     * test's own (not counted), the counts hold every connection before it.
     */
    void settle() throws IOException, InterruptedException {
      try (Socket marker = new Socket(InetAddress.getByName("127.0.0.1"), port())) {
        marker.getOutputStream().write(MARKER.getBytes(StandardCharsets.US_ASCII));
      }
      assertThat(marked.await(10, TimeUnit.SECONDS)).as("the node took the test's marker connection").isTrue();
    }

    private void serve() {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          connections.incrementAndGet(); // a bare connection closed with a reset counts too
          String head = readHead(s.getInputStream());
          if (MARKER.equals(head)) {
            connections.decrementAndGet();
            marked.countDown();
            continue;
          }
          if (head != null) {
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

    /** The request head (up to its blank line), or null when the connection ended before one came. */
    private static String readHead(InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      for (int c; (c = in.read()) >= 0; ) {
        head.append((char) c);
        if (head.indexOf("\r\n\r\n") >= 0) {
          return head.toString();
        }
      }
      return null;
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

      node.settle();
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

      node.settle();
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

      node.settle();
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

      node.settle();
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
