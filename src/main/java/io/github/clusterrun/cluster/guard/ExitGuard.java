package io.github.clusterrun.cluster.guard;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.family.NodeStop;
import io.github.clusterrun.cluster.family.StopReport;
import io.github.clusterrun.cluster.model.Cluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one registry of the clusters this JVM started and has not yet confirmed stopped, by
 * directory. {@code start} hands each cluster to it with its lifeline and the way to stop it;
 * the confirmed stop {@link #release releases} it. While a cluster is guarded, a JVM exit hook stops
 * it (keeping its directories) if Maven exits first (Ctrl-C, a build failure between the two
 * phases), the session-end participant can {@link #stopAll} it, and {@code stop} in the same build
 * {@link #find finds} it with its {@link Process} objects, so exit codes are known.
 *
 * <p>Maven closes a plugin's class loader when the build ends, before the JVM runs its exit hooks:
 * {@code start} has the guard load every core class ({@link ClassPreloader}) in the background once
 * the nodes are launched, so that the hook never meets a class it cannot load.
 */
public final class ExitGuard {
  private static final ExitGuard JVM = new ExitGuard();

  /** How a guarded cluster is stopped: the confirmed stop, which releases it from the guard. */
  public interface StopAction {
    StopReport stop(Cluster cluster, ClusterLog log) throws ClusterException;
  }

  private static final class Guarded {
    final Cluster cluster;
    final Lifeline lifeline;
    final StopAction stop;
    final Thread hook;
    volatile ClusterLog exitLog;

    Guarded(Cluster cluster, Lifeline lifeline, StopAction stop, Thread hook) {
      this.cluster = cluster;
      this.lifeline = lifeline;
      this.stop = stop;
      this.hook = hook;
    }
  }

  private final Map<Path, Guarded> guarded = new ConcurrentHashMap<>();
  private final Object preloaded = new Object();
  private Thread preload;

  /** A guard of its own; the plugin uses {@link #jvm()}. */
  public ExitGuard() {}

  /** The guard of this JVM, whose exit hooks it owns. */
  public static ExitGuard jvm() {
    return JVM;
  }

  /** Guards a cluster from now on, until {@link #release}. */
  public void guard(Cluster cluster, Lifeline lifeline, StopAction stop) {
    Guarded[] self = new Guarded[1];
    Thread hook = new Thread(() -> onExit(self[0]), "cluster-exit-hook");
    self[0] = new Guarded(cluster, lifeline, stop, hook);
    guarded.put(cluster.directory(), self[0]);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Loads every core class in the background, once per guard, so that the exit hook can run after
   * Maven closed the plugin's class loader (at the end of the build, well after {@code start}).
   * {@code start} calls it once its nodes are launched, so that it takes no CPU from the launch,
   * with a warm-up of what {@code stop} will need, run next on the same thread.
   */
  public void preloadInBackground(Runnable warmUp) {
    synchronized (preloaded) {
      if (preload == null) {
        preload =
            new Thread(
                () -> {
                  ClassPreloader.preloadCore();
                  warmUp.run();
                },
                "cluster-preload");
        preload.setDaemon(true);
        preload.start();
      }
    }
  }

  /**
   * Waits, up to {@code max}, until the background preload is done, so that a build that ends right
   * after {@code start} (a failure in a later plugin) leaves an exit hook that needs no class loader.
   */
  public void awaitPreload(java.time.Duration max) {
    Thread thread;
    synchronized (preloaded) {
      thread = preload;
    }
    if (thread == null) {
      return;
    }
    try {
      thread.join(max.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Forgets a cluster whose stop is confirmed: removes its exit hook and tells its lifeline (the
   * watchdog removes the empty groups and exits on its own, unwaited). Nothing happens for a cluster
   * that is not guarded.
   */
  public void release(Cluster cluster) {
    Guarded g = guarded.get(cluster.directory());
    if (g == null || g.cluster != cluster || !guarded.remove(cluster.directory(), g)) {
      return;
    }
    if (g.hook != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(g.hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is exiting and the hook is running or done: nothing to remove.
      }
    }
    g.lifeline.confirm();
  }

  /** The exit hook of a guarded cluster (for diagnostics and tests). */
  public Optional<Thread> exitHook(Cluster cluster) {
    return Optional.ofNullable(guarded.get(cluster.directory())).filter(g -> g.cluster == cluster).map(g -> g.hook);
  }

  /** The guarded cluster in {@code directory}, if any. */
  public Optional<Cluster> find(Path directory) {
    Guarded g = guarded.get(directory); // no lambda: on the stop's path to its first signal
    return g == null ? Optional.empty() : Optional.of(g.cluster);
  }

  /**
   * Has the exit hook report its stop, node by node, to {@code log}: for {@code cluster:run}, whose
   * normal end is Ctrl-C. Without it the hook prints one line to stderr.
   */
  public void reportExitTo(Cluster cluster, ClusterLog log) {
    Guarded g = guarded.get(cluster.directory());
    if (g != null && g.cluster == cluster) {
      g.exitLog = log;
    }
  }

  /**
   * Stops every guarded cluster whose {@code stop} never ran (the build failed between the phases),
   * keeping the directories. In a long-lived JVM (mvnd, embedded Maven) the exit hook would come
   * too late.
   *
   * @return one line per cluster stopped, for the build log
   */
  public List<String> stopAll(String when) {
    List<String> said = new ArrayList<>();
    for (Guarded g : new ArrayList<>(guarded.values())) {
      String line = stopLeftOver(g, when);
      if (line != null) {
        said.add(line);
      }
    }
    return said;
  }

  private static void onExit(Guarded g) {
    ClusterLog log = g.exitLog;
    if (log == null) {
      String said = stopLeftOver(g, "as the JVM exits");
      if (said != null) {
        System.err.println("[cluster] " + said);
      }
      return;
    }
    try {
      StopReport report = g.stop.stop(g.cluster, log);
      for (NodeStop node : report.nodes()) {
        log.info("  " + node.describe());
      }
      if (!report.nodes().isEmpty()) {
        log.info(
            report.confirmed()
                ? "Stopped the cluster; kept " + g.cluster.directory()
                : "Still alive after SIGKILL: " + String.join("; ", report.survivors()));
      }
    } catch (ClusterException | RuntimeException e) {
      log.warn("Stopping the cluster in " + g.cluster.directory() + " failed: " + e.getMessage());
    }
  }

  private static String stopLeftOver(Guarded g, String when) {
    try {
      StopReport report = g.stop.stop(g.cluster, ClusterLog.SILENT);
      if (report.nodes().isEmpty()) {
        return null;
      }
      return "Stopped the cluster in "
          + g.cluster.directory()
          + " "
          + when
          + " (its stop goal did not run); its directories are kept."
          + (report.confirmed() ? "" : " Still alive: " + report.survivors());
    } catch (ClusterException | RuntimeException e) {
      return "Stopping the cluster in " + g.cluster.directory() + " failed: " + e.getMessage();
    }
  }
}
