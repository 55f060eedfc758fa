package io.github.clusterrun.cluster.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clusterrun.cluster.family.NodeRoot;
import io.github.clusterrun.cluster.platform.Platform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The recorded cluster survives a write and a read by a later build; every damage is reported. */
class StateFileTest {
  @TempDir Path dir;

  private static Node node(int index, String mark, long pid, Instant start) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("http", 4001 + index * 2);
    ports.put("admin", 4002 + index * 2);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("NODE_NAME", "n_" + index);
    env.put("EMPTY", "");
    env.put("ODD", "a=b \\u00e9 \u00e9\n#not a comment");
    Node planned =
        Node.planned(
            index,
            mark,
            ports,
            List.of("/usr/bin/node", "--port=" + (4001 + index * 2), "", "two words"),
            env,
            Paths.get("/tmp/cluster/n_" + index));
    return pid > 0 ? planned.launched(pid, start) : planned;
  }

  @Test
  void roundTripIncludingANodeNotLaunchedYet() throws Exception {
    Instant started = Instant.ofEpochMilli(1_764_000_000_123L);
    Instant n0Start = Instant.ofEpochMilli(1_764_000_001_456L);
    Path clusterDir = dir.resolve("cluster");
    ClusterLayout layout = new ClusterLayout(clusterDir);
    Cluster cluster =
        new Cluster(
            layout,
            "c0ffee",
            started,
            Duration.ofSeconds(7),
            "shutdown now",
            List.of(node(0, "c0ffee/n_0", 4242, n0Start), node(1, "c0ffee/n_1", 0, null)));

    cluster.write();
    assertThat(layout.stateFile()).isRegularFile();
    assertThat(clusterDir.resolve("cluster.state.tmp")).doesNotExist();

    Cluster read = StateFile.read(layout).orElseThrow();
    assertThat(read.id()).isEqualTo("c0ffee");
    assertThat(read.started()).isEqualTo(started);
    assertThat(read.stopped()).isFalse();
    assertThat(read.stopTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(read.stopInput()).isEqualTo("shutdown now");
    assertThat(read.nodes()).hasSize(2);
    Node n0 = read.nodes().get(0);
    assertThat(n0.name()).isEqualTo("n_0");
    assertThat(n0.mark()).isEqualTo("c0ffee/n_0");
    assertThat(n0.pid()).isEqualTo(4242);
    assertThat(n0.startInstant()).isEqualTo(n0Start);
    assertThat(n0.state()).isEqualTo(NodeState.RUNNING);
    Node n1 = read.nodes().get(1);
    assertThat(n1.name()).isEqualTo("n_1");
    assertThat(n1.mark()).isEqualTo("c0ffee/n_1");
    assertThat(n1.pid()).isZero();
    assertThat(n1.startInstant()).isNull();
    assertThat(n1.state()).isEqualTo(NodeState.PLANNED);
    // The whole record, ports, command (an empty argument among them) and environment included.
    assertThat(read.nodes()).isEqualTo(cluster.nodes());
    assertThat(n1.ports()).containsExactly(Map.entry("http", 4003), Map.entry("admin", 4004));
    assertThat(n1.command()).containsExactly("/usr/bin/node", "--port=4003", "", "two words");

    assertThat(read.process("n_1")).isEmpty();
    assertThat(NodeRoot.of(n1, read.process("n_1"), Platform.current())).isEmpty();
  }

  @Test
  void markStoppedAndNoStopInputRoundTrip() throws Exception {
    ClusterLayout layout = new ClusterLayout(dir);
    Cluster cluster =
        new Cluster(layout, "abc", Instant.ofEpochMilli(1000), Duration.ofSeconds(10), null, List.of(node(0, "abc/n_0", 0, null)));
    cluster.markStopped();
    cluster.write();

    Cluster read = StateFile.read(layout).orElseThrow();
    assertThat(read.stopped()).isTrue();
    assertThat(read.stopInput()).isNull();
    assertThat(read.nodes()).extracting(Node::state).containsExactly(NodeState.STOPPED);
    // For people reading the file.
    assertThat(Files.readString(layout.stateFile())).contains("stopped=true");
  }

  @Test
  void theStopOrderRoundTripsAndAnOlderFileWithoutOneIsParallel() throws Exception {
    ClusterLayout layout = new ClusterLayout(dir);
    for (StopOrder order : StopOrder.values()) {
      new Cluster(layout, "abc", Instant.ofEpochMilli(1000), Duration.ofSeconds(10), null, order,
              List.of(node(0, "abc/n_0", 0, null)))
          .write();
      assertThat(StateFile.read(layout).orElseThrow().stopOrder()).isEqualTo(order);
    }
    assertThat(Files.readString(layout.stateFile())).contains("stopOrder=reverse");

    // Written before 0.2: no stopOrder at all.
    String old = Files.readString(layout.stateFile(), StandardCharsets.ISO_8859_1).replaceAll("(?m)^stopOrder=.*$", "");
    Files.writeString(layout.stateFile(), old, StandardCharsets.ISO_8859_1);
    assertThat(StateFile.read(layout).orElseThrow().stopOrder()).isEqualTo(StopOrder.PARALLEL);

    // An unknown one is a damaged state, not a guess.
    Files.writeString(layout.stateFile(), old + "stopOrder=sideways\n", StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> StateFile.read(layout))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("stopOrder=sideways");
  }

  // ---- Nodes on other hosts (0.3): each node's place, how the hosts are reached ----

  private static Node at(int index, Place place) {
    return Node.planned(
        index, "c0ffee/n_" + index, Map.of("http", 4001 + index), List.of("/opt/node", "--x"),
        Map.of("A", "b"), Paths.get("/tmp/cmp/c-1/n_" + index), place);
  }

  @Test
  void thePlacesOfNodesOnOtherHostsAndTheSshSettingsRoundTrip() throws Exception {
    ClusterLayout layout = new ClusterLayout(dir);
    Cluster cluster =
        new Cluster(layout, "c0ffee", Instant.ofEpochMilli(1000), Duration.ofSeconds(10), null,
            List.of(
                at(0, Place.ssh("deploy@h1:2222", "10.0.0.11")),
                at(1, Place.ssh("h2", "fd00::2")).launched(77, null),
                at(2, Place.local("10.200.0.3"))));
    SshSettings ssh = new SshSettings("/tmp/cmp/c-0123456789abcdef", dir.resolve("ssh config"), true);
    cluster.ssh(ssh);
    cluster.write();

    Cluster read = StateFile.read(layout).orElseThrow();
    assertThat(read.nodes()).isEqualTo(cluster.nodes());
    assertThat(read.nodes()).extracting(Node::place)
        .containsExactly(Place.ssh("deploy@h1:2222", "10.0.0.11"), Place.ssh("h2", "fd00::2"), Place.local("10.200.0.3"));
    assertThat(read.ssh()).contains(ssh);
    assertThat(read.ssh().orElseThrow().sshConfig()).contains(dir.resolve("ssh config"));
    assertThat(read.ssh().orElseThrow().acceptNewHostKeys()).isTrue();
    assertThat(Files.readString(layout.stateFile(), StandardCharsets.ISO_8859_1))
        .contains("ssh.remoteDirectory=", "ssh.config=", "ssh.acceptNewHostKeys=true", "node.1.sshHost=h2");
  }

  @Test
  void sshSettingsWithoutAConfigFileRoundTripAndALocalClusterRecordsNone() throws Exception {
    ClusterLayout layout = new ClusterLayout(dir);
    Cluster cluster =
        new Cluster(layout, "c0ffee", Instant.ofEpochMilli(1000), Duration.ofSeconds(10), null,
            List.of(at(0, Place.ssh("h1", "10.0.0.1"))));
    cluster.ssh(new SshSettings("/var/tmp/c-1", null, false));
    cluster.write();
    SshSettings read = StateFile.read(layout).orElseThrow().ssh().orElseThrow();
    assertThat(read.remoteDirectory()).isEqualTo("/var/tmp/c-1");
    assertThat(read.sshConfig()).isEmpty();
    assertThat(read.acceptNewHostKeys()).isFalse();

    new Cluster(layout, "c0ffee", Instant.ofEpochMilli(1000), Duration.ofSeconds(10), null,
            List.of(at(0, Place.LOCAL)))
        .write();
    assertThat(StateFile.read(layout).orElseThrow().ssh()).isEmpty();
    assertThat(Files.readString(layout.stateFile())).doesNotContain("ssh.", "sshHost");
  }

  @Test
  void localNodesInNetworkNamespacesRoundTripWithTheirAddressesAndAClusterWithoutRecordsNone() throws Exception {
    ClusterLayout layout = new ClusterLayout(dir);
    Cluster cluster =
        new Cluster(layout, "c0ffee0123456789", Instant.ofEpochMilli(1000), Duration.ofSeconds(10), null,
            List.of(at(0, Place.local("10.77.5.2")), at(1, Place.local("10.77.5.3"))));
    cluster.inNetworkNamespaces();
    cluster.write();
    assertThat(Files.readString(layout.stateFile(), StandardCharsets.ISO_8859_1)).contains("network.namespaces=true");

    Cluster read = StateFile.read(layout).orElseThrow();
    assertThat(read.networkNamespaces()).isTrue();
    assertThat(read.nodes()).extracting(Node::place).containsExactly(Place.local("10.77.5.2"), Place.local("10.77.5.3"));
    assertThat(read.at(Place.LOCAL).networkNamespaces()).isTrue(); // a view keeps it
    assertThat(read.only("n_1").networkNamespaces()).isTrue();

    new Cluster(layout, "c0ffee0123456789", Instant.ofEpochMilli(1000), Duration.ofSeconds(10), null,
            List.of(at(0, Place.LOCAL)))
        .write();
    assertThat(StateFile.read(layout).orElseThrow().networkNamespaces()).isFalse();
    assertThat(Files.readString(layout.stateFile())).doesNotContain("network.");
  }

  @Test
  void aFileWrittenBeforeNodesOnOtherHostsReadsAsLocalNodesAtTheLoopback() throws Exception {
    ClusterLayout layout = new ClusterLayout(dir);
    Cluster cluster =
        new Cluster(layout, "c0ffee", Instant.ofEpochMilli(1000), Duration.ofSeconds(10), null,
            List.of(at(0, Place.ssh("h1", "10.0.0.1")), at(1, Place.local("10.200.0.9"))));
    cluster.ssh(new SshSettings("/var/tmp/c-1", null, true));
    cluster.write();
    String old =
        Files.readString(layout.stateFile(), StandardCharsets.ISO_8859_1)
            .replaceAll("(?m)^(node\\.\\d+\\.(sshHost|address)|ssh\\.[a-zA-Z]+)=.*$", "");
    assertThat(old).doesNotContain("ssh", "address");
    Files.writeString(layout.stateFile(), old, StandardCharsets.ISO_8859_1);

    Cluster read = StateFile.read(layout).orElseThrow();
    assertThat(read.nodes()).extracting(Node::place).containsExactly(Place.LOCAL, Place.LOCAL);
    assertThat(read.ssh()).isEmpty();
    assertThat(read.places()).containsExactly(Place.LOCAL);
  }

  @Test
  void aRewriteReplacesTheOldState() throws Exception {
    ClusterLayout layout = new ClusterLayout(dir);
    new Cluster(layout, "abc", Instant.ofEpochMilli(1000), Duration.ofSeconds(10), null, List.of(node(0, "abc/n_0", 0, null)))
        .write();
    new Cluster(layout, "abc", Instant.ofEpochMilli(1000), Duration.ofSeconds(10), null, List.of(node(0, "abc/n_0", 77, null)))
        .write();

    assertThat(StateFile.read(layout).orElseThrow().nodes().get(0).pid()).isEqualTo(77);
  }

  @Test
  void noStateFileMeansNothingRecorded() throws Exception {
    assertThat(StateFile.read(new ClusterLayout(dir))).isEqualTo(Optional.empty());
    assertThat(StateFile.read(new ClusterLayout(dir.resolve("missing")))).isEmpty();
  }

  static Stream<Arguments> damagedStates() throws Exception {
    String good = goodState();
    int escape = good.indexOf("\\u00E9"); // the escape of é; \\u00e9 in the value is escaped text
    byte[] random = new byte[512];
    new java.util.Random(42).nextBytes(random);
    return Stream.of(
        Arguments.of("cut inside a \\uXXXX escape", good.substring(0, escape + 4).getBytes(StandardCharsets.ISO_8859_1)),
        Arguments.of("cut in the middle", good.substring(0, good.length() / 2).getBytes(StandardCharsets.ISO_8859_1)),
        Arguments.of("random bytes", random),
        Arguments.of("empty", new byte[0]),
        Arguments.of("a bad node count", good.replace("nodes=1", "nodes=x").getBytes(StandardCharsets.ISO_8859_1)),
        Arguments.of("a negative node count", good.replace("nodes=1", "nodes=-1").getBytes(StandardCharsets.ISO_8859_1)),
        Arguments.of("too many nodes counted", good.replace("nodes=1", "nodes=2").getBytes(StandardCharsets.ISO_8859_1)),
        Arguments.of("a bad pid", good.replace("node.0.pid=4242", "node.0.pid=notanumber").getBytes(StandardCharsets.ISO_8859_1)),
        Arguments.of("an unknown state", good.replace("node.0.state=RUNNING", "node.0.state=DANCING").getBytes(StandardCharsets.ISO_8859_1)),
        Arguments.of("another format", good.replace("format=2", "format=1").getBytes(StandardCharsets.ISO_8859_1)),
        Arguments.of("no id", good.replaceAll("(?m)^id=.*$", "").getBytes(StandardCharsets.ISO_8859_1)),
        Arguments.of("the old format", "nodes=0\nid=x\nstarted=1\n".getBytes(StandardCharsets.ISO_8859_1)));
  }

  private static String goodState() throws Exception {
    Path tmp = Files.createTempDirectory("state");
    try {
      ClusterLayout layout = new ClusterLayout(tmp);
      new Cluster(layout, "c0ffee", Instant.ofEpochMilli(1000), Duration.ofSeconds(10), null,
              List.of(node(0, "c0ffee/n_0", 4242, Instant.ofEpochMilli(2000))))
          .write();
      return new String(Files.readAllBytes(layout.stateFile()), StandardCharsets.ISO_8859_1);
    } finally {
      Files.deleteIfExists(tmp.resolve("cluster.state"));
      Files.deleteIfExists(tmp);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damagedStates")
  void everyDamagedStateIsOneTypedFailureNamingTheFileAndTheFix(String damage, byte[] content) throws Exception {
    ClusterLayout layout = new ClusterLayout(dir);
    Files.write(layout.stateFile(), content);

    assertThatThrownBy(() -> StateFile.read(layout))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("The cluster state " + layout.stateFile() + " cannot be read")
        .hasMessageContaining("Fix: run mvn cluster:clean")
        .satisfies(e -> assertThat(((StateException) e).file()).isEqualTo(layout.stateFile()));
  }

  @Test
  void theGoodStateOfTheDamageTestsReadsBack() throws Exception {
    ClusterLayout layout = new ClusterLayout(dir);
    Files.writeString(layout.stateFile(), goodState(), StandardCharsets.ISO_8859_1);
    assertThat(StateFile.read(layout).orElseThrow().nodes()).extracting(Node::pid).containsExactly(4242L);
  }
}
