package io.github.clusterrun.cluster.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.clusterrun.cluster.control.client.ClusterControl;
import io.github.clusterrun.cluster.control.client.NodeInfo;
import io.github.clusterrun.cluster.engine.ssh.SshEngine;
import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.MavenBuild;
import io.github.clusterrun.cluster.testing.TestHosts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Real builds whose tests break the network between the nodes (issue 19): on the three test hosts
 * over SSH (the rules live in each host's own network namespace, where {@code nft list ruleset} reads
 * them), and on this machine with {@code <networkFaults>}. What a fault does is checked from inside
 * the nodes' network (connections between the hosts), not by reading the rules back; what a build
 * leaves is checked as each host's whole ruleset, which must be exactly what it was before. As root
 * only; skipped with a warning elsewhere.
 */
class NetworkFaultsIT {
  private static final Duration CONNECT = Duration.ofSeconds(3);
  /** The lifeline's bound on a host, plus the time the host takes to remove a table. */
  private static final Duration LIFELINE = Duration.ofSeconds(SshEngine.LIFELINE_BOUND_SECONDS + 5);
  /** The names TestHosts gives its namespaces and links (this run's and any other's). */
  private static final Pattern TEST_HOSTS_NAME = Pattern.compile("cmp[0-9a-f]{5}(h\\d+|br|v\\d+|p\\d+)");
  private static final String PARTITION_0_12 = "{\"groups\":[[\"n_0\"],[\"n_1\",\"n_2\"]]}";

  private static HostsBuilds on;

  @BeforeAll
  static void makeHosts() throws IOException {
    String why = HostsBuilds.unavailableReason();
    if (why == null && !TestHosts.run(Duration.ofSeconds(10), "nft", "--version").out.startsWith("nftables")) {
      why = "nft is missing (Debian's nftables)";
    }
    if (why != null) {
      System.err.println("WARNING: the ITs of network faults are SKIPPED: " + why);
    }
    assumeTrue(why == null, why);
    on = HostsBuilds.start();
  }

  @AfterAll
  static void removeHosts() {
    if (on != null) {
      on.close();
    }
  }

  /** Ends what a test left running; a rule a failed test left on a host goes with the host's ruleset. */
  @AfterEach
  void endBuildsAndEmptyTheHosts() {
    on.endBuildsAndEmptyTheHosts();
    for (TestHosts.Host host : on.hostList()) {
      TestHosts.run(Duration.ofSeconds(10), "ip", "netns", "exec", host.name(), "nft", "flush", "ruleset");
    }
  }

  // ---- a real system: etcd with its leader isolated ----

  @Test
  void etcdOnThreeHostsTheIsolatedLeaderIsReplacedAndAfterHealAllAgree(TestInfo test) throws Exception {
    Map<String, String> before = rulesets();
    Path project = on.ownProject(name(test), "etcd-partition");
    String log = HostsBuilds.succeeds(on.build(project, "verify"));
    assertThat(log).contains("Running it.EtcdLeaderIsolatedIT").containsPattern("Tests run: 1, Failures: 0, Errors: 0");
    assertThat(log).containsPattern("The tests isolated n_[0-2]");
    assertThat(log).contains("The tests healed the network");
    assertThat(rulesets()).as("every host's ruleset after the build").isEqualTo(before);
    on.assertNothingLeft();
  }

  @Test
  void etcdOnLocalNodesWithNetworkFaultsTheIsolatedLeaderIsReplacedAndAfterHealAllAgree(TestInfo test) throws Exception {
    String here = buildMachineNetwork();
    Path project = on.ownProject(name(test), "etcd-partition");
    String log = HostsBuilds.succeeds(on.localBuild(project, "verify", "-Dit.networkFaults=true"));
    assertThat(log).contains("Running it.EtcdLeaderIsolatedIT").containsPattern("Tests run: 1, Failures: 0, Errors: 0");
    assertThat(log).containsPattern("The tests isolated n_[0-2]");
    assertThat(buildMachineNetwork()).as("this machine's ruleset, namespaces and links after the build").isEqualTo(here);
  }

  // ---- what each fault does, seen from the hosts ----

