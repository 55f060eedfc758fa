package io.github.clusterrun.cluster.stop;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.process.NodeStop;
import io.github.clusterrun.cluster.process.StopReport;
import io.github.clusterrun.cluster.state.LiveCluster;
import io.github.clusterrun.cluster.state.LiveClusters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Stops whatever a cluster recorded in a directory left running (a crashed build, a {@code
 * cluster:run} still holding it, an earlier build of this JVM) and confirms the kill. {@code start}
 * and {@code clean} call it before they touch the directory.
 */
public final class Reaper {
  private Reaper() {}

  /**
   * Returns the report of what was stopped (empty when nothing was recorded or running).
   *
   * @throws ClusterException when a process survives the forced kill; nothing may be deleted then
   */
  public static StopReport reap(Path directory, ClusterLog log) throws ClusterException {
    Optional<LiveCluster> cluster;
    try {
      cluster = LiveClusters.findOrRecorded(directory);
    } catch (IOException e) {
      throw new ClusterException("Cannot read the recorded cluster state: " + e.getMessage(), e);
    }
    if (cluster.isEmpty() || cluster.get().stopped()) {
      return StopReport.nothingRunning();
    }
    StopReport report;
    try {
      report = cluster.get().stop(log);
    } catch (IOException e) {
      throw new ClusterException("Cannot record the stopped cluster: " + e.getMessage(), e);
    }
    for (NodeStop node : report.nodes()) {
      if (node.how() != NodeStop.How.EXITED_BEFORE || node.familySize() > 0) {
        log.info("Stopped a stale node of an earlier cluster: " + node.describe());
      }
    }
    if (!report.confirmed()) {
      throw survivors(directory, report);
    }
    return report;
  }

  static ClusterException survivors(Path directory, StopReport report) {
    return new ClusterException(
        "Processes of the cluster in "
            + directory
            + " are still alive after SIGKILL, so its directories are kept: "
            + String.join("; ", report.survivors())
            + ". Stop them by hand (kill -9 <pid>), then run mvn cluster:clean.");
  }
}
