package io.github.clusterrun.cluster.start;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.config.PropertyPrefix;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.Place;
import io.github.clusterrun.cluster.model.SshSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported properties of a recorded cluster: the hosts of every port name (0.2). */
class ExportedPropertiesTest {
  @TempDir Path temp;
  ClusterLayout layout;
  final List<Map<String, Integer>> ports = new ArrayList<>();

  @BeforeEach
  void threeNodes() throws Exception {
    layout = new ClusterLayout(temp.resolve("cluster"));
    for (int i = 0; i < 3; i++) {
      Map<String, Integer> p = new LinkedHashMap<>();
      p.put("client", 2181 + i);
      p.put("quorum", 2888 + i);
      p.put("election", 3888 + i);
      ports.add(p);
      layout.create(ClusterLayout.nodeName(i));
    }
  }

  @Test
  void exportedPropertiesHaveTheHostsOfEveryPortName() throws Exception {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      nodes.add(Node.planned(i, "c/n_" + i, ports.get(i), List.of("x"), Map.of(), null));
    }
    Cluster cluster = new Cluster(layout, "c", Instant.now(), Duration.ofSeconds(1), null, nodes);

    Map<String, String> p = ExportedProperties.of(cluster, PropertyPrefix.DEFAULT);
    assertThat(p)
        .containsEntry("cluster.hosts", "127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183")
        .containsEntry("cluster.hosts.client", "127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183")
        .containsEntry("cluster.hosts.quorum", "127.0.0.1:2888,127.0.0.1:2889,127.0.0.1:2890")
        .containsEntry("cluster.hosts.election", "127.0.0.1:3888,127.0.0.1:3889,127.0.0.1:3890")
        .containsEntry("cluster.id", "c");
    assertThat(ExportedProperties.of(cluster, PropertyPrefix.of("zk")))
        .containsEntry("zk.hosts.quorum", "127.0.0.1:2888,127.0.0.1:2889,127.0.0.1:2890")
        .doesNotContainKey("cluster.hosts.quorum");

    ExportedProperties.write(layout.propertiesFile(), p);
    java.util.Properties file = new java.util.Properties();
    try (var in = Files.newInputStream(layout.propertiesFile())) {
      file.load(in);
    }
    assertThat(file).containsEntry("cluster.hosts.election", "127.0.0.1:3888,127.0.0.1:3889,127.0.0.1:3890");
  }

  @Test
  void aLocalNodesHostIsTheLoopbackAndItsDirectoryIsHere() {
    Cluster cluster =
        new Cluster(layout, "c", Instant.now(), Duration.ofSeconds(1), null,
            List.of(Node.planned(0, "c/n_0", ports.get(0), List.of("x"), Map.of(), null)));
    assertThat(ExportedProperties.of(cluster, PropertyPrefix.DEFAULT))
        .containsEntry("cluster.node.0.host", "127.0.0.1")
        .containsEntry("cluster.node.0.dir", layout.nodeDir("n_0").toString())
        .containsEntry("cluster.dir", layout.directory().toString());
  }

  @Test
  void nodesOnOtherHostsExportTheirHostsAddressesAndRemoteDirectories() throws Exception {
    String remote = "/tmp/cluster-maven-plugin/c-0123456789abcdef";
    List<Place> places =
        List.of(Place.ssh("h1", "10.0.0.1"), Place.ssh("deploy@h2:2222", "fd00::2"), Place.LOCAL);
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      nodes.add(Node.planned(i, "c/n_" + i, ports.get(i), List.of("x"), Map.of(), null, places.get(i)));
    }
    Cluster cluster = new Cluster(layout, "c", Instant.now(), Duration.ofSeconds(1), null, nodes);
    cluster.ssh(new SshSettings(remote, null, false));

    assertThat(ExportedProperties.of(cluster, PropertyPrefix.DEFAULT))
        .containsEntry("cluster.hosts", "10.0.0.1:2181,[fd00::2]:2182,127.0.0.1:2183")
        .containsEntry("cluster.hosts.quorum", "10.0.0.1:2888,[fd00::2]:2889,127.0.0.1:2890")
        .containsEntry("cluster.node.0.host", "10.0.0.1")
        .containsEntry("cluster.node.1.host", "fd00::2")
        .containsEntry("cluster.node.2.host", "127.0.0.1")
        .containsEntry("cluster.node.0.dir", remote + "/n_0")
        .containsEntry("cluster.node.1.dir", remote + "/n_1")
        .containsEntry("cluster.node.2.dir", layout.nodeDir("n_2").toString())
        .containsEntry("cluster.node.1.port.election", "3889")
        // The cluster directory stays the build machine's: state, properties and copied-back logs.
        .containsEntry("cluster.dir", layout.directory().toString());
    assertThat(ExportedProperties.of(cluster, PropertyPrefix.of("zk")))
        .containsEntry("zk.node.1.host", "fd00::2")
        .containsEntry("zk.hosts.client", "10.0.0.1:2181,[fd00::2]:2182,127.0.0.1:2183");
  }
}
