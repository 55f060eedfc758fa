package io.github.clusterrun.cluster.control;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.engine.Engines;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.NetRule;
import io.github.clusterrun.cluster.model.NetworkFaults;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.Place;
import io.github.clusterrun.cluster.model.TestActions;
import io.github.clusterrun.cluster.model.TestActions.Action;
import io.github.clusterrun.cluster.platform.Platform;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tests' faults on the network between the nodes of a running cluster (issue 19): a partition
 * into groups, a node isolated, a node's traffic to the others delayed or partly lost, and the heal.
 * The faults asked so far ({@link NetworkFaults}) become rules at every node's place, which its
 * {@link io.github.clusterrun.cluster.engine.Engine} puts in force (an nftables table named after
 * the cluster on a host, or in a node's own network namespace here); each call returns once they
 * are in force everywhere. A call that cannot be done anywhere is refused before any rule changes;
 * one that fails half-way puts the earlier faults back. Only node-to-node traffic is touched: the
 * build machine's address is no node's. Calls run one at a time with the tests' other actions.
 */
public final class NetworkControl {
  private final Cluster cluster;
  private final Platform platform;
  private final ClusterLog log;

  public NetworkControl(Cluster cluster, Platform platform, ClusterLog log) {
    this.cluster = cluster;
    this.platform = platform;
    this.log = log;
  }

  /** The faults in force. */
  public NetworkFaults network() {
    return cluster.network();
  }

  /**
   * Cuts the traffic between {@code groups} both ways, replacing any earlier partition.
   *
   * @throws NodeControl.Refused 404 for an unknown node, 400 for fewer than two groups, an empty one
   *     or a node named twice, 409 where it cannot be done (nothing changed then)
   */
  public NetworkFaults partition(List<List<String>> groups) throws NodeControl.Refused, ClusterException {
    synchronized (cluster) {
      if (groups.size() < 2) {
        throw new NodeControl.Refused(400, "a partition needs at least two groups of nodes, e.g. {\"groups\": [[\"n_0\"], [\"n_1\", \"n_2\"]]}");
      }
      Set<String> seen = new HashSet<>();
      for (List<String> group : groups) {
        if (group.isEmpty()) {
          throw new NodeControl.Refused(400, "a group of the partition is empty: every group names at least one node");
        }
        for (String name : group) {
          known(name);
          if (!seen.add(name)) {
            throw new NodeControl.Refused(400, name + " is named twice in the partition: a node is in one group only");
          }
        }
      }
      NetworkFaults next = cluster.network().withPartition(groups);
      long took = apply(next);
      List<String> described = new ArrayList<>();
      groups.forEach(g -> described.add(String.join(", ", g)));
      done(
          TestActions.NETWORK,
          Action.PARTITION,
          "The tests partitioned the network: " + String.join(" | ", described) + inForce(next, took));
      return next;
    }
  }

  /** Cuts {@code name} off from every other node (a partition of it against the rest). */
  public NetworkFaults isolate(String name) throws NodeControl.Refused, ClusterException {
    synchronized (cluster) {
      known(name);
      List<String> others = new ArrayList<>();
      cluster.nodes().stream().map(Node::name).filter(n -> !n.equals(name)).forEach(others::add);
      if (others.isEmpty()) {
        throw new NodeControl.Refused(409, "cannot isolate " + name + ": it is the only node of the cluster");
      }
      NetworkFaults next = cluster.network().withPartition(List.of(List.of(name), others));
      long took = apply(next);
      done(name, Action.ISOLATE, "The tests isolated " + name + " from " + String.join(", ", others) + inForce(next, took));
      return next;
    }
  }

  /** Delays {@code name}'s traffic to the other nodes by {@code ms} (± {@code jitterMs}). */
  public NetworkFaults delay(String name, int ms, int jitterMs) throws NodeControl.Refused, ClusterException {
    synchronized (cluster) {
      known(name);
      if (ms <= 0 || jitterMs < 0 || jitterMs > ms) {
        throw new NodeControl.Refused(400, "a delay needs ms > 0 and 0 <= jitterMs <= ms, e.g. {\"ms\": 200, \"jitterMs\": 0}");
      }
      NetworkFaults next = cluster.network().withDelay(name, ms, jitterMs);
      long took = apply(next);
      done(name, Action.DELAY, "The tests delayed the traffic of " + name + " to the other nodes by "
          + next.delays().get(name) + inForce(next, took));
      return next;
    }
  }

  /** Loses {@code percent} of {@code name}'s packets to the other nodes. */
  public NetworkFaults loss(String name, int percent) throws NodeControl.Refused, ClusterException {
    synchronized (cluster) {
      known(name);
      if (percent < 1 || percent > 100) {
        throw new NodeControl.Refused(400, "a loss needs a percent from 1 to 100, e.g. {\"percent\": 10}");
      }
      NetworkFaults next = cluster.network().withLoss(name, percent);
      long took = apply(next);
      done(name, Action.LOSS, "The tests made " + name + " lose " + percent + "% of its packets to the other nodes"
          + inForce(next, took));
      return next;
    }
  }

  /** Removes every fault; returns once no rule of the cluster is left anywhere. */
  public NetworkFaults heal() throws NodeControl.Refused, ClusterException {
    synchronized (cluster) {
      refuseIfStopped();
      NetworkFaults before = cluster.network();
      long started = System.nanoTime();
      if (cluster.networkTouched()) {
        heal(cluster, Engines.of(cluster, platform, log));
      }
      cluster.network(NetworkFaults.NONE);
      done(
          TestActions.NETWORK,
          Action.HEAL,
          "The tests healed the network"
              + (before.isEmpty() ? " (no fault was in force)" : " (was: " + before.describe() + ")")
              + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
      return NetworkFaults.NONE;
    }
  }

  /**
   * Removes every rule of {@code cluster} at every place of it, where any was ever put; the stop
   * does it before the nodes stop (a graceful stop reaches its peers), as do {@code clean} and the
   * exit hook through it.
   *
   * @throws ClusterException naming the places where a rule may be left
   */
  public static void heal(Cluster cluster, Engines engines) throws ClusterException {
    List<String> failed = engines.atEveryPlace(cluster, (engine, here) -> engine.network(here, Map.of()));
    if (!failed.isEmpty()) {
      throw new ClusterException("The network faults could not be removed everywhere: " + String.join("; ", failed));
    }
  }

  private void known(String name) throws NodeControl.Refused {
    refuseIfStopped();
    if (cluster.node(name).isEmpty()) {
      throw new NodeControl.Refused(404, "no node " + name + " in this cluster");
    }
  }

  private void refuseIfStopped() throws NodeControl.Refused {
    if (cluster.stopped()) {
      throw new NodeControl.Refused(409, "the cluster is stopped");
    }
  }

  /**
   * Puts {@code next} in force everywhere; returns the milliseconds it took. Refused (409, nothing
   * changed) where a place cannot do it or nodes to tell apart share an address; when a place fails
   * half-way, the earlier faults are put back everywhere and the failure is thrown.
   */
  private long apply(NetworkFaults next) throws NodeControl.Refused, ClusterException {
    List<Node> nodes = cluster.nodes();
    Map<String, List<NetRule>> rules = next.rules(nodes);
    Engines engines = Engines.of(cluster, platform, log);
    List<String> refusals = new ArrayList<>();
    for (Place place : cluster.places()) {
      Cluster here = cluster.at(place);
      boolean any = false;
      boolean delay = false;
      for (Node node : here.nodes()) {
        any |= !rules.get(node.name()).isEmpty();
        delay |= rules.get(node.name()).stream().anyMatch(r -> r.kind() == NetRule.Kind.DELAY);
      }
      if (any) {
        engines.of(place).networkRefusal(here, delay).ifPresent(refusals::add);
      }
    }
    if (!refusals.isEmpty()) {
      throw new NodeControl.Refused(409, "no rule was applied: " + String.join("; ", refusals));
    }
    java.util.Optional<String> shared = next.sharedAddress(nodes);
    if (shared.isPresent()) {
      throw new NodeControl.Refused(
          409,
          "no rule was applied: "
              + shared.get()
              + " share an address, and rules go by address, so their traffic cannot be told apart; give"
              + " each node a host of its own (as many <sshHosts> as nodes), or <networkFaults> for local nodes");
    }
    NetworkFaults before = cluster.network();
    cluster.network(next);
    cluster.write(); // before the rules: a crash in between still heals at the stop
    long started = System.nanoTime();
    List<String> failed = putInForce(engines, rules);
    if (!failed.isEmpty()) {
      cluster.network(before);
      List<String> back = putInForce(engines, before.rules(nodes));
      cluster.write();
      throw new ClusterException(
          "The network faults could not be put in force (" + String.join("; ", failed) + ")"
              + (back.isEmpty() ? "; the earlier ones are back in force" : "; and the earlier ones could not be put back: " + String.join("; ", back)));
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  private List<String> putInForce(Engines engines, Map<String, List<NetRule>> rules) {
    return engines.atEveryPlace(cluster, (engine, here) -> {
      Map<String, List<NetRule>> ofHere = new LinkedHashMap<>();
      here.nodes().forEach(n -> ofHere.put(n.name(), rules.getOrDefault(n.name(), List.of())));
      engine.network(here, ofHere);
    });
  }

  private static String inForce(NetworkFaults faults, long ms) {
    return " (in force in " + ms + " ms; now: " + faults.describe() + ")";
  }

  private void done(String name, Action action, String line) throws ClusterException {
    log.info(line);
    cluster.recordTestAction(name, action);
    cluster.write();
  }
}
