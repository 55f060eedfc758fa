package io.github.clusterrun.cluster.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.testing.Procs;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Two processes that no op of the script may touch: one without the mark, and one of another
 * cluster whose node has the same name (only the mark's exact value tells them apart).
 */
final class Bystanders {
  final Process stranger;
  final Process otherCluster;
  private final String otherId;

  private Bystanders(Process stranger, Process otherCluster, String otherId) {
    this.stranger = stranger;
    this.otherCluster = otherCluster;
    this.otherId = otherId;
  }

  /** Starts both in {@code dir}, next to the cluster {@code clusterId}, and waits until they run. */
  static Bystanders start(Path dir, String clusterId) throws IOException {
    String otherId = clusterId + "x"; // "<id>x/" does not start with "<id>/"
    Process stranger = Procs.startUnmarked(dir, "exec sleep 600");
    Process otherCluster = Procs.startMarked(otherId, "n_0", dir, "exec sleep 600");
    Procs.awaitExec(stranger.pid(), "sleep");
    Procs.awaitExec(otherCluster.pid(), "sleep");
    return new Bystanders(stranger, otherCluster, otherId);
  }

  /** Asserts that both are still alive, then ends them whatever the outcome. */
  void assertAliveAndEnd() {
    try {
      assertThat(stranger.isAlive()).as("the unmarked process").isTrue();
      assertThat(otherCluster.isAlive()).as("the other cluster's process").isTrue();
    } finally {
      stranger.destroyForcibly();
      otherCluster.destroyForcibly();
      Procs.killMarked(otherId);
    }
  }
}
