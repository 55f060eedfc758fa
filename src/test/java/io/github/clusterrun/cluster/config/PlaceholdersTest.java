package io.github.clusterrun.cluster.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * The repeat construct {@code @{nodes[SEP]:TEMPLATE}}: how it is parsed (separators, escapes,
 * colons, commas and braces in templates), that it does not nest, and that every name inside it is
 * checked like any other placeholder.
 */
class PlaceholdersTest {
  private static final List<String> PORTS = List.of("http", "peer");

  /** Three nodes: n_0 .. n_2 with http 8080+i and peer 7000+i. */
  private static Placeholders node(int index) {
    List<Map<String, String>> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, String> values = new LinkedHashMap<>();
      values.put("node.index", Integer.toString(i));
      values.put("node.number", Integer.toString(i + 1));
      values.put("node.name", "n_" + i);
      values.put("node.dir", "/c/n_" + i);
      values.put("node.port", Integer.toString(8080 + i));
      values.put("node.port.http", Integer.toString(8080 + i));
      values.put("node.port.peer", Integer.toString(7000 + i));
      values.put("cluster.size", "3");
      values.put("cluster.dir", "/c");
      nodes.add(values);
    }
    return Placeholders.forNode(index, nodes);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(String template) {
    return assertThatThrownBy(() -> Placeholders.check("arguments", template, PORTS))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("<arguments>")
        .hasMessageContaining("Fix:");
  }

  @Test
  void separatorsAndEscapes() {
    Placeholders p = node(0);
    assertThat(p.resolve("@{nodes[,]:@{node.index}}")).isEqualTo("0,1,2");
    assertThat(p.resolve("@{nodes[]:@{node.index}}")).isEqualTo("012");
    assertThat(p.resolve("@{nodes[, ]:@{node.index}}")).isEqualTo("0, 1, 2");
    assertThat(p.resolve("@{nodes[\\n]:@{node.index}}")).isEqualTo("0\n1\n2");
    assertThat(p.resolve("@{nodes[\\r\\n]:@{node.index}}")).isEqualTo("0\r\n1\r\n2");
    assertThat(p.resolve("@{nodes[\\t]:@{node.index}}")).isEqualTo("0\t1\t2");
    assertThat(p.resolve("@{nodes[\\]]:@{node.index}}")).isEqualTo("0]1]2");
    assertThat(p.resolve("@{nodes[\\\\]:@{node.index}}")).isEqualTo("0\\1\\2");
    // Other backslashes are kept as they are, and ':' '[' '}' in a separator are plain text.
    assertThat(p.resolve("@{nodes[\\d]:@{node.index}}")).isEqualTo("0\\d1\\d2");
    assertThat(p.resolve("@{nodes[:}[]:@{node.index}}")).isEqualTo("0:}[1:}[2");
  }

  @Test
  void colonsCommasAtsAndBalancedBracesInTheTemplateArePlainText() {
    Placeholders p = node(0);
    assertThat(p.resolve("@{nodes[,]:@{node.number}@127.0.0.1:@{node.port.peer}}"))
        .isEqualTo("1@127.0.0.1:7000,2@127.0.0.1:7001,3@127.0.0.1:7002");
    assertThat(p.resolve("[@{nodes[,]:{\"id\":@{node.number},\"a\":{\"p\":@{node.port}}}}]"))
        .isEqualTo("[{\"id\":1,\"a\":{\"p\":8080}},{\"id\":2,\"a\":{\"p\":8081}},{\"id\":3,\"a\":{\"p\":8082}}]");
    assertThat(p.resolve("@{nodes[,]:a,b:c}")).isEqualTo("a,b:c,a,b:c,a,b:c");
    assertThat(p.resolve("@{nodes[,]:}")).isEqualTo(",,");
  }

  @Test
  void insideTheRepeatNodeIsTheRepeatedNodeOutsideTheCurrentOne() {
    assertThat(node(2).resolve("me=@{node.name} all=@{nodes[,]:@{node.name}} me=@{node.name} @{cluster.dir}"))
        .isEqualTo("me=n_2 all=n_0,n_1,n_2 me=n_2 /c");
    assertThat(node(1).resolve("@{nodes[,]:@{node.name}}|@{nodes[;]:@{node.port.http}}"))
        .isEqualTo("n_0,n_1,n_2|8080;8081;8082");
    assertThat(node(1).resolve("@{nodes[,]:@{empty}x}")).isEqualTo("x,x,x");
  }

