package io.github.clusterrun.cluster.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.clusterrun.cluster.config.ClusterConfigBuilder;
import io.github.clusterrun.cluster.config.Readiness;
import io.github.clusterrun.cluster.control.client.ClusterControl;
import io.github.clusterrun.cluster.control.client.ClusterControlException;
import io.github.clusterrun.cluster.control.client.NodeInfo;
import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.guard.ExitGuard;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.ControlEndpoint;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.NodeState;
import io.github.clusterrun.cluster.model.StateFile;
import io.github.clusterrun.cluster.model.TestActions;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.start.ClusterStarter;
import io.github.clusterrun.cluster.stop.ConfirmedStop;
import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.Procs;
import io.github.clusterrun.cluster.testing.ShNodes;
import io.github.clusterrun.cluster.testing.RecordingLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control endpoint on real clusters (issue 12): each action on a node's whole family with real
 * processes, the token, the refusals that change nothing, loopback only, closed with the cluster.
 */
class ControlServerTest {
  @TempDir Path temp;
  Path base;
  Path clusterDir;
  final RecordingLog log = new RecordingLog();
  final ExitGuard guard = new ExitGuard();
  final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

  @BeforeEach
  void project() throws Exception {
    base = Files.createDirectories(temp.resolve("project"));
    clusterDir = base.resolve("target/cluster");
  }

  @AfterEach
  void stopEverything() throws Exception {
    Procs.stopClusterIn(guard, clusterDir, log);
  }

  private ClusterConfigBuilder shNodes(int nodes, String script) {
    return ShNodes.of(base, nodes, script);
  }

  /** Nodes serving HTTP on their port (python3's http.server), ready once the port accepts. */
  private Cluster startServers(int nodes) throws Exception {
    return new ClusterStarter(
            shNodes(nodes, "exec " + Procs.PYTHON3 + " -m http.server @{node.port} --bind 127.0.0.1")
                .readiness(new Readiness(null, "127.0.0.1:@{node.port}", null, Duration.ofSeconds(30)))
                .build(),
            guard,
            Platform.current(),
            log)
        .start();
  }

  /** One shell node, ready once it prints "n_0 up". */
  private Cluster startOneSaying(String script) throws Exception {
    return new ClusterStarter(
            shNodes(1, script)
                .readiness(new Readiness(null, null, "^@{node.name} up$", Duration.ofSeconds(30)))
                .build(),
            guard,
            Platform.current(),
            log)
        .start();
  }

  private static ClusterControl client(Cluster cluster) {
    ControlEndpoint endpoint = cluster.control().orElseThrow();
    return ClusterControl.of(endpoint.url(), endpoint.token());
  }

  private HttpResponse<String> request(Cluster cluster, String method, String path, String authorization)
      throws Exception {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(cluster.control().orElseThrow().url() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  private List<Long> family(Cluster cluster, String node) {
    return Procs.pidsWithEnv(FamilyMark.VARIABLE, FamilyMark.of(cluster.id(), node));
  }

  private static char procState(long pid) {
    try {
      String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2);
    } catch (IOException gone) {
      return 'X';
    }
  }

  /**
   * Stopped ('T'), gone, or in the kernel ('D') with a SIGSTOP pending: dash vforks, and the parent
   * of a child stopped before its exec waits in the kernel, to stop as soon as it leaves.
   */
  private static boolean frozen(long pid) {
    char state = procState(pid);
    if (state == 'T' || state == 'X') {
      return true;
    }
    try {
      return state == 'D'
          && Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status")).stream()
              .filter(l -> l.startsWith("SigPnd:") || l.startsWith("ShdPnd:"))
              .anyMatch(l -> (Long.parseUnsignedLong(l.substring(7).trim(), 16) & (1L << 18)) != 0);
    } catch (IOException gone) {
      return true;
    }
  }

  private boolean serves(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void exportedWithTheTokenInFilesOnlyTheOwnerReads() throws Exception {
    Cluster cluster = startServers(1);

    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(clusterDir.resolve("cluster.properties"))) {
      p.load(in);
    }
    ControlEndpoint endpoint = cluster.control().orElseThrow();
    assertThat(p.getProperty("cluster.control.url")).isEqualTo(endpoint.url()).matches("http://127\\.0\\.0\\.1:\\d+/");
    assertThat(p.getProperty("cluster.control.token")).isEqualTo(endpoint.token()).matches("[A-Za-z0-9_-]{43}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(clusterDir.resolve("cluster.properties"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(clusterDir.resolve("cluster.state"))))
        .isEqualTo("rw-------");
  }

  @Test
  void clusterPropertiesFollowARestartAndAStartWithTheNewPidStillOwnerOnly() throws Exception {
    Cluster cluster = startServers(2);
    long first = cluster.node("n_1").orElseThrow().pid();
    assertThat(exported().getProperty("cluster.node.1.pid")).isEqualTo(Long.toString(first));
    ClusterControl control = client(cluster);

    NodeInfo restarted = control.node("n_1").restart();

    Properties p = exported();
    assertThat(p.getProperty("cluster.node.1.pid")).isEqualTo(Long.toString(restarted.pid())).isNotEqualTo(Long.toString(first));
    assertThat(p.getProperty("cluster.node.0.pid")).isEqualTo(Long.toString(cluster.node("n_0").orElseThrow().pid()));
    assertThat(p.getProperty("cluster.control.token")).isEqualTo(cluster.control().orElseThrow().token());
    assertThat(p.getProperty("cluster.id")).isEqualTo(cluster.id()).matches("[0-9a-f]{16}"); // the same life
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(clusterDir.resolve("cluster.properties"))))
        .isEqualTo("rw-------");
    assertThat(clusterDir.resolve("cluster.properties.tmp")).doesNotExist();

    control.node("n_1").kill();
    NodeInfo started = control.node("n_1").start();

    assertThat(exported().getProperty("cluster.node.1.pid")).isEqualTo(Long.toString(started.pid()));
  }

