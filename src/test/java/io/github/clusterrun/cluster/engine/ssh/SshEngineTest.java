package io.github.clusterrun.cluster.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.engine.Engine.Launched;
import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.family.NodeStop;
import io.github.clusterrun.cluster.family.NodeStop.How;
import io.github.clusterrun.cluster.family.StopReport;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.NetRule;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.Place;
import io.github.clusterrun.cluster.model.SshSettings;
import io.github.clusterrun.cluster.model.StopOrder;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.Procs;
import io.github.clusterrun.cluster.testing.RecordingLog;
import io.github.clusterrun.cluster.testing.TestHosts;
import io.github.clusterrun.cluster.testing.TestSshd;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine of nodes on other hosts ({@link SshEngine}) against a real {@code sshd} on {@code
 * 127.0.0.1} ({@link TestSshd}), as any user (CI runs it as root and as an ordinary user): node
 * directories made from their staged copies, nodes launched with their mark, environment and
 * working directory and their output followed into the build machine's console log, stopped,
 * killed, paused and resumed by their mark, confirmed gone (a detached daemon included), their
 * directories deleted without following a link out and their logs brought back, the lifeline that
 * stops the cluster's families when the build dies, the classpath cache, and the checks before a
 * start. The host is this machine: what a node does there is read here, in {@code /proc} and in
 * the files, independently of the engine. Skipped with a warning where there is no {@code
 * /usr/sbin/sshd}.
 */
class SshEngineTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String MARK = FamilyMark.VARIABLE;
  /** A node script's sign that its traps are set: its pid in {@code up}, in its directory. */
  private static final String UP = "echo $$ > up.tmp && mv up.tmp up";
  /** A daemon that detaches (setsid, double fork), its pid in {@code d.pid} once it sleeps. */
  private static final String DAEMON =
      "setsid sh -c 'sh -c \"echo \\$\\$ > d.tmp && mv d.tmp d.pid; exec sleep 600\" & exit 0'"
          + " </dev/null >/dev/null 2>&1";

  @TempDir static Path dir;
  private static TestSshd sshd;

  private final String id = Procs.newClusterId();
  private final List<SshEngine> engines = new ArrayList<>();
  private Path local;
  private Path host;
  private SshSettings settings;
  private Place place;

  @BeforeAll
  static void startSshd() throws IOException {
    String reason = TestSshd.unavailableReason();
    if (reason != null) {
      System.err.println("WARNING: SshEngineTest skipped, no sshd to test against: " + reason);
    }
    Assumptions.assumeTrue(reason == null, reason);
    sshd = TestSshd.start(Files.createDirectories(dir.resolve("sshd")));
  }

  @AfterAll
  static void stopSshd() {
    if (sshd != null) {
      sshd.close();
      assertThat(sshd.anyProcessAlive()).isFalse();
    }
  }

  @BeforeEach
  void cluster() throws IOException {
    local = Files.createDirectories(dir.resolve(id).resolve("build"));
    host = Files.createDirectories(dir.resolve(id).resolve("host"));
    settings = new SshSettings(host.resolve("clusters").resolve(id).toString(), sshd.sshConfig(), false);
    place = Place.ssh(sshd.destination(), "127.0.0.1");
  }

  @AfterEach
  void nothingLeft() {
    try {
      engines.forEach(SshEngine::close);
      Await.until("no ssh process of this JVM left", () -> sshChildren().isEmpty(), WAIT);
      Await.until("no process of cluster " + id + " left", () -> Procs.markedPids(id).isEmpty(), WAIT);
      Await.until("no process of sshd's sessions left", () -> sshd.sessionProcesses().isEmpty(), WAIT);
    } finally {
      Procs.killMarked(id);
    }
  }

  @Test
  void aNodeRunsInItsPreparedDirectoryWithItsMarkAndItsOutputComesHere() throws Exception {
    ClusterLayout layout = new ClusterLayout(local.resolve("cluster"));
    layout.create("n_0");
    Files.writeString(layout.nodeDir("n_0").resolve("staged.txt"), "from the build machine\n");
    Files.createDirectories(layout.nodeDir("n_0").resolve("conf"));
    Files.writeString(layout.nodeDir("n_0").resolve("conf/node.conf"), "deep\n");
    Path remote = remoteNode("n_0");
    Files.createDirectories(remote);
    Files.writeString(remote.resolve("stale.txt"), "of an earlier run\n");
    Node node =
        node(0, "echo \"started in $(pwd) as $" + MARK + " with $GREETING\"; cat staged.txt;"
            + " read line; echo \"read $line\"; exit 7", Map.of("GREETING", "hello 'world'"));
    Cluster cluster = cluster(layout, StopOrder.PARALLEL, node);
    SshEngine engine = open(true);

    engine.prepare(cluster.nodes(), layout.directory());

    assertThat(remote.resolve("staged.txt")).hasContent("from the build machine");
    assertThat(remote.resolve("conf/node.conf")).hasContent("deep");
    assertThat(remote.resolve("logs")).isDirectory();
    assertThat(remote.resolve("stale.txt")).as("the directory is made anew").doesNotExist();

    Launched launched = launch(engine, cluster, node);

    long pid = launched.pid();
    assertThat(pid).as("the node's pid there, not the channel's here").isNotEqualTo(launched.process().pid());
    assertThat(Procs.env(pid).orElseThrow()).containsEntry("GREETING", "hello 'world'");
    assertThat(Files.readSymbolicLink(Paths.get("/proc", Long.toString(pid), "cwd"))).isEqualTo(remote);
    Path console = layout.consoleLog("n_0");
    awaitContent(console, "started in " + remote + " as " + node.mark() + " with hello 'world'\n"
        + "from the build machine\n");

    // The node's stdin is the channel's: a line written here reaches it, and what it prints after
    // that is followed into the console log here.
    OutputStream stdin = launched.process().getOutputStream();
    stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
    stdin.flush();

    awaitContent(console, "read go\n");
    assertThat(launched.process().waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(launched.process().exitValue()).as("the node's exit code").isEqualTo(7);
    assertThat(Procs.isGone(pid)).isTrue();
    assertThat(remote.resolve("logs/console.log")).hasSameTextualContentAs(console);

    StopReport report = engine.stop(cluster.at(place), null);
    NodeStop stop = report.nodes().get(0);
    assertThat(stop.how()).isEqualTo(How.EXITED_BEFORE);
    assertThat(stop.exitCode()).contains(7);
    assertThat(report.confirmed()).isTrue();
  }

  @Test
  void aCommandOfANodeRunsInItsDirectoryWithItsEnvironmentAndAnEmptyStdin() throws Exception {
    Node node = node(0, "exit 0", Map.of());
    SshEngine engine = open(true);
    Map<String, String> env = new LinkedHashMap<>(node.environment());
    env.put("WHAT", "before start");
    Path log = local.resolve("logs/before-start-1.log");

    Process command =
        engine.start(node, List.of("sh", "-c", "cat; echo \"$WHAT in $(pwd) as $" + MARK + "\"; exit 4"), env, log);

    assertThat(command.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("stdin read to its end").isTrue();
    assertThat(command.exitValue()).isEqualTo(4);
    assertThat(log).hasContent("before start in " + remoteNode("n_0") + " as " + node.mark());
  }

  @Test
  void stopIsGracefulThenForcedAndConfirmsEveryFamilyGoneADetachedDaemonIncluded() throws Exception {
    ClusterLayout layout = layout("n_0", "n_1", "n_2");
    Node graceful = node(0, "trap 'exit 3' TERM; " + UP + "; while :; do sleep 0.1; done", Map.of());
    Node stubborn = node(1, "trap '' TERM; " + UP + "; while :; do sleep 0.1; done", Map.of());
    Node withDaemon = node(2, DAEMON + "; trap 'exit 0' TERM; " + UP + "; while :; do sleep 0.1; done", Map.of());
    Cluster cluster = cluster(layout, StopOrder.PARALLEL, graceful, stubborn, withDaemon);
    SshEngine engine = open(true);
    engine.prepare(cluster.nodes(), layout.directory());
    List<Launched> launched = new ArrayList<>();
    for (Node node : cluster.nodes()) {
      launched.add(launch(engine, cluster, node));
      Procs.awaitPidFile(remoteNode(node.name()).resolve("up"));
    }
    long daemon = Procs.awaitSleeping(remoteNode("n_2").resolve("d.pid"));
    List<List<String>> steps = new ArrayList<>();

    StopReport report =
        engine.stop(cluster.at(place), step -> steps.add(step.stream().map(NodeStop::name).collect(Collectors.toList())));

    assertThat(steps).as("parallel: one step").containsExactly(List.of("n_0", "n_1", "n_2"));
    Map<String, NodeStop> stops = byName(report);
    assertThat(stops.get("n_0").how()).as(report.nodes().toString()).isEqualTo(How.GRACEFUL);
    assertThat(stops.get("n_0").exitCode()).contains(3);
    assertThat(stops.get("n_0").pid()).isEqualTo(launched.get(0).pid());
    assertThat(stops.get("n_1").how()).isEqualTo(How.KILLED);
    assertThat(stops.get("n_1").took()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(stops.get("n_2").how()).isEqualTo(How.GRACEFUL);
    assertThat(stops.get("n_2").familySize()).as("the node and its daemon").isGreaterThanOrEqualTo(2);
    assertThat(report.survivors()).isEmpty();
    assertThat(report.confirmed()).isTrue();
    assertThat(Procs.isGone(daemon)).as("the daemon that detached").isTrue();
    for (Launched node : launched) {
      assertThat(Procs.isGone(node.pid())).isTrue();
      assertThat(node.process().waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the node's channel ends").isTrue();
    }
    // The followers end with their nodes: nothing of the cluster is left (checked after each test).
  }

  @Test
  void aStopInReverseOrderConfirmsEachNodeGoneBeforeTheNext() throws Exception {
    ClusterLayout layout = layout("n_0", "n_1");
    Node first = node(0, "exec sleep 600", Map.of());
    Node second = node(1, "exec sleep 600", Map.of());
    Cluster cluster = cluster(layout, StopOrder.REVERSE, first, second);
    SshEngine engine = open(true);
    engine.prepare(cluster.nodes(), layout.directory());
    long pid0 = Procs.awaitExec(launch(engine, cluster, first).pid(), "sleep");
    long pid1 = Procs.awaitExec(launch(engine, cluster, second).pid(), "sleep");
    List<String> seen = new ArrayList<>();

    StopReport report =
        engine.stop(cluster.at(place), step -> {
          String name = step.get(0).name();
          seen.add(name + (Procs.isGone(pid0) ? " n_0 gone" : " n_0 alive") + (Procs.isGone(pid1) ? " n_1 gone" : " n_1 alive"));
        });

    assertThat(seen).containsExactly("n_1 n_0 alive n_1 gone", "n_0 n_0 gone n_1 gone");
    assertThat(report.nodes()).extracting(NodeStop::how).containsOnly(How.GRACEFUL);
    assertThat(report.confirmed()).isTrue();
  }

  @Test
  void runningPauseResumeAndKillReachEveryMemberOfTheFamilies() throws Exception {
    ClusterLayout layout = layout("n_0", "n_1");
    Node parent = node(0, "sleep 600 & echo $! > c.tmp && mv c.tmp c.pid; wait", Map.of());
    Node single = node(1, "exec sleep 600", Map.of());
    Cluster cluster = cluster(layout, StopOrder.PARALLEL, parent, single);
    SshEngine engine = open(true);
    engine.prepare(cluster.nodes(), layout.directory());
    Launched l0 = launch(engine, cluster, parent);
    Launched l1 = launch(engine, cluster, single);
    long child = Procs.awaitSleeping(remoteNode("n_0").resolve("c.pid"));
    Procs.awaitExec(l1.pid(), "sleep");
    Set<Long> members = Set.of(l0.pid(), child, l1.pid());
    Cluster here = cluster.at(place);

    assertThat(engine.running(here)).containsExactly("n_0", "n_1");

    assertThat(engine.pause(here)).isEqualTo(3);
    assertThat(members).allMatch(pid -> state(pid) == 'T');
    assertThat(engine.running(here)).as("paused nodes run").containsExactly("n_0", "n_1");

    assertThat(engine.resume(here)).isEqualTo(3);
    Await.until("every member to run again", () -> members.stream().noneMatch(pid -> state(pid) == 'T'), WAIT);

    StopReport report = engine.kill(here);

    Map<String, NodeStop> stops = byName(report);
    assertThat(stops.get("n_0").how()).as(report.nodes().toString()).isEqualTo(How.KILLED);
    assertThat(stops.get("n_0").familySize()).isEqualTo(2);
    assertThat(stops.get("n_1").how()).isEqualTo(How.KILLED);
    assertThat(stops.get("n_1").familySize()).isEqualTo(1);
    assertThat(report.confirmed()).isTrue();
    assertThat(members).allMatch(Procs::isGone);
    assertThat(l0.process().waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(l1.process().waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(engine.running(here)).isEmpty();
    assertThat(engine.pause(here)).as("nothing left to pause").isZero();
  }

  @Test
  void logsComeBackAndDirectoriesAreDeletedWithoutFollowingALinkOut() throws Exception {
    ClusterLayout layout = layout("n_0", "n_1");
    Node node = node(0, "echo to the console; echo app > logs/app.log", Map.of());
    Cluster cluster = cluster(layout, StopOrder.PARALLEL, node, node(1, "exit 0", Map.of()));
    SshEngine engine = open(true);
    engine.prepare(cluster.nodes(), layout.directory());
    Launched launched = engine.launch(node, local.resolve("followed.log"));
    cluster.launched("n_0", launched.process(), launched.pid());
    assertThat(launched.process().waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(engine.stop(cluster.at(place), null).confirmed()).isTrue();
    Path outside = Files.createDirectories(host.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "keep\n");
    Files.createDirectories(outside.resolve("dir"));
    Files.writeString(outside.resolve("dir/kept.txt"), "keep\n");
    Files.createSymbolicLink(remoteNode("n_0").resolve("file-link"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(remoteNode("n_0").resolve("logs/dir-link"), outside.resolve("dir"));
    Path root = Paths.get(settings.remoteDirectory());

    assertThat(engine.bringBackLogs(cluster.at(place))).contains(settings.remoteDirectory());

    assertThat(layout.logDir("n_0").resolve("app.log")).hasContent("app");
    assertThat(layout.consoleLog("n_0")).hasContent("to the console");
    assertThat(layout.consoleLog("n_1")).exists();

    Files.writeString(root.resolve("not-a-node.txt"), "someone else's\n");

    assertThat(engine.deleteNodeDirectories(cluster.at(place))).contains(settings.remoteDirectory());

    assertThat(remoteNode("n_0")).doesNotExist();
    assertThat(remoteNode("n_1")).doesNotExist();
    assertThat(root.resolve("not-a-node.txt")).as("only the nodes' directories").exists();
    assertThat(outside.resolve("secret.txt")).hasContent("keep");
    assertThat(outside.resolve("dir/kept.txt")).hasContent("keep");

    Files.delete(root.resolve("not-a-node.txt"));
    engine.deleteNodeDirectories(cluster.at(place));

    assertThat(root).as("the root, once empty").doesNotExist();
  }

  @Test
  void whenTheBuildDiesTheLifelineStopsTheClustersFamiliesThere() throws Exception {
    ClusterLayout layout = layout("n_0");
    Node node = node(0, DAEMON + "; trap '' TERM; " + UP + "; while :; do sleep 0.1; done", Map.of());
    Cluster cluster = cluster(layout, StopOrder.PARALLEL, node);
    SshEngine engine = open(true);
    engine.prepare(cluster.nodes(), layout.directory());
    Launched launched = launch(engine, cluster, node);
    Procs.awaitPidFile(remoteNode("n_0").resolve("up"));
    long daemon = Procs.awaitSleeping(remoteNode("n_0").resolve("d.pid"));
    long start = System.nanoTime();

    engine.connection().cut();

    Await.until("the node and its daemon gone", () -> Procs.isGone(launched.pid()) && Procs.isGone(daemon), WAIT);
    Await.until("no process of the cluster left", () -> Procs.markedPids(id).isEmpty(), WAIT);
    System.out.printf("SshEngineTest: the lifeline stopped the cluster %.1f s after the cut (grace 1 s)%n",
        (System.nanoTime() - start) / 1e9);
    assertThat(engine.connection().masterExit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
    assertThat(launched.process().waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
  }

  @Test
  void closeAfterAConfirmedStopEndsTheConnectionAndEverySession() throws Exception {
    ClusterLayout layout = layout("n_0");
    Node node = node(0, "exec sleep 600", Map.of());
    Cluster cluster = cluster(layout, StopOrder.PARALLEL, node);
    SshEngine engine = open(true);
    engine.prepare(cluster.nodes(), layout.directory());
    Procs.awaitExec(launch(engine, cluster, node).pid(), "sleep");
    assertThat(engine.stop(cluster.at(place), null).confirmed()).isTrue();
    SshConnection connection = engine.connection();
    assertThat(sshChildren()).isNotEmpty();

    long start = System.nanoTime();
    engine.close();

    // The lifeline ends on 'confirmed', and the connection with it: close does not wait the 5 s it
    // gives a lifeline that does not end before it asks the master to exit.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(connection.alive()).isFalse();
    assertThat(connection.masterExit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
    assertThat(connection.controlDir()).doesNotExist();
    Await.until("no ssh process of this JVM left", () -> sshChildren().isEmpty(), WAIT);
    Await.until("no process of sshd's sessions left", () -> sshd.sessionProcesses().isEmpty(), WAIT);
  }

  @Test
  void theClasspathIsCopiedOnceByContent() throws Exception {
    Path jar = local.resolve("lib/app.jar");
    Files.createDirectories(jar.getParent());
    Files.writeString(jar, "a jar of " + id);
    Path classes = local.resolve("classes");
    Files.createDirectories(classes.resolve("p"));
    Files.writeString(classes.resolve("p/A.class"), "a class of " + id);
    String missing = "/nonexistent/" + id + ".jar";
    List<String> entries = List.of(jar.toString(), classes.toString(), missing);
    String cache = host.resolve("clusters/classpath").toString();
    RecordingLog first = new RecordingLog();

    String shipped = open(true, first).shipClasspath(entries);

    List<String> remote = Arrays.asList(shipped.split(":"));
    assertThat(remote).hasSize(3);
    assertThat(remote.get(0)).startsWith(cache + "/").endsWith("/app.jar");
    assertThat(Paths.get(remote.get(0))).hasSameBinaryContentAs(jar);
    assertThat(remote.get(1)).startsWith(cache + "/");
    assertThat(Paths.get(remote.get(1), "p/A.class")).hasSameBinaryContentAs(classes.resolve("p/A.class"));
    assertThat(remote.get(2)).as("an entry that does not exist here, as it is").isEqualTo(missing);
    assertThat(first.text()).contains("classpath of 2 entries in " + cache + ", 2 copied");
    Object inode = Files.getAttribute(Paths.get(remote.get(0)), "unix:ino");

    RecordingLog second = new RecordingLog();
    SshEngine again = open(false, second);

    assertThat(again.shipClasspath(entries)).isEqualTo(shipped);
    assertThat(second.text()).contains("classpath of 2 entries in " + cache + ", all there already");
    assertThat(Files.getAttribute(Paths.get(remote.get(0)), "unix:ino")).as("not copied again").isEqualTo(inode);

    Files.writeString(jar, "another jar of " + id);
    RecordingLog third = new RecordingLog();
    String changed = open(false, third).shipClasspath(entries);

    assertThat(changed.split(":")[0]).isNotEqualTo(remote.get(0));
    assertThat(changed.split(":")[1]).isEqualTo(remote.get(1));
    assertThat(Paths.get(changed.split(":")[0])).hasSameBinaryContentAs(jar);
    assertThat(third.text()).contains(", 1 copied");
    assertThat(again.classpath("local")).as("until one is used").isEqualTo("local");
    again.useClasspath(changed);
    assertThat(again.classpath("local")).isEqualTo(changed);
  }

  @Test
  void checkPassesOrNamesWhatToFix() throws Exception {
    SshEngine engine = open(true);
    engine.check(List.of(), Procs.javaExecutable().toString());
    Path root = Paths.get(settings.remoteDirectory());
    assertThat(root).isDirectory();
    engine.removeEmptyDirectory();
    assertThat(root).doesNotExist();

    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      List<Integer> free = engine.freePorts(3);
      assertThat(free).hasSize(3).doesNotHaveDuplicates().doesNotContain(port).allMatch(p -> p >= 10000);
      assertThatThrownBy(() -> engine.check(List.of(port), null))
          .isInstanceOf(ClusterException.class)
          .hasMessageContaining(sshd.destination())
          .hasMessageContaining("port " + port + " of <basePort> already in use");
    }

    String noJava = "/nonexistent/" + id + "/bin/java";
    assertThatThrownBy(() -> engine.check(List.of(), noJava))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("no program " + noJava + " (<javaExecutable>)");

    Path file = Files.writeString(host.resolve("a-file"), "");
    String under = file.resolve("clusters").resolve(id).toString();
    settings = new SshSettings(under, sshd.sshConfig(), false);
    SshEngine blocked = open(false);
    assertThatThrownBy(() -> blocked.check(List.of(), null))
        .isInstanceOf(ClusterException.class)
        .hasMessageContaining("the remote directory " + under + " cannot be written")
        .hasMessageContaining("<remoteDirectory>");
  }

  @Test
  void networkFaultsAreRefusedToAUserWithoutSudoAndHealingThereDoesNothing() throws Exception {
    String user = TestHosts.run(WAIT, "id", "-un").out.trim();
    boolean mayChangeTheFirewall =
        TestHosts.run(WAIT, "id", "-u").out.trim().equals("0")
            || TestHosts.run(WAIT, "sh", "-c", "command -v sudo && sudo -n true").exit == 0;
    if (mayChangeTheFirewall) {
      System.err.println("WARNING: SshEngineTest: " + user + " may change this machine's firewall, whose refusal"
          + " is tested only as an ordinary user (.ci/run's); the faults themselves in SshEngineNetworkTest");
    }
    Assumptions.assumeFalse(mayChangeTheFirewall, "root or password-less sudo");
    SshEngine engine = open(true);
    Cluster here = cluster(layout("n_0"), StopOrder.PARALLEL, node(0, "true", Map.of())).at(engine.place());
    assertThat(here.nodes()).hasSize(1);

    Optional<String> refusal = engine.networkRefusal(here, false);

    assertThat(refusal).hasValueSatisfying(why -> assertThat(why).isEqualTo("host " + sshd.destination() + ": user "
        + user + " is neither root nor allowed password-less sudo, which network faults need (nftables rules):"
        + " run the nodes as root there, or allow that user `sudo -n` (NOPASSWD in sudoers)"));
    assertThat(engine.networkRefusal(here, true)).as("with delay").isEqualTo(refusal);
    assertThatThrownBy(() -> engine.network(here, Map.of("n_0", List.of(NetRule.drop("192.0.2.1")))))
        .isInstanceOf(ClusterException.class)
        .hasMessage(refusal.get());
    engine.network(here, Map.of()); // nothing of this user's can be in force: heal returns
  }

  // ---- helpers

  private SshEngine open(boolean lifeline) throws ClusterException {
    return open(lifeline, ClusterLog.SILENT);
  }

  private SshEngine open(boolean lifeline, ClusterLog log) throws ClusterException {
    SshEngine engine = SshEngine.open(sshd.destination(), settings, id, 1, lifeline, Platform.current(), log);
    engines.add(engine);
    return engine;
  }

  /** A node at the test's host running {@code sh -c script}, with its mark and {@code env}. */
  private Node node(int index, String script, Map<String, String> env) {
    String name = ClusterLayout.nodeName(index);
    String mark = FamilyMark.of(id, name);
    Map<String, String> environment = new LinkedHashMap<>(env);
    environment.put(MARK, mark);
    return Node.planned(index, mark, Map.of(), List.of("sh", "-c", script), environment, remoteNode(name), place);
  }

  private Path remoteNode(String name) {
    return Paths.get(settings.nodeDirectory(name));
  }

  /** The build machine's cluster directory, with the staged directories of {@code nodes}. */
  private ClusterLayout layout(String... nodes) throws IOException {
    ClusterLayout layout = new ClusterLayout(local.resolve("cluster"));
    for (String node : nodes) {
      layout.create(node);
    }
    return layout;
  }

  private Cluster cluster(ClusterLayout layout, StopOrder order, Node... nodes) {
    Cluster cluster = new Cluster(layout, id, Instant.now(), Duration.ofSeconds(1), null, order, List.of(nodes));
    cluster.ssh(settings);
    return cluster;
  }

  /** Launches {@code node} as a start does, and waits until its pid carries its mark. */
  private static Launched launch(SshEngine engine, Cluster cluster, Node node) throws IOException {
    Launched launched = engine.launch(node, cluster.layout().consoleLog(node.name()));
    assertThat(cluster.launched(node.name(), launched.process(), launched.pid())).isTrue();
    // The pid is the shell's that execs the node: its environment shows the mark once it did.
    Await.until("pid " + launched.pid() + " to carry " + node.mark(),
        () -> node.mark().equals(Procs.env(launched.pid()).map(e -> e.get(MARK)).orElse(null)), WAIT);
    return launched;
  }

  private static Map<String, NodeStop> byName(StopReport report) {
    return report.nodes().stream().collect(Collectors.toMap(NodeStop::name, s -> s));
  }

  private static void awaitContent(Path file, String content) {
    Await.until(file + " to hold " + content, () -> read(file).contains(content), WAIT);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** The state letter of a process in /proc/<pid>/stat; '?' when it is gone. */
  private static char state(long pid) {
    String stat = read(Paths.get("/proc", Long.toString(pid), "stat"));
    int close = stat.lastIndexOf(')');
    return close < 0 || close + 2 >= stat.length() ? '?' : stat.charAt(close + 2);
  }

  private static List<ProcessHandle> sshChildren() {
    return ProcessHandle.current().children()
        .filter(p -> p.isAlive() && p.info().command().map(c -> c.endsWith("/ssh")).orElse(false))
        .collect(Collectors.toList());
  }
}
