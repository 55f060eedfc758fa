package io.github.clusterrun.cluster.start;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.config.ClusterConfig;
import io.github.clusterrun.cluster.config.PropertyPrefix;
import io.github.clusterrun.cluster.config.Readiness;
import io.github.clusterrun.cluster.engine.LocalEngine;
import io.github.clusterrun.cluster.guard.ExitGuard;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.NetRule;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.Place;
import io.github.clusterrun.cluster.model.StateFile;
import io.github.clusterrun.cluster.platform.NodeNetworks;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.stop.ConfirmedStop;
import io.github.clusterrun.cluster.testing.HostNetwork;
import io.github.clusterrun.cluster.testing.Procs;
import io.github.clusterrun.cluster.testing.RecordingLog;
import io.github.clusterrun.cluster.testing.TestHosts;
import io.github.clusterrun.cluster.testing.TestHosts.Result;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster of three local Java nodes with {@code <networkFaults>} (issue 19): each node and its
 * {@code beforeStart} command in a network namespace of its own, binding its own address; rules put
 * in force inside node 0's namespace cut it off from the others, checked from inside the nodes'
 * network by real connections, while the build machine still reaches every node; heal restores
 * everything; the stop leaves {@code ip netns}, {@code ip link} and the nftables tables as they
 * were. Root only: skipped with a warning otherwise.
 */
class LocalNetworkFaultsTest {
  private static final Duration T = Duration.ofSeconds(20);

  @TempDir Path temp;
  Path base;
  Path clusterDir;
  final RecordingLog log = new RecordingLog();
  HostNetwork before;

  @BeforeEach
  void root() throws Exception {
    Optional<String[]> missing = NodeNetworks.missing();
    if (missing.isPresent()) {
      System.err.println("WARNING: LocalNetworkFaultsTest skipped, no network namespaces here: " + "<networkFaults> " + missing.get()[0]);
    }
    Assumptions.assumeTrue(missing.isEmpty(), () -> "<networkFaults> " + missing.get()[0]);
    base = Files.createDirectories(temp.resolve("project"));
    clusterDir = base.resolve("target/cluster");
    before = HostNetwork.now();
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (clusterDir != null) {
      Procs.stopClusterIn(clusterDir, log);
    }
  }

