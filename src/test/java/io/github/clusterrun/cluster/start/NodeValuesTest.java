package io.github.clusterrun.cluster.start;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.config.Placeholders;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.Node;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each node's directories, ports and placeholder values, as the contract's table lists them. */
class NodeValuesTest {
  private static final Path CLUSTER = Paths.get("/work/project/target/cluster");

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
    Placeholders p0 = NodeValues.of(layout, 0, n0, hosts);
    Placeholders p1 = NodeValues.of(layout, 1, n1, hosts);

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

    assertThat(p0.resolve("--port=@{node.port.admin} --name=@{node.name}"))
        .isEqualTo("--port=4002 --name=n_0");
  }

  @Test
  void textAroundAndBetweenPlaceholdersIsKept() {
    Placeholders p = NodeValues.of(layout, 0, n0, "127.0.0.1:4001");
    assertThat(p.resolve("http://127.0.0.1:@{node.port.http}/health?n=@{node.index}&x=@{node.index}"))
        .isEqualTo("http://127.0.0.1:4001/health?n=0&x=0");
    assertThat(p.resolve("no placeholder, ${maven.property} and @ alone")).isEqualTo("no placeholder, ${maven.property} and @ alone");
    assertThat(p.resolve(null)).isNull();
  }

  @Test
  void valuesWithDollarsAndBackslashesAreInsertedLiterally() {
    Path odd = Paths.get("/tmp/we$ird\\dir$1");
    Placeholders node = NodeValues.of(new ClusterLayout(odd), 0, ports(1, 2), "h");
    assertThat(node.resolve("--dir=@{cluster.dir}")).isEqualTo("--dir=" + odd);
    assertThat(node.resolve("@{node.dataDir}")).isEqualTo(odd.resolve("n_0/data").toString());
  }
}
