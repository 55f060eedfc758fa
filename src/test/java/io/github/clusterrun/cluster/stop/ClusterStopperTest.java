package io.github.clusterrun.cluster.stop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.config.PropertyPrefix;
import io.github.clusterrun.cluster.guard.ExitGuard;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.testing.Nodes;
import io.github.clusterrun.cluster.start.ExportedProperties;
import io.github.clusterrun.cluster.config.ClusterConfig;
import io.github.clusterrun.cluster.config.ClusterConfigBuilder;
import io.github.clusterrun.cluster.config.Readiness;
import io.github.clusterrun.cluster.config.StopConfig;
import io.github.clusterrun.cluster.start.ClusterStarter;
import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.Procs;
import io.github.clusterrun.cluster.testing.ShNodes;
import io.github.clusterrun.cluster.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stop goal's work on real clusters: kill first, confirm, then read the Failsafe summary and
 * delete or keep the directories, saying so in one line; and the clean goal's.
 */
class ClusterStopperTest {
  static final String PASSING =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><failsafe-summary"
          + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
          + " xsi:noNamespaceSchemaLocation=\"https://maven.apache.org/surefire/maven-surefire-plugin/xsd/failsafe-summary.xsd\""
          + " result=\"null\" timeout=\"false\"><completed>3</completed><errors>0</errors><failures>0</failures>"
          + "<skipped>0</skipped><failureMessage xsi:nil=\"true\" /></failsafe-summary>";
  static final String FAILING = PASSING.replace("result=\"null\"", "result=\"255\"").replace("<failures>0<", "<failures>2<");

  @TempDir Path temp;
  Path base;
  Path clusterDir;
  Path summary;
  final RecordingLog log = new RecordingLog();
  final List<String> foreignIds = new ArrayList<>();

  @BeforeEach
  void project() throws Exception {
    base = Files.createDirectories(temp.resolve("project"));
    clusterDir = base.resolve("target/cluster");
    summary = base.resolve("target/failsafe-reports/failsafe-summary.xml");
  }

  @AfterEach
  void stopEverything() throws Exception {
    Procs.stopClusterIn(clusterDir, log);
    foreignIds.forEach(Procs::killMarked);
  }

  private ClusterConfigBuilder shNodes(int nodes, String script) {
    return ShNodes.of(base, nodes, script);
  }

  private Cluster start(int nodes) throws Exception {
    return new ClusterStarter(
            shNodes(nodes, "echo \"$CLUSTER_NODE_NAME up\"; exec sleep 600")
                .readiness(new Readiness(null, null, "^@{node.name} up$", Duration.ofSeconds(30)))
                .build(),
            ExitGuard.jvm(),
            Platform.current(),
            log)
        .start();
  }

  private ClusterStopper stopper(String cleanup, boolean skipCleanup) throws Exception {
    return new ClusterStopper(
        StopConfig.of(Paths.get("target/cluster"), base, List.of(summary), cleanup, skipCleanup),
        confirmedStop(),
        log);
  }

  private void writeSummary(String xml) throws Exception {
    Files.createDirectories(summary.getParent());
    Files.writeString(summary, xml);
  }

  private static List<Long> pids(Cluster cluster) {
    List<Long> pids = new ArrayList<>();
    for (int i = 0; ExportedProperties.of(cluster, PropertyPrefix.DEFAULT).containsKey("cluster.node." + i + ".pid"); i++) {
      pids.add(Long.parseLong(ExportedProperties.of(cluster, PropertyPrefix.DEFAULT).get("cluster.node." + i + ".pid")));
    }
    return pids;
  }

  @Test
  void passingTestsDeleteTheDirectoryAfterEveryNodeIsGone() throws Exception {
    Cluster cluster = start(2);
    List<Long> pids = pids(cluster);
    assertThat(pids).hasSize(2).allMatch(Procs::isAlive);
    writeSummary(PASSING);

    ClusterStopper.Result result = stopper(null, false).stop();

    assertThat(result).isEqualTo(ClusterStopper.Result.DELETED);
    assertThat(pids).allMatch(Procs::isGone);
    assertThat(Procs.nodesOf(clusterDir)).isEmpty();
    assertThat(clusterDir).doesNotExist();
    assertThat(log.lines()).contains("INFO Deleted target/cluster: 3 integration tests passed");
    assertThat(log.text()).contains("n_0 (pid " + pids.get(0) + "): stopped gracefully");
    assertThat(ExitGuard.jvm().find(clusterDir)).isEmpty();

    // The exit hook's second call, or a second stop: nothing to do, no error.
    assertThat(confirmedStop().stop(cluster, log).nodes()).isEmpty();
    assertThat(stopper(null, false).stop()).isEqualTo(ClusterStopper.Result.NOTHING_RECORDED);
  }

