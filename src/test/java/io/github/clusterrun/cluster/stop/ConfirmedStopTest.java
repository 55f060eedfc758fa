package io.github.clusterrun.cluster.stop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.family.NodeStop;
import io.github.clusterrun.cluster.family.StopReport;
import io.github.clusterrun.cluster.guard.ExitGuard;
import io.github.clusterrun.cluster.guard.Lifeline;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.StateException;
import io.github.clusterrun.cluster.model.StateFile;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.testing.Nodes;
import io.github.clusterrun.cluster.testing.Procs;
import io.github.clusterrun.cluster.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one stop-and-confirm step: idempotent (once the kill is confirmed, later stops have nothing
 * to do), recorded, releasing the cluster from the exit guard, and able to stop a cluster whose
 * state file is damaged.
 */
class ConfirmedStopTest {
  @TempDir Path dir;
  final String clusterId = Procs.newClusterId();
  final RecordingLog log = new RecordingLog();
  final ExitGuard guard = new ExitGuard();
  final ConfirmedStop stopper = new ConfirmedStop(guard, Platform.current());

  @AfterEach
  void killLeftovers() throws Exception {
    guard.find(dir).ifPresent(c -> {
      try {
        stopper.stop(c, log);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Procs.killMarked(clusterId);
  }

  private Cluster recorded(Path directory, Process... processes) {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < processes.length; i++) {
      nodes.add(Nodes.recorded(clusterId, "n_" + i, processes[i].pid(), null));
    }
    return new Cluster(new ClusterLayout(directory), clusterId, Instant.now(), Duration.ofSeconds(5), null, nodes);
  }

  private Cluster reread() throws Exception {
    return StateFile.read(new ClusterLayout(dir)).orElseThrow();
  }

  @Test
  void stopTwiceTheSecondReportIsEmpty() throws Exception {
    Process n0 = Procs.startMarked(clusterId, "n_0", dir, "echo $$ > a.tmp && mv a.tmp a.pid; exec sleep 600");
    Process n1 = Procs.startMarked(clusterId, "n_1", dir, "echo $$ > b.tmp && mv b.tmp b.pid; exec sleep 600");
    Procs.awaitSleeping(dir.resolve("a.pid"));
    Procs.awaitSleeping(dir.resolve("b.pid"));
    Cluster cluster = recorded(dir, n0, n1);
    cluster.write();
    assertThat(cluster.stopped()).isFalse();

    StopReport first = stopper.stop(cluster, log);

    assertThat(first.confirmed()).isTrue();
    assertThat(first.nodes()).extracting(NodeStop::how).containsExactly(NodeStop.How.GRACEFUL, NodeStop.How.GRACEFUL);
    assertThat(Procs.isGone(n0.pid())).isTrue();
    assertThat(Procs.isGone(n1.pid())).isTrue();
    assertThat(cluster.stopped()).isTrue();

    StopReport second = stopper.stop(cluster, log);
    assertThat(second.nodes()).isEmpty();
    assertThat(second.confirmed()).isTrue();

    // The stop is recorded: a later build finds the cluster stopped and does nothing either.
    Cluster later = reread();
    assertThat(later.stopped()).isTrue();
    assertThat(stopper.stop(later, log).nodes()).isEmpty();
  }

  @Test
  void aRecordedClusterWhoseProcessesAreAllGoneStopsQuietly() throws Exception {
    Process n0 = Procs.startMarked(clusterId, "n_0", dir, "exit 0");
    n0.waitFor();
    Cluster cluster = recorded(dir, n0);
    cluster.write();

    StopReport report = stopper.stop(reread(), log);

    assertThat(report.confirmed()).isTrue();
    assertThat(report.nodes()).extracting(NodeStop::how).containsExactly(NodeStop.How.EXITED_BEFORE);
    assertThat(reread().stopped()).isTrue();
  }

  @Test
  void aLaunchingClusterIsGuardedUntilItsStopIsConfirmed() throws Exception {
    Cluster cluster =
        new Cluster(
            new ClusterLayout(dir),
            clusterId,
            Instant.now(),
            Duration.ofSeconds(5),
            null,
            List.of(Nodes.recorded(clusterId, "n_0", 0, null), Nodes.recorded(clusterId, "n_1", 0, null)));
    cluster.write();
    guard.guard(cluster, Lifeline.none(), stopper);
    assertThat(guard.find(dir)).containsSame(cluster);
    Thread hook = guard.exitHook(cluster).orElseThrow();

    Process n0 = Procs.startMarked(clusterId, "n_0", dir, "exec sleep 600");
    assertThat(cluster.launched("n_0", n0)).isTrue();
    // The exit hook knows the node the moment it is launched; the state file has its pid once written.
    assertThat(reread().nodes().get(0).pid()).isZero();
    cluster.write();
    assertThat(reread().nodes().get(0).pid()).isEqualTo(n0.pid());
    assertThat(stopper.find(dir)).containsSame(cluster);

    StopReport report = stopper.stop(cluster, log);

    assertThat(report.confirmed()).isTrue();
    assertThat(Procs.isGone(n0.pid())).isTrue();
    assertThat(guard.find(dir)).isEmpty();
    // The exit hook is removed: removing it again says it was not registered.
    assertThat(Runtime.getRuntime().removeShutdownHook(hook)).isFalse();
    // Launching a node of a stopped cluster is refused; the caller stops it itself.
    Process late = Procs.startMarked(clusterId, "n_1", dir, "exec sleep 600");
    assertThat(cluster.launched("n_1", late)).isFalse();
    late.destroyForcibly().waitFor();
    // Found again, from the recorded state only, it is stopped.
    assertThat(stopper.find(dir)).hasValueSatisfying(c -> assertThat(c.stopped()).isTrue());
  }

  @Test
  void theExitHookStopsTheClusterKeepsItsDirectoryAndALaterStopIsANoOp() throws Exception {
    Process n0 = Procs.startMarked(clusterId, "n_0", dir, "echo $$ > a.tmp && mv a.tmp a.pid; exec sleep 600");
    Procs.awaitSleeping(dir.resolve("a.pid"));
    Cluster cluster = recorded(dir, n0);
    cluster.write();
    guard.guard(cluster, Lifeline.none(), stopper);
    Thread hook = guard.exitHook(cluster).orElseThrow();

    hook.run(); // what the JVM does on Ctrl-C or a failed build between start and stop

    assertThat(Procs.isGone(n0.pid())).isTrue();
    assertThat(cluster.stopped()).isTrue();
    assertThat(guard.find(dir)).isEmpty();
    assertThat(Runtime.getRuntime().removeShutdownHook(hook)).isFalse();
    assertThat(new ClusterLayout(dir).stateFile()).exists();
    assertThat(stopper.stop(cluster, log).nodes()).isEmpty();
  }

  @Test
  void aStopOfAClusterWhoseDirectoryIsGoneDoesNotRecreateIt() throws Exception {
    Path gone = dir.resolve("gone");
    Process n0 = Procs.startMarked(clusterId, "n_0", dir, "exec sleep 600");
    Procs.awaitExec(n0.pid(), "sleep");
    // Never written: the directory does not exist.
    StopReport report = stopper.stop(recorded(gone, n0), log);
    assertThat(report.confirmed()).isTrue();
    assertThat(Procs.isGone(n0.pid())).isTrue();
    assertThat(Files.exists(gone)).isFalse();
  }

  @Test
  void aDamagedStateFailsTheReapButNotTheReapEvenIfDamaged() throws Exception {
    Path clusterDir = Files.createDirectories(dir.resolve("cluster"));
    // A node of this directory and a detached daemon of it; and a node of another directory.
    ProcessBuilder node =
        new ProcessBuilder(
                "/bin/sh",
                "-c",
                "setsid -f sh -c 'echo $$ > d.tmp && mv d.tmp d.pid; exec sleep 600';"
                    + " echo $$ > a.tmp && mv a.tmp a.pid; exec sleep 600")
            .directory(dir.toFile());
    node.environment().put(FamilyMark.VARIABLE, FamilyMark.of(clusterId, "n_3"));
    node.environment().put(ConfirmedStop.CLUSTER_DIR_VARIABLE, clusterDir.toString());
    Process n3 = node.start();
    String otherId = Procs.newClusterId();
    ProcessBuilder other =
        new ProcessBuilder("/bin/sh", "-c", "echo $$ > o.tmp && mv o.tmp o.pid; exec sleep 600").directory(dir.toFile());
    other.environment().put(FamilyMark.VARIABLE, FamilyMark.of(otherId, "n_0"));
    other.environment().put(ConfirmedStop.CLUSTER_DIR_VARIABLE, clusterDir + "2");
    Process stranger = other.start();
    try {
      long daemon = Procs.awaitSleeping(dir.resolve("d.pid"));
      Procs.awaitSleeping(dir.resolve("a.pid"));
      Procs.awaitSleeping(dir.resolve("o.pid"));
      Files.writeString(clusterDir.resolve("cluster.state"), "format=2\nid=x\\u00");

      assertThatThrownBy(() -> stopper.reap(clusterDir, log)).isInstanceOf(StateException.class);
      assertThat(Procs.isAlive(n3.pid())).isTrue();

      StopReport report = stopper.reapEvenIfDamaged(clusterDir, log);

      assertThat(report.confirmed()).isTrue();
      assertThat(report.nodes()).extracting(NodeStop::name).containsExactly("n_3");
      assertThat(Procs.isGone(n3.pid())).isTrue();
      assertThat(Procs.isGone(daemon)).isTrue();
      assertThat(stranger.isAlive()).isTrue();
      assertThat(log.text())
          .contains("The cluster state " + clusterDir.resolve("cluster.state") + " cannot be read")
          .contains("Stopping the processes that carry CLUSTER_DIR=" + clusterDir + " instead");
    } finally {
      Procs.killMarked(otherId);
    }
  }
}
