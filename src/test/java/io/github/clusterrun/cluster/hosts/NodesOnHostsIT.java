package io.github.clusterrun.cluster.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.MavenBuild;
import io.github.clusterrun.cluster.testing.TestHosts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Real Maven builds whose nodes run on three hosts over SSH (issue 18): each host a network
 * namespace with its own sshd, PID namespace and private remote directory ({@link TestHosts}). The
 * builds use the plugin this build installed for the ITs; what they leave on the hosts is checked on
 * the hosts themselves. As root only (network namespaces); skipped with a warning elsewhere.
 */
class NodesOnHostsIT {
  private static HostsBuilds on;
  private static TestHosts hosts;

  @BeforeAll
  static void makeHosts() throws IOException {
    String why = HostsBuilds.unavailableReason();
    if (why != null) {
      System.err.println("WARNING: the ITs of nodes on other hosts are SKIPPED: " + why);
    }
    assumeTrue(why == null, why);
    on = HostsBuilds.start();
    hosts = on.hosts();
  }

  @AfterAll
  static void removeHosts() {
    if (on != null) {
      on.close();
    }
  }

  /** Each test starts from empty hosts: what an earlier one kept on purpose (or failed to remove) goes. */
  @AfterEach
  void endBuildsAndEmptyTheHosts() {
    on.endBuildsAndEmptyTheHosts();
  }

  /** A project of {@code src/test/resources/hosts} with the tests of {@code suite}. */
  private Path project(TestInfo test, String suite, String beforeNode) throws IOException {
    return on.project(test.getTestMethod().orElseThrow().getName(), suite, beforeNode);
  }

  private MavenBuild build(Path project, String... goalsAndOptions) {
    return on.build(project, goalsAndOptions);
  }

  private static String succeeds(MavenBuild build) throws IOException, InterruptedException {
    return HostsBuilds.succeeds(build);
  }

  private static List<String> marked(TestHosts.Host host, String clusterId) {
    return on.marked(host, clusterId);
  }

  private static String remoteEntries(TestHosts.Host host) {
    return on.remoteEntries(host);
  }

  private static String clusterId(Path project) throws IOException {
    return HostsBuilds.clusterId(project);
  }

  private static String hostList() {
    return on.sshHosts();
  }

  private static Path writeSshConfig(String name, Path key, Path knownHosts) throws IOException {
    return on.writeSshConfig(name, key, knownHosts);
  }

  @Test
  void testsPassTheRemoteDirectoriesAreDeleted(TestInfo test) throws Exception {
    Path project = project(test, "passing", "");
    MavenBuild build = build(project, "verify");
    String log = succeeds(build);
    for (int i = 0; i < 3; i++) {
      assertThat(log).containsPattern("n_" + i + " ready in \\d+ ms \\(pid \\d+, http=\\d+\\)");
    }
    assertThat(log)
        .containsPattern(
            "Cluster of 3 nodes ready in \\d+ ms on 3 hosts \\(3 SSH connections in this build\\): " + Pattern.quote(hosts.hosts().get(0).address()) + ":\\d+,"
                + Pattern.quote(hosts.hosts().get(1).address()) + ":\\d+," + Pattern.quote(hosts.hosts().get(2).address()));
    assertThat(log).containsPattern("Deleted target/cluster and " + Pattern.quote(hosts.remoteDirectory().toString()) + "/c-[0-9a-f]{16} on h0, .* on h1, .* on h2: 1 integration tests? passed");
    assertThat(project.resolve("target/cluster")).doesNotExist();
    for (TestHosts.Host host : hosts.hosts()) {
      assertThat(remoteEntries(host)).as(host.name()).isEmpty();
      assertThat(marked(host, null)).as("marked processes on " + host.name()).isEmpty();
    }
  }

