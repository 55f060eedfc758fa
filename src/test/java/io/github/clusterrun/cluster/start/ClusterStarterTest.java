package io.github.clusterrun.cluster.start;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.clusterrun.cluster.config.PropertyPrefix;
import io.github.clusterrun.cluster.guard.ExitGuard;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.StateFile;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.testing.Nodes;
import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.config.ClusterConfig;
import io.github.clusterrun.cluster.config.ClusterConfigBuilder;
import io.github.clusterrun.cluster.config.Readiness;
import io.github.clusterrun.cluster.config.StopConfig;
import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.stop.ClusterStopper;
import io.github.clusterrun.cluster.testing.Procs;
import io.github.clusterrun.cluster.testing.RecordingLog;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting a real cluster in a temporary project: nodes ready, properties exported, state recorded;
 * a node that exits or is never ready fails the start with its exit code, its probe and its log,
 * and leaves nothing running.
 */
class ClusterStarterTest {
  @TempDir Path temp;
  Path base;
  Path clusterDir;
  final RecordingLog log = new RecordingLog();
  String staleId;

  @BeforeEach
  void project() throws Exception {
    base = Files.createDirectories(temp.resolve("project"));
    clusterDir = base.resolve("target/cluster");
  }

  @AfterEach
  void stopEverything() throws Exception {
    Procs.stopClusterIn(clusterDir, log);
    if (staleId != null) {
      Procs.killMarked(staleId);
    }
  }

  private ClusterConfigBuilder shNodes(String script) {
    return ClusterConfig.builder()
        .baseDirectory(base)
        .clusterDirectory(Paths.get("target/cluster"))
        .executable("/bin/sh")
        // Named explicitly: the default port list cannot be built (ClusterConfigBuilderTest).
        .ports(List.of("port"))
        .arguments(List.of("-c", script))
        .stopTimeoutSeconds(5);
  }