  @Test
  void aPartitionCutsTheGroupsApartLossCutsOneNodesTrafficAndHealJoinsThemAgain(TestInfo test) throws Exception {
    Map<String, String> before = rulesets();
    Path project = on.project(name(test), "blocking", "");
    MavenBuild build = blocked(on.build(project, "verify", "-Dit.block=" + project.resolve("unblock")));
    partitionLossHeal(ControlCalls.of(project), NodesNetwork.onHosts(project), () -> assertThat(rulesets()).isEqualTo(before));
    String log = unblock(build, project);
    assertThat(log).contains("The tests partitioned the network").contains("The tests healed the network");
    assertThat(log).contains("The tests made n_1 lose 100% of its packets to the other nodes");
    assertThat(rulesets()).isEqualTo(before);
  }

  @Test
  void localNodesWithNetworkFaultsAPartitionLossAndHealWorkAsOnHosts(TestInfo test) throws Exception {
    String here = buildMachineNetwork();
    Path project = on.project(name(test), "blocking", "");
    MavenBuild build =
        blocked(on.localBuild(project, "verify", "-Dcluster.networkFaults=true", "-Dit.block=" + project.resolve("unblock")));
    NodesNetwork nodes = NodesNetwork.local(project);
    assertThat(List.of(nodes.host(0), nodes.host(1), nodes.host(2))).as("an address of its own for each node")
        .doesNotHaveDuplicates().doesNotContain("127.0.0.1");
    partitionLossHeal(ControlCalls.of(project), nodes, () -> { });
    String log = unblock(build, project);
    assertThat(log).contains("The tests partitioned the network").contains("The tests healed the network");
    assertThat(buildMachineNetwork()).as("this machine's ruleset, namespaces and links after the build").isEqualTo(here);
  }

  /**
   * Partition [[n_0],[n_1,n_2]], heal, loss of 100% on n_1, heal: each checked by which node
   * connects to which, from inside the nodes' network; {@code healedAsBefore} after each heal.
   */
  private static void partitionLossHeal(ControlCalls control, NodesNetwork nodes, Runnable healedAsBefore) {
    assertThat(connections(nodes)).as("before any fault").isEqualTo(allConnect());

    ControlCalls.Reply partition = control.post("network/partition", PARTITION_0_12);
    assertThat(partition.status).as(partition.toString()).isEqualTo(200);
    assertThat(connections(nodes)).as("partitioned [[n_0],[n_1,n_2]]")
        .isEqualTo(connectsOnly("n_1->n_2", "n_2->n_1"));
    assertTheBuildMachineReachesEveryNode(nodes);
    ControlCalls.Reply network = control.get("network");
    assertThat(network.status).isEqualTo(200);
    assertThat(network.body).contains("n_0").contains("n_1").contains("n_2");

    ControlCalls.Reply healed = control.post("network/heal");
    assertThat(healed.status).as(healed.toString()).isEqualTo(200);
    assertThat(connections(nodes)).as("healed").isEqualTo(allConnect());
    healedAsBefore.run();

    ControlCalls.Reply loss = control.post("nodes/n_1/loss", "{\"percent\":100}");
    assertThat(loss.status).as(loss.toString()).isEqualTo(200);
    // n_1 sends nothing to the others: neither its connections nor its answers to theirs arrive.
    assertThat(connections(nodes)).as("loss 100% on n_1").isEqualTo(connectsOnly("n_0->n_2", "n_2->n_0"));
    assertTheBuildMachineReachesEveryNode(nodes);

    healed = control.post("network/heal");
    assertThat(healed.status).as(healed.toString()).isEqualTo(200);
    assertThat(connections(nodes)).as("healed again").isEqualTo(allConnect());
    healedAsBefore.run();
  }

  @Test
  void delayIsRefusedWhereTheKernelLacksNetemElseItDelaysTheNodesTraffic(TestInfo test) throws Exception {
    Map<String, String> before = rulesets();
    Map<String, String> qdiscsBefore = qdiscs();
    Path project = on.project(name(test), "blocking", "");
    MavenBuild build = blocked(on.build(project, "verify", "-Dit.block=" + project.resolve("unblock")));
    NodesNetwork nodes = NodesNetwork.onHosts(project);
    ControlCalls control = ControlCalls.of(project);

    ControlCalls.Reply delay = control.post("nodes/n_1/delay", "{\"ms\":200,\"jitterMs\":0}");
    if (netemHere()) {
      assertThat(delay.status).as(delay.toString()).isEqualTo(200);
      assertThat(connectMillis(1, 0, nodes)).as("a connection from n_1 to n_0: one delayed round trip").isGreaterThanOrEqualTo(200);
      assertThat(connectMillis(0, 2, nodes)).as("n_0 to n_2: not delayed").isLessThan(200);
      assertThat(control.post("network/heal").status).isEqualTo(200);
      assertThat(connectMillis(1, 0, nodes)).as("healed").isLessThan(200);
    } else {
      System.out.println("netem is missing here: the delay must be refused");
      assertThat(delay.status).as(delay.toString()).isEqualTo(409);
      assertThat(delay.body).contains("netem");
      assertThat(connections(nodes)).as("after the refused delay").isEqualTo(allConnect());
    }
    assertThat(rulesets()).as("rulesets").isEqualTo(before);
    assertThat(qdiscs()).as("queueing disciplines").isEqualTo(qdiscsBefore);
    unblock(build, project);
  }