  @Test
  void testsFailTheRemoteDirectoriesAreKeptAndTheLogsCopiedBack(TestInfo test) throws Exception {
    Path project = project(test, "failing", "");
    MavenBuild build = build(project, "verify");
    int exit = build.run();
    String log = build.log();
    assertThat(exit).as(log).isNotZero();
    assertThat(log).containsPattern("Kept target/cluster and \\S+ on h0, \\S+ on h1, \\S+ on h2: .*copied back from the hosts");
    for (int i = 0; i < 3; i++) {
      TestHosts.Host host = hosts.hosts().get(i);
      Path copied = project.resolve("target/cluster/n_" + i + "/logs/console.log");
      assertThat(copied).exists();
      assertThat(Files.readString(copied)).contains("ready at " + host.address());
      assertThat(remoteEntries(host)).as(host.name()).contains("/n_" + i);
      assertThat(hosts.ssh(host, "cat " + hosts.remoteDirectory() + "/c-*/n_" + i + "/logs/console.log").out)
          .contains("ready at " + host.address());
      assertThat(marked(host, null)).as("marked processes on " + host.name()).isEmpty();
    }
    // clean deletes what was kept, here and on every host.
    MavenBuild clean = build(project, "cluster:clean");
    assertThat(clean.run()).as(clean.log()).isZero();
    for (TestHosts.Host host : hosts.hosts()) {
      assertThat(remoteEntries(host)).as(host.name()).isEmpty();
    }
  }

  @Test
  void aDaemonThatDetachedOnItsHostIsConfirmedGone(TestInfo test) throws Exception {
    Path project = project(test, "passing", "setsid sh -c 'exec sleep 100000' </dev/null >/dev/null 2>&1 & ");
    MavenBuild build = build(project, "verify");
    String log = succeeds(build);
    assertThat(log).containsPattern("n_0 \\(pid \\d+\\): stopped gracefully in \\d+ ms.*, [2-9] processes in its family");
    for (TestHosts.Host host : hosts.hosts()) {
      assertThat(hosts.ssh(host, "pgrep -f 'sleep 10000[0]' || true").out.trim()).as("sleep on " + host.name()).isEmpty();
      assertThat(marked(host, null)).isEmpty();
    }
  }

  @Test
  void theTestsKillAndRestartARemoteNode(TestInfo test) throws Exception {
    Path project = project(test, "control", "");
    MavenBuild build = build(project, "verify");
    String log = succeeds(build);
    assertThat(log).containsPattern("1 integration tests? passed");
    for (TestHosts.Host host : hosts.hosts()) {
      assertThat(marked(host, null)).isEmpty();
    }
  }

  @Test
  void mavenKilledEveryRemoteFamilyIsGoneWithinTheBound(TestInfo test) throws Exception {
    Path project = project(test, "blocking", "");
    Files.createDirectories(HostsBuilds.TARGET);
    MavenBuild build = build(project, "verify", "-Dit.block=" + project.resolve("unblock"));
    build.start();
    Await.until("the tests run", () -> build.log().contains("Running it.BlockIT") || !build.process().isAlive(), Duration.ofMinutes(3));
    assertThat(build.process().isAlive()).as(build.log()).isTrue();
    String id = clusterId(project);
    for (TestHosts.Host host : hosts.hosts()) {
      assertThat(marked(host, id)).as(host.name()).isNotEmpty();
    }
    // Another Maven looks at the cluster from its recorded state: it asks the hosts, and leaves it be.
    MavenBuild status = build(project, "cluster:status");
    assertThat(status.run()).as(status.log()).isZero();
    assertThat(status.log()).contains("3 of 3 nodes running");
    assertThat(status.log()).containsPattern("n_1: running, pid \\d+, ports http=\\d+, on h1 \\(" + Pattern.quote(hosts.hosts().get(1).address()) + "\\)");
    for (TestHosts.Host host : hosts.hosts()) {
      assertThat(marked(host, id)).as(host.name() + " after the status").isNotEmpty();
    }
    long killed = System.nanoTime();
    build.process().destroyForcibly(); // SIGKILL: no exit hook runs
    for (TestHosts.Host host : hosts.hosts()) {
      Await.until("no marked process on " + host.name(), () -> marked(host, id).isEmpty(), Duration.ofSeconds(15));
    }
    long took = (System.nanoTime() - killed) / 1_000_000;
    System.out.println("kill -9 of Maven: every remote family gone " + took + " ms after");
    Files.writeString(project.resolve("unblock"), "done"); // the forked tests' JVM may end
    // clean reaches the hosts from the recorded state: the kept directories go there too.
    MavenBuild clean = build(project, "cluster:clean");
    assertThat(clean.run()).as(clean.log()).isZero();
    assertNothingLeft();
  }

