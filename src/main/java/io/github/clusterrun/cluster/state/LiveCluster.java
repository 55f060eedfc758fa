package io.github.clusterrun.cluster.state;

import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.lifeline.Lifeline;
import io.github.clusterrun.cluster.process.FamilyStopper;
import io.github.clusterrun.cluster.process.NodeProcess;
import io.github.clusterrun.cluster.process.StopReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster whose processes may be running: launched by this JVM (with its lifeline and exit hook)
 * or found in the recorded state of an earlier build. Stopping it is idempotent: once the kill is
 * confirmed, later calls report nothing to stop.
 */
public final class LiveCluster {
  private final Path directory;
  private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
  private final Lifeline lifeline;
  private ClusterState state;
  private Thread exitHook;
  private volatile ClusterLog exitLog;
  private StopReport confirmedStop;

  LiveCluster(Path directory, ClusterState state, List<NodeProcess> nodes, Lifeline lifeline) {
    this.directory = directory;
    this.state = state;
    for (NodeProcess node : nodes) {
      this.nodes.put(node.name(), node);
    }
    this.lifeline = lifeline;
  }

  /** A cluster known only from its recorded state (a separate Maven invocation, or a crash). */
  public static LiveCluster recorded(Path directory, ClusterState state) {
    return new LiveCluster(directory, state, state.processes(), null);
  }

  /**
   * A cluster this JVM is starting, whose state already names every node to be launched (with pid
   * 0), so that its marks are searched even for a node whose pid was never recorded. It is registered at once, with an exit hook that stops it if the
   * JVM exits before {@link #stop} confirmed the kill.
   */
  public static LiveCluster launching(Path directory, ClusterState state, Lifeline lifeline) {
    LiveCluster cluster = new LiveCluster(directory, state, state.processes(), lifeline);
    LiveClusters.register(cluster);
    return cluster;
  }

  /**
   * Adds a node the moment it is launched, so that the exit hook knows it. Returns false, and adds
   * nothing, when the cluster was stopped meanwhile (the JVM is exiting): the caller must stop that
   * node itself. {@link #writeState} records it on disk.
   */
  public synchronized boolean add(NodeProcess node) {
    if (stopped()) {
      return false;
    }
    nodes.put(node.name(), node);
    List<ClusterState.RecordedNode> recorded = new ArrayList<>();
    for (NodeProcess n : nodes.values()) {
      recorded.add(ClusterState.RecordedNode.of(n));
    }
    state = state.withNodes(recorded);
    return true;
  }

  /** Records the nodes' pids in the state file. */
  public synchronized void writeState() throws IOException {
    state.write(directory);
  }

  public Path directory() {
    return directory;
  }

  public synchronized ClusterState state() {
    return state;
  }

  public synchronized List<NodeProcess> nodes() {
    return Collections.unmodifiableList(new ArrayList<>(nodes.values()));
  }

  /**
   * Has the exit hook report its stop, node by node, to {@code log}: for {@code cluster:run}, whose
   * normal end is Ctrl-C. Without it the hook prints one line to stderr.
   */
  public void reportExitTo(ClusterLog log) {
    this.exitLog = log;
  }

  ClusterLog exitLog() {
    return exitLog;
  }

  synchronized void exitHook(Thread hook) {
    this.exitHook = hook;
  }

  synchronized Thread exitHook() {
    return exitHook;
  }

  /** Whether a stop already confirmed that every process is gone. */
  public synchronized boolean stopped() {
    return confirmedStop != null || state.stopped();
  }

  /**
   * Stops every node family and confirms the kill. Once confirmed, the state is marked stopped, the
   * lifeline released and the exit hook removed; calling again returns an empty report.
   */
  public synchronized StopReport stop(ClusterLog log) throws IOException {
    if (stopped()) {
      return StopReport.nothingRunning();
    }
    FamilyStopper stopper =
        new FamilyStopper(state.clusterId(), state.stopTimeout(), state.stopInput(), log);
    StopReport report = stopper.stop(new ArrayList<>(nodes.values()));
    if (report.confirmed()) {
      confirmedStop = report;
      state = state.markStopped();
      if (Files.isDirectory(directory)) {
        state.write(directory);
      }
      if (lifeline != null) {
        lifeline.release();
      }
      LiveClusters.unregister(this);
    }
    return report;
  }
}
