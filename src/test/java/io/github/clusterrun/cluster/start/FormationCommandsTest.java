package io.github.clusterrun.cluster.start;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.config.ClusterConfig;
import io.github.clusterrun.cluster.config.ClusterConfigBuilder;
import io.github.clusterrun.cluster.config.Readiness;
import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.family.StopReport;
import io.github.clusterrun.cluster.guard.ExitGuard;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.StateFile;
import io.github.clusterrun.cluster.model.StopOrder;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.stop.ConfirmedStop;
import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.Procs;
import io.github.clusterrun.cluster.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forming a real cluster: {@code beforeStart} commands run for every node before it launches, with
 * its mark; {@code afterStart} commands run once when every node is ready, retried until they
 * succeed; a failing command fails the start like a failing node and leaves nothing running; what
 * an {@code afterStart} command leaves running is stopped with the nodes; the stop order is kept.
 */
class FormationCommandsTest {
  @TempDir Path temp;
  Path base;
  Path clusterDir;
  final RecordingLog log = new RecordingLog();

  @BeforeEach
  void project() throws Exception {
    base = Files.createDirectories(temp.resolve("project"));
    clusterDir = base.resolve("target/cluster");
  }

  @AfterEach
  void stopEverything() throws Exception {
    Procs.stopClusterIn(clusterDir, log);
  }

  /** Nodes that say "ready" once they are, and on SIGTERM append their name to {@code order}. */
  private ClusterConfigBuilder nodes(int count) {
    return ClusterConfig.builder()
        .baseDirectory(base)
        .clusterDirectory(Paths.get("target/cluster"))
        .nodes(count)
        .executable("/bin/sh")
        .ports(List.of("port"))
        .arguments(
            List.of(
                "-c",
                "trap 'echo @{node.name} >> @{cluster.dir}/order; exit 0' TERM;"
                    + " cat @{node.dataDir}/second 2>/dev/null > @{node.dataDir}/seen; echo ready;"
                    + " sleep 1000 & wait"))
        .readiness(new Readiness(null, null, "^ready$", Duration.ofSeconds(30)))
        .stopTimeoutSeconds(10);
  }

  private Cluster start(ClusterConfigBuilder builder) throws Exception {
    return new ClusterStarter(builder.build(), ExitGuard.jvm(), Platform.current(), log).start();
  }

  private String recordedId() throws Exception {
    return StateFile.read(new ClusterLayout(clusterDir)).orElseThrow().id();
  }

  private void assertNothingLeft(String clusterId) {
    assertThat(Procs.nodesOf(clusterDir)).isEmpty();
    assertThat(Procs.markedPids(clusterId)).isEmpty();
  }

  @Test
  void beforeStartRunsForEveryNodeInOrderBeforeItLaunchesWithItsMarkAndPlaceholders() throws Exception {
    Cluster cluster =
        start(
            nodes(2)
                .beforeStart(
                    "/bin/sh", null,
                    List.of("-c", "echo \"$CLUSTER_MAVEN_PLUGIN_MARK @{node.name} $(pwd)\" > @{node.dataDir}/first; echo formatted"),
                    10, false)
                .beforeStart(
                    "/bin/sh", null, List.of("-c", "cat @{node.dataDir}/first > @{node.dataDir}/second"), 10, false));

    for (int i = 0; i < 2; i++) {
      String name = "n_" + i;
      // The node read, at its launch, what the second command made of the first one's output.
      assertThat(Files.readString(clusterDir.resolve(name + "/data/seen")))
          .isEqualTo(FamilyMark.of(cluster.id(), name) + " " + name + " " + clusterDir.resolve(name) + "\n");
      assertThat(Files.readString(clusterDir.resolve(name + "/logs/before-start-1.log")))
          .startsWith("$ /bin/sh -c echo ")
          .endsWith(" > " + clusterDir.resolve(name + "/data/first") + "; echo formatted\nformatted\n");
      assertThat(clusterDir.resolve(name + "/logs/before-start-2.log")).exists();
    }
  }

  @Test
  void afterStartRunsOnceAfterEveryNodeIsReadyAndIsRetriedUntilItSucceeds() throws Exception {
    Cluster cluster =
        start(
            nodes(2)
                .afterStart(
                    "/bin/sh", null,
                    List.of("-c", "echo \"$CLUSTER_MAVEN_PLUGIN_MARK @{cluster.hosts}\" > formed; test -s n_1/data/seen || test -e n_1/data"),
                    10, false)
                .afterStart(
                    "/bin/sh", null,
                    List.of("-c", "n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; echo attempt $n; [ $n -ge 3 ]"),
                    30, true));

    assertThat(Files.readString(clusterDir.resolve("formed")))
        .isEqualTo(FamilyMark.ofCluster(cluster.id()) + " " + cluster.hosts() + "\n");
    assertThat(Files.readString(clusterDir.resolve("count"))).isEqualTo("3\n");
    assertThat(Files.readString(clusterDir.resolve("logs/after-start-2.log")))
        .endsWith("; [ $n -ge 3 ]\nattempt 1\nattempt 2\nattempt 3\n"); // the command line once, first
    assertThat(log.text()).contains("afterStart command 2 succeeded in");
  }

