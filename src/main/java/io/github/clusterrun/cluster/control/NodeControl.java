package io.github.clusterrun.cluster.control;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.engine.Engine;
import io.github.clusterrun.cluster.engine.Engines;
import io.github.clusterrun.cluster.family.NodeStop;
import io.github.clusterrun.cluster.family.StopReport;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.NodeState;
import io.github.clusterrun.cluster.model.TestActions.Action;
import io.github.clusterrun.cluster.platform.Platform;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The tests' actions on single nodes of a running cluster: stop (graceful then forced, confirmed),
 * kill (frozen then SIGKILL, confirmed), pause (SIGSTOP to the family), resume (SIGCONT), start
 * (the recorded command, ports, directories, environment and mark; returns when ready) and restart.
 * Each works on the whole family of the node with the same code as the cluster's stop ({@link
 * io.github.clusterrun.cluster.engine.Engine} of its place, over a cluster of that node alone), records the node's new state, its new pid and
 * what the tests did in the state file, and prints one line to the build log. Actions on one
 * cluster run one at a time, never during its stop.
 */
public final class NodeControl {
  /** Launches a node again as recorded and waits until it is ready; the start package does it. */
  public interface Starter {
    /** Starts {@code node} of {@code cluster}; returns the time it took to be ready. */
    Duration start(Cluster cluster, String node) throws ClusterException;
  }

  /** An action refused before anything happened, with its HTTP status. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private static final Set<NodeState> STOPPABLE = EnumSet.of(NodeState.RUNNING, NodeState.PAUSED, NodeState.EXITED);

  private final Cluster cluster;
  private final Platform platform;
  private final Starter starter;
  private final ClusterLog log;
  private final NetworkControl network;

  public NodeControl(Cluster cluster, Platform platform, Starter starter, ClusterLog log) {
    this.cluster = cluster;
    this.platform = platform;
    this.starter = starter;
    this.log = log;
    this.network = new NetworkControl(cluster, platform, log);
  }

  /** The tests' faults on the cluster's network (issue 19). */
  public NetworkControl network() {
    return network;
  }

  public Cluster cluster() {
    return cluster;
  }

  /**
   * Does {@code action} to node {@code name}; returns its record once the action is done.
   *
   * @throws Refused 404 for an unknown node, 409 for an action that does not fit its state (nothing
   *     happened then)
   * @throws ClusterException when the action failed (a survivor, a node not ready again)
   */
  public Node act(String name, Action action) throws Refused, ClusterException {
    synchronized (cluster) { // never two actions at once, never during the cluster's stop
      Node node = cluster.node(name).orElseThrow(() -> new Refused(404, "no node " + name + " in this cluster"));
      if (cluster.stopped() || node.state() == NodeState.STOPPED) {
        throw new Refused(409, "the cluster is stopped");
      }
      NodeState state = node.state();
      switch (action) {
        case STOP:
          require(node, STOPPABLE, "stop");
          log.info("The tests stopped " + stop(node, true).describe());
          break;
        case KILL:
          require(node, STOPPABLE, "kill");
          NodeStop killed = stop(node, false);
          log.info(
              "The tests killed "
                  + name
                  + " (pid "
                  + killed.pid()
                  + "): SIGKILL to "
                  + processes(killed.familySize())
                  + ", all gone in "
                  + killed.took().toMillis()
                  + " ms");
          break;
        case PAUSE:
          require(node, EnumSet.of(NodeState.RUNNING), "pause");
          int paused = pauseFamily(name);
          cluster.state(name, NodeState.PAUSED);
          log.info("The tests paused " + name + " (pid " + node.pid() + ", " + processes(paused) + " stopped)");
          break;
        case RESUME:
          require(node, EnumSet.of(NodeState.PAUSED), "resume");
          int resumed = engine(name).resume(cluster.only(name));
          cluster.state(name, NodeState.RUNNING);
          log.info("The tests resumed " + name + " (pid " + node.pid() + ", " + processes(resumed) + ")");
          break;
        case START:
          require(node, EnumSet.of(NodeState.STOPPED_BY_TESTS, NodeState.EXITED), "start");
          if (state == NodeState.EXITED) {
            stopFamily(node, false); // whatever its family left behind
          }
          Duration took = starter.start(cluster, name);
          log.info("The tests started " + name + " again: " + ready(name, took));
          break;
        case RESTART:
          require(node, STOPPABLE, "restart");
          NodeStop stopped = stop(node, true);
          Duration again = starter.start(cluster, name);
          log.info("The tests restarted " + stopped.describe() + "; " + ready(name, again));
          break;
        default:
          throw new Refused(400, "unknown action " + action);
      }
      cluster.recordTestAction(name, action);
      cluster.write();
      return cluster.node(name).orElseThrow();
    }
  }

  private String ready(String name, Duration took) {
    Node node = cluster.node(name).orElseThrow();
    return "ready in " + took.toMillis() + " ms (pid " + node.pid() + ", " + node.describePorts() + ")";
  }

  private static String processes(int n) {
    return n + (n == 1 ? " process" : " processes");
  }

  private static void require(Node node, Set<NodeState> states, String action) throws Refused {
    if (!states.contains(node.state())) {
      throw new Refused(
          409, "cannot " + action + " " + node.name() + ": it is " + node.state() + " (" + action + " needs " + states + ")");
    }
  }

  /** Pauses the node's family; where that fails, lets what was stopped run again and says why. */
  private int pauseFamily(String name) throws ClusterException {
    try {
      return engine(name).pause(cluster.only(name));
    } catch (ClusterException e) {
      engine(name).resume(cluster.only(name)); // not left half frozen
      throw new ClusterException(name + " was not paused (and runs on): " + e.getMessage(), e);
    }
  }

  /** The engine of the node's place, which pauses, resumes, stops and kills its family. */
  private Engine engine(String name) throws ClusterException {
    return Engines.of(cluster, platform, log).of(cluster.node(name).orElseThrow().place());
  }

  /** Stops (or kills) the node's whole family and records it stopped by the tests. */
  private NodeStop stop(Node node, boolean graceful) throws ClusterException {
    if (node.state() == NodeState.PAUSED) {
      engine(node.name()).resume(cluster.only(node.name())); // a stopped process would not see SIGTERM
    }
    return stopFamily(node, graceful);
  }

  private NodeStop stopFamily(Node node, boolean graceful) throws ClusterException {
    Engine engine = engine(node.name());
    Cluster only = cluster.only(node.name());
    StopReport report = graceful ? engine.stop(only, null) : engine.kill(only);
    if (!report.confirmed()) {
      throw new ClusterException(
          "Processes of " + node.name() + " are still alive after SIGKILL: " + String.join("; ", report.survivors()));
    }
    cluster.state(node.name(), NodeState.STOPPED_BY_TESTS);
    cluster.write();
    return report.nodes().get(0);
  }
}