  // ---- nothing outlives the build ----

  @Test
  void mavenKilledDuringAPartitionEveryHostsRulesetIsAsBeforeWithinTheLifelinesBound(TestInfo test) throws Exception {
    Map<String, String> before = rulesets();
    Path project = on.project(name(test), "blocking", "");
    MavenBuild build = blocked(on.build(project, "verify", "-Dit.block=" + project.resolve("unblock")));
    ControlCalls.Reply partition = ControlCalls.of(project).post("network/partition", PARTITION_0_12);
    assertThat(partition.status).as(partition.toString()).isEqualTo(200);
    String table = "cmp_" + HostsBuilds.clusterId(project);
    for (TestHosts.Host host : on.hostList()) {
      assertThat(ruleset(host)).as(host.name() + " partitioned").contains("table inet " + table);
    }
    long killed = System.nanoTime();
    build.process().destroyForcibly(); // SIGKILL: no exit hook, no stop
    for (TestHosts.Host host : on.hostList()) {
      Await.until("the ruleset of " + host.name() + " as before", () -> ruleset(host).equals(before.get(host.name())),
          LIFELINE.plusSeconds(10));
    }
    long took = (System.nanoTime() - killed) / 1_000_000;
    System.out.println("kill -9 of Maven during a partition: every host's ruleset as before " + took + " ms after");
    assertThat(took).as("within the lifeline's bound").isLessThan(LIFELINE.toMillis());
    Files.writeString(project.resolve("unblock"), "done");
    MavenBuild clean = on.build(project, "cluster:clean");
    assertThat(clean.run()).as(clean.log()).isZero();
    assertThat(rulesets()).isEqualTo(before);
    on.assertNothingLeft();
  }

  @Test
  void mavenKilledDuringAPartitionOfLocalNodesThisMachineIsAsBeforeWithinTheBound(TestInfo test) throws Exception {
    String here = buildMachineNetwork();
    Path project = on.project(name(test), "blocking", "");
    MavenBuild build =
        blocked(on.localBuild(project, "verify", "-Dcluster.networkFaults=true", "-Dit.block=" + project.resolve("unblock")));
    ControlCalls.Reply partition = ControlCalls.of(project).post("network/partition", PARTITION_0_12);
    assertThat(partition.status).as(partition.toString()).isEqualTo(200);
    assertThat(buildMachineNetwork()).as("the nodes' network while they run").isNotEqualTo(here);
    long killed = System.nanoTime();
    build.process().destroyForcibly();
    Await.until("this machine's network as before", () -> buildMachineNetwork().equals(here), LIFELINE.plusSeconds(10));
    long took = (System.nanoTime() - killed) / 1_000_000;
    System.out.println("kill -9 of Maven during a partition of local nodes: all gone " + took + " ms after");
    assertThat(took).as("within the lifeline's bound").isLessThan(LIFELINE.toMillis());
    Files.writeString(project.resolve("unblock"), "done");
    MavenBuild clean = on.localBuild(project, "cluster:clean");
    assertThat(clean.run()).as(clean.log()).isZero();
    assertThat(buildMachineNetwork()).isEqualTo(here);
  }

  @Test
  void aTestThatPartitionsAndDoesNotHealIsHealedByStopAndTheBuildPasses(TestInfo test) throws Exception {
    Map<String, String> before = rulesets();
    Path project = on.project(name(test), "partition-unhealed", "");
    String log = HostsBuilds.succeeds(on.build(project, "verify"));
    assertThat(log).contains("Running it.PartitionLeftInForceIT").containsPattern("Tests run: 1, Failures: 0, Errors: 0");
    assertThat(log).contains("The tests partitioned the network");
    assertThat(log).containsPattern("Deleted target/cluster .*partition");
    assertThat(rulesets()).as("every host's ruleset after stop").isEqualTo(before);
    on.assertNothingLeft();
  }