  @Test
  void aMainClassCommandGetsItsJvmArgsAndEveryCommandItsEnvironmentWithPlaceholders() throws Exception {
    List<String> classpath = List.of(Procs.testNodeClasspath().split(java.io.File.pathSeparator));
    Cluster cluster =
        start(
            nodes(2)
                .javaNode(null, classpath, null, Procs.javaExecutable().toString())
                .beforeStart(
                    null, "io.github.clusterrun.cluster.testnode.PrintEnvAndHeap",
                    List.of("@{node.dataDir}/before"),
                    List.of("-Xmx48m", "-Dnode=@{node.name}"),
                    java.util.Map.of("FORMAT_ID", "@{cluster.id}-@{node.number}"),
                    30, false)
                .afterStart(
                    "/bin/sh", null, List.of("-c", "echo \"$CLUSTER_SIZE_SEEN $CLUSTER_MAVEN_PLUGIN_MARK\" > after"),
                    null, java.util.Map.of("CLUSTER_SIZE_SEEN", "size=@{cluster.size}"),
                    10, false));

    for (int i = 0; i < 2; i++) {
      // -Xmx48m: the JVM's max heap, below 48 MiB (a collector keeps a little for itself).
      List<String> seen = Files.readAllLines(clusterDir.resolve("n_" + i + "/data/before"));
      assertThat(seen.get(0)).isEqualTo(cluster.id() + "-" + (i + 1));
      assertThat(Long.parseLong(seen.get(1))).isLessThanOrEqualTo(48L * 1024 * 1024).isGreaterThan(16L * 1024 * 1024);
      assertThat(seen.get(2)).isEqualTo("n_" + i);
      assertThat(seen.get(3)).isEqualTo(FamilyMark.of(cluster.id(), "n_" + i)); // the mark is kept
    }
    assertThat(Files.readString(clusterDir.resolve("after"))).isEqualTo("size=2 " + FamilyMark.ofCluster(cluster.id()) + "\n");
  }

  @Test
  void theSuccessLinesAreShortAndTheLogsHaveTheFullCommand() throws Exception {
    String script = "echo one;\n            echo two;\n            " + "x".repeat(200) + "=1; echo done";
    start(
        nodes(2)
            .beforeStart("/bin/sh", null, List.of("-c", "echo formatting @{node.name}"), 10, false)
            .beforeStart("/bin/sh", null, List.of("-c", script), 10, false)
            .afterStart("/bin/sh", null, List.of("-c", script), 10, false));

    List<String> lines = log.lines();
    assertThat(lines)
        .filteredOn(l -> l.contains("succeeded in"))
        .hasSize(3)
        .allSatisfy(
            line -> {
              String shown = line.substring(line.indexOf(" ms: ") + 5);
              assertThat(shown).doesNotContain("\n").endsWith("\u2026").hasSizeLessThanOrEqualTo(100);
            });
    assertThat(lines).anySatisfy(l -> assertThat(l).matches(
        "INFO beforeStart of n_0 succeeded in \\d+ ms: 2 commands, the last sh -c echo one; echo two; x+\u2026"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("INFO beforeStart of n_1 succeeded in "));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches(
        "INFO afterStart command 1 succeeded in \\d+ ms: sh -c echo one; echo two; x+\u2026"));
    assertThat(Files.readString(clusterDir.resolve("logs/after-start-1.log")))
        .isEqualTo("$ /bin/sh -c " + script.replace("\n", "\\n") + "\none\ntwo\ndone\n");
    assertThat(Files.readString(clusterDir.resolve("n_1/logs/before-start-1.log")))
        .isEqualTo("$ /bin/sh -c echo formatting n_1\nformatting n_1\n");
  }

  @Test
  void aBeforeStartCommandThatExitsNonZeroFailsTheStartWithItsCommandCodeAndTail() throws Exception {
    assertThatThrownBy(
            () ->
                start(
                    nodes(2)
                        .beforeStart(
                            "/bin/sh", null,
                            List.of("-c", "echo formatting @{node.name}; echo no disk >&2; exit 3"),
                            10, false)))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("Cluster start failed: beforeStart command 1 of node n_")
        .hasMessageContaining("exited with code 3")
        .hasMessageContaining("Command: /bin/sh -c echo formatting n_")
        .hasMessageContaining("before-start-1.log:")
        .hasMessageContaining("no disk")
        .hasMessageContaining("No node was launched; the directories are kept in " + clusterDir)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Every node was stopped"));
    assertNothingLeft(recordedId());
    // No node was launched.
    assertThat(StateFile.read(new ClusterLayout(clusterDir)).orElseThrow().nodes())
        .allSatisfy(n -> assertThat(n.pid()).isZero());
  }

