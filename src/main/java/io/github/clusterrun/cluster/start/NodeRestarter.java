package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.control.NodeControl;
import io.github.clusterrun.cluster.evidence.LogTail;
import io.github.clusterrun.cluster.engine.Engine;
import io.github.clusterrun.cluster.engine.Engines;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.NodeState;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.readiness.LogProbe;
import io.github.clusterrun.cluster.readiness.Probe;
import io.github.clusterrun.cluster.readiness.ReadinessWaiter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Starts a node of a running cluster again, for the tests' {@code start} and {@code restart} (issue
 * 12): the same command, ports, directories, environment and mark as recorded in its {@link Node},
 * in its containment group again where it had one, output appended to its console log; the new pid
 * is recorded (model, state file and {@code cluster.properties}) before the wait, so the exit hook, the lifeline, {@code stop},
 * {@code clean} and the reaper find it. Returns once the node's probes hold again; a node that exits
 * or is not ready in time is killed and the start fails with the tail of its log.
 */
final class NodeRestarter implements NodeControl.Starter {
  private final ClusterStarter starter;
  private final Duration timeout;
  private final Platform platform;

  NodeRestarter(ClusterStarter starter, Duration timeout, Platform platform) {
    this.starter = starter;
    this.timeout = timeout;
    this.platform = platform;
  }

  @Override
  public Duration start(Cluster cluster, String name) throws ClusterException {
    Node node = cluster.node(name).orElseThrow();
    if (node.containmentGroup().isPresent() && platform.containment().isPresent()) {
      platform.containment().get().create(cluster.id(), name); // removed by the node's stop
    }
    Path console = cluster.layout().consoleLog(name);
    long logSize = logSize(console);
    long launched = System.nanoTime();
    Engine engine = Engines.of(cluster, platform, io.github.clusterrun.cluster.ClusterLog.SILENT).of(node.place());
    Process process;
    Engine.Launched started;
    try {
      started = engine.launch(node, console);
      process = started.process();
    } catch (IOException e) {
      throw new ClusterException("Node " + name + " could not be launched again: " + e.getMessage(), e);
    }
    if (!cluster.launched(name, process, started.pid())) {
      process.destroyForcibly();
      throw new ClusterException("The cluster is stopped: " + name + " was not started again.");
    }
    cluster.write();
    try {
      starter.exportProperties(cluster); // the tests read the new pid there
    } catch (IOException e) {
      engine.kill(cluster.only(name));
      cluster.state(name, NodeState.STOPPED_BY_TESTS);
      cluster.write();
      throw new ClusterException(
          "Node " + name + " was not started again: cluster.properties could not be written: " + e, e);
    }
    List<Probe> probes = new java.util.ArrayList<>();
    for (Probe probe : starter.probes(Placement.of(cluster), cluster.id(), node)) {
      // The ready line of the node's earlier life, in the same log, does not count.
      probes.add(probe instanceof LogProbe ? ((LogProbe) probe).from(logSize) : probe);
    }
    Duration[] took = new Duration[1];
    try {
      ReadinessWaiter.await(
          List.of(new ReadinessWaiter.Target(name, process, probes, launched)), timeout, (n, t) -> took[0] = t);
    } catch (ReadinessWaiter.NotReadyException e) {
      LogTail.Mark mark = LogTail.mark(console); // the evidence as it was when the start failed
      engine.kill(cluster.only(name));
      cluster.state(name, NodeState.STOPPED_BY_TESTS);
      cluster.write();
      throw new ClusterException(
          "Node " + name + " did not start again: " + e.getMessage() + "\nLast lines of " + console + ":\n"
              + mark.tail(ClusterStarter.FAILURE_TAIL_LINES));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("The start of " + name + " was interrupted");
    }
    return took[0];
  }

  private static long logSize(Path console) {
    try {
      return java.nio.file.Files.size(console);
    } catch (IOException e) {
      return 0;
    }
  }
}