  @Test
  void aRestartRunsTheNodesCommandOnlyNotItsBeforeStartCommandsAgain() throws Exception {
    Cluster cluster =
        new ClusterStarter(
                shNodes(1, "echo \"$CLUSTER_NODE_NAME up\"; exec sleep 600")
                    .readiness(new Readiness(null, null, "^@{node.name} up$", Duration.ofSeconds(30)))
                    .beforeStart("/bin/sh", null, List.of("-c", "echo formatted >> @{node.dataDir}/formats"), 10, false)
                    .build(),
                guard,
                Platform.current(),
                log)
            .start();

    client(cluster).node("n_0").restart();

    assertThat(Files.readAllLines(clusterDir.resolve("n_0/data/formats"))).containsExactly("formatted");
    assertThat(Files.readAllLines(clusterDir.resolve("n_0/logs/console.log"))).containsExactly("n_0 up", "n_0 up");
  }

  private Properties exported() throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(clusterDir.resolve("cluster.properties"))) {
      p.load(in);
    }
    return p;
  }

  @Test
  void bindsTheLoopbackOnlyAndClosesWithTheClusterStop() throws Exception {
    Cluster cluster = startServers(1);
    int port = URI.create(cluster.control().orElseThrow().url()).getPort();
    // /proc/net/tcp{,6}: the listening socket (state 0A) is bound to 127.0.0.1 (0100007F, or its
    // IPv4-mapped IPv6 form where the JDK uses dual-stack sockets), never to every interface.
    String hexPort = String.format(Locale.ROOT, ":%04X", port);
    List<String> listening = new java.util.ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : Files.readAllLines(Paths.get(table))) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
          listening.add(f[1]);
        }
      }
    }
    assertThat(listening)
        .hasSize(1)
        .first()
        .isIn("0100007F" + hexPort, "0000000000000000FFFF00000100007F" + hexPort);

    new ConfirmedStop(guard, Platform.current()).stop(cluster, log);

    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
  }

  @Test
  void withoutTheRightTokenEveryRequestIs401AndNothingHappens() throws Exception {
    Cluster cluster = startServers(1);
    Node before = cluster.node("n_0").orElseThrow();

    assertThat(request(cluster, "POST", "nodes/n_0/kill", null).statusCode()).isEqualTo(401);
    assertThat(request(cluster, "POST", "nodes/n_0/kill", "Bearer wrong").statusCode()).isEqualTo(401);
    assertThat(request(cluster, "POST", "nodes/n_0/kill", cluster.control().get().token()).statusCode()).isEqualTo(401);
    assertThat(request(cluster, "GET", "nodes", "Bearer " + cluster.control().get().token() + "x").statusCode())
        .isEqualTo(401);
    assertThatThrownBy(() -> ClusterControl.of(cluster.control().get().url(), "wrong").node("n_0").stop())
        .isInstanceOfSatisfying(ClusterControlException.class, e -> assertThat(e.status()).isEqualTo(401));

    assertThat(cluster.node("n_0").orElseThrow()).isEqualTo(before);
    assertThat(Procs.isAlive(before.pid())).isTrue();
    assertThat(cluster.testActions()).isEmpty();
    assertThat(log.text()).contains("The control endpoint refused POST /nodes/n_0/kill: no valid token (401)");
  }

  @Test
  void malformedUnknownAndUnfittingRequestsChangeNothing() throws Exception {
    Cluster cluster = startServers(1);
    String auth = "Bearer " + cluster.control().orElseThrow().token();
    Node before = cluster.node("n_0").orElseThrow();

    assertThat(request(cluster, "POST", "nodes/n_9/kill", auth).statusCode()).isEqualTo(404);
    assertThat(request(cluster, "GET", "elsewhere", auth).statusCode()).isEqualTo(404);
    assertThat(request(cluster, "POST", "nodes/n_0/explode", auth).statusCode()).isEqualTo(400);
    assertThat(request(cluster, "POST", "nodes//kill", auth).statusCode()).isEqualTo(400);
    assertThat(request(cluster, "POST", "nodes/n_0/kill/now", auth).statusCode()).isEqualTo(400);
    assertThat(request(cluster, "GET", "nodes/n_0/kill", auth).statusCode()).isEqualTo(405);
    assertThat(request(cluster, "DELETE", "nodes", auth).statusCode()).isEqualTo(405);
    HttpResponse<String> resume = request(cluster, "POST", "nodes/n_0/resume", auth);
    assertThat(resume.statusCode()).isEqualTo(409);
    assertThat(resume.body()).contains("cannot resume n_0: it is RUNNING");
    assertThat(request(cluster, "POST", "nodes/n_0/start", auth).statusCode()).isEqualTo(409);

    assertThat(cluster.node("n_0").orElseThrow()).isEqualTo(before);
    assertThat(Procs.isAlive(before.pid())).isTrue();
    assertThat(cluster.testActions()).isEmpty();
  }

  @Test
  void nodesSaysWhereEachNodeRuns() throws Exception {
    // Nodes on other hosts, not launched: GET /nodes reads the record and reaches no host.
    Cluster cluster =
        new Cluster(
            new ClusterLayout(clusterDir), Procs.newClusterId(), java.time.Instant.now(), Duration.ofSeconds(1), null,
            List.of(
                Node.planned(0, "c/n_0", java.util.Map.of("http", 4001), List.of("x"), java.util.Map.of(), null,
                    io.github.clusterrun.cluster.model.Place.ssh("deploy@h1:2222", "10.0.0.1")),
                Node.planned(1, "c/n_1", java.util.Map.of("http", 4002), List.of("x"), java.util.Map.of(), null)));
    ControlServer server = ControlServer.start(new NodeControl(cluster, Platform.current(), null, log), log);
    try {
      List<NodeInfo> nodes = ClusterControl.of(server.url(), server.token()).nodes();

      assertThat(nodes).extracting(NodeInfo::host).containsExactly("10.0.0.1", "127.0.0.1");
      assertThat(nodes).extracting(NodeInfo::sshHost).containsExactly("deploy@h1:2222", "");
      assertThat(nodes.get(0)).hasToString("n_0(pid 0 on deploy@h1:2222, PLANNED, {http=4001})");
      assertThat(server.json(cluster.nodes().get(0)))
          .contains("\"host\":\"10.0.0.1\",\"sshHost\":\"deploy@h1:2222\"");
      assertThat(server.json(cluster.nodes().get(1))).contains("\"host\":\"127.0.0.1\",\"sshHost\":\"\"");
    } finally {
      server.close();
    }
  }

  @Test
  void nodesListsEveryNode() throws Exception {
    Cluster cluster = startServers(2);

    List<NodeInfo> nodes = client(cluster).nodes();

    assertThat(nodes).extracting(NodeInfo::name).containsExactly("n_0", "n_1");
    assertThat(nodes).extracting(NodeInfo::index).containsExactly(0, 1);
    assertThat(nodes.get(1).pid()).isEqualTo(cluster.node("n_1").orElseThrow().pid());
    assertThat(nodes.get(1).ports()).isEqualTo(cluster.node("n_1").orElseThrow().ports());
    assertThat(nodes).extracting(NodeInfo::state).containsOnly("RUNNING");
  }

  @Test
  void killLeavesNoSurvivorAndStartRelaunchesTheSameNodeWithANewPidRecorded() throws Exception {
    Cluster cluster = startServers(2);
    Node before = cluster.node("n_1").orElseThrow();
    ClusterControl control = client(cluster);

    NodeInfo killed = control.node("n_1").kill();

    assertThat(killed.state()).isEqualTo("STOPPED_BY_TESTS");
    assertThat(family(cluster, "n_1")).isEmpty();
    assertThat(Procs.isGone(before.pid())).isTrue();
    assertThat(serves(before.firstPort())).isFalse();
    assertThat(Procs.isAlive(cluster.node("n_0").orElseThrow().pid())).isTrue(); // only n_1
    assertThatThrownBy(() -> control.node("n_1").kill())
        .isInstanceOfSatisfying(ClusterControlException.class, e -> assertThat(e.status()).isEqualTo(409));

    NodeInfo started = control.node("n_1").start();

    Node after = cluster.node("n_1").orElseThrow();
    assertThat(started.state()).isEqualTo("RUNNING");
    assertThat(started.pid()).isEqualTo(after.pid()).isNotEqualTo(before.pid());
    assertThat(after.ports()).isEqualTo(before.ports());
    assertThat(after.workingDirectory()).isEqualTo(before.workingDirectory());
    assertThat(after.command()).isEqualTo(before.command());
    assertThat(after.mark()).isEqualTo(before.mark());
    assertThat(Procs.env(after.pid()).orElseThrow()).containsEntry(FamilyMark.VARIABLE, before.mark());
    assertThat(Files.readSymbolicLink(Paths.get("/proc", Long.toString(after.pid()), "cwd")))
        .isEqualTo(before.workingDirectory());
    assertThat(serves(before.firstPort())).isTrue();
    Node recorded = StateFile.read(new ClusterLayout(clusterDir)).orElseThrow().node("n_1").orElseThrow();
    assertThat(recorded.pid()).isEqualTo(after.pid());
    assertThat(recorded.state()).isEqualTo(NodeState.RUNNING);
    assertThat(StateFile.read(new ClusterLayout(clusterDir)).orElseThrow().testActions("n_1").count(TestActions.Action.KILL))
        .isEqualTo(1);
    assertThat(log.text())
        .containsPattern("The tests killed n_1 \\(pid " + before.pid() + "\\)")
        .containsPattern("The tests started n_1 again: ready in \\d+ ms \\(pid " + after.pid() + ", port=\\d+\\)");

    // The cluster's stop finds the relaunched process.
    new ConfirmedStop(guard, Platform.current()).stop(cluster, log);
    assertThat(Procs.isGone(after.pid())).isTrue();
    assertThat(Procs.nodesOf(clusterDir)).isEmpty();
  }

  @Test
  void stopIsGracefulAndRestartStartsItAgain() throws Exception {
    Cluster cluster = startServers(1);
    long first = cluster.node("n_0").orElseThrow().pid();
    ClusterControl control = client(cluster);

    NodeInfo restarted = control.node("n_0").restart();

    assertThat(restarted.state()).isEqualTo("RUNNING");
    assertThat(restarted.pid()).isNotEqualTo(first);
    assertThat(Procs.isGone(first)).isTrue();
    assertThat(log.text()).containsPattern("The tests restarted n_0 \\(pid " + first + "\\): stopped gracefully in \\d+ ms");

    NodeInfo stopped = control.node("n_0").stop();

    assertThat(stopped.state()).isEqualTo("STOPPED_BY_TESTS");
    assertThat(family(cluster, "n_0")).isEmpty();
    assertThat(log.text()).containsPattern("The tests stopped n_0 \\(pid " + restarted.pid() + "\\): stopped gracefully");
    assertThat(cluster.testActions("n_0").describe("n_0")).isEqualTo("stopped n_0 once and restarted it");
  }

  @Test
  void pauseStopsTheWholeFamilyAndResumeLetsItGoOn() throws Exception {
    // The node's family: the shell and the processes it forks, writing a counter every 10 ms.
    Cluster cluster =
        startOneSaying(
            "echo \"$CLUSTER_NODE_NAME up\"; i=0; while :; do i=$((i+1));"
                + " echo $i > counter.tmp && mv counter.tmp counter; sleep 0.01; done");
    Path counter = clusterDir.resolve("n_0/counter");
    Await.until("the counter to be written", () -> Files.exists(counter), Duration.ofSeconds(10));
    ClusterControl control = client(cluster);

    // Several times: a pause can catch the shell in vfork with its child not yet exec'd (below).
    for (int round = 0; round < 3; round++) {
      assertThat(control.node("n_0").pause().state()).isEqualTo("PAUSED");

      // Every process of the family is frozen, and stays so: the counter does not move.
      List<Long> members = family(cluster, "n_0");
      assertThat(members).isNotEmpty();
      assertThat(members).allSatisfy(pid -> assertThat(frozen(pid)).as("pid %d (%c)", pid, procState(pid)).isTrue());
      String paused = Files.readString(counter);
      assertThat(family(cluster, "n_0")).allSatisfy(pid -> assertThat(frozen(pid)).isTrue());
      assertThat(Files.readString(counter)).isEqualTo(paused);
      assertThatThrownBy(() -> control.node("n_0").pause())
          .isInstanceOfSatisfying(ClusterControlException.class, e -> assertThat(e.status()).isEqualTo(409));

      assertThat(control.node("n_0").resume().state()).isEqualTo("RUNNING");

      Await.until(
          "the counter to move on after resume",
          () -> {
            try {
              String now = Files.readString(counter).trim();
              return !now.isEmpty() && Long.parseLong(now) > Long.parseLong(paused.trim()) + 2;
            } catch (IOException | NumberFormatException e) {
              return false;
            }
          },
          Duration.ofSeconds(10));
    }
    assertThat(log.text()).containsPattern("The tests paused n_0 \\(pid \\d+, \\d+ process(es)? stopped\\)");
    assertThat(log.text()).contains("The tests resumed n_0");
  }

  @Test
  void aParentWaitingInVforkForAChildStoppedBeforeItsExecCountsAsPaused() throws Exception {
    // python3's posix_spawn is a vfork: the parent waits in the kernel ('D') until the child execs,
    // and the child first opens a FIFO nobody writes to, so it waits there, before its exec. Paused,
    // the child stops ('T'); the parent cannot stop before the child execs, but it cannot run
    // either, with its SIGSTOP pending. dash forks most commands the same way.
    assumeTrue(Files.isExecutable(Paths.get(Procs.PYTHON3)), "needs " + Procs.PYTHON3);
    Cluster cluster =
        startOneSaying(
            "mkfifo fifo && echo \"$CLUSTER_NODE_NAME up\" && exec "
                + Procs.PYTHON3
                + " -c \"import os; os.posix_spawn('/bin/true', ['true'], dict(os.environ),"
                + " file_actions=[(os.POSIX_SPAWN_OPEN, 0, 'fifo', os.O_RDONLY, 0)])\"");
    long parent = cluster.node("n_0").orElseThrow().pid();
    Await.until(
        "the parent to wait in vfork for a child",
        () -> procState(parent) == 'D' && family(cluster, "n_0").size() == 2,
        Duration.ofSeconds(10));

    assertThat(client(cluster).node("n_0").pause().state()).isEqualTo("PAUSED");

    List<Long> members = family(cluster, "n_0");
    assertThat(members).hasSize(2);
    assertThat(members).allSatisfy(pid -> assertThat(frozen(pid)).as("pid %d (%c)", pid, procState(pid)).isTrue());
    assertThat(members).anySatisfy(pid -> assertThat(procState(pid)).isEqualTo('T'));
    assertThat(client(cluster).node("n_0").resume().state()).isEqualTo("RUNNING");
  }

  @Test
  void aNodeThatExitsWhenStartedAgainFailsTheStartAtOnceWithItsExitCodeAndLog() throws Exception {
    Cluster cluster =
        new ClusterStarter(
                shNodes(
                        1,
                        "if [ -e again ]; then echo 'no second life'; exit 3; fi; touch again;"
                            + " echo \"$CLUSTER_NODE_NAME up\"; exec sleep 600")
                    .readiness(new Readiness(null, null, "^@{node.name} up$", Duration.ofSeconds(60)))
                    .build(),
                guard,
                Platform.current(),
                log)
            .start();
    ClusterControl control = client(cluster);
    control.node("n_0").kill();
    long begin = System.nanoTime();

    assertThatThrownBy(() -> control.node("n_0").start())
        .isInstanceOfSatisfying(
            ClusterControlException.class,
            e -> {
              assertThat(e.status()).isEqualTo(500);
              assertThat(e.getMessage()).contains("exited with exit code 3").contains("no second life");
            });

    // Told when it exited, not when the readiness timeout ran out.
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(30));
    assertThat(cluster.node("n_0").orElseThrow().state()).isEqualTo(NodeState.STOPPED_BY_TESTS);
    assertThat(family(cluster, "n_0")).isEmpty();
  }

  @Test
  void aPausedNodeIsResumedThenStoppedGracefullyByTheClusterStop() throws Exception {
    Cluster cluster = startServers(1);
    long pid = cluster.node("n_0").orElseThrow().pid();
    client(cluster).node("n_0").pause();

    var report = new ConfirmedStop(guard, Platform.current()).stop(cluster, log);

    assertThat(report.confirmed()).isTrue();
    assertThat(report.nodes().get(0).describe()).contains("stopped gracefully");
    assertThat(Procs.isGone(pid)).isTrue();
    assertThat(log.text()).contains("n_0 was paused by the tests: resumed so that it stops like the others");
  }
}