  @Test
  void theLinkToAHostCutItsNodesAreGoneWithinTheBound(TestInfo test) throws Exception {
    Path project = project(test, "blocking", "");
    MavenBuild build = build(project, "verify", "-Dit.block=" + project.resolve("unblock"));
    build.start();
    Await.until("the tests run", () -> build.log().contains("Running it.BlockIT") || !build.process().isAlive(), Duration.ofMinutes(3));
    assertThat(build.process().isAlive()).as(build.log()).isTrue();
    String id = clusterId(project);
    TestHosts.Host cut = hosts.hosts().get(1);
    // n_1 runs on h1; its processes are seen from here (the hosts' PID namespaces are nested in ours).
    assertThat(markedHere(id + "/n_1")).isNotEmpty();
    long down = System.nanoTime();
    TestHosts.run(Duration.ofSeconds(10), "ip", "link", "set", cut.veth(), "down");
    try {
      Await.until("n_1 gone from h1", () -> markedHere(id + "/n_1").isEmpty(), Duration.ofSeconds(30));
      long took = (System.nanoTime() - down) / 1_000_000;
      System.out.println("link to h1 down: its nodes gone " + took + " ms after");
      assertThat(took).as("within the lifeline's bound (10 s without a heartbeat, then at most 5 s of grace)").isLessThan(20_000);
      assertThat(markedHere(id + "/n_0")).as("n_0 on h0 runs on").isNotEmpty();
    } finally {
      TestHosts.run(Duration.ofSeconds(10), "ip", "link", "set", cut.veth(), "up");
      Files.writeString(project.resolve("unblock"), "done");
    }
    build.await();
  }

  /** Pids of processes whose mark starts with {@code mark}, seen from the build machine's /proc. */
  private static List<String> markedHere(String mark) {
    TestHosts.Result r =
        TestHosts.run(Duration.ofSeconds(10), "sh", "-c", "grep -lsz '^" + HostsBuilds.MARK + "=" + mark + "' /proc/[0-9]*/environ || true");
    List<String> pids = new ArrayList<>();
    for (String line : r.out.split("\n")) {
      if (!line.isBlank()) {
        pids.add(line.trim());
      }
    }
    return pids;
  }

  // ---- bad input: each fails before any node starts, naming the host and the fix, leaving nothing ----

  @Test
  void anUnreachableHostFailsBeforeAnyNodeStarts(TestInfo test) throws Exception {
    Path project = project(test, "passing", "");
    MavenBuild build = on.localBuild(project, "verify", "-Dcluster.sshHosts=h0,root@" + hosts.hosts().get(1).address() + ":2",
            "-Dcluster.sshConfig=" + on.sshConfig(), "-Dcluster.remoteDirectory=" + hosts.remoteDirectory());
    assertThat(build.run()).isNotZero();
    assertThat(build.log()).contains("Cannot run nodes on <sshHosts> (no node was started)");
    assertThat(build.log()).contains(hosts.hosts().get(1).address() + ":2");
    assertNothingLeft();
  }

