package io.github.clusterrun.cluster.readiness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.Procs;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Waiting for the nodes: a node that exits fails at once, one that is late names its probe. */
class ReadinessWaiterTest {
  @TempDir Path dir;
  final String clusterId = Procs.newClusterId();
  final List<String> readyNodes = new CopyOnWriteArrayList<>();

  @AfterEach
  void killLeftovers() {
    Procs.killMarked(clusterId);
  }

  private Process node(String name, String script) throws Exception {
    return Procs.startMarked(clusterId, name, dir, script);
  }

  @Test
  void failsFastWithTheExitCodeWhenANodeExits() throws Exception {
    int port = TcpProbeTest.freePort();
    Process healthy = node("n_0", "exec sleep 600");
    Process dying = node("n_1", "exit 3");
    long begin = System.nanoTime();

    ReadinessWaiter.NotReadyException e =
        catchThrowableOfType(
            ReadinessWaiter.NotReadyException.class,
            () ->
                ReadinessWaiter.await(
                    List.of(
                        new ReadinessWaiter.Target("n_0", healthy, List.of(TcpProbe.parse(Integer.toString(port)))),
                        new ReadinessWaiter.Target("n_1", dying, List.of(TcpProbe.parse(Integer.toString(port))))),
                    Duration.ofSeconds(30),
                    (name, took) -> readyNodes.add(name)));

    assertThat(e).isNotNull();
    assertThat(e.node()).isEqualTo("n_1");
    assertThat(e.exitCode()).isEqualTo(3);
    assertThat(e.getMessage()).isEqualTo("node n_1 exited with exit code 3 before it was ready");
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
    assertThat(readyNodes).isEmpty();
  }

  @Test
  void namesTheProbeOnTimeout() throws Exception {
    int port = TcpProbeTest.freePort();
    Process lazy = node("n_0", "exec sleep 600");
    long begin = System.nanoTime();

    ReadinessWaiter.NotReadyException e =
        catchThrowableOfType(
            ReadinessWaiter.NotReadyException.class,
            () ->
                ReadinessWaiter.await(
                    List.of(new ReadinessWaiter.Target("n_0", lazy, List.of(TcpProbe.parse(Integer.toString(port))))),
                    Duration.ofSeconds(1),
                    (name, took) -> readyNodes.add(name)));

    Duration took = Duration.ofNanos(System.nanoTime() - begin);
    assertThat(e).isNotNull();
    assertThat(e.node()).isEqualTo("n_0");
    assertThat(e.exitCode()).isNull();
    assertThat(e.getMessage())
        .contains("node n_0 was not ready within 1 s")
        .contains("<waitFor><timeout>")
        .contains("tcp 127.0.0.1:" + port + " did not hold")
        .containsIgnoringCase("refused");
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThan(Duration.ofSeconds(10));
    assertThat(lazy.isAlive()).as("the waiter reports, the caller stops").isTrue();
  }

  @Test
  void aRequestStillOnItsWayWhenTheWaitEndsIsClosed() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      Process silent = node("n_0", "exec sleep 600");
      String url = "http://127.0.0.1:" + server.getLocalPort() + "/health";

      ReadinessWaiter.NotReadyException e =
          catchThrowableOfType(
              ReadinessWaiter.NotReadyException.class,
              () ->
                  ReadinessWaiter.await(
                      List.of(new ReadinessWaiter.Target("n_0", silent, List.of(new HttpProbe(url)))),
                      Duration.ofSeconds(1),
                      (name, took) -> readyNodes.add(name)));

      assertThat(e).isNotNull();
      // The node took the request and never answered: the probe's connection is still open when the
      // wait ends, and no check will come to close it. The node must see it closed (end of stream).
      try (Socket accepted = server.accept()) {
        accepted.setSoTimeout(20_000);
        InputStream in = accepted.getInputStream();
        byte[] buffer = new byte[4096];
        int read;
        do {
          read = in.read(buffer);
        } while (read > 0);
        assertThat(read).as("end of stream: the probe closed its connection").isEqualTo(-1);
      }
    }
  }

  @Test
  void returnsOnceEveryNodeIsReadyAndTellsTheListenerOfEach() throws Exception {
    try (ServerSocket a = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
        ServerSocket b = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      Process n0 = node("n_0", "exec sleep 600");
      Process n1 = node("n_1", "exec sleep 600");

      ReadinessWaiter.await(
          List.of(
              new ReadinessWaiter.Target("n_0", n0, List.of(TcpProbe.parse(Integer.toString(a.getLocalPort())))),
              new ReadinessWaiter.Target(
                  "n_1",
                  n1,
                  List.of(
                      TcpProbe.parse("127.0.0.1:" + b.getLocalPort()),
                      TcpProbe.parse(Integer.toString(a.getLocalPort()))))),
          Duration.ofSeconds(10),
          (name, took) -> readyNodes.add(name));

      assertThat(readyNodes).containsExactlyInAnyOrder("n_0", "n_1");
    }
  }

  @Test
  void aNodeWithNoProbeIsReadyOnceRunning() throws Exception {
    Process n0 = node("n_0", "exec sleep 600");
    ReadinessWaiter.await(
        List.of(new ReadinessWaiter.Target("n_0", n0, List.of())),
        Duration.ofSeconds(10),
        (name, took) -> readyNodes.add(name));
    assertThat(readyNodes).containsExactly("n_0");
  }

  @Test
  void aNodeThatExitsAfterItsProbesHeldIsNotReady() throws Exception {
    // The probe holds (someone else listens on the port), but the node is gone: not ready.
    try (ServerSocket other = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      Process gone = node("n_0", "exit 7");
      gone.waitFor();
      assertThatThrownBy(
              () ->
                  ReadinessWaiter.await(
                      List.of(
                          new ReadinessWaiter.Target(
                              "n_0", gone, List.of(TcpProbe.parse(Integer.toString(other.getLocalPort()))))),
                      Duration.ofSeconds(10),
                      (name, took) -> readyNodes.add(name)))
          .isInstanceOf(ReadinessWaiter.NotReadyException.class)
          .hasMessageContaining("exit code 7");
      assertThat(readyNodes).isEmpty();
    }
  }

  @Test
  void theReadyTimeCountsFromTheLaunchEvenWhenTheWatchComesLate() throws Exception {
    // A node that needs a tcp and a log probe, and holds both only 300 ms after its launch. The
    // caller gets to watch it only once it is up (a fast node and a slow first watch): timed from
    // the watch, it was "ready in 0 ms".
    int port = TcpProbeTest.freePort();
    long launched = System.nanoTime();
    Process n0 =
        Procs.startMarked(
            clusterId,
            "n_0",
            dir,
            Procs.testNodeCommand("--delay-ms=300", "--port=" + port, "--ready-line=n_0 up"));
    List<Probe> probes =
        List.of(TcpProbe.parse(Integer.toString(port)), new LogProbe(dir.resolve("n_0.out"), Pattern.compile("^n_0 up$")));
    Await.until("n_0 to be up", () -> probes.stream().allMatch(Probe::check), Duration.ofSeconds(30));
    List<Duration> took = new CopyOnWriteArrayList<>();

    try (ReadinessWaiter waiter = new ReadinessWaiter(Duration.ofSeconds(30), (name, t) -> took.add(t))) {
      waiter.watch(
          new ReadinessWaiter.Target(
              "n_0",
              n0,
              List.of(TcpProbe.parse(Integer.toString(port)), new LogProbe(dir.resolve("n_0.out"), Pattern.compile("^n_0 up$"))),
              launched));
      waiter.await();
    }

    assertThat(took).hasSize(1);
    assertThat(took.get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }
}
