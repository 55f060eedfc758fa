package io.github.clusterrun.cluster.stop;

import io.github.clusterrun.cluster.family.NodeStop;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.NodeState;
import io.github.clusterrun.cluster.model.TestActions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the tests did to the nodes through the control endpoint (issue 12), as {@code stop} found
 * it before stopping them: a node the tests stopped or killed (and did not start again) is already
 * stopped and did not exit on its own; the decision line says what the tests did.
 */
final class TestsDid {
  private final Map<String, NodeState> states = new HashMap<>();
  private final Map<String, TestActions> actions;
  private final Set<String> exitedOnItsOwn;
  private final List<Node> nodes;

  private TestsDid(Cluster cluster) {
    this.nodes = cluster.nodes();
    for (Node n : nodes) { // no lambda: this runs before the stop's first signal, in cold code
      states.put(n.name(), n.state());
    }
    this.actions = cluster.testActions();
    this.exitedOnItsOwn = cluster.exitedOnItsOwn();
  }

  static TestsDid of(Cluster cluster) {
    return new TestsDid(cluster);
  }

  /** Whether the node exited unasked: not stopped by the tests, or seen exiting before they acted. */
  boolean exitedOnItsOwn(NodeStop node) {
    if (exitedOnItsOwn.contains(node.name())) {
      return true;
    }
    return node.how() == NodeStop.How.EXITED_BEFORE && states.get(node.name()) != NodeState.STOPPED_BY_TESTS;
  }

  /** The node's line in the stop's report. */
  String describe(NodeStop node) {
    if (node.how() == NodeStop.How.EXITED_BEFORE && states.get(node.name()) == NodeState.STOPPED_BY_TESTS) {
      return node.name() + ": already stopped by the tests";
    }
    return node.describe();
  }

  /** " (the tests killed n_1 once and started it)", or "" when the tests did nothing. */
  String suffix() {
    List<String> phrases = new ArrayList<>();
    for (Node node : nodes) {
      TestActions did = actions.get(node.name());
      if (did != null && !did.isEmpty()) {
        phrases.add(did.describe(node.name()));
      }
    }
    TestActions network = actions.get(TestActions.NETWORK);
    if (network != null && !network.isEmpty()) {
      phrases.add(network.describe(TestActions.NETWORK));
    }
    return phrases.isEmpty() ? "" : " (the tests " + TestActions.join(phrases) + ")";
  }
}
