package io.github.clusterrun.cluster.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.process.FamilyMark;
import io.github.clusterrun.cluster.process.NodeProcess;
import io.github.clusterrun.cluster.process.NodeStop;
import io.github.clusterrun.cluster.process.StopReport;
import io.github.clusterrun.cluster.testing.Procs;
import io.github.clusterrun.cluster.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping a cluster is idempotent: once the kill is confirmed, later stops have nothing to do. */
class LiveClusterTest {
  @TempDir Path dir;
  final String clusterId = Procs.newClusterId();
  final RecordingLog log = new RecordingLog();

  @AfterEach
  void killLeftovers() {
    LiveClusters.find(dir).ifPresent(c -> {
      try {
        c.stop(log);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Procs.killMarked(clusterId);
  }

  private ClusterState recordedState(Process... processes) {
    List<ClusterState.RecordedNode> nodes = new java.util.ArrayList<>();
    for (int i = 0; i < processes.length; i++) {
      nodes.add(new ClusterState.RecordedNode("n_" + i, FamilyMark.of(clusterId, "n_" + i), processes[i].pid(), null));
    }
    return new ClusterState(clusterId, Instant.now(), nodes, false, Duration.ofSeconds(5), null);
  }

  @Test
  void stopTwiceTheSecondReportIsEmpty() throws Exception {
    Process n0 = Procs.startMarked(clusterId, "n_0", dir, "echo $$ > a.tmp && mv a.tmp a.pid; exec sleep 600");
    Process n1 = Procs.startMarked(clusterId, "n_1", dir, "echo $$ > b.tmp && mv b.tmp b.pid; exec sleep 600");
    Procs.awaitSleeping(dir.resolve("a.pid"));
    Procs.awaitSleeping(dir.resolve("b.pid"));
    ClusterState state = recordedState(n0, n1);
    state.write(dir);
    LiveCluster cluster = LiveCluster.recorded(dir, state);
    assertThat(cluster.stopped()).isFalse();

    StopReport first = cluster.stop(log);

    assertThat(first.confirmed()).isTrue();
    assertThat(first.nodes()).extracting(NodeStop::how).containsExactly(NodeStop.How.GRACEFUL, NodeStop.How.GRACEFUL);
    assertThat(Procs.isGone(n0.pid())).isTrue();
    assertThat(Procs.isGone(n1.pid())).isTrue();
    assertThat(cluster.stopped()).isTrue();

    StopReport second = cluster.stop(log);
    assertThat(second.nodes()).isEmpty();
    assertThat(second.confirmed()).isTrue();

    // The stop is recorded: a later build finds the cluster stopped and does nothing either.
    ClusterState reread = ClusterState.read(dir).orElseThrow();
    assertThat(reread.stopped()).isTrue();
    LiveCluster later = LiveCluster.recorded(dir, reread);
    assertThat(later.stopped()).isTrue();
    assertThat(later.stop(log).nodes()).isEmpty();
  }

  @Test
  void aRecordedClusterWhoseProcessesAreAllGoneStopsQuietly() throws Exception {
    Process n0 = Procs.startMarked(clusterId, "n_0", dir, "exit 0");
    n0.waitFor();
    ClusterState state = recordedState(n0);
    state.write(dir);

    StopReport report = LiveCluster.recorded(dir, state).stop(log);

    assertThat(report.confirmed()).isTrue();
    assertThat(report.nodes()).extracting(NodeStop::how).containsExactly(NodeStop.How.EXITED_BEFORE);
    assertThat(ClusterState.read(dir).orElseThrow().stopped()).isTrue();
  }

  @Test
  void aLaunchingClusterIsRegisteredUntilItsStopIsConfirmed() throws Exception {
    ClusterState state =
        new ClusterState(
            clusterId,
            Instant.now(),
            List.of(new ClusterState.RecordedNode("n_0", FamilyMark.of(clusterId, "n_0"), 0, null)),
            false,
            Duration.ofSeconds(5),
            null);
    state.write(dir);
    LiveCluster cluster = LiveCluster.launching(dir, state, null);
    assertThat(LiveClusters.find(dir)).containsSame(cluster);
    assertThat(cluster.exitHook()).isNotNull();

    Process n0 = Procs.startMarked(clusterId, "n_0", dir, "exec sleep 600");
    assertThat(cluster.add(NodeProcess.launched("n_0", FamilyMark.of(clusterId, "n_0"), n0))).isTrue();
    // The exit hook knows the node the moment it is added; the state file has its pid once written.
    assertThat(ClusterState.read(dir).orElseThrow().nodes().get(0).pid()).isZero();
    cluster.writeState();
    assertThat(ClusterState.read(dir).orElseThrow().nodes().get(0).pid()).isEqualTo(n0.pid());
    assertThat(LiveClusters.findOrRecorded(dir)).containsSame(cluster);

    StopReport report = cluster.stop(log);

    assertThat(report.confirmed()).isTrue();
    assertThat(Procs.isGone(n0.pid())).isTrue();
    assertThat(LiveClusters.find(dir)).isEmpty();
    // The exit hook is removed: removing it again says it was not registered.
    assertThat(Runtime.getRuntime().removeShutdownHook(cluster.exitHook())).isFalse();
    // Adding a node to a stopped cluster is refused; the caller stops it itself.
    Process late = Procs.startMarked(clusterId, "n_1", dir, "exec sleep 600");
    assertThat(cluster.add(NodeProcess.launched("n_1", FamilyMark.of(clusterId, "n_1"), late))).isFalse();
    late.destroyForcibly().waitFor();
    // Found again, from the recorded state only, it is stopped.
    assertThat(LiveClusters.findOrRecorded(dir)).hasValueSatisfying(c -> assertThat(c.stopped()).isTrue());
  }

  @Test
  void theExitHookStopsTheClusterKeepsItsDirectoryAndALaterStopIsANoOp() throws Exception {
    Process n0 = Procs.startMarked(clusterId, "n_0", dir, "echo $$ > a.tmp && mv a.tmp a.pid; exec sleep 600");
    Procs.awaitSleeping(dir.resolve("a.pid"));
    ClusterState state = recordedState(n0);
    state.write(dir);
    LiveCluster cluster = LiveCluster.launching(dir, state, null);
    Thread hook = cluster.exitHook();

    hook.run(); // what the JVM does on Ctrl-C or a failed build between start and stop

    assertThat(Procs.isGone(n0.pid())).isTrue();
    assertThat(cluster.stopped()).isTrue();
    assertThat(LiveClusters.find(dir)).isEmpty();
    assertThat(Runtime.getRuntime().removeShutdownHook(hook)).isFalse();
    assertThat(ClusterState.file(dir)).exists();
    assertThat(cluster.stop(log).nodes()).isEmpty();
  }

  @Test
  void aStopOfAClusterWhoseDirectoryIsGoneDoesNotRecreateIt() throws Exception {
    Path gone = dir.resolve("gone");
    Process n0 = Procs.startMarked(clusterId, "n_0", dir, "exec sleep 600");
    Procs.awaitExec(n0.pid(), "sleep");
    ClusterState state = recordedState(n0);
    // Never written: the directory does not exist.
    StopReport report = LiveCluster.recorded(gone, state).stop(log);
    assertThat(report.confirmed()).isTrue();
    assertThat(Procs.isGone(n0.pid())).isTrue();
    assertThat(Files.exists(gone)).isFalse();
  }
}