  @Test
  void dropRulesInNodeZerosNamespaceCutItOffFromItsPeersWhileTheBuildMachineReachesEveryNode() throws Exception {
    List<String> arguments = new ArrayList<>(Procs.testNodeJvmArguments());
    arguments.add("--port=@{node.port}");
    arguments.add("--host=@{node.host}");
    ClusterConfig config =
        ClusterConfig.builder()
            .baseDirectory(base)
            .clusterDirectory(Paths.get("target/cluster"))
            .nodes(3)
            .executable(Procs.javaExecutable().toString())
            .arguments(arguments)
            .ports(List.of("port"))
            .readiness(new Readiness(null, "@{node.port}", null, Duration.ofSeconds(60)))
            // Records the network namespace it runs in, in the node's directory.
            .beforeStart("/bin/sh", null, List.of("-c", "readlink /proc/self/ns/net > netns"), 30, false)
            .networkFaults(true)
            .stopTimeoutSeconds(5)
            .build();

    Cluster cluster = new ClusterStarter(config, ExitGuard.jvm(), Platform.current(), log).start();
    NodeNetworks networks = NodeNetworks.of(cluster.id());
    List<Node> nodes = cluster.nodes();
    List<String> addresses = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    for (Node node : nodes) {
      addresses.add(node.place().address());
      ports.add(node.ports().get("port"));
    }

    // Addresses of their own, exported, recorded; each node and its beforeStart in its namespace.
    assertThat(addresses).doesNotHaveDuplicates().noneMatch(a -> a.startsWith("127."));
    Map<String, String> p = ExportedProperties.of(cluster, PropertyPrefix.DEFAULT);
    assertThat(p.get("cluster.node.1.host")).isEqualTo(addresses.get(1));
    assertThat(p.get("cluster.hosts")).contains(addresses.get(0) + ":" + ports.get(0));
    Cluster recorded = StateFile.read(new ClusterLayout(clusterDir)).orElseThrow();
    assertThat(recorded.networkNamespaces()).isTrue();
    assertThat(recorded.nodes()).extracting(Node::place).containsExactly(
        Place.local(addresses.get(0)), Place.local(addresses.get(1)), Place.local(addresses.get(2)));
    for (Node node : nodes) {
      String own = Files.readSymbolicLink(Paths.get("/proc", Long.toString(node.pid()), "ns", "net")).toString();
      String namespace = TestHosts.run(T, "ip", "netns", "identify", Long.toString(node.pid())).out.trim();
      assertThat(namespace).isEqualTo(networks.namespace(node.index()));
      assertThat(Files.readString(clusterDir.resolve(node.name()).resolve("netns")).trim()).isEqualTo(own);
      assertThat(Procs.env(node.pid()).orElseThrow()).containsKey("CLUSTER_MAVEN_PLUGIN_MARK");
    }
    assertThat(reachesAllFromHere(addresses, ports)).isTrue();
    assertThat(connects(networks, 0, addresses.get(1), ports.get(1))).isTrue();

    LocalEngine engine = new LocalEngine(Platform.current(), log, networks);
    Cluster here = cluster.at(Place.LOCAL);
    assertThat(engine.networkRefusal(here, false)).isEmpty();
    Optional<String> delay = engine.networkRefusal(here, true);
    if (NodeNetworks.delayMissing().isPresent()) { // this machine's kernel: no netem
      assertThat(delay).hasValueSatisfying(why -> assertThat(why)
          .contains("delay needs the kernel's netem queueing discipline, which this machine lacks")
          .contains("partitions and loss work without it"));
    } else {
      assertThat(delay).isEmpty();
    }

    // n_0 isolated: its rules drop the others, theirs drop it.
    engine.network(here, Map.of(
        "n_0", List.of(NetRule.drop(addresses.get(1)), NetRule.drop(addresses.get(2))),
        "n_1", List.of(NetRule.drop(addresses.get(0))),
        "n_2", List.of(NetRule.drop(addresses.get(0)))));

    assertThat(connects(networks, 0, addresses.get(1), ports.get(1))).as("n_0 -> n_1").isFalse();
    assertThat(connects(networks, 0, addresses.get(2), ports.get(2))).as("n_0 -> n_2").isFalse();
    assertThat(connects(networks, 1, addresses.get(0), ports.get(0))).as("n_1 -> n_0").isFalse();
    assertThat(connects(networks, 1, addresses.get(2), ports.get(2))).as("n_1 -> n_2").isTrue();
    assertThat(reachesAllFromHere(addresses, ports)).as("the build machine reaches every node").isTrue();
    // The rules are in the namespaces' own rulesets, none in the build machine's.
    assertThat(TestHosts.run(T, "ip", "netns", "exec", networks.namespace(0), "nft", "list", "ruleset").out)
        .contains("table inet cmp_" + cluster.id());
    assertThat(TestHosts.run(T, "nft", "list", "tables").out).doesNotContain(cluster.id());

    engine.network(here, Map.of());
    assertThat(connects(networks, 0, addresses.get(1), ports.get(1))).as("n_0 -> n_1 healed").isTrue();
    assertThat(connects(networks, 2, addresses.get(0), ports.get(0))).as("n_2 -> n_0 healed").isTrue();
    assertThat(TestHosts.run(T, "ip", "netns", "exec", networks.namespace(0), "nft", "list", "ruleset").out.trim())
        .isEmpty();

    // A partition left in force when the cluster stops: everything goes with it.
    engine.network(here, Map.of("n_2", List.of(NetRule.drop(addresses.get(1)))));
    assertThat(new ConfirmedStop(ExitGuard.jvm(), Platform.current()).stop(cluster, log).confirmed()).isTrue();

    assertThat(networks.existing()).isEmpty();
    assertThat(before.addedSince(cluster.id())).isEmpty();
  }