  @Test
  void aSingleNodesValuesRepeatOnlyThatNode() {
    Placeholders alone = Placeholders.forNode(Map.of("node.name", "n_0"));
    assertThat(alone.resolve("@{nodes[,]:@{node.name}}")).isEqualTo("n_0");
  }

  @Test
  void regexValuesInsideTheRepeatAreQuoted() {
    Placeholders p = node(0);
    String regex = p.resolveInRegex("peers: @{nodes[,]:@{node.dir}}");
    assertThat("peers: /c/n_0,/c/n_1,/c/n_2").matches(regex);
    assertThat("peers: /c/n_0,/c/n_1,/c/nX2").doesNotMatch(regex);
  }

  @Test
  void validTemplatesPassTheCheck() throws Exception {
    Placeholders.check(
        "arguments",
        "@{nodes[\\n]:server.@{node.number}=127.0.0.1:@{node.port.peer}:@{node.port.http}} @{cluster.hosts.peer}"
            + " @{cluster.size} @{node.number}",
        PORTS);
    Placeholders.check("arguments", "plain text, a } alone and @{ alone", PORTS);
  }

  @Test
  void theClusterIdIsKnownToEveryStepAndListedLast() throws Exception {
    Placeholders.check("environment/HZ_CLUSTERNAME", "it-@{cluster.id}", PORTS);
    Placeholders.checkCluster("afterStart/command[1]/arguments", "--cluster-id=@{cluster.id}", PORTS);
    assertThat(Placeholders.clusterNames(PORTS)).contains("cluster.id");
    assertThat(Placeholders.knownNames(PORTS)).endsWith("cluster.hosts.peer", "node.host", "cluster.id");
  }

  @Test
  void nodeHostIsKnownToANodeAndNotToAStepOfTheWholeCluster() throws Exception {
    Placeholders.check("arguments", "--bind=@{node.host} --peers=@{nodes[,]:@{node.host}:@{node.port.peer}}", PORTS);
    assertThat(Placeholders.knownNames(PORTS)).contains("node.host");
    assertThat(Placeholders.clusterNames(PORTS)).doesNotContain("node.host");
    assertThatThrownBy(() -> Placeholders.checkCluster("afterStart/command[1]/arguments", "@{node.host}", PORTS))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("@{node.host}");
    // The list of known names in an error shows it.
    assertRejected("@{node.hots}").hasMessageContaining("@{node.host}");
  }

  @Test
  void anUnknownNameInsideTheRepeatIsAnErrorListingTheKnownOnes() {
    assertRejected("--peers=@{nodes[,]:@{node.colour}}")
        .hasMessageContaining("uses the unknown placeholder @{node.colour} in '--peers=@{nodes[,]:@{node.colour}}'")
        .hasMessageContaining("@{node.index}, @{node.name}")
        .hasMessageContaining("@{node.number}, @{cluster.size}, @{cluster.hosts.http}, @{cluster.hosts.peer}");
    assertRejected("@{nodes[,]:@{node.port.admin}}").hasMessageContaining("add <port>admin</port> to <ports>");
    assertRejected("@{cluster.hosts.admin}").hasMessageContaining("add <port>admin</port> to <ports>");
  }

  @Test
  void malformedRepeatsAreErrorsThatShowTheSyntax() {
    assertRejected("@{nodes[,:@{node.name}}")
        .hasMessageContaining("malformed @{nodes[SEP]:TEMPLATE}")
        .hasMessageContaining("no closing ]");
    assertRejected("@{nodes[,]@{node.name}}").hasMessageContaining("must be followed by ':'");
    assertRejected("@{nodes[,]:@{node.name}").hasMessageContaining("no closing }");
    assertRejected("@{nodes[,]:{@{node.name}}").hasMessageContaining("no closing }");
    assertRejected("@{nodes[,]:@{nodes[;]:@{node.name}}}").hasMessageContaining("cannot be nested");
    // Without the brackets it is a name, and the hint shows the syntax.
    assertRejected("@{nodes}")
        .hasMessageContaining("unknown placeholder @{nodes}")
        .hasMessageContaining("to repeat a template for every node write @{nodes[SEP]:TEMPLATE}");
  }

  @Test
  void aMistakeInALongTextNamesItsLine() {
    String text = "tickTime=2000\nclientPort=@{node.port.http}\nserver.1=@{node.prot}\n";
    assertThatThrownBy(() -> Placeholders.check("files><file><content", text, PORTS, "the <content> of 'zoo.cfg'"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("<files><file><content> uses the unknown placeholder @{node.prot}"
            + " in line 3 of the <content> of 'zoo.cfg': 'server.1=@{node.prot}'");
  }
}
