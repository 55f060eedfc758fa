package io.github.clusterrun.cluster.start;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.config.ClusterConfig;
import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.NodeState;
import io.github.clusterrun.cluster.model.Place;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record a node is launched with, resolved for the place it runs at. */
class NodePlanTest {
  private static final String ID = "0123456789abcdef";
  @TempDir Path temp;

  private ClusterConfig config(List<String> sshHosts, String executable) throws Exception {
    return ClusterConfig.builder()
        .baseDirectory(Files.createDirectories(temp.resolve("project")))
        .clusterDirectory(Paths.get("target/cluster"))
        .executable(executable)
        .arguments(List.of("--dir=@{node.dataDir}", "--bind=@{node.host}:@{node.port}", "--peers=@{cluster.hosts}"))
        .environment(Map.of("KV_HOME", "@{cluster.dir}"))
        .nodes(2)
        .ports(List.of("port"))
        .sshHosts(sshHosts)
        .build();
  }

  @Test
  void aRemoteNodeRunsInItsDirectoryOnItsHostWithTheHostsValues() throws Exception {
    ClusterConfig config = config(List.of("h1", "deploy@h2"), "/opt/kv/bin/kv-server");
    String remote = config.ssh().remoteDirectory();
    ClusterLayout layout = new ClusterLayout(config.clusterDirectory());
    Placement placement =
        new Placement(
            layout, config.ssh(), List.of(Place.ssh("h1", "10.0.0.1"), Place.ssh("deploy@h2", "10.0.0.2")),
            List.of(Map.of("port", 7001), Map.of("port", 7002)));

    Node node = NodePlan.plan(config, placement, ID, 1);

    assertThat(node.place()).isEqualTo(Place.ssh("deploy@h2", "10.0.0.2"));
    assertThat(node.state()).isEqualTo(NodeState.PLANNED);
    assertThat(node.workingDirectory()).isEqualTo(Paths.get(remote, "n_1"));
    assertThat(node.command())
        .containsExactly(
            "/opt/kv/bin/kv-server", "--dir=" + remote + "/n_1/data", "--bind=10.0.0.2:7002",
            "--peers=10.0.0.1:7001,10.0.0.2:7002");
    assertThat(node.environment())
        .containsEntry("KV_HOME", remote)
        .containsEntry("CLUSTER_DIR", remote)
        .containsEntry("CLUSTER_HOSTS", "10.0.0.1:7001,10.0.0.2:7002")
        .containsEntry("CLUSTER_NODE_NAME", "n_1")
        .containsEntry("CLUSTER_NODE_INDEX", "1")
        .containsEntry(FamilyMark.VARIABLE, FamilyMark.of(ID, "n_1"));
    assertThat(node.mark()).isEqualTo(FamilyMark.of(ID, "n_1"));
    assertThat(node.ports()).containsExactly(Map.entry("port", 7002));
  }

  @Test
  void aLocalNodeRunsInTheClusterDirectory() throws Exception {
    ClusterConfig config = config(List.of(), "/bin/sh");
    ClusterLayout layout = new ClusterLayout(config.clusterDirectory());
    Node node =
        NodePlan.plan(config, Placement.local(layout, List.of(Map.of("port", 7001), Map.of("port", 7002))), ID, 0);

    assertThat(node.place()).isEqualTo(Place.LOCAL);
    assertThat(node.workingDirectory()).isEqualTo(layout.nodeDir("n_0"));
    assertThat(node.environment()).containsEntry("CLUSTER_DIR", layout.directory().toString());
    assertThat(node.command()).contains("--bind=127.0.0.1:7001");
  }
}