  @Test
  void twoClustersAtOnceEachHealsOnlyItsOwnRules(TestInfo test) throws Exception {
    Map<String, String> before = rulesets();
    Path projectA = on.project(name(test) + "-a", "blocking", "");
    Path projectB = on.project(name(test) + "-b", "blocking", "");
    MavenBuild a = on.build(projectA, "verify", "-Dit.block=" + projectA.resolve("unblock")).start();
    MavenBuild b = blocked(on.build(projectB, "verify", "-Dit.block=" + projectB.resolve("unblock")));
    blocked(a);
    String tableA = "cmp_" + HostsBuilds.clusterId(projectA);
    String tableB = "cmp_" + HostsBuilds.clusterId(projectB);
    assertThat(tableA).isNotEqualTo(tableB);
    ControlCalls controlA = ControlCalls.of(projectA);
    ControlCalls controlB = ControlCalls.of(projectB);

    assertThat(controlA.post("network/partition", PARTITION_0_12).status).isEqualTo(200);
    Map<String, String> onlyA = rulesets();
    assertThat(controlB.post("network/partition", "{\"groups\":[[\"n_0\",\"n_1\"],[\"n_2\"]]}").status).isEqualTo(200);
    for (TestHosts.Host host : on.hostList()) {
      assertThat(tables(host)).as("tables on " + host.name() + " with both partitioned").contains(tableA, tableB);
    }
    ControlCalls.Reply healB = controlB.post("network/heal");
    assertThat(healB.status).as(healB.toString()).isEqualTo(200);
    assertThat(rulesets()).as("B healed: A's rules as they were, B's gone").isEqualTo(onlyA);
    assertThat(controlA.get("network").body).contains("n_0");
    ControlCalls.Reply healA = controlA.post("network/heal");
    assertThat(healA.status).as(healA.toString()).isEqualTo(200);
    assertThat(rulesets()).as("both healed").isEqualTo(before);

    unblock(a, projectA);
    unblock(b, projectB);
    assertThat(rulesets()).isEqualTo(before);
    on.assertNothingLeft();
  }

  // ---- refusals: a clear answer, and nothing applied ----

  @Test
  void anUnknownNodeIs404AndAPartitionNamingANodeTwiceIs400AndNothingIsApplied(TestInfo test) throws Exception {
    Map<String, String> before = rulesets();
    Path project = on.project(name(test), "blocking", "");
    MavenBuild build = blocked(on.build(project, "verify", "-Dit.block=" + project.resolve("unblock")));
    NodesNetwork nodes = NodesNetwork.onHosts(project);
    ControlCalls control = ControlCalls.of(project);

    ControlCalls.Reply unknown = control.post("nodes/n_9/isolate");
    assertThat(unknown.status).as(unknown.toString()).isEqualTo(404);
    assertThat(unknown.body).contains("n_9");
    ControlCalls.Reply unknownInGroups = control.post("network/partition", "{\"groups\":[[\"n_0\"],[\"n_1\",\"n_9\"]]}");
    assertThat(unknownInGroups.status).as(unknownInGroups.toString()).isIn(400, 404);
    assertThat(unknownInGroups.body).contains("n_9");
    ControlCalls.Reply twice = control.post("network/partition", "{\"groups\":[[\"n_0\",\"n_1\"],[\"n_1\",\"n_2\"]]}");
    assertThat(twice.status).as(twice.toString()).isEqualTo(400);
    assertThat(twice.body).contains("n_1");
    ControlCalls.Reply malformed = control.post("network/partition", "{\"groups\":");
    assertThat(malformed.status).as(malformed.toString()).isEqualTo(400);
    assertThat(rulesets()).as("after the refusals").isEqualTo(before);
    assertThat(connections(nodes)).as("after the refusals").isEqualTo(allConnect());

    // The same endpoint applies a well-formed fault: the refusals were the requests', not the route's.
    assertThat(control.post("nodes/n_1/isolate").status).isEqualTo(200);
    assertThat(connections(nodes)).isEqualTo(connectsOnly("n_0->n_2", "n_2->n_0"));
    assertThat(control.post("network/heal").status).isEqualTo(200);
    unblock(build, project);
    assertThat(rulesets()).isEqualTo(before);
  }