  @Test
  void noSummaryKeepsTheDirectoryWithAPointerToTheLogs() throws Exception {
    List<Long> pids = pids(start(2));

    ClusterStopper.Result result = stopper(null, false).stop();

    assertThat(result).isEqualTo(ClusterStopper.Result.KEPT);
    assertThat(pids).allMatch(Procs::isGone);
    assertThat(clusterDir.resolve("n_0/logs/console.log")).content().contains("n_0 up");
    assertThat(clusterDir.resolve("n_1/logs/console.log")).content().contains("n_1 up");
    assertThat(log.lines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("INFO Kept target/cluster: no failsafe-summary.xml")
                    .endsWith("; node logs in target/cluster/n_*/logs"));
    // Stopping again (a separate mvn cluster:stop) finds the recorded cluster stopped.
    assertThat(stopper(null, false).stop()).isEqualTo(ClusterStopper.Result.ALREADY_STOPPED);
    assertThat(clusterDir).isDirectory();
  }

  @Test
  void nodesThatPrintedNothingGetOneLineInsteadOfATailEach() throws Exception {
    new ClusterStarter(shNodes(3, "if [ $CLUSTER_NODE_NAME = n_1 ]; then echo talking; fi; exec sleep 600").build(),
            ExitGuard.jvm(), Platform.current(), log)
        .start();
    Path talking = clusterDir.resolve("n_1/logs/console.log");
    io.github.clusterrun.cluster.testing.Await.until(
        "n_1 to print",
        () -> {
          try {
            return Files.readString(talking).contains("talking");
          } catch (java.io.IOException e) {
            return false;
          }
        },
        Duration.ofSeconds(10));

    assertThat(stopper(null, false).stop()).isEqualTo(ClusterStopper.Result.KEPT);

    assertThat(log.lines())
        .contains("INFO Last 20 lines of n_1/logs/console.log before the stop:", "INFO   | talking")
        .contains("INFO Nothing in the console logs of n_0, n_2 before the stop (n_*/logs/console.log)")
        .noneMatch(line -> line.contains("Last 20 lines of n_0") || line.contains("Last 20 lines of n_2"));
  }

  @Test
  void whatANodePrintedWhileItStoppedShowsOnlyTheLinesThatLookLikeWarningsOrErrors() throws Exception {
    new ClusterStarter(
            shNodes(
                    1,
                    "trap 'echo \"INFO closing: java.io.IOException: broken pipe\"; echo \"ERROR flush failed\";"
                        + " echo \"INFO bye\"; exit 0' TERM; echo \"$CLUSTER_NODE_NAME up\"; sleep 600 & wait")
                .readiness(new Readiness(null, null, "^@{node.name} up$", Duration.ofSeconds(30)))
                .build(),
            ExitGuard.jvm(),
            Platform.current(),
            log)
        .start();

    assertThat(stopper(null, false).stop()).isEqualTo(ClusterStopper.Result.KEPT);

    List<String> lines = log.lines();
    int heading = lines.indexOf("INFO Lines of n_0 that look like warnings or errors, printed while it stopped:");
    assertThat(heading).isPositive();
    assertThat(lines.get(heading + 1)).isEqualTo("INFO   | ERROR flush failed");
    assertThat(log.text()).doesNotContain("broken pipe").doesNotContain("Warnings and errors");
  }

