package io.github.clusterrun.cluster.engine.ssh;

import static io.github.clusterrun.cluster.engine.ssh.HostTraffic.connects;
import static io.github.clusterrun.cluster.engine.ssh.HostTraffic.reaches;
import static io.github.clusterrun.cluster.engine.ssh.HostTraffic.ruleset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.NetRule;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.SshSettings;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.Procs;
import io.github.clusterrun.cluster.testing.TestHosts;
import io.github.clusterrun.cluster.testing.TestHosts.Host;
import io.github.clusterrun.cluster.testing.TestSshd;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network faults of nodes on other hosts through the engine ({@link SshEngine#networkRefusal}
 * and {@link SshEngine#network}), as the control endpoint uses them: two hosts of {@link TestHosts}
 * reached as root over SSH, a node of the cluster on each, a listener in each host's network; the
 * faults judged by the traffic tried from inside the hosts, the build machine reaching both
 * throughout, and each host's ruleset exactly as before once healed. Root only, with {@code nft}:
 * skipped with a warning elsewhere.
 */
class SshEngineNetworkTest {
  private static final int PORT = 8080;

  @TempDir static Path dir;
  private static TestHosts hosts;
  private static Host a;
  private static Host b;
  private static SshSettings settings;
  private static final List<Process> listeners = new ArrayList<>();
  private static Map<Host, String> baselines;

  private final String id = Procs.newClusterId();
  private SshEngine engineA;
  private SshEngine engineB;
  private Cluster cluster;

  @BeforeAll
  static void twoHostsListening() throws IOException {
    String reason = TestHosts.unavailableReason();
    if (reason == null && TestHosts.run(HostTraffic.COMMAND, "nft", "--version").exit != 0) {
      reason = "nft is missing (Debian's nftables, which .ci/run installs)";
    }
    if (reason != null) {
      System.err.println("WARNING: SshEngineNetworkTest skipped, no network faults tested through the engine: " + reason);
    }
    Assumptions.assumeTrue(reason == null, reason);
    hosts = TestHosts.start(2);
    a = hosts.hosts().get(0);
    b = hosts.hosts().get(1);
    Path config = dir.resolve("ssh_config");
    TestSshd.writeSshConfig(config, hosts.key(), hosts.knownHosts());
    settings = new SshSettings(hosts.remoteDirectory().resolve("clusters").toString() + "/c", config, false);
    for (Host host : hosts.hosts()) {
      listeners.add(HostTraffic.listen(host, PORT));
    }
    for (Host host : hosts.hosts()) {
      Await.until("the listener on " + host.name(), () -> connects(host.address(), PORT), Duration.ofSeconds(30));
    }
    baselines = Map.of(a, ruleset(a), b, ruleset(b));
  }

  @AfterAll
  static void removeHosts() {
    listeners.forEach(Process::destroyForcibly);
    if (hosts != null) {
      hosts.close();
    }
  }

  @BeforeEach
  void aNodeOnEachHost() throws ClusterException {
    engineA = open(a);
    engineB = open(b);
    Node n0 = node(0, engineA);
    Node n1 = node(1, engineB);
    cluster = new Cluster(new ClusterLayout(dir.resolve(id)), id, Instant.now(), Duration.ofSeconds(1), null, List.of(n0, n1));
    cluster.ssh(settings);
  }

  @AfterEach
  void healedAndEveryRulesetAsBefore() throws ClusterException {
    try {
      engineA.network(here(engineA), Map.of());
      engineB.network(here(engineB), Map.of());
      assertThat(ruleset(a)).as("a's ruleset after the test").isEqualTo(baselines.get(a));
      assertThat(ruleset(b)).as("b's ruleset after the test").isEqualTo(baselines.get(b));
    } finally {
      engineA.close();
      engineB.close();
    }
  }

  @Test
  void dropsBetweenTheHostsCutThemBothWaysTheBuildMachineReachesBothAndHealRestoresEverything() throws Exception {
    assertPathsOpen();
    assertThat(engineA.networkRefusal(here(engineA), false)).isEmpty();
    assertThat(engineB.networkRefusal(here(engineB), false)).isEmpty();
    // The whole cluster's rules to each engine, as the control endpoint gives them: each host takes
    // its own nodes' (the same rule twice counts once).
    Map<String, List<NetRule>> partition =
        Map.of("n_0", List.of(NetRule.drop(b.address()), NetRule.drop(b.address())), "n_1", List.of(NetRule.drop(a.address())));

    engineA.network(here(engineA), partition);
    engineB.network(here(engineB), partition);

    assertThat(reaches(a, b.address(), PORT)).as("a to b").isFalse();
    assertThat(reaches(b, a.address(), PORT)).as("b to a").isFalse();
    assertBuildMachineReachesBoth();
    assertThat(ruleset(a)).as("a's rules: one drop of b").containsOnlyOnce("drop " + b.address() + "\"")
        .doesNotContain(a.address());

    engineA.network(here(engineA), Map.of("n_0", List.of(), "n_1", List.of()));
    engineB.network(here(engineB), Map.of());

    assertPathsOpen();
    assertThat(ruleset(a)).as("no table left on a").isEqualTo(baselines.get(a));
    assertThat(ruleset(b)).as("no table left on b").isEqualTo(baselines.get(b));
  }

  @Test
  void lossOfAllOnOneHostStopsItsTrafficToTheOtherAndANewSetReplacesTheOld() throws Exception {
    engineA.network(here(engineA), Map.of("n_0", List.of(NetRule.drop(b.address()))));
    assertThat(reaches(a, b.address(), PORT)).isFalse();

    engineA.network(here(engineA), Map.of("n_0", List.of(NetRule.loss(100, b.address()))));

    assertThat(reaches(a, b.address(), PORT)).as("a to b, every packet lost").isFalse();
    assertThat(ruleset(a)).as("the drop replaced").contains("loss 100 " + b.address()).doesNotContain("drop " + b.address());
    assertThat(ruleset(b)).as("b untouched").isEqualTo(baselines.get(b));
    assertBuildMachineReachesBoth();

    engineA.network(here(engineA), Map.of("n_0", List.of(NetRule.loss(0, b.address()))));

    assertThat(reaches(a, b.address(), PORT)).as("loss 0").isTrue();
  }

  @Test
  void delayWhereTheKernelLacksNetemIsRefusedClearlyAndChangesNothing() throws Exception {
    boolean netem = HostTraffic.netem();
    if (netem) {
      System.err.println("WARNING: SshEngineNetworkTest: this kernel has netem, delay's refusal is not tested here");
    }
    Assumptions.assumeFalse(netem, "the kernel has netem");
    Optional<String> refusal = engineA.networkRefusal(here(engineA), true);

    assertThat(refusal).hasValueSatisfying(why -> assertThat(why)
        .contains("host root@" + a.address(), "netem", "Specified qdisc kind is unknown", "sch_netem",
            "leave delay out"));
    assertThat(ruleset(a)).as("check changed nothing").isEqualTo(baselines.get(a));

    engineA.network(here(engineA), Map.of("n_0", List.of(NetRule.drop(b.address()))));
    String before = ruleset(a);
    Map<String, List<NetRule>> delayed =
        Map.of("n_0", List.of(NetRule.delay(200, 0, b.address()), NetRule.loss(100, hosts.buildMachineAddress())));

    assertThatThrownBy(() -> engineA.network(here(engineA), delayed))
        .isInstanceOf(ClusterException.class)
        .hasMessage(refusal.get());
    assertThat(ruleset(a)).as("the rules in force before, untouched").isEqualTo(before);
    assertThat(reaches(a, b.address(), PORT)).isFalse();
    assertBuildMachineReachesBoth();
  }

  @Test
  void whenTheBuildDiesTheLifelineRemovesTheTable() throws Exception {
    engineA.network(here(engineA), Map.of("n_0", List.of(NetRule.drop(b.address()))));
    assertThat(reaches(a, b.address(), PORT)).isFalse();

    engineA.connection().cut(); // Maven killed: the lifeline reads end of file

    Await.until("a's ruleset as before", () -> ruleset(a).equals(baselines.get(a)),
        Duration.ofSeconds(SshEngine.LIFELINE_BOUND_SECONDS + 20));
    assertThat(reaches(a, b.address(), PORT)).isTrue();
    engineA.close();
    engineA = open(a); // for the healing after the test
  }

  // ---- helpers

  private SshEngine open(Host host) throws ClusterException {
    return SshEngine.open("root@" + host.address(), settings, id, 1, true, Platform.current(), ClusterLog.SILENT);
  }

  /** Node n_<index> of the cluster at the engine's place; it need not run for its rules. */
  private Node node(int index, SshEngine engine) {
    String name = ClusterLayout.nodeName(index);
    return Node.planned(index, FamilyMark.of(id, name), Map.of(), List.of("true"), Map.of(),
        Paths.get(settings.nodeDirectory(name)), engine.place());
  }

  private Cluster here(SshEngine engine) {
    return cluster.at(engine.place());
  }

  private static void assertPathsOpen() {
    assertThat(reaches(a, b.address(), PORT)).as("a to b").isTrue();
    assertThat(reaches(b, a.address(), PORT)).as("b to a").isTrue();
    assertBuildMachineReachesBoth();
  }

  private static void assertBuildMachineReachesBoth() {
    for (Host host : List.of(a, b)) {
      assertThat(connects(host.address(), PORT)).as("the build machine to %s", host.name()).isTrue();
    }
  }
}
