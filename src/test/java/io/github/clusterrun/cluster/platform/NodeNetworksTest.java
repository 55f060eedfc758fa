package io.github.clusterrun.cluster.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.testing.HostNetwork;
import io.github.clusterrun.cluster.testing.Procs;
import io.github.clusterrun.cluster.testing.TestHosts;
import io.github.clusterrun.cluster.testing.TestHosts.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The network namespaces of local nodes (issue 19): made for a cluster id, reachable from the build
 * machine and from each other through the bridge, two clusters at once on subnets of their own,
 * deleted whole (more than once without harm), and nothing of them left in {@code ip netns}, {@code
 * ip link} or the routes. Real namespaces, so root only: skipped with a warning otherwise.
 */
class NodeNetworksTest {
  private static final Duration T = Duration.ofSeconds(10);
  private final List<NodeNetworks> made = new ArrayList<>();
  private HostNetwork before;

  @BeforeEach
  void root() {
    var missing = NodeNetworks.missing();
    if (missing.isPresent()) {
      System.err.println("WARNING: NodeNetworksTest skipped, no network namespaces here: " + "<networkFaults> " + missing.get()[0]);
    }
    Assumptions.assumeTrue(missing.isEmpty(), () -> "<networkFaults> " + missing.get()[0]);
    before = HostNetwork.now();
  }

  @AfterEach
  void deleteAll() throws Exception {
    for (NodeNetworks networks : made) {
      networks.delete();
    }
  }

  @Test
  void twoClustersGetNamespacesOnSubnetsOfTheirOwnAndLeaveNothingWhenDeleted() throws Exception {
    NodeNetworks one = make();
    String subnetOne = NodeNetworks.freeSubnet();
    one.create(subnetOne, 3);
    NodeNetworks two = make();
    String subnetTwo = NodeNetworks.freeSubnet();
    assertThat(subnetTwo).isNotEqualTo(subnetOne); // one's bridge takes its /24 already
    two.create(subnetTwo, 2);

    assertThat(one.existing())
        .containsExactlyInAnyOrder(
            one.namespace(0), one.namespace(1), one.namespace(2), one.veth(0), one.veth(1), one.veth(2), one.bridge());
    assertThat(one.bridge().length()).isLessThanOrEqualTo(15);
    assertThat(one.veth(2).length()).isLessThanOrEqualTo(15);
    // Inside node 1's namespace: its own address on eth0, lo up, and node 0 and the bridge reachable.
    Result inside = TestHosts.run(T, "ip", "-n", one.namespace(1), "-4", "-o", "addr", "show");
    assertThat(inside.out).contains(NodeNetworks.address(subnetOne, 1) + "/24").contains("127.0.0.1/8");
    assertThat(answers(one.enter(1, knock(NodeNetworks.address(subnetOne, 0))))).isTrue();
    assertThat(answers(knock(NodeNetworks.address(subnetTwo, 1)))).isTrue();
    // An address of the subnet that no node has does not answer.
    assertThat(answers(one.enter(1, knock(NodeNetworks.address(subnetOne, 7))))).isFalse();

    one.delete();
    assertThat(one.existing()).isEmpty();
    assertThat(two.existing()).hasSize(5); // the other cluster's untouched
    one.delete(); // again: nothing to do, no error
    two.delete();
    assertThat(before.addedSince()).isEmpty();
    assertThat(routes()).doesNotContain(subnetOne + ".", subnetTwo + ".");
  }

  @Test
  void aFailedCreationDeletesWhatItMade() throws Exception {
    NodeNetworks networks = make();
    // Node 0's namespace exists already (made by someone else): the creation fails there.
    assertThat(TestHosts.run(T, "ip", "netns", "add", networks.namespace(0)).exit).isZero();
    try {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> networks.create(NodeNetworks.freeSubnet(), 2))
          .hasMessageContaining(networks.namespace(0));
      assertThat(networks.existing()).isEmpty();
    } finally {
      TestHosts.run(T, "ip", "netns", "del", networks.namespace(0));
    }
  }

  private NodeNetworks make() {
    NodeNetworks networks = NodeNetworks.of(Procs.newClusterId());
    made.add(networks);
    return networks;
  }

  /** A TCP connection attempt to port 1 of {@code address}, given up after 2 s. */
  static List<String> knock(String address) {
    return List.of("timeout", "2", "bash", "-c", "exec 3<>/dev/tcp/$0/1", address);
  }

  /** Whether the address answered the knock (port 1 is closed: a reset, which only a host sends). */
  static boolean answers(List<String> knock) {
    Result result = TestHosts.run(T, knock.toArray(new String[0]));
    return result.exit == 0 || result.err.contains("Connection refused");
  }

  private static String routes() {
    return TestHosts.run(T, "ip", "-4", "route", "show", "table", "all").out;
  }
}
