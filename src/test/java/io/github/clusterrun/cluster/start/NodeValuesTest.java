package io.github.clusterrun.cluster.start;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.config.Placeholders;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.Place;
import io.github.clusterrun.cluster.model.SshSettings;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each node's directories, ports and placeholder values, as the contract's table lists them. */
class NodeValuesTest {
  private static final Path CLUSTER = Paths.get("/work/project/target/cluster");
  private static final String ID = "0123456789abcdef";

  private static Map<String, Integer> ports(int http, int admin) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("http", http);
    ports.put("admin", admin);
    return ports;
  }

  private final ClusterLayout layout = new ClusterLayout(CLUSTER);
  private final Map<String, Integer> n0 = ports(4001, 4002);
  private final Map<String, Integer> n1 = ports(5001, 5002);
  private final Map<String, Integer> n2 = ports(3001, 3002);

  @Test
  void directoriesOfANode() {
    Node node = Node.planned(1, "c/n_1", n1, List.of("x"), Map.of(), null);
    assertThat(node.name()).isEqualTo("n_1");
    assertThat(layout.nodeDir("n_1")).isEqualTo(CLUSTER.resolve("n_1"));
    assertThat(layout.dataDir("n_1")).isEqualTo(CLUSTER.resolve("n_1/data"));
    assertThat(layout.logDir("n_1")).isEqualTo(CLUSTER.resolve("n_1/logs"));
    assertThat(layout.tmpDir("n_1")).isEqualTo(CLUSTER.resolve("n_1/tmp"));
    assertThat(layout.consoleLog("n_1")).isEqualTo(CLUSTER.resolve("n_1/logs/console.log"));
    assertThat(layout.stateFile()).isEqualTo(CLUSTER.resolve("cluster.state"));
    assertThat(layout.propertiesFile()).isEqualTo(CLUSTER.resolve("cluster.properties"));
    assertThat(node.firstPort()).isEqualTo(5001);
    assertThat(node.describePorts()).isEqualTo("http=5001 admin=5002");
  }

  @Test
  void clusterHostsListsTheFirstPortOfEveryNodeInIndexOrder() {
    // n_2 has the lowest port: the order is the index order, not the port order.
    assertThat(Cluster.hosts(List.of(n0, n1, n2)))
        .isEqualTo("127.0.0.1:4001,127.0.0.1:5001,127.0.0.1:3001");
    assertThat(Cluster.hosts(List.of(n0))).isEqualTo("127.0.0.1:4001");
  }

  @Test
  void everyPlaceholderResolvesPerNode() {
    String hosts = Cluster.hosts(List.of(n0, n1, n2));
    Placeholders p0 = NodeValues.of(layout, ID, 0, List.of(n0, n1, n2));
    Placeholders p1 = NodeValues.of(layout, ID, 1, List.of(n0, n1, n2));

    assertThat(p1.resolve("@{node.index}")).isEqualTo("1");
    assertThat(p1.resolve("@{node.name}")).isEqualTo("n_1");
    assertThat(p1.resolve("@{node.dir}")).isEqualTo(CLUSTER.resolve("n_1").toString());
    assertThat(p1.resolve("@{node.dataDir}")).isEqualTo(CLUSTER.resolve("n_1/data").toString());
    assertThat(p1.resolve("@{node.logDir}")).isEqualTo(CLUSTER.resolve("n_1/logs").toString());
    assertThat(p1.resolve("@{node.tmpDir}")).isEqualTo(CLUSTER.resolve("n_1/tmp").toString());
    assertThat(p1.resolve("@{node.port}")).isEqualTo("5001");
    assertThat(p1.resolve("@{node.port.http}")).isEqualTo("5001");
    assertThat(p1.resolve("@{node.port.admin}")).isEqualTo("5002");
    assertThat(p1.resolve("@{cluster.dir}")).isEqualTo(CLUSTER.toString());
    assertThat(p1.resolve("@{cluster.hosts}")).isEqualTo(hosts);
    assertThat(p1.resolve("@{cluster.id}")).isEqualTo(ID);
    assertThat(p1.forCluster().resolve("--name=c-@{cluster.id}")).isEqualTo("--name=c-" + ID);
    assertThat(p0.resolve("@{nodes[,]:@{cluster.id}}")).isEqualTo(ID + "," + ID + "," + ID);

    assertThat(p0.resolve("--port=@{node.port.admin} --name=@{node.name}"))
        .isEqualTo("--port=4002 --name=n_0");
  }

  @Test
  void textAroundAndBetweenPlaceholdersIsKept() {
    Placeholders p = NodeValues.of(layout, ID, 0, List.of(n0));
    assertThat(p.resolve("http://127.0.0.1:@{node.port.http}/health?n=@{node.index}&x=@{node.index}"))
        .isEqualTo("http://127.0.0.1:4001/health?n=0&x=0");
    assertThat(p.resolve("no placeholder, ${maven.property} and @ alone")).isEqualTo("no placeholder, ${maven.property} and @ alone");
    assertThat(p.resolve(null)).isNull();
  }

  @Test
  void valuesWithDollarsAndBackslashesAreInsertedLiterally() {
    Path odd = Paths.get("/tmp/we$ird\\dir$1");
    Placeholders node = NodeValues.of(new ClusterLayout(odd), ID, 0, List.of(ports(1, 2)));
    assertThat(node.resolve("--dir=@{cluster.dir}")).isEqualTo("--dir=" + odd);
    assertThat(node.resolve("@{node.dataDir}")).isEqualTo(odd.resolve("n_0/data").toString());
  }

  // ---- Forming a real cluster (0.2): node numbers, the cluster's size, hosts per port, repeats ----

  /** Three nodes with fixed ports named as ZooKeeper, Kafka and etcd need them. */
  private static List<Map<String, Integer>> formation() {
    List<Map<String, Integer>> nodes = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, Integer> ports = new LinkedHashMap<>();
      ports.put("client", 2181 + i);
      ports.put("quorum", 2888 + i);
      ports.put("election", 3888 + i);
      ports.put("controller", 9093 + i);
      ports.put("peer", 2380 + i);
      nodes.add(ports);
    }
    return nodes;
  }

  @Test
  void zooKeeperServerLinesAreOneLineOfTemplate() {
    Placeholders p = NodeValues.of(layout, ID, 1, formation());
    assertThat(p.resolve("@{nodes[\\n]:server.@{node.number}=127.0.0.1:@{node.port.quorum}:@{node.port.election}}"))
        .isEqualTo(
            "server.1=127.0.0.1:2888:3888\n"
                + "server.2=127.0.0.1:2889:3889\n"
                + "server.3=127.0.0.1:2890:3890");
  }

  @Test
  void kafkaControllerQuorumVotersAreOneLineOfTemplate() {
    Placeholders p = NodeValues.of(layout, ID, 2, formation());
    assertThat(p.resolve("controller.quorum.voters=@{nodes[,]:@{node.number}@127.0.0.1:@{node.port.controller}}"))
        .isEqualTo("controller.quorum.voters=1@127.0.0.1:9093,2@127.0.0.1:9094,3@127.0.0.1:9095");
  }

  @Test
  void etcdInitialClusterIsOneLineOfTemplateAndNodeOutsideTheRepeatIsTheCurrentNode() {
    Placeholders p = NodeValues.of(layout, ID, 1, formation());
    assertThat(
            p.resolve(
                "--name=@{node.name} --initial-cluster=@{nodes[,]:@{node.name}=http://127.0.0.1:@{node.port.peer}}"
                    + " --listen-peer-urls=http://127.0.0.1:@{node.port.peer}"))
        .isEqualTo(
            "--name=n_1 --initial-cluster=n_0=http://127.0.0.1:2380,n_1=http://127.0.0.1:2381,"
                + "n_2=http://127.0.0.1:2382 --listen-peer-urls=http://127.0.0.1:2381");
  }

  @Test
  void nodeNumberClusterSizeAndHostsPerPortName() {
    Placeholders p = NodeValues.of(layout, ID, 2, formation());
    assertThat(p.resolve("@{node.number}/@{cluster.size}")).isEqualTo("3/3");
    assertThat(p.resolve("@{cluster.hosts.client}"))
        .isEqualTo("127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183");
    assertThat(p.resolve("@{cluster.hosts.peer}"))
        .isEqualTo("127.0.0.1:2380,127.0.0.1:2381,127.0.0.1:2382");
    // @{cluster.hosts} is still the first port of every node.
    assertThat(p.resolve("@{cluster.hosts}")).isEqualTo(p.resolve("@{cluster.hosts.client}"));
    assertThat(NodeValues.hosts(formation(), "election"))
        .isEqualTo("127.0.0.1:3888,127.0.0.1:3889,127.0.0.1:3890");
  }

  @Test
  void aRepeatSeesEveryNodesDirectoriesAndTheClusterValues() {
    Placeholders p = NodeValues.of(layout, ID, 0, formation());
    assertThat(p.resolve("@{nodes[;]:@{node.dataDir}|@{cluster.size}|@{node.index}}"))
        .isEqualTo(
            CLUSTER.resolve("n_0/data") + "|3|0;" + CLUSTER.resolve("n_1/data") + "|3|1;"
                + CLUSTER.resolve("n_2/data") + "|3|2");
  }

  // ---- Nodes on other hosts (0.3): each node's host, directories where it runs ----

  private static final String REMOTE = "/tmp/cluster-maven-plugin/c-0123456789abcdef";

  /** n_0 on h1, n_1 on h2, n_2 on h1 again (node i on host i mod 2). */
  private Placement onTwoHosts() {
    return new Placement(
        layout,
        new SshSettings(REMOTE, null, false),
        List.of(Place.ssh("h1", "10.0.0.1"), Place.ssh("u@h2:2222", "10.0.0.2"), Place.ssh("h1", "10.0.0.1")),
        formation());
  }

  @Test
  void nodeHostIsTheAddressOfEachNodesHost() {
    assertThat(NodeValues.of(onTwoHosts(), ID, 0).resolve("--bind=@{node.host}")).isEqualTo("--bind=10.0.0.1");
    assertThat(NodeValues.of(onTwoHosts(), ID, 1).resolve("--bind=@{node.host}")).isEqualTo("--bind=10.0.0.2");
    assertThat(NodeValues.of(layout, ID, 1, formation()).resolve("@{node.host}")).isEqualTo("127.0.0.1");
  }

  @Test
  void aRemoteNodesDirectoriesAreUnderTheRemoteDirectory() {
    Placeholders p = NodeValues.of(onTwoHosts(), ID, 1);
    assertThat(p.resolve("@{node.dir}")).isEqualTo(REMOTE + "/n_1");
    assertThat(p.resolve("@{node.dataDir}")).isEqualTo(REMOTE + "/n_1/data");
    assertThat(p.resolve("@{node.logDir}")).isEqualTo(REMOTE + "/n_1/logs");
    assertThat(p.resolve("@{node.tmpDir}")).isEqualTo(REMOTE + "/n_1/tmp");
    assertThat(p.resolve("@{cluster.dir}")).isEqualTo(REMOTE);
    assertThat(p.resolve("@{nodes[,]:@{node.dataDir}}"))
        .isEqualTo(REMOTE + "/n_0/data," + REMOTE + "/n_1/data," + REMOTE + "/n_2/data");
  }

  @Test
  void clusterHostsAndTheRepeatHaveTheHostsAddresses() {
    Placeholders p = NodeValues.of(onTwoHosts(), ID, 2);
    assertThat(p.resolve("@{cluster.hosts}")).isEqualTo("10.0.0.1:2181,10.0.0.2:2182,10.0.0.1:2183");
    assertThat(p.resolve("@{cluster.hosts.peer}")).isEqualTo("10.0.0.1:2380,10.0.0.2:2381,10.0.0.1:2382");
    assertThat(p.resolve("@{nodes[,]:@{node.host}:@{node.port}}")).isEqualTo(p.resolve("@{cluster.hosts}"));
    assertThat(p.resolve("@{nodes[\\n]:server.@{node.number}=@{node.host}:@{node.port.quorum}:@{node.port.election}}"))
        .isEqualTo(
            "server.1=10.0.0.1:2888:3888\n"
                + "server.2=10.0.0.2:2889:3889\n"
                + "server.3=10.0.0.1:2890:3890");
    assertThat(p.forCluster().resolve("@{cluster.hosts.client}")).isEqualTo("10.0.0.1:2181,10.0.0.2:2182,10.0.0.1:2183");
  }

  @Test
  void anIpv6HostIsBracketedInHostListsButNotInNodeHost() {
    Placement placement =
        new Placement(
            layout, new SshSettings(REMOTE, null, false),
            List.of(Place.ssh("h1", "fd00::1"), Place.ssh("h2", "10.0.0.2")), formation().subList(0, 2));
    Placeholders p = NodeValues.of(placement, ID, 0);
    assertThat(p.resolve("@{node.host}")).isEqualTo("fd00::1");
    assertThat(p.resolve("@{cluster.hosts}")).isEqualTo("[fd00::1]:2181,10.0.0.2:2182");
    assertThat(p.resolve("@{cluster.hosts.quorum}")).isEqualTo("[fd00::1]:2888,10.0.0.2:2889");
  }

  @Test
  void aLocalNodeBesideRemoteOnesKeepsTheBuildMachinesDirectories() {
    Placement placement =
        new Placement(
            layout, new SshSettings(REMOTE, null, false),
            List.of(Place.ssh("h1", "10.0.0.1"), Place.LOCAL), formation().subList(0, 2));
    Placeholders local = NodeValues.of(placement, ID, 1);
    assertThat(local.resolve("@{node.dir}")).isEqualTo(CLUSTER.resolve("n_1").toString());
    assertThat(local.resolve("@{cluster.dir}")).isEqualTo(CLUSTER.toString());
    assertThat(local.resolve("@{node.host}")).isEqualTo("127.0.0.1");
    assertThat(local.resolve("@{nodes[,]:@{node.dir}}")).isEqualTo(REMOTE + "/n_0," + CLUSTER.resolve("n_1"));
  }
}
