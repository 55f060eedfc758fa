package io.github.clusterrun.cluster.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.clusterrun.cluster.engine.ssh.SshEngine;
import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.HostNetwork;
import io.github.clusterrun.cluster.testing.MavenBuild;
import io.github.clusterrun.cluster.testing.TestHosts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Real builds whose tests break the network between the nodes (issue 19): on the three test hosts
 * over SSH (the rules live in each host's own network namespace, where {@code nft list ruleset} reads
 * them), and on this machine with {@code <networkFaults>}. What a fault does is checked from inside
 * the nodes' network (connections between the nodes), not by reading the rules back; what a build
 * leaves is checked as each host's whole ruleset, which must be exactly what it was before, and as
 * this machine's namespaces, links and tables ({@link HostNetwork}, which leaves out what other runs
 * on this machine make meanwhile). As root only; skipped with a warning elsewhere.
 */
class NetworkFaultsIT {
  /** The lifeline's bound on a host, plus the time the host takes to remove a table. */
  private static final Duration LIFELINE = Duration.ofSeconds(SshEngine.LIFELINE_BOUND_SECONDS + 5);
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
    HostNetwork here = HostNetwork.now();
    Path project = on.ownProject(name(test), "etcd-partition");
    String log = HostsBuilds.succeeds(on.localBuild(project, "verify", "-Dit.networkFaults=true"));
    assertThat(log).contains("Running it.EtcdLeaderIsolatedIT").containsPattern("Tests run: 1, Failures: 0, Errors: 0");
    assertThat(log).containsPattern("The tests isolated n_[0-2]");
    assertThat(here.addedSince()).as("namespaces, links and tables left on this machine").isEmpty();
  }

  // ---- what each fault does, seen from the hosts ----

  @Test
  void aPartitionCutsTheGroupsApartLossCutsOneNodesTrafficAndHealJoinsThemAgain(TestInfo test) throws Exception {
    Map<String, String> before = rulesets();
    Path project = on.project(name(test), "blocking", "");
    MavenBuild build = blocked(on.build(project, "verify", "-Dit.block=" + project.resolve("unblock")));
    partitionLossHeal(ControlCalls.of(project), NodesNetwork.onHosts(project, on.hostList()), () -> assertThat(rulesets()).isEqualTo(before));
    String log = unblock(build, project);
    assertThat(log).contains("The tests partitioned the network").contains("The tests healed the network");
    assertThat(log).contains("The tests made n_1 lose 100% of its packets to the other nodes");
    assertThat(rulesets()).isEqualTo(before);
  }

  @Test
  void localNodesWithNetworkFaultsAPartitionLossHealAndDelayWorkAsOnHosts(TestInfo test) throws Exception {
    HostNetwork here = HostNetwork.now();
    Path project = on.project(name(test), "blocking", "");
    MavenBuild build =
        blocked(on.localBuild(project, "verify", "-Dcluster.networkFaults=true", "-Dit.block=" + project.resolve("unblock")));
    String id = HostsBuilds.clusterId(project);
    NodesNetwork nodes = NodesNetwork.local(project);
    assertThat(List.of(nodes.host(0), nodes.host(1), nodes.host(2))).as("an address of its own for each node")
        .doesNotHaveDuplicates().doesNotContain("127.0.0.1");
    ControlCalls control = ControlCalls.of(project);
    partitionLossHeal(control, nodes, () -> { });
    delayOrItsRefusal(control, nodes);
    String log = unblock(build, project);
    assertThat(log).contains("The tests partitioned the network").contains("The tests healed the network");
    assertThat(here.addedSince(id)).as("namespaces, links and tables left on this machine").isEmpty();
  }

  /**
   * Partition [[n_0],[n_1,n_2]], heal, loss of 100% on n_1, heal: each checked by which node
   * connects to which, from inside the nodes' network; {@code healedAsBefore} after each heal.
   */
  private static void partitionLossHeal(ControlCalls control, NodesNetwork nodes, Runnable healedAsBefore) {
    assertThat(nodes.connections()).as("before any fault").isEqualTo(NodesNetwork.allConnect());

    ControlCalls.Reply partition = control.post("network/partition", PARTITION_0_12);
    assertThat(partition.status).as(partition.toString()).isEqualTo(200);
    assertThat(nodes.connections()).as("partitioned [[n_0],[n_1,n_2]]")
        .isEqualTo(NodesNetwork.connectsOnly("n_1->n_2", "n_2->n_1"));
    nodes.assertTheBuildMachineReachesEveryNode();
    ControlCalls.Reply network = control.get("network");
    assertThat(network.status).isEqualTo(200);
    assertThat(network.body).contains("n_0").contains("n_1").contains("n_2");

    ControlCalls.Reply healed = control.post("network/heal");
    assertThat(healed.status).as(healed.toString()).isEqualTo(200);
    assertThat(nodes.connections()).as("healed").isEqualTo(NodesNetwork.allConnect());
    healedAsBefore.run();

    ControlCalls.Reply loss = control.post("nodes/n_1/loss", "{\"percent\":100}");
    assertThat(loss.status).as(loss.toString()).isEqualTo(200);
    // n_1 sends nothing to the others: neither its connections nor its answers to theirs arrive.
    assertThat(nodes.connections()).as("loss 100% on n_1").isEqualTo(NodesNetwork.connectsOnly("n_0->n_2", "n_2->n_0"));
    nodes.assertTheBuildMachineReachesEveryNode();

    healed = control.post("network/heal");
    assertThat(healed.status).as(healed.toString()).isEqualTo(200);
    assertThat(nodes.connections()).as("healed again").isEqualTo(NodesNetwork.allConnect());
    healedAsBefore.run();
  }

  @Test
  void delayIsRefusedWhereTheKernelLacksNetemElseItDelaysTheNodesTraffic(TestInfo test) throws Exception {
    Map<String, String> before = rulesets();
    Map<String, String> qdiscsBefore = qdiscs();
    Path project = on.project(name(test), "blocking", "");
    MavenBuild build = blocked(on.build(project, "verify", "-Dit.block=" + project.resolve("unblock")));
    NodesNetwork nodes = NodesNetwork.onHosts(project, on.hostList());
    ControlCalls control = ControlCalls.of(project);

    delayOrItsRefusal(control, nodes);
    assertThat(rulesets()).as("rulesets").isEqualTo(before);
    assertThat(qdiscs()).as("queueing disciplines").isEqualTo(qdiscsBefore);
    unblock(build, project);
  }

  /**
   * A delay of 200 ms on n_1: where this kernel has netem, a connection from n_1 takes at least that
   * long and one between others does not, until healed; where it lacks netem, 409 naming netem, and
   * every connection as before.
   */
  private static void delayOrItsRefusal(ControlCalls control, NodesNetwork nodes) {
    ControlCalls.Reply delay = control.post("nodes/n_1/delay", "{\"ms\":200,\"jitterMs\":0}");
    if (netemHere()) {
      assertThat(delay.status).as(delay.toString()).isEqualTo(200);
      assertThat(nodes.connectMillis(1, 0)).as("a connection from n_1 to n_0: one delayed round trip").isGreaterThanOrEqualTo(200);
      assertThat(nodes.connectMillis(0, 2)).as("n_0 to n_2: not delayed").isLessThan(200);
      assertThat(control.post("network/heal").status).isEqualTo(200);
      assertThat(nodes.connectMillis(1, 0)).as("healed").isLessThan(200);
    } else {
      System.out.println("netem is missing here: the delay must be refused; it is: " + delay);
      assertThat(delay.status).as(delay.toString()).isEqualTo(409);
      assertThat(delay.body).contains("netem");
      assertThat(nodes.connections()).as("after the refused delay").isEqualTo(NodesNetwork.allConnect());
    }
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
    // Another Maven shows the faults on each node from the recorded state, and leaves them be.
    Map<String, String> partitioned = rulesets();
    MavenBuild status = on.build(project, "cluster:status");
    assertThat(status.run()).as(status.log()).isZero();
    assertThat(status.log()).containsPattern("n_0: running, .*; network: cut off from n_1, n_2")
        .containsPattern("n_2: running, .*; network: cut off from n_0");
    assertThat(rulesets()).as("after the status").isEqualTo(partitioned);
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
    HostNetwork here = HostNetwork.now();
    Path project = on.project(name(test), "blocking", "");
    MavenBuild build =
        blocked(on.localBuild(project, "verify", "-Dcluster.networkFaults=true", "-Dit.block=" + project.resolve("unblock")));
    String id = HostsBuilds.clusterId(project);
    ControlCalls.Reply partition = ControlCalls.of(project).post("network/partition", PARTITION_0_12);
    assertThat(partition.status).as(partition.toString()).isEqualTo(200);
    assertThat(here.addedSince(id)).as("the nodes' namespaces while they run").isNotEmpty();
    long killed = System.nanoTime();
    build.process().destroyForcibly();
    Await.until("this machine's network as before", () -> here.addedSince(id).isEmpty(), LIFELINE.plusSeconds(10));
    long took = (System.nanoTime() - killed) / 1_000_000;
    System.out.println("kill -9 of Maven during a partition of local nodes: all gone " + took + " ms after");
    assertThat(took).as("within the lifeline's bound").isLessThan(LIFELINE.toMillis());
    Files.writeString(project.resolve("unblock"), "done");
    MavenBuild clean = on.localBuild(project, "cluster:clean");
    assertThat(clean.run()).as(clean.log()).isZero();
    assertThat(here.addedSince(id)).isEmpty();
  }

  @Test
  void aTestThatPartitionsAndDoesNotHealIsHealedByStopAndTheBuildPasses(TestInfo test) throws Exception {
    Map<String, String> before = rulesets();
    Path project = on.project(name(test), "partition-unhealed", "");
    String log = HostsBuilds.succeeds(on.build(project, "verify"));
    assertThat(log).contains("Running it.PartitionLeftInForceIT").containsPattern("Tests run: 1, Failures: 0, Errors: 0");
    assertThat(log).contains("The tests partitioned the network");
    assertThat(log).contains("Healed the network before the stop (the tests left: partition n_0 | n_1, n_2)");
    assertThat(log).containsPattern("Deleted target/cluster .*the tests partitioned the network once");
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
    NodesNetwork nodes = NodesNetwork.onHosts(project, on.hostList());
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
    assertThat(nodes.connections()).as("after the refusals").isEqualTo(NodesNetwork.allConnect());

    // The same endpoint applies a well-formed fault: the refusals were the requests', not the route's.
    assertThat(control.post("nodes/n_1/isolate").status).isEqualTo(200);
    assertThat(nodes.connections()).isEqualTo(NodesNetwork.connectsOnly("n_0->n_2", "n_2->n_0"));
    assertThat(control.post("network/heal").status).isEqualTo(200);
    unblock(build, project);
    assertThat(rulesets()).isEqualTo(before);
  }

  @Test
  void localNodesWithoutNetworkFaultsAre409SayingWhatIsMissingAndNothingIsApplied(TestInfo test) throws Exception {
    HostNetwork here = HostNetwork.now();
    Path project = on.project(name(test), "blocking", "");
    MavenBuild build = blocked(on.localBuild(project, "verify", "-Dit.block=" + project.resolve("unblock")));
    String id = HostsBuilds.clusterId(project);
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
    assertThat(here.addedSince(id)).as("namespaces, links and tables after the refusals").isEmpty();
    unblock(build, project);
    assertThat(here.addedSince(id)).isEmpty();
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

  private static boolean netemHere() {
    return TestHosts.run(Duration.ofSeconds(10), "unshare", "-n", "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms").exit == 0;
  }
}
