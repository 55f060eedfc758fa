package io.github.clusterrun.cluster.stop;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.control.NetworkControl;
import io.github.clusterrun.cluster.engine.Engines;
import io.github.clusterrun.cluster.model.NetworkFaults;
import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.family.FamilyStopper;
import io.github.clusterrun.cluster.family.NodeStop;
import io.github.clusterrun.cluster.family.StopReport;
import io.github.clusterrun.cluster.guard.ExitGuard;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.NodeState;
import io.github.clusterrun.cluster.model.StateException;
import io.github.clusterrun.cluster.model.StateFile;
import io.github.clusterrun.cluster.platform.NodeNetworks;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.platform.ProcessSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one stop-and-confirm step, shared by {@code stop}, {@code clean}, the reaper of {@code start},
 * the exit hook and the session end: stop every node family of a cluster, and once the kill is
 * confirmed record every node as stopped and release the cluster from the {@link ExitGuard}. It is
 * idempotent: a stopped cluster reports nothing to stop.
 */
public final class ConfirmedStop implements ExitGuard.StopAction {
  /** The environment variable that names a node's cluster directory (set on every node). */
  public static final String CLUSTER_DIR_VARIABLE = "CLUSTER_DIR";

  private final ExitGuard guard;
  private final Platform platform;

  public ConfirmedStop(ExitGuard guard, Platform platform) {
    this.guard = guard;
    this.platform = platform;
  }

  /** The cluster in {@code directory}: the one this JVM guards, else the recorded one. */
  public Optional<Cluster> find(Path directory) throws StateException {
    Optional<Cluster> live = guard.find(directory);
    if (live.isPresent()) {
      return live;
    }
    return StateFile.read(new ClusterLayout(directory));
  }

  /**
   * Stops every node family of {@code cluster} and confirms the kill. Once confirmed, every node is
   * recorded as stopped and the guard releases the cluster; calling again returns an empty report.
   */
  @Override
  public StopReport stop(Cluster cluster, ClusterLog log) throws StateException {
    StopReport report = stop(cluster, log, true);
    if (report.confirmed()) {
      Engines.release(cluster); // nodes on other hosts: their directories stay there
    }
    return report;
  }

  /**
   * As {@link #stop(Cluster, ClusterLog)}; {@code record}: whether to record the stopped nodes in the
   * state file, which a caller that decides next whether to delete the directory writes itself
   * only if it keeps it. (A crash in between leaves a record of nodes whose processes are gone,
   * which every goal takes for stopped.)
   */
  StopReport stop(Cluster cluster, ClusterLog log, boolean record) throws StateException {
    return stop(cluster, log, record, null);
  }

  /**
   * As {@link #stop(Cluster, ClusterLog, boolean)}, telling {@code listener} (if not null) of each
   * step of the stop as soon as it is over.
   */
  StopReport stop(Cluster cluster, ClusterLog log, boolean record, FamilyStopper.StepListener listener)
      throws StateException {
    synchronized (cluster) {
      if (cluster.stopped()) {
        deleteNetworks(cluster, log); // left by a stop that could not delete them: nothing runs in them
        return StopReport.nothingRunning();
      }
      Engines engines;
      try {
        engines = Engines.of(cluster, platform, log);
      } catch (ClusterException e) {
        // A host that cannot be reached: nothing there can be confirmed gone.
        return StopReport.of(List.of(), List.of("none confirmed on the hosts: " + e.getMessage()));
      }
      // Issue 12: a node the tests paused is resumed first, so that it can stop gracefully.
      for (Node node : cluster.nodes()) {
        if (node.state() == NodeState.PAUSED) {
          try {
            engines.of(node.place()).resume(cluster.only(node.name()));
          } catch (ClusterException e) {
            log.warn(node.name() + " could not be resumed: " + e.getMessage());
          }
          log.info(node.name() + " was paused by the tests: resumed so that it stops like the others");
        }
      }
      healNetwork(cluster, engines, log);
      StopReport report = EveryPlace.stop(cluster, engines, listener);
      FamilyStopper stopper = new FamilyStopper(cluster.at(io.github.clusterrun.cluster.model.Place.LOCAL), platform, log);
      if (report.confirmed()) {
        cluster.markStopped();
        // The lifeline, told that the kill is confirmed, removes the cluster's empty groups as it
        // exits, unwaited; they are removed here too (a cluster of another JVM has no lifeline here),
        // whichever comes first.
        guard.release(cluster);
        stopper.removeGroups();
        deleteNetworks(cluster, log); // issue 19: nothing runs in the nodes' namespaces any more
        cluster.closeControl(); // issue 12: the tests' control endpoint ends with the cluster
        if (record && Files.isDirectory(cluster.directory())) {
          cluster.write();
        }
      }
      return report;
    }
  }

  /**
   * Issue 19: the network faults the tests put in force are removed before the nodes stop, so that
   * a graceful stop reaches its peers; a cluster whose tests never broke the network is not asked.
   */
  private static void healNetwork(Cluster cluster, Engines engines, ClusterLog log) {
    if (!cluster.networkTouched()) {
      return;
    }
    NetworkFaults faults = cluster.network();
    try {
      NetworkControl.heal(cluster, engines);
      cluster.network(NetworkFaults.NONE);
      if (!faults.isEmpty()) {
        log.info("Healed the network before the stop (the tests left: " + faults.describe() + ")");
      }
    } catch (ClusterException e) {
      log.warn(
          e.getMessage()
              + " (the nodes are stopped all the same). Its rules are all in the nftables table inet cmp_"
              + cluster.id()
              + ": remove it with `nft delete table inet cmp_"
              + cluster.id()
              + "` as root where it is left");
    }
  }