  @Test
  void aBeforeStartCommandThatRunsOutOfTimeIsKilledWithWhatItStarted() throws Exception {
    assertThatThrownBy(
            () ->
                start(
                    nodes(1)
                        .beforeStart(
                            "/bin/sh", null,
                            List.of("-c", "sleep 1000 & echo waiting for $!; wait"),
                            1, false)))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("beforeStart command 1 of node n_0 did not finish within 1 s")
        .hasMessageContaining("waiting for ");
    assertNothingLeft(recordedId());
  }

  @Test
  void anAfterStartCommandThatNeverSucceedsFailsTheStartAndStopsEveryNode() throws Exception {
    assertThatThrownBy(
            () ->
                start(
                    nodes(2)
                        .afterStart("/bin/sh", null, List.of("-c", "echo cluster_state:fail; exit 1"), 2, true)))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("Cluster start failed: afterStart command 1 did not succeed within 2 s")
        .hasMessageContaining("the last exited with code 1")
        .hasMessageContaining("Command: /bin/sh -c echo cluster_state:fail; exit 1")
        .hasMessageContaining("after-start-1.log:\n  | cluster_state:fail")
        .hasMessageContaining("Every node was stopped");
    assertNothingLeft(recordedId());
  }

  @Test
  void anAfterStartCommandThatRunsOutOfTimeIsKilledWithWhatItStarted() throws Exception {
    assertThatThrownBy(
            () ->
                start(
                    nodes(1)
                        .afterStart("/bin/sh", null, List.of("-c", "echo forming; sleep 1000 & wait"), 1, false)))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("afterStart command 1 did not finish within 1 s")
        .hasMessageContaining("forming");
    assertNothingLeft(recordedId());
  }

  @Test
  void whatAnAfterStartCommandLeavesRunningIsStoppedWithTheNodesFromTheRecordedState() throws Exception {
    Cluster cluster =
        start(
            nodes(1)
                .afterStart(
                    "/bin/sh", null,
                    List.of("-c", "sleep 1000 </dev/null >/dev/null 2>&1 & echo $! > leftover.tmp && mv leftover.tmp leftover.pid"),
                    10, false));
    long leftover = Procs.awaitPidFile(clusterDir.resolve("leftover.pid"));
    assertThat(Procs.markedPids(cluster.id())).contains(leftover);

    // Another invocation: only the recorded state.
    Cluster recorded = StateFile.read(new ClusterLayout(clusterDir)).orElseThrow();
    StopReport report = new ConfirmedStop(ExitGuard.jvm(), Platform.current()).stop(recorded, log);

    assertThat(report.confirmed()).isTrue();
    assertThat(Procs.isGone(leftover)).isTrue();
    assertThat(report.nodes()).extracting(n -> n.describe())
        .anySatisfy(line -> assertThat(line).startsWith("processes left by afterStart commands: stopped gracefully"));
    assertNothingLeft(cluster.id());
  }

  @Test
  void aSequentialStopStopsTheNodesOneAfterTheOtherInIndexOrder() throws Exception {
    Cluster cluster = start(nodes(3).stopOrder("sequential"));
    StopReport report = new ConfirmedStop(ExitGuard.jvm(), Platform.current()).stop(cluster, log);

    assertThat(report.confirmed()).isTrue();
    assertThat(Files.readAllLines(clusterDir.resolve("order"))).containsExactly("n_0", "n_1", "n_2");
    assertNothingLeft(cluster.id());
  }

  @Test
  void aReverseStopRecordedInTheStateIsHonouredByAnotherInvocation() throws Exception {
    Cluster cluster = start(nodes(3).stopOrder("reverse"));
    Cluster recorded = StateFile.read(new ClusterLayout(clusterDir)).orElseThrow();
    assertThat(recorded.stopOrder()).isEqualTo(StopOrder.REVERSE);

    StopReport report = new ConfirmedStop(ExitGuard.jvm(), Platform.current()).stop(recorded, log);

    assertThat(report.confirmed()).isTrue();
    assertThat(Files.readAllLines(clusterDir.resolve("order"))).containsExactly("n_2", "n_1", "n_0");
    Await.until("every node gone", () -> Procs.nodesOf(clusterDir).isEmpty(), Duration.ofSeconds(10));
    assertNothingLeft(cluster.id());
  }
}
