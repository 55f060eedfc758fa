package io.github.clusterrun.cluster.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network faults the tests ask for, as rules at each node's place (issue 19): a partition drops
 * at both ends, a node's delay and loss go towards every other node's address, nodes sharing an
 * address cannot be told apart, and the record survives the state file.
 */
class NetworkFaultsTest {
  @TempDir Path dir;

  private static Node node(int index, String address) {
    return Node.planned(
        index, "c/n_" + index, Map.of("p", 4000 + index), List.of("x"), Map.of(), null, Place.ssh("h" + index, address));
  }

  private static final List<Node> THREE = List.of(node(0, "10.0.0.2"), node(1, "10.0.0.3"), node(2, "10.0.0.4"));

  @Test
  void aPartitionDropsTheOtherGroupsAddressesAtBothEndsAndLeavesEachGroupWhole() {
    Map<String, List<NetRule>> rules =
        NetworkFaults.NONE.withPartition(List.of(List.of("n_0"), List.of("n_1", "n_2"))).rules(THREE);

    assertThat(rules.get("n_0")).containsExactly(NetRule.drop("10.0.0.3"), NetRule.drop("10.0.0.4"));
    assertThat(rules.get("n_1")).containsExactly(NetRule.drop("10.0.0.2"));
    assertThat(rules.get("n_2")).containsExactly(NetRule.drop("10.0.0.2"));
  }

  @Test
  void aNodeInNoGroupKeepsEveryPeerAndANewPartitionReplacesTheOld() {
    NetworkFaults first = NetworkFaults.NONE.withPartition(List.of(List.of("n_0"), List.of("n_1")));
    assertThat(first.rules(THREE).get("n_2")).isEmpty();
    assertThat(first.rules(THREE).get("n_0")).containsExactly(NetRule.drop("10.0.0.3"));

    NetworkFaults second = first.withPartition(List.of(List.of("n_2"), List.of("n_0", "n_1")));
    assertThat(second.partition()).containsExactly(List.of("n_2"), List.of("n_0", "n_1"));
    assertThat(second.rules(THREE).get("n_0")).containsExactly(NetRule.drop("10.0.0.4"));
  }

  @Test
  void delayAndLossGoFromTheNodeTowardsEveryOtherNode() {
    NetworkFaults faults = NetworkFaults.NONE.withDelay("n_1", 200, 20).withLoss("n_2", 10).withLoss("n_2", 30);

    Map<String, List<NetRule>> rules = faults.rules(THREE);
    assertThat(rules.get("n_0")).isEmpty();
    assertThat(rules.get("n_1")).containsExactly(NetRule.delay(200, 20, "10.0.0.2"), NetRule.delay(200, 20, "10.0.0.4"));
    assertThat(rules.get("n_2")).containsExactly(NetRule.loss(30, "10.0.0.2"), NetRule.loss(30, "10.0.0.3"));
    assertThat(rules.get("n_1").get(0).spec()).containsExactly("delay", "200", "20", "10.0.0.2");
    assertThat(faults.hasDelay()).isTrue();
  }

  @Test
  void nodesThatShareAnAddressAreRefusedOnlyWhereTheyWouldHaveToBeToldApart() {
    List<Node> shared = List.of(node(0, "10.0.0.2"), node(1, "10.0.0.3"), node(2, "10.0.0.2"));

    assertThat(NetworkFaults.NONE.withPartition(List.of(List.of("n_0", "n_2"), List.of("n_1"))).sharedAddress(shared))
        .isEmpty();
    assertThat(NetworkFaults.NONE.withPartition(List.of(List.of("n_0"), List.of("n_1", "n_2"))).sharedAddress(shared))
        .contains("n_0 and n_2 (both 10.0.0.2)");
    assertThat(NetworkFaults.NONE.withLoss("n_2", 5).sharedAddress(shared)).contains("n_2 and n_0 (both 10.0.0.2)");
    assertThat(NetworkFaults.NONE.withLoss("n_1", 5).sharedAddress(shared)).isEmpty();
  }

  @Test
  void eachNodeSaysWhatIsInForceOnIt() {
    NetworkFaults faults =
        NetworkFaults.NONE.withPartition(List.of(List.of("n_0"), List.of("n_1", "n_2"))).withDelay("n_1", 200, 0);

    assertThat(faults.describe("n_0")).containsExactly("cut off from n_1, n_2");
    assertThat(faults.describe("n_1")).containsExactly("cut off from n_0", "delay 200 ms to the other nodes");
    assertThat(NetworkFaults.NONE.describe("n_0")).isEmpty();
  }

  @Test
  void theOneLineFormParsesBackAndAnythingElseIsRefused() {
    NetworkFaults faults =
        NetworkFaults.NONE
            .withPartition(List.of(List.of("n_0"), List.of("n_1", "n_2")))
            .withDelay("n_1", 200, 15)
            .withDelay("n_2", 50, 0)
            .withLoss("n_2", 10);

    assertThat(faults.describe()).isEqualTo("partition n_0 | n_1, n_2; delay n_1 200 ms ± 15 ms; delay n_2 50 ms; loss n_2 10%");
    assertThat(NetworkFaults.parse(faults.describe())).isEqualTo(faults);
    assertThat(NetworkFaults.parse("healed")).isEqualTo(NetworkFaults.NONE);
    assertThatThrownBy(() -> NetworkFaults.parse("cut n_0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NetworkFaults.parse("loss n_0 ten")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theStateFileKeepsTheFaultsAndThatTheNetworkWasTouchedAfterTheHeal() throws Exception {
    ClusterLayout layout = new ClusterLayout(dir.resolve("cluster"));
    Cluster cluster = new Cluster(layout, "abc", Instant.ofEpochMilli(1000), Duration.ofSeconds(5), null, THREE);
    cluster.write();
    assertThat(StateFile.read(layout).orElseThrow().networkTouched()).isFalse();

    cluster.network(NetworkFaults.NONE.withPartition(List.of(List.of("n_0"), List.of("n_1", "n_2"))));
    cluster.recordTestAction(TestActions.NETWORK, TestActions.Action.PARTITION);
    cluster.write();
    Cluster read = StateFile.read(layout).orElseThrow();
    assertThat(read.network()).isEqualTo(cluster.network());
    assertThat(read.testActions(TestActions.NETWORK).count(TestActions.Action.PARTITION)).isEqualTo(1);

    cluster.network(NetworkFaults.NONE);
    cluster.write();
    read = StateFile.read(layout).orElseThrow();
    assertThat(read.network().isEmpty()).isTrue();
    assertThat(read.networkTouched()).isTrue(); // the stop still removes what a crash may have left
  }

  @Test
  void theDecisionLineTellsWhatTheTestsDidToTheNetwork() {
    TestActions did = TestActions.NONE.plus(TestActions.Action.PARTITION).plus(TestActions.Action.PARTITION)
        .plus(TestActions.Action.HEAL);

    assertThat(did.describe(TestActions.NETWORK)).isEqualTo("partitioned the network twice and healed it");
    assertThat(TestActions.NONE.plus(TestActions.Action.ISOLATE).describe("n_1")).isEqualTo("isolated n_1 once");
  }
}