  /**
   * Deletes the network namespaces, veths and bridge of the cluster's local nodes ({@code
   * <networkFaults>}), once nothing runs in them; a failure is a warning (the next stop or clean
   * tries again), never a reason to keep the nodes' directories.
   */
  private static void deleteNetworks(Cluster cluster, ClusterLog log) {
    if (!cluster.networkNamespaces()) {
      return;
    }
    NodeNetworks networks = NodeNetworks.of(cluster.id());
    try {
      networks.delete();
    } catch (IOException e) {
      log.warn(
          "The network namespaces of the cluster's nodes could not be deleted: "
              + e.getMessage()
              + "; delete them with ip netns del / ip link del (names starting with cmp_"
              + cluster.id()
              + "_ and "
              + networks.bridge()
              + "), or run mvn cluster:clean");
    }
  }

  /**
   * After the confirmed stop of {@code cluster}: the node directories on other hosts are deleted
   * ({@code delete}), or kept there with every node's logs copied back under the cluster directory;
   * then the hosts' connections end. Returns where they were ("/tmp/… on h1, h2"), or "" for a
   * cluster of the build machine alone.
   */
  public String remoteDirectories(Cluster cluster, boolean delete, ClusterLog log) throws ClusterException {
    return RemoteDirectories.finish(cluster, delete, platform, log);
  }

  /**
   * Stops whatever a cluster recorded in {@code directory} left running (a crashed build, a {@code
   * cluster:run} still holding it, an earlier build of this JVM) and confirms the kill. {@code start}
   * and {@code clean} call it before they touch the directory.
   *
   * @return the report of what was stopped (empty when nothing was recorded or running)
   * @throws ClusterException when a process survives the forced kill (nothing may be deleted then),
   *     or when the state is damaged
   */
  public StopReport reap(Path directory, ClusterLog log) throws ClusterException {
    Optional<Cluster> cluster = find(directory);
    if (cluster.isEmpty()) {
      return StopReport.nothingRunning();
    }
    if (cluster.get().stopped()) {
      deleteNetworks(cluster.get(), log); // a stop that could not delete them left them
      return StopReport.nothingRunning();
    }
    return reported(directory, stop(cluster.get(), log), log);
  }

  /**
   * As {@link #reap}, but a damaged state does not stop it: every process that carries {@code
   * CLUSTER_DIR=<directory>} is a node (or a child of a node) of a cluster in that directory, so
   * those are stopped by their marks instead, with a warning that the state was damaged.
   */
  public StopReport reapEvenIfDamaged(Path directory, ClusterLog log) throws ClusterException {
    try {
      return reap(directory, log);
    } catch (StateException e) {
      log.warn(e.problem() + ".");
      log.warn(
          "Stopping the processes that carry "
              + CLUSTER_DIR_VARIABLE
              + "="
              + directory
              + " instead, then deleting the directory.");
      List<StopReport> reports = new ArrayList<>();
      for (Cluster found : byEnvironment(directory)) {
        reports.add(reported(directory, stop(found, log), log));
      }
      return StopReport.merge(reports);
    }
  }

  /**
   * The clusters whose processes say they live in {@code directory}, each node with the marks seen
   * and, as its root, the earliest started of its processes whose parent is not of the node.
   */
  private List<Cluster> byEnvironment(Path directory) {
    ProcessSnapshot snapshot = platform.scan(CLUSTER_DIR_VARIABLE, directory.toString());
    Map<String, Map<String, List<Long>>> pidsByMarkByCluster = new TreeMap<>();
    Map<Long, String> markOf = new HashMap<>();
    for (ProcessSnapshot.Marked p : snapshot.marked()) {
      if (!p.mark().equals(directory.toString())) {
        continue; // another directory that starts with this one's path
      }
      Optional<String> mark =
          platform.environmentValue(p.pid(), FamilyMark.VARIABLE).filter(m -> m.indexOf('/') > 0);
      if (mark.isPresent()) {
        markOf.put(p.pid(), mark.get());
        pidsByMarkByCluster
            .computeIfAbsent(mark.get().substring(0, mark.get().indexOf('/')), k -> new TreeMap<>())
            .computeIfAbsent(mark.get(), k -> new ArrayList<>())
            .add(p.pid());
      }
    }
    List<Cluster> clusters = new ArrayList<>();
    ClusterLayout layout = new ClusterLayout(directory);
    for (Map.Entry<String, Map<String, List<Long>>> found : pidsByMarkByCluster.entrySet()) {
      List<Node> nodes = new ArrayList<>();
      for (Map.Entry<String, List<Long>> family : found.getValue().entrySet()) {
        String mark = family.getKey();
        Optional<Long> root =
            family.getValue().stream()
                .filter(pid -> !mark.equals(markOf.get(snapshot.parent(pid))))
                .min(Comparator.comparing((Long pid) -> platform.startInstant(pid).orElse(Instant.MAX)));
        Node node = Node.found(nodes.size(), mark);
        nodes.add(root.map(pid -> node.launched(pid, platform.startInstant(pid).orElse(null))).orElse(node));
      }
      Cluster cluster = new Cluster(layout, found.getKey(), Instant.now(), Duration.ofSeconds(10), null, nodes);
      if (hasNetworks(found.getKey())) {
        cluster.inNetworkNamespaces(); // its nodes' namespaces go with them
      }
      clusters.add(cluster);
    }
    return clusters;
  }

  /** Whether network namespaces of cluster {@code id}'s nodes exist here (names derive from the id). */
  private static boolean hasNetworks(String id) {
    try {
      return !NodeNetworks.of(id).existing().isEmpty();
    } catch (IllegalArgumentException notAnId) {
      return false;
    }
  }

  private StopReport reported(Path directory, StopReport report, ClusterLog log)
      throws ClusterException {
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
