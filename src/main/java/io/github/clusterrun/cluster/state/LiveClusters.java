package io.github.clusterrun.cluster.state;

import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.process.FamilyMark;
import io.github.clusterrun.cluster.process.FamilyStopper;
import io.github.clusterrun.cluster.process.NodeProcess;
import io.github.clusterrun.cluster.process.NodeStop;
import io.github.clusterrun.cluster.process.StopReport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The clusters this JVM started and has not yet confirmed stopped, by directory. {@code stop} in the
 * same build finds its cluster here (with the {@link Process} objects, so exit codes are known);
 * each has a JVM exit hook that stops it, keeping its directories, if Maven exits first (Ctrl-C, a
 * build failure between the two phases).
 */
public final class LiveClusters {
  private static final Map<Path, LiveCluster> LIVE = new ConcurrentHashMap<>();
  private static final AtomicBoolean WARMED_UP = new AtomicBoolean();

  private LiveClusters() {}

  static void register(LiveCluster cluster) {
    if (WARMED_UP.compareAndSet(false, true)) {
      // In the background: the nodes launch meanwhile, and the hook is needed only at the end.
      Thread warmUp = new Thread(LiveClusters::warmUp, "cluster-warm-up");
      warmUp.setDaemon(true);
      warmUp.start();
    }
    LIVE.put(cluster.directory(), cluster);
    Thread hook =
        new Thread(
            () -> {
              ClusterLog log = cluster.exitLog();
              if (log != null) {
                stopAndReport(cluster, log);
                return;
              }
              String said = stopLeftOver(cluster, "as the JVM exits");
              if (said != null) {
                System.err.println("[cluster] " + said);
              }
            },
            "cluster-exit-hook");
    cluster.exitHook(hook);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Loads every core class and runs the stop path once on nothing, so that every class and lambda
   * the exit hook needs is loaded now. Maven closes the plugin's class loader when the build ends, before JVM exit hooks run; a
   * class first needed by the hook then fails with {@link NoClassDefFoundError}.
   */
  private static void warmUp() {
    ClassPreloader.preloadCore();
    NodeProcess nobody = NodeProcess.recorded("warm-up", FamilyMark.of("warm-up", "none"), 0, null);
    new FamilyStopper("warm-up", Duration.ZERO, null, ClusterLog.SILENT).stop(List.of(nobody));
    StopReport.nothingRunning().confirmed();
  }

  static void unregister(LiveCluster cluster) {
    LIVE.remove(cluster.directory(), cluster);
    Thread hook = cluster.exitHook();
    if (hook != null && hook != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is exiting and the hook is running or done: nothing to remove.
      }
    }
  }

  /**
   * Stops every cluster still running at the end of a Maven session whose {@code stop} never ran
   * (the build failed between the phases), keeping the directories. In a long-lived JVM (mvnd,
   * embedded Maven) the exit hook would come too late.
   *
   * @return one line per cluster stopped, for the build log
   */
  public static List<String> stopAll(String when) {
    List<String> said = new ArrayList<>();
    for (LiveCluster cluster : new ArrayList<>(LIVE.values())) {
      String line = stopLeftOver(cluster, when);
      if (line != null) {
        said.add(line);
      }
    }
    return said;
  }

  private static void stopAndReport(LiveCluster cluster, ClusterLog log) {
    try {
      StopReport report = cluster.stop(log);
      for (NodeStop node : report.nodes()) {
        log.info("  " + node.describe());
      }
      if (!report.nodes().isEmpty()) {
        log.info(
            report.confirmed()
                ? "Stopped the cluster; kept " + cluster.directory()
                : "Still alive after SIGKILL: " + String.join("; ", report.survivors()));
      }
    } catch (IOException | RuntimeException e) {
      log.warn("Stopping the cluster in " + cluster.directory() + " failed: " + e);
    }
  }

  private static String stopLeftOver(LiveCluster cluster, String when) {
    try {
      StopReport report = cluster.stop(ClusterLog.SILENT);
      if (report.nodes().isEmpty()) {
        return null;
      }
      return "Stopped the cluster in "
          + cluster.directory()
          + " "
          + when
          + " (its stop goal did not run); its directories are kept."
          + (report.confirmed() ? "" : " Still alive: " + report.survivors());
    } catch (IOException | RuntimeException e) {
      return "Stopping the cluster in " + cluster.directory() + " failed: " + e;
    }
  }

  /** The cluster this JVM runs in {@code directory}, if any. */
  public static Optional<LiveCluster> find(Path directory) {
    return Optional.ofNullable(LIVE.get(directory));
  }

  /** The cluster in {@code directory}: the one this JVM runs, else the recorded one. */
  public static Optional<LiveCluster> findOrRecorded(Path directory) throws IOException {
    Optional<LiveCluster> live = find(directory);
    if (live.isPresent()) {
      return live;
    }
    return ClusterState.read(directory).map(state -> LiveCluster.recorded(directory, state));
  }
}