  @Test
  void localNodesWithoutNetworkFaultsAre409SayingWhatIsMissingAndNothingIsApplied(TestInfo test) throws Exception {
    String here = buildMachineNetwork();
    Path project = on.project(name(test), "blocking", "");
    MavenBuild build = blocked(on.localBuild(project, "verify", "-Dit.block=" + project.resolve("unblock")));
    ControlCalls control = ControlCalls.of(project);
    for (String[] call : new String[][] {
        {"nodes/n_1/isolate", null}, {"network/partition", PARTITION_0_12}, {"nodes/n_1/loss", "{\"percent\":10}"},
        {"nodes/n_1/delay", "{\"ms\":200,\"jitterMs\":0}"}}) {
      ControlCalls.Reply refused = call[1] == null ? control.post(call[0]) : control.post(call[0], call[1]);
      assertThat(refused.status).as(call[0] + ": " + refused).isEqualTo(409);
      assertThat(refused.body).as(call[0]).contains("<networkFaults>");
    }
    ControlCalls.Reply network = control.get("network");
    assertThat(network.status).as(network.toString()).isEqualTo(200);
    assertThat(buildMachineNetwork()).as("this machine's network after the refusals").isEqualTo(here);
    unblock(build, project);
    assertThat(buildMachineNetwork()).isEqualTo(here);
  }

  // ---- the builds ----

  private static String name(TestInfo test) {
    return test.getTestMethod().orElseThrow().getName();
  }

  /** Starts {@code build} (unless started) and waits until its tests block: the cluster runs. */
  private static MavenBuild blocked(MavenBuild build) throws IOException {
    if (build.process() == null) {
      build.start();
    }
    Await.until("the tests of " + build.project().getFileName() + " run",
        () -> build.log().contains("Running it.BlockIT") || !build.process().isAlive(), Duration.ofMinutes(3));
    assertThat(build.process().isAlive()).as(build.log()).isTrue();
    return build;
  }

  /** Lets the blocked tests of {@code build} end; the build must pass. Its output. */
  private static String unblock(MavenBuild build, Path project) throws IOException, InterruptedException {
    Files.writeString(project.resolve("unblock"), "done");
    int exit = build.await();
    assertThat(exit).as(build.log()).isZero();
    return build.log();
  }

  // ---- the nodes' network, seen from the hosts ----

  /** Each host's whole ruleset ({@code nft list ruleset} in its network namespace), by host name. */
  private static Map<String, String> rulesets() {
    Map<String, String> all = new LinkedHashMap<>();
    for (TestHosts.Host host : on.hostList()) {
      all.put(host.name(), ruleset(host));
    }
    return all;
  }

  private static String ruleset(TestHosts.Host host) {
    TestHosts.Result r = TestHosts.run(Duration.ofSeconds(10), "ip", "netns", "exec", host.name(), "nft", "list", "ruleset");
    assertThat(r.exit).as(r.toString()).isZero();
    return r.out;
  }

  private static List<String> tables(TestHosts.Host host) {
    return HostsBuilds.lines(
        TestHosts.run(Duration.ofSeconds(10), "ip", "netns", "exec", host.name(), "nft", "list", "tables").out.replace("table inet ", ""));
  }

  /** Each host's queueing disciplines ({@code tc qdisc show}), by host name. */
  private static Map<String, String> qdiscs() {
    Map<String, String> all = new LinkedHashMap<>();
    for (TestHosts.Host host : on.hostList()) {
      all.put(host.name(), TestHosts.run(Duration.ofSeconds(10), "ip", "netns", "exec", host.name(), "tc", "qdisc", "show").out);
    }
    return all;
  }

  /**
   * This machine's network as a build may change it: its ruleset, its network namespaces and its
   * links, without those of test hosts (this run's or another's).
   */
  private static String buildMachineNetwork() {
    String ruleset = TestHosts.run(Duration.ofSeconds(10), "nft", "list", "ruleset").out;
    TreeSet<String> names = new TreeSet<>();
    for (String line : HostsBuilds.lines(TestHosts.run(Duration.ofSeconds(10), "ip", "netns", "list").out)) {
      names.add("netns " + line.split(" ")[0]);
    }
    for (String line : HostsBuilds.lines(TestHosts.run(Duration.ofSeconds(10), "ip", "-o", "link", "show").out)) {
      names.add("link " + line.split(":\\s+")[1].split("@")[0]);
    }
    names.removeIf(n -> TEST_HOSTS_NAME.matcher(n.substring(n.indexOf(' ') + 1)).matches());
    return ruleset + "\n" + String.join("\n", names);
  }

