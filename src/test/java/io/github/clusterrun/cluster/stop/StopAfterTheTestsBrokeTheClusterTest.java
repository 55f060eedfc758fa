package io.github.clusterrun.cluster.stop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.config.ClusterConfig;
import io.github.clusterrun.cluster.config.Readiness;
import io.github.clusterrun.cluster.config.StopConfig;
import io.github.clusterrun.cluster.control.client.ClusterControl;
import io.github.clusterrun.cluster.guard.ExitGuard;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.StateFile;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.start.AttachedCluster;
import io.github.clusterrun.cluster.start.ClusterStarter;
import io.github.clusterrun.cluster.testing.Procs;
import io.github.clusterrun.cluster.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stop decision after the tests broke the cluster through its control endpoint (issue 12): a
 * node the tests stopped or killed did not exit on its own, and the decision line says what the
 * tests did, from this JVM's record or from the state file alone; and attaching to a cluster.
 */
class StopAfterTheTestsBrokeTheClusterTest {
  @TempDir Path temp;
  Path base;
  Path clusterDir;
  Path summary;
  final RecordingLog log = new RecordingLog();
  final ExitGuard guard = new ExitGuard();

  @BeforeEach
  void project() throws Exception {
    base = Files.createDirectories(temp.resolve("project"));
    clusterDir = base.resolve("target/cluster");
    summary = base.resolve("target/failsafe-reports/failsafe-summary.xml");
    Files.createDirectories(summary.getParent());
  }

  @AfterEach
  void stopEverything() throws Exception {
    Procs.stopClusterIn(guard, clusterDir, log);
  }

  private Cluster start(int nodes) throws Exception {
    return new ClusterStarter(
            ClusterConfig.builder()
                .baseDirectory(base)
                .clusterDirectory(Paths.get("target/cluster"))
                .nodes(nodes)
                .executable("/bin/sh")
                .ports(List.of("port"))
                .arguments(List.of("-c", "echo \"$CLUSTER_NODE_NAME up\"; exec sleep 600"))
                .readiness(new Readiness(null, null, "^@{node.name} up$", Duration.ofSeconds(30)))
                .stopTimeoutSeconds(5)
                .build(),
            guard,
            Platform.current(),
            log)
        .start();
  }

  private ClusterStopper stopper(ExitGuard which) throws Exception {
    return new ClusterStopper(
        StopConfig.of(Paths.get("target/cluster"), base, List.of(summary), "onSuccess", false),
        new ConfirmedStop(which, Platform.current()),
        log);
  }

  private static ClusterControl client(Cluster cluster) {
    return ClusterControl.of(cluster.control().orElseThrow().url(), cluster.control().orElseThrow().token());
  }

  @Test
  void aNodeTheTestsKilledDidNotExitOnItsOwnAndTheDecisionLineSaysWhatTheTestsDid() throws Exception {
    Cluster cluster = start(3);
    ClusterControl control = client(cluster);
    control.node("n_1").kill();
    control.node("n_1").start();
    control.node("n_2").stop();
    Files.writeString(summary, ClusterStopperTest.PASSING);

    assertThat(stopper(guard).stop()).isEqualTo(ClusterStopper.Result.DELETED);

    assertThat(log.lines())
        .contains("INFO   n_2: already stopped by the tests")
        .contains(
            "INFO Deleted target/cluster: 3 integration tests passed"
                + " (the tests killed n_1 once and started it, and stopped n_2 once)".replace(", and", " and"));
    assertThat(Procs.nodesOf(clusterDir)).isEmpty();
  }

  @Test
  void fromTheStateFileAloneTooAsMvnClusterStopInAnotherInvocation() throws Exception {
    Cluster cluster = start(2);
    client(cluster).node("n_0").kill();
    Files.writeString(summary, ClusterStopperTest.PASSING);
    assertThat(StateFile.read(new ClusterLayout(clusterDir)).orElseThrow().testActions()).containsOnlyKeys("n_0");

    // Another JVM's guard does not know the cluster: the state file is all it has.
    assertThat(stopper(new ExitGuard()).stop()).isEqualTo(ClusterStopper.Result.DELETED);

    assertThat(log.lines())
        .contains("INFO   n_0: already stopped by the tests")
        .contains("INFO Deleted target/cluster: 3 integration tests passed (the tests killed n_0 once)");
    assertThat(Procs.nodesOf(clusterDir)).isEmpty();
    cluster.closeControl();
  }

  @Test
  void whatTheTestsDidToTheNetworkIsInTheDecisionLine() throws Exception {
    Cluster cluster = start(2);
    client(cluster).heal();
    Files.writeString(summary, ClusterStopperTest.PASSING);

    assertThat(stopper(new ExitGuard()).stop()).isEqualTo(ClusterStopper.Result.DELETED);

    assertThat(log.lines())
        .contains("INFO Deleted target/cluster: 3 integration tests passed (the tests healed the network once)");
    assertThat(log.text()).doesNotContain("Healed the network before the stop"); // no fault was ever in force
    cluster.closeControl();
  }

  @Test
  void aNodeThatExitedOnItsOwnStillKeepsTheDirectories() throws Exception {
    Cluster cluster = start(1);
    long pid = cluster.node("n_0").orElseThrow().pid();
    Procs.killAll(List.of(pid)); // not the tests' doing
    io.github.clusterrun.cluster.testing.Await.until(
        "n_0 to be seen exited",
        () -> cluster.node("n_0").orElseThrow().state() == io.github.clusterrun.cluster.model.NodeState.EXITED,
        Duration.ofSeconds(10));
    client(cluster).node("n_0").start(); // the tests start it again: it exited on its own all the same
    Files.writeString(summary, ClusterStopperTest.PASSING);

    assertThat(stopper(guard).stop()).isEqualTo(ClusterStopper.Result.KEPT);

    assertThat(log.text()).contains("node n_0 had exited on its own before stop").contains("(the tests started n_0 once)");
  }

  @Test
  void attachExportsTheRunningClustersPropertiesAndNamesTheFixWhenNoneRuns() throws Exception {
    assertThatThrownBy(() -> AttachedCluster.properties(clusterDir, Platform.current()))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("No cluster runs in " + clusterDir + " to attach to (-Dcluster.attach)")
        .hasMessageContaining("start one with mvn cluster:run in another terminal");
    Cluster cluster = start(1);

    Map<String, String> p = AttachedCluster.properties(clusterDir, Platform.current());

    assertThat(p)
        .containsEntry("cluster.control.url", cluster.control().orElseThrow().url())
        .containsEntry("cluster.control.token", cluster.control().orElseThrow().token())
        .containsEntry("cluster.node.0.pid", Long.toString(cluster.node("n_0").orElseThrow().pid()));

    new ConfirmedStop(guard, Platform.current()).stop(cluster, log);
    assertThatThrownBy(() -> AttachedCluster.properties(clusterDir, Platform.current()))
        .hasMessageContaining("No cluster runs in");
  }
}