  @Test
  void aStopOfAnotherMavenInvocationFindsTheNamespacesInTheStateFileAndDeletesThem() throws Exception {
    Cluster cluster = new ClusterStarter(shNodes("exec sleep 600", 2), ExitGuard.jvm(), Platform.current(), log).start();
    NodeNetworks networks = NodeNetworks.of(cluster.id());
    assertThat(networks.existing()).hasSize(5);

    // What mvn cluster:stop reads: the state file alone.
    Cluster recorded = StateFile.read(new ClusterLayout(clusterDir)).orElseThrow();
    assertThat(new ConfirmedStop(ExitGuard.jvm(), Platform.current()).stop(recorded, log).confirmed()).isTrue();

    assertThat(networks.existing()).isEmpty();
    assertThat(before.addedSince(cluster.id())).isEmpty();
  }

  @Test
  void aDamagedStateStillLetsTheNextStartDeleteTheNamespacesOfTheNodesItFindsByTheirMarks() throws Exception {
    ExitGuard first = new ExitGuard(); // the build that crashed
    Cluster cluster = new ClusterStarter(shNodes("exec sleep 600", 2), first, Platform.current(), log).start();
    NodeNetworks networks = NodeNetworks.of(cluster.id());
    assertThat(networks.existing()).hasSize(5);
    Files.writeString(clusterDir.resolve("cluster.state"), "format=2\nid=x\\u00");

    // The next build's reaper (another guard: it does not hold the crashed build's cluster).
    assertThat(new ConfirmedStop(new ExitGuard(), Platform.current()).reapEvenIfDamaged(clusterDir, log).confirmed())
        .isTrue();

    assertThat(networks.existing()).isEmpty();
    assertThat(before.addedSince(cluster.id())).isEmpty();
    first.release(cluster);
  }

  @Test
  void aFailedStartDeletesTheNamespaces() throws Exception {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new ClusterStarter(shNodes("exit 3", 2), ExitGuard.jvm(), Platform.current(), log).start())
        .hasMessageContaining("Cluster start failed");
    Cluster recorded = StateFile.read(new ClusterLayout(clusterDir)).orElseThrow();
    assertThat(recorded.networkNamespaces()).isTrue();
    assertThat(NodeNetworks.of(recorded.id()).existing()).isEmpty();
    assertThat(before.addedSince(recorded.id())).isEmpty();
  }

  private ClusterConfig shNodes(String script, int nodes) throws Exception {
    return ClusterConfig.builder()
        .baseDirectory(base)
        .clusterDirectory(Paths.get("target/cluster"))
        .nodes(nodes)
        .executable("/bin/sh")
        .ports(List.of("port"))
        .arguments(List.of("-c", script))
        // A node that exits before it listens fails the start.
        .readiness(script.startsWith("exit") ? new Readiness(null, "@{node.port}", null, Duration.ofSeconds(30)) : Readiness.none())
        .networkFaults(true)
        .stopTimeoutSeconds(5)
        .build();
  }

  @Test
  void withoutNetworkFaultsLocalNodesAreRefusedNamingTheOptIn() throws Exception {
    LocalEngine engine = new LocalEngine(Platform.current(), log);
    Cluster cluster =
        new Cluster(new ClusterLayout(clusterDir), Procs.newClusterId(), java.time.Instant.now(), Duration.ofSeconds(5),
            null, List.of(Node.found(0, "x/n_0"), Node.found(1, "x/n_1")));
    assertThat(engine.networkRefusal(cluster, false)).hasValueSatisfying(why -> assertThat(why)
        .contains("<networkFaults>true</networkFaults>"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> engine.network(cluster, Map.of("n_0", List.of(NetRule.drop("127.0.0.1")))))
        .hasMessageContaining("<networkFaults>");
    engine.network(cluster, Map.of()); // healing what was never applied: nothing
  }

  private static boolean reachesAllFromHere(List<String> addresses, List<Integer> ports) {
    for (int i = 0; i < addresses.size(); i++) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(addresses.get(i), ports.get(i)), 2000);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /** Whether node {@code from} connects to {@code address:port}, from inside its namespace, within 2 s. */
  private static boolean connects(NodeNetworks networks, int from, String address, int port) {
    List<String> knock =
        networks.enter(from, List.of("timeout", "2", "bash", "-c", "exec 3<>/dev/tcp/$0/$1", address, Integer.toString(port)));
    Result result = TestHosts.run(T, knock.toArray(new String[0]));
    return result.exit == 0;
  }
}
