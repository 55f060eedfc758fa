package io.github.clusterrun.cluster.start;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.Place;
import io.github.clusterrun.cluster.model.SshSettings;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where each node runs and on which ports, as placeholders and exported properties need it. */
class PlacementTest {
  private static final Path CLUSTER = Paths.get("/work/project/target/cluster");
  private static final String REMOTE = "/tmp/cluster-maven-plugin/c-0123456789abcdef";
  private final ClusterLayout layout = new ClusterLayout(CLUSTER);

  private static Map<String, Integer> ports(int client, int peer) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("client", client);
    ports.put("peer", peer);
    return ports;
  }

  @Test
  void theLayoutOfARemoteNodeIsTheRemoteDirectoryAndTheStagingOneIsLocal() {
    Placement placement =
        new Placement(
            layout, new SshSettings(REMOTE, null, false),
            List.of(Place.ssh("h1", "10.0.0.1"), Place.LOCAL), List.of(ports(1, 2), ports(3, 4)));
    assertThat(placement.size()).isEqualTo(2);
    assertThat(placement.layout()).isSameAs(layout);
    assertThat(placement.layoutOf(0).directory()).isEqualTo(Paths.get(REMOTE));
    assertThat(placement.layoutOf(0).nodeDir("n_0")).isEqualTo(Paths.get(REMOTE, "n_0"));
    assertThat(placement.layoutOf(1)).isSameAs(layout);
    assertThat(placement.hosts()).isEqualTo("10.0.0.1:1,127.0.0.1:3");
    assertThat(placement.hosts("peer")).isEqualTo("10.0.0.1:2,127.0.0.1:4");
  }

  @Test
  void aLocalPlacementIsTheLoopbackForEveryNode() {
    Placement local = Placement.local(layout, List.of(ports(1, 2), ports(3, 4)));
    assertThat(local.place(0)).isEqualTo(Place.LOCAL);
    assertThat(local.place(1)).isEqualTo(Place.LOCAL);
    assertThat(local.layoutOf(1)).isSameAs(layout);
    assertThat(local.hosts("peer")).isEqualTo("127.0.0.1:2,127.0.0.1:4");
  }

  @Test
  void aPlaceIsNeededForEveryNode() {
    assertThatThrownBy(
            () -> new Placement(layout, null, List.of(Place.LOCAL), List.of(ports(1, 2), ports(3, 4))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 places for 2 nodes");
  }

  @Test
  void thePlacementOfARecordedClusterIsReadFromItsNodes() {
    List<Node> nodes =
        List.of(
            Node.planned(0, "c/n_0", ports(2181, 2380), List.of("x"), Map.of(), null, Place.ssh("h1", "10.0.0.1")),
            Node.planned(1, "c/n_1", ports(2182, 2381), List.of("x"), Map.of(), null, Place.ssh("h2", "fd00::2")));
    Cluster cluster = new Cluster(layout, "c", Instant.EPOCH, Duration.ofSeconds(1), null, nodes);
    cluster.ssh(new SshSettings(REMOTE, null, false));

    Placement placement = Placement.of(cluster);
    assertThat(placement.size()).isEqualTo(2);
    assertThat(placement.place(1)).isEqualTo(Place.ssh("h2", "fd00::2"));
    assertThat(placement.ports(1)).isEqualTo(ports(2182, 2381));
    assertThat(placement.layout()).isSameAs(layout);
    assertThat(placement.layoutOf(1).nodeDir("n_1")).isEqualTo(Paths.get(REMOTE, "n_1"));
    assertThat(placement.hosts()).isEqualTo("10.0.0.1:2181,[fd00::2]:2182").isEqualTo(cluster.hosts());
    assertThat(placement.hosts("peer")).isEqualTo("10.0.0.1:2380,[fd00::2]:2381");
    // The values a restart by the tests resolves are those of the start.
    assertThat(NodeValues.of(placement, "c", 1).resolve("@{node.host} @{node.dir}")).isEqualTo("fd00::2 " + REMOTE + "/n_1");
  }
}