  private static boolean netemHere() {
    return TestHosts.run(Duration.ofSeconds(10), "unshare", "-n", "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms").exit == 0;
  }

  /**
   * Where the nodes of a running build are, and how to run a command inside node i's network: in
   * its host's network namespace, or (local nodes with {@code <networkFaults>}) in the network
   * namespace of the node's process.
   */
  private static final class NodesNetwork {
    private final Properties exported;
    private final List<List<String>> inside = new ArrayList<>();

    private NodesNetwork(Properties exported) {
      this.exported = exported;
    }

    static NodesNetwork onHosts(Path project) throws IOException {
      NodesNetwork n = new NodesNetwork(HostsBuilds.exported(project));
      for (TestHosts.Host host : on.hostList()) {
        n.inside.add(List.of("ip", "netns", "exec", host.name()));
      }
      return n;
    }

    static NodesNetwork local(Path project) throws IOException {
      Properties exported = HostsBuilds.exported(project);
      NodesNetwork n = new NodesNetwork(exported);
      ClusterControl control =
          ClusterControl.of(exported.getProperty("cluster.control.url"), exported.getProperty("cluster.control.token"));
      for (NodeInfo node : control.nodes()) {
        n.inside.add(List.of("nsenter", "-t", Long.toString(node.pid()), "-n"));
      }
      return n;
    }

    String host(int node) {
      return exported.getProperty("cluster.node." + node + ".host");
    }

    int port(int node) {
      return Integer.parseInt(exported.getProperty("cluster.node." + node + ".port.http"));
    }

    /** Runs {@code script} with bash inside node {@code node}'s network, for at most {@link #CONNECT}. */
    TestHosts.Result run(int node, String script) {
      List<String> argv = new ArrayList<>(inside.get(node));
      argv.addAll(List.of("timeout", Long.toString(CONNECT.toSeconds()), "bash", "-c", script));
      return TestHosts.run(CONNECT.plusSeconds(5), argv.toArray(new String[0]));
    }
  }

  /** Which node reaches which ({@code n_i->n_j}): a TCP connection from inside node i's network to node j. */
  private static List<String> connections(NodesNetwork nodes) {
    List<String> connect = new ArrayList<>();
    for (int from = 0; from < 3; from++) {
      for (int to = 0; to < 3; to++) {
        if (from != to && connects(from, to, nodes)) {
          connect.add("n_" + from + "->n_" + to);
        }
      }
    }
    return connect;
  }

  private static List<String> allConnect() {
    return connectsOnly("n_0->n_1", "n_0->n_2", "n_1->n_0", "n_1->n_2", "n_2->n_0", "n_2->n_1");
  }

  private static List<String> connectsOnly(String... pairs) {
    return new ArrayList<>(new TreeSet<>(List.of(pairs)));
  }

  private static boolean connects(int from, int to, NodesNetwork nodes) {
    return nodes.run(from, "exec 3<>/dev/tcp/" + nodes.host(to) + "/" + nodes.port(to)).exit == 0;
  }

  /** How long a TCP connection from inside node i's network to node j takes to be made, in ms (one round trip). */
  private static long connectMillis(int from, int to, NodesNetwork nodes) {
    TestHosts.Result r =
        nodes.run(from, "s=$(date +%s%N); exec 3<>/dev/tcp/" + nodes.host(to) + "/" + nodes.port(to)
            + " && echo $(( ($(date +%s%N) - s) / 1000000 ))");
    assertThat(r.exit).as(r.toString()).isZero();
    return Long.parseLong(r.out.trim());
  }

  private static void assertTheBuildMachineReachesEveryNode(NodesNetwork nodes) {
    for (int i = 0; i < 3; i++) {
      String host = nodes.host(i);
      int port = nodes.port(i);
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), (int) CONNECT.toMillis());
      } catch (IOException e) {
        throw new AssertionError("the build machine reaches n_" + i + " at " + host + ":" + port, e);
      }
    }
  }
}
