package io.github.clusterrun.cluster.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A cluster whose nodes run on several hosts: the views of one host that stop, status and the
 * tests' actions work on, its hosts in order, and the addresses of {@code cluster.hosts}.
 */
class ClusterPlacesTest {
  private static final Place H1 = Place.ssh("deploy@h1", "10.0.0.1");
  private static final Place H2 = Place.ssh("h2:2222", "fd00::2");
  private static final SshSettings SSH = new SshSettings("/tmp/cmp/c-0123456789abcdef", null, true);

  private static Node node(int index, Place place) {
    return Node.planned(
        index, "c/n_" + index, Map.of("http", 4001 + index), List.of("x"), Map.of(), null, place);
  }

  /** n_0 on h1, n_1 on h2, n_2 on h1, n_3 on the build machine. */
  private static Cluster cluster() {
    Cluster cluster =
        new Cluster(
            new ClusterLayout(Paths.get("/work/project/target/cluster")), "c", Instant.ofEpochMilli(1000),
            Duration.ofSeconds(5), null, StopOrder.REVERSE,
            List.of(node(0, H1), node(1, H2), node(2, H1), node(3, Place.LOCAL)));
    cluster.ssh(SSH);
    return cluster;
  }

  private static List<String> names(Cluster cluster) {
    return cluster.nodes().stream().map(Node::name).collect(java.util.stream.Collectors.toList());
  }

  @Test
  void theViewOfAHostHoldsItsNodesAndNotTheClustersOwnFamily() {
    Cluster h1 = cluster().at(H1);
    assertThat(names(h1)).containsExactly("n_0", "n_2");
    assertThat(h1.isView()).isTrue();
    assertThat(h1.ssh()).contains(SSH);
    assertThat(h1.id()).isEqualTo("c");
    assertThat(h1.stopOrder()).isEqualTo(StopOrder.REVERSE);
    assertThat(h1.stopTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(names(cluster().at(H2))).containsExactly("n_1");
  }

  @Test
  void theLocalViewKeepsTheClustersOwnFamily() {
    Cluster local = cluster().at(Place.LOCAL);
    assertThat(names(local)).containsExactly("n_3");
    assertThat(local.isView()).isFalse(); // what afterStart left on the build machine is stopped with it
    assertThat(local.mayHaveOwnFamily()).isTrue();
    assertThat(local.ssh()).contains(SSH);

    Cluster none = cluster();
    none.hasNoAfterStartCommands();
    assertThat(none.at(Place.LOCAL).mayHaveOwnFamily()).isFalse();
    // Every node remote: the local view is empty, and still looks for the cluster's own family.
    Cluster remoteOnly =
        new Cluster(new ClusterLayout(Paths.get("/c")), "c", Instant.EPOCH, Duration.ofSeconds(1), null,
            List.of(node(0, H1)));
    assertThat(remoteOnly.at(Place.LOCAL).nodes()).isEmpty();
    assertThat(remoteOnly.at(Place.LOCAL).isView()).isFalse();
  }

  @Test
  void aViewOfAHostCarriesThePidsAndProcessesOfItsNodes() throws Exception {
    Cluster cluster = cluster();
    Process process = new ProcessBuilder("sleep", "60").start();
    try {
      assertThat(cluster.launched("n_2", process, 4242)).isTrue();
      Cluster h1 = cluster.at(H1);
      assertThat(h1.node("n_2").orElseThrow().pid()).isEqualTo(4242);
      assertThat(h1.process("n_2")).contains(process);
      assertThat(h1.process("n_0")).isEmpty();
      assertThat(cluster.at(H2).process("n_2")).isEmpty();
    } finally {
      process.destroyForcibly().waitFor();
    }
  }

  @Test
  void placesAreEachHostOnceInIndexOrder() {
    assertThat(cluster().places()).containsExactly(H1, H2, Place.LOCAL);
    Cluster local =
        new Cluster(new ClusterLayout(Paths.get("/c")), "c", Instant.EPOCH, Duration.ofSeconds(1), null,
            List.of(node(0, Place.LOCAL), node(1, Place.LOCAL)));
    assertThat(local.places()).containsExactly(Place.LOCAL);
  }

  @Test
  void hostsAreTheAddressesOfTheNodesWithTheirFirstPort() {
    assertThat(cluster().hosts()).isEqualTo("10.0.0.1:4001,[fd00::2]:4002,10.0.0.1:4003,127.0.0.1:4004");
    assertThat(Cluster.hosts(List.of("10.0.0.1", "::1"), List.of(Map.of("a", 1), Map.of("a", 2))))
        .isEqualTo("10.0.0.1:1,[::1]:2");
  }

  @Test
  void aOneNodeViewCarriesTheSshSettings() {
    Cluster only = cluster().only("n_1");
    assertThat(names(only)).containsExactly("n_1");
    assertThat(only.isView()).isTrue();
    assertThat(only.ssh()).contains(SSH);
    assertThat(only.nodes().get(0).place()).isEqualTo(H2);
  }
}