  @Test
  void aSequentialStopPrintsEachNodesLineAsSoonAsThatNodeIsStopped() throws Exception {
    Cluster cluster =
        new ClusterStarter(
                shNodes(2, "echo \"$CLUSTER_NODE_NAME up\"; exec sleep 600")
                    .readiness(new Readiness(null, null, "^@{node.name} up$", Duration.ofSeconds(30)))
                    .stopOrder("sequential")
                    .build(),
                ExitGuard.jvm(),
                Platform.current(),
                log)
            .start();
    long second = cluster.node("n_1").orElseThrow().pid();
    // Whether n_1 still ran when n_0's line was printed: n_1 is asked to stop only after n_0 is gone.
    List<Boolean> n1AliveAtN0sLine = new ArrayList<>();
    io.github.clusterrun.cluster.ClusterLog watching =
        new io.github.clusterrun.cluster.ClusterLog() {
          @Override
          public void info(String message) {
            if (message.startsWith("  n_0 (pid ")) {
              n1AliveAtN0sLine.add(Procs.isAlive(second));
            }
            log.info(message);
          }

          @Override
          public void warn(String message) {
            log.warn(message);
          }

          @Override
          public void debug(String message) {
            log.debug(message);
          }
        };

    new ClusterStopper(
            StopConfig.of(Paths.get("target/cluster"), base, List.of(summary), null, false), confirmedStop(), watching)
        .stop();

    assertThat(n1AliveAtN0sLine).containsExactly(true);
    assertThat(Procs.isGone(second)).isTrue();
    assertThat(log.text()).containsPattern("  n_1 \\(pid " + second + "\\): stopped gracefully");
  }

  @Test
  void failingTestsKeepTheDirectory() throws Exception {
    List<Long> pids = pids(start(1));
    writeSummary(FAILING);

    assertThat(stopper(null, false).stop()).isEqualTo(ClusterStopper.Result.KEPT);

    assertThat(pids).allMatch(Procs::isGone);
    assertThat(clusterDir).isDirectory();
    assertThat(log.lines())
        .contains("INFO Kept target/cluster: 2 failures in failsafe-summary.xml; node logs in target/cluster/n_*/logs");
  }

  @Test
  void aSummaryFromAnEarlierBuildProvesNothing() throws Exception {
    writeSummary(PASSING);
    Files.setLastModifiedTime(summary, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(3600)));
    start(1);