  @Test
  void aRefusedKeyOrAnUnknownHostKeyFailsBeforeAnyNodeStarts(TestInfo test) throws Exception {
    Path project = project(test, "passing", "");
    Path otherKey = hosts.runDir().resolve("other_key");
    if (!Files.exists(otherKey)) {
      TestHosts.run(Duration.ofSeconds(20), "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherKey.toString());
    }
    Path emptyKnown = hosts.runDir().resolve("empty_known_hosts");
    Files.writeString(emptyKnown, "");
    Path refused = writeSshConfig("refused_config", otherKey, hosts.knownHosts());
    Path unknown = writeSshConfig("unknown_config", hosts.key(), emptyKnown);

    MavenBuild wrongKey = on.localBuild(project, "verify", "-Dcluster.sshHosts=" + hostList(),
        "-Dcluster.sshConfig=" + refused, "-Dcluster.remoteDirectory=" + hosts.remoteDirectory());
    assertThat(wrongKey.run()).isNotZero();
    assertThat(wrongKey.log()).contains("no node was started").containsIgnoringCase("authori");

    MavenBuild newKey = on.localBuild(project, "verify", "-Dcluster.sshHosts=" + hostList(),
        "-Dcluster.sshConfig=" + unknown, "-Dcluster.remoteDirectory=" + hosts.remoteDirectory());
    assertThat(newKey.run()).isNotZero();
    assertThat(newKey.log()).contains("no node was started").contains("acceptNewHostKeys");
    assertNothingLeft();
  }

  @Test
  void aRemoteDirectoryThatCannotBeWrittenFailsBeforeAnyNodeStarts(TestInfo test) throws Exception {
    Path project = project(test, "passing", "");
    MavenBuild build = on.localBuild(project, "verify", "-Dcluster.sshHosts=" + hostList(),
        "-Dcluster.sshConfig=" + on.sshConfig(), "-Dcluster.remoteDirectory=/proc/version/cluster");
    assertThat(build.run()).isNotZero();
    assertThat(build.log()).contains("no node was started").contains("<remoteDirectory>");
    assertNothingLeft();
  }

  @Test
  void aFixedPortInUseOnAHostFailsBeforeAnyNodeStarts(TestInfo test) throws Exception {
    Path project = project(test, "passing", "");
    TestHosts.Host h2 = hosts.hosts().get(2);
    // A listener on h2 at the port n_2 would get: basePort + 2 (one port a node).
    int base = 23450;
    TestHosts.Result listener =
        hosts.ssh(
            h2,
            "setsid " + Paths.get(System.getProperty("java.home"), "bin", "java") + " -cp " + System.getProperty("testnode.classpath")
                + " io.github.clusterrun.cluster.testnode.TestNode --host=0.0.0.0 --port=" + (base + 2)
                + " </dev/null >/dev/null 2>&1 & echo $!");
    try {
      Await.until(
          "the listener on h2",
          () -> hosts.ssh(h2, "grep -q ':" + Integer.toHexString(base + 2).toUpperCase() + " 0' /proc/net/tcp /proc/net/tcp6").exit == 0,
          Duration.ofSeconds(20));
      MavenBuild build = build(project, "verify", "-Dcluster.basePort=" + base);
      assertThat(build.run()).isNotZero();
      assertThat(build.log()).contains("no node was started").contains("h2").contains(String.valueOf(base + 2)).contains("<basePort>");
    } finally {
      hosts.ssh(h2, "kill " + listener.out.trim());
    }
    assertNothingLeft();
  }

  private static void assertNothingLeft() {
    on.assertNothingLeft();
  }

  // ---- ZooKeeper: the recipe of the local IT, with @{node.host}, on three hosts ----

  @Test
  void aZooKeeperEnsembleFormsOverThreeHosts() throws Exception {
    Path root = HostsBuilds.TARGET.resolve("zookeeper");
    HostsBuilds.deleteTree(root);
    Path project = root.resolve("zk");
    HostsBuilds.copyTree(Paths.get("src/it/zookeeper-ensemble-formed-from-files"), project);
    HostsBuilds.copyTree(Paths.get("src/it/it-parent"), root.resolve("it-parent"));
    for (Path pom : List.of(project.resolve("pom.xml"), root.resolve("it-parent/pom.xml"))) {
      Files.writeString(pom, filtered(Files.readString(pom)));
    }
    // The local recipe binds and lists 127.0.0.1; on the hosts each node binds its host's address.
    Path pom = project.resolve("pom.xml");
    String recipe = Files.readString(pom);
    String onHosts =
        recipe
            .replace("clientPortAddress=127.0.0.1", "clientPortAddress=@{node.host}")
            .replace("server.@{node.number}=127.0.0.1:", "server.@{node.number}=@{node.host}:");
    assertThat(onHosts).isNotEqualTo(recipe).doesNotContain("127.0.0.1");
    Files.writeString(pom, onHosts);
    MavenBuild build = build(project, "verify");
    String log = succeeds(build);
    assertThat(log).contains("Running it.ZooKeeperEnsembleIT").containsPattern("Tests run: 1, Failures: 0, Errors: 0");
    assertThat(log).containsPattern("h0: classpath of \\d+ entries in \\S+/classpath, (all there already|\\d+ copied)");
    assertThat(log).containsPattern("Deleted target/cluster and \\S+ on h0, \\S+ on h1, \\S+ on h2");
    assertNothingLeftButTheClasspathCache();

    // A second build finds the classpath on every host: it copies nothing.
    MavenBuild again = build(project, "verify");
    assertThat(again.run()).as(again.log()).isZero();
    for (int i = 0; i < 3; i++) {
      assertThat(again.log()).containsPattern("h" + i + ": classpath of \\d+ entries in \\S+/classpath, all there already");
    }
  }

  /** The invoker's filtering of an IT's POM, for the tokens the ITs use. */
  private static String filtered(String pom) {
    return pom.replace("@project.version@", System.getProperty("plugin.version"))
        .replace("@surefire.version@", System.getProperty("surefire.version"))
        .replace("@junit.version@", System.getProperty("junit.version"))
        .replace("@project.groupId@", "io.github.clusterrun")
        .replace("@project.artifactId@", "cluster-maven-plugin")
        .replace("@project.build.testOutputDirectory@", System.getProperty("testnode.classpath"))
        .replace("@project.basedir@", Paths.get("").toAbsolutePath().toString());
  }

  /** As {@link #assertNothingLeft}, but the classpath cache may stay (it is kept by design). */
  private static void assertNothingLeftButTheClasspathCache() {
    for (TestHosts.Host host : hosts.hosts()) {
      assertThat(marked(host, null)).as("marked processes on " + host.name()).isEmpty();
      assertThat(hosts.ssh(host, "ls " + hosts.remoteDirectory()).out.trim()).as(host.name()).isEqualTo("classpath");
    }
  }

  // ---- the quickstart, as the README shows it, on three hosts ----

  @Test
  void theQuickstartRunsOnThreeHosts(TestInfo test) throws Exception {
    Path project = HostsBuilds.TARGET.resolve("quickstart");
    HostsBuilds.deleteTree(project);
    HostsBuilds.copyTree(Paths.get("examples/quickstart"), project);
    // The README's snippet, added to the quickstart's configuration: the hosts come from the POM.
    String readme = Files.readString(Paths.get("README.md"));
    Matcher snippet =
        Pattern.compile("START SNIPPET: ssh-hosts -->\\s*```xml\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(snippet.find()).as("the README's ssh-hosts snippet").isTrue();
    Path pom = project.resolve("pom.xml");
    String quickstart = Files.readString(pom);
    assertThat(quickstart).contains("<nodes>3</nodes>");
    Files.writeString(pom, quickstart.replace("<nodes>3</nodes>", "<nodes>3</nodes>\n" + snippet.group(1)));
    MavenBuild build = on.localBuild(project, "verify", "-Dcluster.sshConfig=" + on.sshConfig(), "-Dcluster.remoteDirectory=" + hosts.remoteDirectory());
    String log = succeeds(build);
    Matcher ready = Pattern.compile("Cluster of 3 nodes ready in \\d+ ms on 3 hosts \\(3 SSH connections in this build\\): (\\S+)").matcher(log);
    assertThat(ready.find()).as(log).isTrue();
    for (TestHosts.Host host : hosts.hosts()) {
      assertThat(ready.group(1)).contains(host.address() + ":");
    }
    assertThat(log).containsPattern("Tests run: \\d+, Failures: 0, Errors: 0, Skipped: 1");
    assertThat(log).contains("Deleted target/cluster and ");
    assertNothingLeft();
  }

  static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