  @Test
  void twoTestNodesBecomeReadyOverHttpAndTheirPropertiesAreExported() throws Exception {
    List<String> arguments = new java.util.ArrayList<>(Procs.testNodeJvmArguments());
    arguments.add("--port=@{node.port.http}");
    ClusterConfig config =
        ClusterConfig.builder()
            .baseDirectory(base)
            .clusterDirectory(Paths.get("target/cluster"))
            .nodes(2)
            .executable(Procs.javaExecutable().toString())
            .arguments(arguments)
            .environment(Map.of("NODE_GREETING", "hello @{node.name} of @{cluster.hosts}"))
            .ports(List.of("http", "admin"))
            .readiness(new Readiness("http://127.0.0.1:@{node.port.http}/health", null, null, Duration.ofSeconds(60)))
            .stopTimeoutSeconds(5)
            .build();

    Cluster cluster = new ClusterStarter(config, ExitGuard.jvm(), Platform.current(), log).start();

    Map<String, String> p = ExportedProperties.of(cluster, PropertyPrefix.DEFAULT);
    int http0 = Integer.parseInt(p.get("cluster.node.0.port.http"));
    int http1 = Integer.parseInt(p.get("cluster.node.1.port.http"));
    String hosts = "127.0.0.1:" + http0 + ",127.0.0.1:" + http1;
    assertThat(p.get("cluster.hosts")).isEqualTo(hosts);
    assertThat(p.get("cluster.dir")).isEqualTo(clusterDir.toString());
    assertThat(p.get("cluster.node.0.port")).isEqualTo(Integer.toString(http0));
    assertThat(p.get("cluster.node.1.port")).isEqualTo(Integer.toString(http1));
    assertThat(p).containsKeys("cluster.node.0.port.admin", "cluster.node.1.port.admin");
    assertThat(p.get("cluster.node.1.dir")).isEqualTo(clusterDir.resolve("n_1").toString());
    long pid0 = Long.parseLong(p.get("cluster.node.0.pid"));
    long pid1 = Long.parseLong(p.get("cluster.node.1.pid"));

    // cluster.properties holds the same, for the tests to read.
    Properties file = new Properties();
    try (InputStream in = Files.newInputStream(clusterDir.resolve("cluster.properties"))) {
      file.load(in);
    }
    assertThat(file).containsAllEntriesOf(p).hasSize(p.size());

    // The nodes really serve, each as itself.
    HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http0 + "/")).build(),
            HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("n_0\n");
    assertThat(client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http1 + "/")).build(),
            HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("n_1\n");

    // Each carries its mark and its resolved environment, runs in its directory, in a session of its
    // own, with a pipe as stdin (never the console).
    String clusterId = cluster.id();
    assertThat(Platform.current().environmentValue(pid0, FamilyMark.VARIABLE)).contains(FamilyMark.of(clusterId, "n_0"));
    assertThat(Platform.current().environmentValue(pid1, FamilyMark.VARIABLE)).contains(FamilyMark.of(clusterId, "n_1"));
    Map<String, String> env1 = Procs.env(pid1).orElseThrow();
    assertThat(env1).containsEntry("NODE_GREETING", "hello n_1 of " + hosts)
        .containsEntry("CLUSTER_NODE_INDEX", "1")
        .containsEntry("CLUSTER_NODE_NAME", "n_1")
        .containsEntry("CLUSTER_HOSTS", hosts)
        .containsEntry("CLUSTER_DIR", clusterDir.toString());
    assertThat(Files.readSymbolicLink(Paths.get("/proc", Long.toString(pid0), "cwd")))
        .isEqualTo(clusterDir.resolve("n_0"));
    assertThat(Files.readSymbolicLink(Paths.get("/proc", Long.toString(pid0), "fd", "0")).toString())
        .startsWith("pipe:");
    assertThat(sessionOf(pid0)).isEqualTo(pid0);

    // The layout on disk, and the console log.
    for (String node : List.of("n_0", "n_1")) {
      assertThat(clusterDir.resolve(node + "/data")).isDirectory();
      assertThat(clusterDir.resolve(node + "/tmp")).isDirectory();
      assertThat(clusterDir.resolve(node + "/logs/console.log")).content().contains(node + " starting, pid");
    }
    Cluster state = StateFile.read(new ClusterLayout(clusterDir)).orElseThrow();
    assertThat(state.id()).isEqualTo(clusterId);
    assertThat(state.stopped()).isFalse();
    assertThat(state.nodes()).extracting(Node::pid).containsExactly(pid0, pid1);
    assertThat(log.text()).contains("n_0 ready in").contains("n_1 ready in").contains("pid " + pid0);
    assertThat(ExitGuard.jvm().find(clusterDir)).containsSame(cluster);

    // The tests pass; stop kills every node, then deletes the directory (ClusterStopperTest covers
    // every other decision).
    Path summary = base.resolve("target/failsafe-reports/failsafe-summary.xml");
    Files.createDirectories(summary.getParent());
    Files.writeString(
        summary,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><failsafe-summary"
            + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" result=\"null\" timeout=\"false\">"
            + "<completed>2</completed><errors>0</errors><failures>0</failures><skipped>0</skipped>"
            + "<failureMessage xsi:nil=\"true\" /></failsafe-summary>");
    ClusterStopper.Result result =
        new ClusterStopper(StopConfig.of(Paths.get("target/cluster"), base, List.of(summary), null, false), confirmedStop(), log)
            .stop();

    assertThat(result).isEqualTo(ClusterStopper.Result.DELETED);
    assertThat(Procs.isGone(pid0)).isTrue();
    assertThat(Procs.isGone(pid1)).isTrue();
    assertThat(Procs.nodesOf(clusterDir)).isEmpty();
    assertThat(clusterDir).doesNotExist();
    assertThat(log.lines()).contains("INFO Deleted target/cluster: 2 integration tests passed");
  }

  @Test
  void aClusterWithoutPortsGetsTheDefaultPortNamedPort() throws Exception {
    // What a POM without <ports> does: one port named "port" per node, exported as such.
    ClusterConfig config =
        ClusterConfig.builder()
            .baseDirectory(base)
            .clusterDirectory(Paths.get("target/cluster"))
            .executable("/bin/sh")
            .arguments(List.of("-c", "exec sleep 600"))
            .build();

    Cluster cluster = new ClusterStarter(config, ExitGuard.jvm(), Platform.current(), log).start();

    assertThat(ExportedProperties.of(cluster, PropertyPrefix.DEFAULT).get("cluster.node.0.port.port"))
        .isEqualTo(ExportedProperties.of(cluster, PropertyPrefix.DEFAULT).get("cluster.node.0.port"));
    assertThat(confirmedStop().stop(cluster, log).confirmed()).isTrue();
  }

  @Test
  void aTestNodeThatExitsAtStartFailsWithItsExitCodeAndLogAndLeavesNothing() throws Exception {
    List<String> arguments = new java.util.ArrayList<>(Procs.testNodeJvmArguments());
    arguments.add("--port=@{node.port}");
    arguments.add("--exit=3");
    ClusterConfig config =
        ClusterConfig.builder()
            .baseDirectory(base)
            .clusterDirectory(Paths.get("target/cluster"))
            .executable(Procs.javaExecutable().toString())
            .arguments(arguments)
            .ports(List.of("port"))
            .readiness(new Readiness("http://127.0.0.1:@{node.port}/", null, null, Duration.ofSeconds(60)))
            .stopTimeoutSeconds(5)
            .build();

    ClusterException e = startFails(config);

    assertThat(e.getMessage())
        .startsWith("Cluster start failed: node n_0 exited with exit code 3 before it was ready")
        .contains("Command: " + Procs.javaExecutable())
        .contains("--exit=3")
        .contains("Last lines of " + clusterDir.resolve("n_0/logs/console.log"))
        .contains("  | n_0: giving up at start as asked")
        .contains("Every node was stopped; the directories are kept in " + clusterDir);
    assertThat(Procs.nodesOf(clusterDir)).isEmpty();
    assertThat(clusterDir.resolve("n_0/logs/console.log")).exists();
    assertThat(ExitGuard.jvm().find(clusterDir)).isEmpty();
    assertThat(StateFile.read(new ClusterLayout(clusterDir)).orElseThrow().stopped()).isTrue();
  }

  @Test
  void aFailedStartSaysWhichNodesItStoppedAndWhichWereNeverLaunched() {
    assertThat(ClusterStarter.stopped(List.of("n_0", "n_1"), List.of())).isEqualTo("Every node was stopped");
    assertThat(ClusterStarter.stopped(List.of(), List.of("n_0", "n_1"))).isEqualTo("No node was launched");
    assertThat(ClusterStarter.stopped(List.of("n_0", "n_2"), List.of("n_1")))
        .isEqualTo("n_0 and n_2 were stopped; n_1 was never launched");
    assertThat(ClusterStarter.stopped(List.of("n_0"), List.of("n_1", "n_2", "n_3")))
        .isEqualTo("n_0 was stopped; n_1, n_2 and n_3 were never launched");
  }

  @Test
  void whenOneNodeExitsTheOthersAreStopped() throws Exception {
    ClusterConfig config =
        shNodes(
                "echo \"$CLUSTER_NODE_NAME up\"; if [ \"$CLUSTER_NODE_INDEX\" = 1 ]; then"
                    + " echo 'cannot bind' >&2; exit 3; fi; exec sleep 600")
            .nodes(3)
            .readiness(new Readiness(null, "@{node.port}", null, Duration.ofSeconds(60)))
            .build();

    ClusterException e = startFails(config);

    assertThat(e.getMessage())
        .contains("node n_1 exited with exit code 3")
        .contains("  | n_1 up\n  | cannot bind\n")
        .contains("Every node was stopped");
    assertThat(Procs.nodesOf(clusterDir)).isEmpty();
    assertThat(log.text()).doesNotContain("ready in");
  }

  @Test
  void aNodeNeverReadyFailsNamingTheProbeAndIsStopped() throws Exception {
    ClusterConfig config =
        shNodes("echo waiting forever; exec sleep 600")
            .ports(List.of("never")) // after "port"
            .readiness(new Readiness(null, "@{node.port.never}", null, Duration.ofSeconds(1)))
            .build();
    long begin = System.nanoTime();

    ClusterException e = startFails(config);

    assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(15));
    assertThat(e.getMessage())
        .contains("node n_0 was not ready within 1 s (<waitFor><timeout>)")
        .containsPattern("tcp 127\\.0\\.0\\.1:\\d+ did not hold")
        .contains("  | waiting forever")
        .contains("Every node was stopped");
    assertThat(Procs.nodesOf(clusterDir)).isEmpty();
  }

  @Test
  void aNodeNeverReadyByLogAndHttpNamesTheLogThatFailedAndTheHttpCheckNeverMade() throws Exception {
    ClusterConfig config =
        shNodes("echo booting; exec sleep 600")
            .readiness(new Readiness("http://127.0.0.1:@{node.port}/health", null, "^Started", Duration.ofSeconds(1)))
            .build();

    ClusterException e = startFails(config);

    assertThat(e.getMessage())
        .contains("log /^Started/ in " + clusterDir.resolve("n_0/logs/console.log") + " did not hold (no line matched yet)")
        .containsPattern("http http://127\\.0\\.0\\.1:\\d+/health was not checked \\(it waits for the check before it\\)");
    assertThat(Procs.nodesOf(clusterDir)).isEmpty();
  }

  @Test
  void aReadyLineInTheConsoleLogMakesANodeReady() throws Exception {
    ClusterConfig config =
        shNodes("echo \"$CLUSTER_NODE_NAME Started in 5 ms\"; exec sleep 600")
            .nodes(2)
            .readiness(new Readiness(null, null, "@{node.name} Started in \\d+ ms", Duration.ofSeconds(30)))
            .build();

    Cluster cluster = new ClusterStarter(config, ExitGuard.jvm(), Platform.current(), log).start();

    assertThat(log.text()).contains("n_0 ready in").contains("n_1 ready in");
    // A node seen ready may still be inside its exec of sleep, when its environment reads empty.
    Await.until("both nodes seen by their marks", () -> Procs.nodesOf(clusterDir).size() == 2, Duration.ofSeconds(10));
    assertThat(confirmedStop().stop(cluster, log).confirmed()).isTrue();
    assertThat(Procs.nodesOf(clusterDir)).isEmpty();
  }

  @Test
  void aPlaceholderInTheLogRegexStandsForItsValueLiterally() throws Exception {
    // A cluster directory whose path holds a regex character ('[' here; '(' '+' '.' likewise): the
    // value of @{node.dir} must match itself, and must not break the start after nodes launched.
    ClusterConfig config =
        shNodes("echo \"listening in $PWD\"; exec sleep 600")
            .clusterDirectory(Paths.get("target/cluster[1"))
            .readiness(new Readiness(null, null, "listening in @{node.dir}$", Duration.ofSeconds(10)))
            .build();
    clusterDir = base.resolve("target/cluster[1");

    Throwable thrown = null;
    List<Long> leftRunning = List.of();
    try {
      Cluster cluster = new ClusterStarter(config, ExitGuard.jvm(), Platform.current(), log).start();
      assertThat(confirmedStop().stop(cluster, log).confirmed()).isTrue();
    } catch (Exception | Error e) {
      thrown = e;
      leftRunning = Procs.nodesOf(clusterDir);
    }

    assertThat(leftRunning).as("nodes left running after the start failed with %s", thrown).isEmpty();
    assertThat(thrown).as("the start").isNull();
    assertThat(log.text()).contains("n_0 ready in");
  }

  @Test
  void aStaleClusterIsReapedAndItsDirectoryWipedBeforeANewOneStarts() throws Exception {
    // An earlier build crashed and left a node (with a detached daemon) and its files behind.
    staleId = Procs.newClusterId();
    Files.createDirectories(clusterDir);
    Process stale =
        Procs.startMarked(
            staleId,
            "n_0",
            temp,
            "setsid -f sh -c 'echo $$ > daemon.tmp && mv daemon.tmp daemon.pid; exec sleep 600'; exec sleep 600");
    long daemon = Procs.awaitSleeping(temp.resolve("daemon.pid"));
    Procs.awaitExec(stale.pid(), "sleep");
    new Cluster(new ClusterLayout(clusterDir), staleId, Instant.now(), Duration.ofSeconds(5), null, List.of(Nodes.recorded(staleId, "n_0", stale.pid(), null))).write();
    Path leftover = Files.writeString(Files.createDirectories(clusterDir.resolve("n_0/data")).resolve("old.txt"), "old");

    Cluster cluster = new ClusterStarter(shNodes("exec sleep 600").build(), ExitGuard.jvm(), Platform.current(), log).start();

    assertThat(Procs.isGone(stale.pid())).isTrue();
    assertThat(Procs.isGone(daemon)).isTrue();
    assertThat(log.text()).contains("Stopped a stale node of an earlier cluster: n_0 (pid " + stale.pid() + ")");
    assertThat(leftover).doesNotExist();
    assertThat(cluster.id()).isNotEqualTo(staleId);
    assertThat(confirmedStop().stop(cluster, log).confirmed()).isTrue();
  }

  @Test
  void whereTheUserMayCreateCgroupsEveryNodeRunsInOneOfItsOwnWhichTheStopRemoves() throws Exception {
    assumeCgroups();
    ClusterConfig config = shNodes("sleep 600 & exec sleep 601").nodes(2).build();

    Cluster cluster = new ClusterStarter(config, ExitGuard.jvm(), Platform.current(), log).start();

    Path clusterGroup = null;
    for (Node node : StateFile.read(new ClusterLayout(clusterDir)).orElseThrow().nodes()) {
      Path group = node.containmentGroup().orElseThrow();
      assertThat(group.getFileName().toString()).isEqualTo(node.name());
      assertThat(group.getParent().getFileName().toString()).isEqualTo("cluster-maven-plugin." + cluster.id());
      // The node and its child: every process of the family is in the group.
      Await.until(
          "the node and its child in " + group,
          () -> {
            try {
              return Files.readAllLines(group.resolve("cgroup.procs")).size() == 2;
            } catch (java.io.IOException e) {
              return false;
            }
          },
          Duration.ofSeconds(10));
      assertThat(Files.readAllLines(group.resolve("cgroup.procs"))).contains(Long.toString(node.pid()));
      clusterGroup = group.getParent();
    }
    assertThat(confirmedStop().stop(cluster, log).confirmed()).isTrue();
    assertThat(clusterGroup).doesNotExist();
  }

  @Test
  void aContainedFamilyIsGoneOnlyWhenItsGroupIsEmptyEvenIfItsRootExitedAtOnce() throws Exception {
    assumeCgroups();
    // The root ends on SIGTERM; its daemon left the root's session and ignores SIGTERM, so the
    // group stays populated until the stop timeout's kill of the group.
    Path pidFile = temp.resolve("daemon.pid");
    ClusterConfig config =
        shNodes("setsid sh -c 'trap \"\" TERM; echo $$ > " + pidFile + ".tmp && mv " + pidFile + ".tmp "
                + pidFile + "; exec sleep 600' & exec sleep 601")
            .stopTimeoutSeconds(1)
            .build();
    Cluster cluster = new ClusterStarter(config, ExitGuard.jvm(), Platform.current(), log).start();
    long daemon = Procs.awaitSleeping(pidFile);
    Path group = cluster.nodes().get(0).containmentGroup().orElseThrow();

    io.github.clusterrun.cluster.family.StopReport report = confirmedStop().stop(cluster, log);

    assertThat(report.confirmed()).isTrue();
    io.github.clusterrun.cluster.family.NodeStop stop = report.nodes().get(0);
    assertThat(stop.how()).isEqualTo(io.github.clusterrun.cluster.family.NodeStop.How.KILLED);
    assertThat(stop.exitCode()).contains(143); // the root itself ended on SIGTERM
    assertThat(stop.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(Procs.isGone(daemon)).isTrue();
    assertThat(group).doesNotExist();
  }

  @Test
  void aContainedClusterWithoutAfterStartCommandsIsStoppedWithoutReadingTheProcessTable() throws Exception {
    assumeCgroups();
    io.github.clusterrun.cluster.testing.CountingPlatform counting = countingStopScans();
    Cluster cluster =
        new ClusterStarter(shNodes("sleep 600 & exec sleep 601").nodes(2).build(), ExitGuard.jvm(), counting, log)
            .start();
    List<Long> members = new java.util.ArrayList<>();
    for (Node node : cluster.nodes()) {
      Path procs = node.containmentGroup().orElseThrow().resolve("cgroup.procs");
      Await.until("the node and its child", () -> lines(procs).size() == 2, Duration.ofSeconds(10));
      lines(procs).forEach(pid -> members.add(Long.parseLong(pid)));
    }
    counting.scans.set(0);

    assertThat(new io.github.clusterrun.cluster.stop.ConfirmedStop(ExitGuard.jvm(), counting).stop(cluster, log).confirmed())
        .isTrue();

    assertThat(members).hasSize(4).allMatch(Procs::isGone);
    assertThat(counting.scans).as("scans of the process table").hasValue(0);
  }

  @Test
  void aClusterWithAfterStartCommandsIsStoppedWithALookForWhatTheyLeft() throws Exception {
    io.github.clusterrun.cluster.testing.CountingPlatform counting = countingStopScans();
    Cluster cluster =
        new ClusterStarter(
                shNodes("exec sleep 601").afterStart("/bin/sh", null, List.of("-c", "exit 0"), 60, false).build(),
                ExitGuard.jvm(),
                counting,
                log)
            .start();
    counting.scans.set(0);

    assertThat(new io.github.clusterrun.cluster.stop.ConfirmedStop(ExitGuard.jvm(), counting).stop(cluster, log).confirmed())
        .isTrue();

    assertThat(counting.scans.get()).as("scans of the process table").isPositive();
  }

  /**
   * A platform that counts scans of the process table, for the cluster's start and its stop alike:
   * the engines a cluster is started with stop it. The warm-up scan that {@code start} runs in the
   * background, once per guard, is run (or was) without it.
   */
  private static io.github.clusterrun.cluster.testing.CountingPlatform countingStopScans() {
    ExitGuard.jvm().preloadInBackground(() -> {});
    return new io.github.clusterrun.cluster.testing.CountingPlatform();
  }

  /** Skips the test where this user may not create cgroups (v2 with cgroup.kill) here. */
  private static void assumeCgroups() {
    Optional<Path> probe =
        Platform.current().containment().flatMap(c -> c.create(Procs.newClusterId(), "probe"));
    probe.ifPresent(g -> Platform.current().containment().get().remove(g));
    assumeTrue(probe.isPresent(), "no cgroup v2 that this user may create groups in");
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).collect(java.util.stream.Collectors.toList());
    } catch (java.io.IOException e) {
      return List.of();
    }
  }

  @Test
  void anEmptyPlaceholderArgumentReachesTheNodeAsAnEmptyArgument() throws Exception {
    // sh -c SCRIPT sh "" x: the node prints each of its arguments in brackets.
    ClusterConfig config =
        shNodes("printf 'argc=%s' \"$#\"; for a in \"$@\"; do printf ' [%s]' \"$a\"; done; echo; exec sleep 600")
            .arguments(List.of("sh", "@{empty}", "x"))
            .readiness(new Readiness(null, null, "^argc=.*\\[x]", Duration.ofSeconds(10)))
            .build();

    Cluster cluster = new ClusterStarter(config, ExitGuard.jvm(), Platform.current(), log).start();

    assertThat(Files.readString(clusterDir.resolve("n_0/logs/console.log"))).startsWith("argc=2 [] [x]");
    assertThat(confirmedStop().stop(cluster, log).confirmed()).isTrue();
  }

  @Test
  void aWorkingDirectoryIsResolvedPerNode() throws Exception {
    ClusterConfig config =
        shNodes("pwd; exec sleep 600").workingDirectory("@{node.dataDir}").nodes(2).build();

    Cluster cluster = new ClusterStarter(config, ExitGuard.jvm(), Platform.current(), log).start();

    for (String pid : List.of(ExportedProperties.of(cluster, PropertyPrefix.DEFAULT).get("cluster.node.0.pid"), ExportedProperties.of(cluster, PropertyPrefix.DEFAULT).get("cluster.node.1.pid"))) {
      Path cwd = Files.readSymbolicLink(Paths.get("/proc", pid, "cwd"));
      assertThat(cwd.getFileName().toString()).isEqualTo("data");
    }
    assertThat(confirmedStop().stop(cluster, log).confirmed()).isTrue();
  }

  private ClusterException startFails(ClusterConfig config) {
    try {
      Cluster cluster = new ClusterStarter(config, ExitGuard.jvm(), Platform.current(), log).start();
      throw new AssertionError("the start should have failed, but it started " + cluster.nodes());
    } catch (ClusterException e) {
      return e;
    }
  }

  private static long sessionOf(long pid) throws Exception {
    String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[3]); // state ppid pgrp session
  }

  private static io.github.clusterrun.cluster.stop.ConfirmedStop confirmedStop() {
    return new io.github.clusterrun.cluster.stop.ConfirmedStop(ExitGuard.jvm(), Platform.current());
  }
}