    assertThat(stopper(null, false).stop()).isEqualTo(ClusterStopper.Result.KEPT);
    assertThat(log.text()).contains("written before this cluster started");
  }

  @Test
  void aNodeThatExitedOnItsOwnWhileTheTestsRanKeepsTheDirectoryEvenIfTheTestsPassed() throws Exception {
    List<Long> pids = pids(start(2));
    ProcessHandle.of(pids.get(1)).orElseThrow().destroyForcibly();
    Await.until("n_1 to die", () -> Procs.isGone(pids.get(1)), Duration.ofSeconds(10));
    writeSummary(PASSING);

    assertThat(stopper(null, false).stop()).isEqualTo(ClusterStopper.Result.KEPT);

    assertThat(pids).allMatch(Procs::isGone);
    assertThat(clusterDir).isDirectory();
    assertThat(log.text()).contains("node n_1 (exit code 137) had exited on its own before stop");
  }

  @Test
  void skipCleanupKeepsAPassingCluster() throws Exception {
    start(1);
    writeSummary(PASSING);

    assertThat(stopper("onSuccess", true).stop()).isEqualTo(ClusterStopper.Result.KEPT);
    assertThat(clusterDir).isDirectory();
    assertThat(log.text()).contains("skipCleanup");
  }

  @Test
  void cleanupAlwaysDeletesEvenWithoutResults() throws Exception {
    List<Long> pids = pids(start(1));

    assertThat(stopper("always", false).stop()).isEqualTo(ClusterStopper.Result.DELETED);
    assertThat(pids).allMatch(Procs::isGone);
    assertThat(clusterDir).doesNotExist();
  }

  @Test
  void cleanupNeverKeepsAPassingCluster() throws Exception {
    start(1);
    writeSummary(PASSING);

    assertThat(stopper("never", false).stop()).isEqualTo(ClusterStopper.Result.KEPT);
    assertThat(clusterDir).isDirectory();
  }

  @Test
  void aNodeThatKeepsWritingIsKilledBeforeTheDirectoryIsDeleted() throws Exception {
    // The origin of the product: a live node recreates files while they are deleted.
    ClusterConfig config =
        shNodes(1, "trap '' TERM; i=0; while :; do mkdir -p data/d$((i % 5)); echo x > data/d$((i % 5))/f$i; i=$((i+1)); done")
            .stopTimeoutSeconds(1)
            .build();
    Cluster cluster = new ClusterStarter(config, ExitGuard.jvm(), Platform.current(), log).start();
    Await.until("the node to write", () -> Files.exists(clusterDir.resolve("n_0/data/d0")), Duration.ofSeconds(10));
    writeSummary(PASSING);

    assertThat(stopper(null, false).stop()).isEqualTo(ClusterStopper.Result.DELETED);

    assertThat(pids(cluster)).allMatch(Procs::isGone);
    assertThat(clusterDir).doesNotExist();
    assertThat(log.text()).contains("killed after the stop timeout");
  }

  @Test
  void nothingRecordedNothingToStop() throws Exception {
    assertThat(stopper(null, false).stop()).isEqualTo(ClusterStopper.Result.NOTHING_RECORDED);
    assertThat(log.text()).contains("No cluster is recorded in target/cluster");
  }

  @Test
  void stopFromASeparateInvocationWorksFromTheRecordedStateAlone() throws Exception {
    // A cluster recorded by another JVM: processes carrying its marks, one with a detached daemon.
    String id = Procs.newClusterId();
    foreignIds.add(id);
    Files.createDirectories(clusterDir);
    Process n0 = Procs.startMarked(id, "n_0", temp, "exec sleep 600");
    Process n1 =
        Procs.startMarked(
            id, "n_1", temp, "setsid -f sh -c 'echo $$ > d.tmp && mv d.tmp d.pid; exec sleep 600'; exec sleep 600");
    long daemon = Procs.awaitSleeping(temp.resolve("d.pid"));
    Procs.awaitExec(n0.pid(), "sleep");
    Procs.awaitExec(n1.pid(), "sleep");
    new Cluster(new ClusterLayout(clusterDir), id, Instant.now().minusSeconds(5), Duration.ofSeconds(5), null, List.of(Nodes.recorded(id, "n_0", n0.pid(), null), Nodes.recorded(id, "n_1", n1.pid(), null))).write();
    writeSummary(PASSING);

    assertThat(stopper(null, false).stop()).isEqualTo(ClusterStopper.Result.DELETED);

    assertThat(Procs.isGone(n0.pid())).isTrue();
    assertThat(Procs.isGone(n1.pid())).isTrue();
    assertThat(Procs.isGone(daemon)).isTrue();
    assertThat(clusterDir).doesNotExist();
  }

  @Test
  void cleanStopsACrashedClusterThenDeletesItsDirectory() throws Exception {
    String id = Procs.newClusterId();
    foreignIds.add(id);
    Files.createDirectories(clusterDir.resolve("n_0/data"));
    Process n0 =
        Procs.startMarked(id, "n_0", temp, "trap '' TERM; echo $$ > n.tmp && mv n.tmp n.pid; while :; do sleep 0.1; done");
    Procs.awaitPidFile(temp.resolve("n.pid"));
    new Cluster(new ClusterLayout(clusterDir), id, Instant.now(), Duration.ofSeconds(1), null, List.of(Nodes.recorded(id, "n_0", n0.pid(), null))).write();

    stopper(null, false).clean();

    assertThat(Procs.isGone(n0.pid())).isTrue();
    assertThat(Procs.markedPids(id)).isEmpty();
    assertThat(clusterDir).doesNotExist();
    assertThat(log.text()).contains("Stopped a stale node of an earlier cluster: n_0").contains("Deleted target/cluster.");
  }

  @Test
  void cleanStopsTheClusterOfThisJvmToo() throws Exception {
    List<Long> pids = pids(start(2));

    stopper(null, false).clean();

    assertThat(pids).allMatch(Procs::isGone);
    assertThat(clusterDir).doesNotExist();
    assertThat(ExitGuard.jvm().find(clusterDir)).isEmpty();
  }

  @Test
  void cleanWithNothingThereIsFine() throws Exception {
    stopper(null, false).clean();
    assertThat(clusterDir).doesNotExist();
    assertThat(log.text()).contains("Deleted target/cluster.");
  }

  private static io.github.clusterrun.cluster.stop.ConfirmedStop confirmedStop() {
    return new io.github.clusterrun.cluster.stop.ConfirmedStop(ExitGuard.jvm(), Platform.current());
  }
}
