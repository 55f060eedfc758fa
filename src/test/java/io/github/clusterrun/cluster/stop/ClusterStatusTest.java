package io.github.clusterrun.cluster.stop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.config.Readiness;
import io.github.clusterrun.cluster.guard.ExitGuard;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.NetworkFaults;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.start.ClusterStarter;
import io.github.clusterrun.cluster.testing.Procs;
import io.github.clusterrun.cluster.testing.RecordingLog;
import io.github.clusterrun.cluster.testing.ShNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cluster:status} from the state file: each running node, and the network faults on it. */
class ClusterStatusTest {
  @TempDir Path temp;
  final RecordingLog log = new RecordingLog();
  final ExitGuard guard = new ExitGuard();

  @AfterEach
  void stopEverything() throws Exception {
    Procs.stopClusterIn(guard, temp.resolve("project/target/cluster"), log);
  }

  @Test
  void eachRunningNodeWithTheNetworkFaultsOnIt() throws Exception {
    Path base = Files.createDirectories(temp.resolve("project"));
    Cluster cluster =
        new ClusterStarter(
                ShNodes.of(base, 2, "echo \"$CLUSTER_NODE_NAME up\"; exec sleep 600")
                    .readiness(new Readiness(null, null, "^@{node.name} up$", Duration.ofSeconds(30)))
                    .build(),
                guard,
                Platform.current(),
                log)
            .start();
    // As the control endpoint records faults it put in force (which local nodes without
    // <networkFaults> cannot have: only the record is shown here).
    cluster.network(NetworkFaults.NONE.withLoss("n_1", 10));
    cluster.write();

    List<String> lines =
        new ClusterStatus(new ConfirmedStop(new ExitGuard(), Platform.current()), Platform.current())
            .describe(base.resolve("target/cluster"), "target/cluster");

    assertThat(lines.get(0)).startsWith("Cluster in target/cluster: 2 of 2 nodes running");
    assertThat(lines.get(1)).startsWith("  n_0: running, pid ").doesNotContain("network");
    assertThat(lines.get(2)).startsWith("  n_1: running, pid ").contains("; network: loss 10% to the other nodes");
  }
}
