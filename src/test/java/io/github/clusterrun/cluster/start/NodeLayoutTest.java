package io.github.clusterrun.cluster.start;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.config.Placeholders;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each node's directories, ports and placeholder values, as the contract's table lists them. */
class NodeLayoutTest {
  private static final Path CLUSTER = Paths.get("/work/project/target/cluster");

  private static Map<String, Integer> ports(int http, int admin) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("http", http);
    ports.put("admin", admin);
    return ports;
  }

  private final NodeLayout n0 = new NodeLayout(0, CLUSTER, ports(4001, 4002));
  private final NodeLayout n1 = new NodeLayout(1, CLUSTER, ports(5001, 5002));
  private final NodeLayout n2 = new NodeLayout(2, CLUSTER, ports(3001, 3002));

  @Test
  void directoriesOfANode() {
    assertThat(n1.name()).isEqualTo("n_1");
    assertThat(n1.dir()).isEqualTo(CLUSTER.resolve("n_1"));
    assertThat(n1.dataDir()).isEqualTo(CLUSTER.resolve("n_1/data"));
    assertThat(n1.logDir()).isEqualTo(CLUSTER.resolve("n_1/logs"));
    assertThat(n1.tmpDir()).isEqualTo(CLUSTER.resolve("n_1/tmp"));
    assertThat(n1.consoleLog()).isEqualTo(CLUSTER.resolve("n_1/logs/console.log"));
    assertThat(n1.firstPort()).isEqualTo(5001);
    assertThat(n1.describePorts()).isEqualTo("http=5001 admin=5002");
  }

  @Test
  void clusterHostsListsTheFirstPortOfEveryNodeInIndexOrder() {
    // n_2 has the lowest port: the order is the index order, not the port order.
    assertThat(NodeLayout.hosts(List.of(n0, n1, n2)))
        .isEqualTo("127.0.0.1:4001,127.0.0.1:5001,127.0.0.1:3001");
    assertThat(NodeLayout.hosts(List.of(n0))).isEqualTo("127.0.0.1:4001");
  }

  @Test
  void everyPlaceholderResolvesPerNode() {
    String hosts = NodeLayout.hosts(List.of(n0, n1, n2));
    Placeholders p0 = n0.placeholders(hosts);
    Placeholders p1 = n1.placeholders(hosts);

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
    Placeholders p = n0.placeholders("127.0.0.1:4001");
    assertThat(p.resolve("http://127.0.0.1:@{node.port.http}/health?n=@{node.index}&x=@{node.index}"))
        .isEqualTo("http://127.0.0.1:4001/health?n=0&x=0");
    assertThat(p.resolve("no placeholder, ${maven.property} and @ alone")).isEqualTo("no placeholder, ${maven.property} and @ alone");
    assertThat(p.resolve(null)).isNull();
  }

  @Test
  void valuesWithDollarsAndBackslashesAreInsertedLiterally() {
    Path odd = Paths.get("/tmp/we$ird\\dir$1");
    NodeLayout node = new NodeLayout(0, odd, ports(1, 2));
    assertThat(node.placeholders("h").resolve("--dir=@{cluster.dir}")).isEqualTo("--dir=" + odd);
    assertThat(node.placeholders("h").resolve("@{node.dataDir}")).isEqualTo(odd.resolve("n_0/data").toString());
  }
}
