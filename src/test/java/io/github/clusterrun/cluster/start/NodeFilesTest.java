package io.github.clusterrun.cluster.start;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.config.ClusterConfig;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.Place;
import io.github.clusterrun.cluster.model.SshSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <files>} written into every node's directory, resolved for each node. */
class NodeFilesTest {
  @TempDir Path temp;
  Path base;
  ClusterLayout layout;
  final List<Map<String, Integer>> ports = new ArrayList<>();

  @BeforeEach
  void threeNodes() throws Exception {
    base = Files.createDirectories(temp.resolve("project"));
    layout = new ClusterLayout(base.resolve("target/cluster"));
    for (int i = 0; i < 3; i++) {
      Map<String, Integer> p = new LinkedHashMap<>();
      p.put("client", 2181 + i);
      p.put("quorum", 2888 + i);
      p.put("election", 3888 + i);
      ports.add(p);
      layout.create(ClusterLayout.nodeName(i));
    }
  }

  private ClusterConfig config(String... pathSourceContent) throws Exception {
    var builder =
        ClusterConfig.builder()
            .baseDirectory(base)
            .clusterDirectory(Paths.get("target/cluster"))
            .executable("/bin/sh")
            .nodes(3)
            .ports(List.of("client", "quorum", "election"));
    for (int i = 0; i < pathSourceContent.length; i += 3) {
      builder.file(pathSourceContent[i], pathSourceContent[i + 1], pathSourceContent[i + 2]);
    }
    return builder.build();
  }

  @Test
  void everyNodeGetsItsFilesResolvedForItselfWithTheirParentDirectories() throws Exception {
    Files.createDirectories(base.resolve("src/test/zookeeper"));
    Files.writeString(
        base.resolve("src/test/zookeeper/zoo.cfg"),
        "dataDir=@{node.dataDir}\nclientPort=@{node.port.client}\n"
            + "@{nodes[\\n]:server.@{node.number}=127.0.0.1:@{node.port.quorum}:@{node.port.election}}\n");
    ClusterConfig config =
        config(
            "data/myid", null, "@{node.number}",
            "conf/deep/zoo.cfg", "src/test/zookeeper/zoo.cfg", null,
            "@{node.tmpDir}/size", null, "@{cluster.size} nodes, é");

    for (int i = 0; i < 3; i++) {
      NodeFiles.write(config.files(), layout, "0123456789abcdef", i, ports);
    }

    String servers =
        "server.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n";
    for (int i = 0; i < 3; i++) {
      String name = ClusterLayout.nodeName(i);
      assertThat(Files.readString(layout.dataDir(name).resolve("myid"))).isEqualTo((i + 1) + "\n");
      assertThat(Files.readString(layout.nodeDir(name).resolve("conf/deep/zoo.cfg")))
          .isEqualTo("dataDir=" + layout.dataDir(name) + "\nclientPort=" + (2181 + i) + "\n" + servers);
      assertThat(Files.readString(layout.tmpDir(name).resolve("size"))).isEqualTo("3 nodes, é\n");
    }
  }

  @Test
  void anInlineContentEndsWithOneNewlineAndAnEmptyOneStaysEmpty() throws Exception {
    ClusterConfig config =
        config(
            "a.yaml", null, "node:\n          name: @{node.name}\n        peers: 3\n        ",
            "b.txt", null, "done\n",
            "empty", null, "@{empty}");
    NodeFiles.write(config.files(), layout, "0123456789abcdef", 1, ports);
    assertThat(Files.readString(layout.nodeDir("n_1").resolve("a.yaml"))).isEqualTo("node:\n  name: n_1\npeers: 3\n");
    assertThat(Files.readString(layout.nodeDir("n_1").resolve("b.txt"))).isEqualTo("done\n");
    assertThat(layout.nodeDir("n_1").resolve("empty")).isEmptyFile();
  }

  @Test
  void noFilesWritesNothing() throws Exception {
    NodeFiles.write(config().files(), layout, "0123456789abcdef", 0, ports);
    try (var files = Files.list(layout.nodeDir("n_0"))) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("data", "logs", "tmp");
    }
  }

  @Test
  void aFileThatCannotBeWrittenSaysWhichAndWhy() throws Exception {
    // "data" is the node's data directory: it cannot be replaced by a file.
    ClusterConfig config = config("data", null, "x");
    assertThatThrownBy(() -> NodeFiles.write(config.files(), layout, "0123456789abcdef", 1, ports))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("Cannot write " + layout.dataDir("n_1"))
        .hasMessageContaining("<files><file> 'data'")
        .hasMessageContaining("of node n_1");
  }

  // ---- Nodes on other hosts (0.3): staged on the build machine, resolved for the host ----

  /** n_0 on h1, n_1 on h2, n_2 on h1; their remote directory is a path that exists on no machine here. */
  private Placement onHosts() {
    return new Placement(
        layout,
        new SshSettings(temp.resolve("on-the-hosts").toString(), null, false),
        List.of(Place.ssh("h1", "10.0.0.1"), Place.ssh("h2", "10.0.0.2"), Place.ssh("h1", "10.0.0.1")),
        ports);
  }

  @Test
  void aRemoteNodesFilesAreStagedHereWithTheValuesOfItsHost() throws Exception {
    String remote = temp.resolve("on-the-hosts").toString();
    ClusterConfig config =
        config(
            "conf/node.properties", null,
            "dir=@{node.dir}\nbind=@{node.host}:@{node.port.client}\n"
                + "peers=@{nodes[,]:@{node.host}:@{node.port.quorum}}\ncluster=@{cluster.dir}");

    NodeFiles.write(config.files(), onHosts(), "0123456789abcdef", 1);

    assertThat(Files.readString(layout.nodeDir("n_1").resolve("conf/node.properties")))
        .isEqualTo(
            "dir=" + remote + "/n_1\nbind=10.0.0.2:2182\n"
                + "peers=10.0.0.1:2888,10.0.0.2:2889,10.0.0.1:2890\ncluster=" + remote + "\n");
    assertThat(Paths.get(remote)).doesNotExist();
  }

  @Test
  void aRemoteNodesFileMayBeNamedByItsDirectoryPlaceholders() throws Exception {
    // The README: "@{node.dataDir}/myid is inside the node's directory, so it is fine too".
    ClusterConfig config = config("@{node.dataDir}/myid", null, "@{node.number}");

    NodeFiles.write(config.files(), onHosts(), "0123456789abcdef", 2);

    assertThat(Files.readString(layout.dataDir("n_2").resolve("myid"))).isEqualTo("3\n");
    assertThat(temp.resolve("on-the-hosts")).doesNotExist();
  }
}
