package io.github.clusterrun.cluster.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.testing.MavenBuild;
import io.github.clusterrun.cluster.testing.TestHosts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * What the ITs of nodes on other hosts share (NodesOnHostsIT, NetworkFaultsIT): three {@link
 * TestHosts} named h0, h1, h2 in an SSH configuration of their own, test projects made from the
 * templates of {@code src/test/resources/hosts}, real Maven builds of them whose nodes run on those
 * hosts (or here, for the builds that ask), and what a build leaves on the hosts. One per test class;
 * {@link #endBuildsAndEmptyTheHosts()} after each test, {@link #close()} after the class.
 */
final class HostsBuilds implements AutoCloseable {
  static final Path TARGET = Paths.get("target", "hosts-its").toAbsolutePath();
  static final String MARK = "CLUSTER_MAVEN_PLUGIN_MARK";
  private static final Path TEMPLATES = Paths.get("src/test/resources/hosts").toAbsolutePath();

  private final TestHosts hosts;
  private final Path sshConfig;
  private final List<MavenBuild> builds = new ArrayList<>();

  private HostsBuilds(TestHosts hosts) throws IOException {
    this.hosts = hosts;
    this.sshConfig = writeSshConfig(hosts, "ssh_config", hosts.key(), hosts.knownHosts());
  }

  /** Why the hosts or the builds cannot be made here (not root, no sshd, not under mvn verify), or null. */
  static String unavailableReason() {
    String why = TestHosts.unavailableReason();
    return why != null ? why : MavenBuild.unavailableReason();
  }

  /** Three hosts with their SSH configuration. */
  static HostsBuilds start() throws IOException {
    TestHosts hosts = TestHosts.start(3);
    try {
      return new HostsBuilds(hosts);
    } catch (IOException | RuntimeException e) {
      hosts.close();
      throw e;
    }
  }

  TestHosts hosts() {
    return hosts;
  }

  List<TestHosts.Host> hostList() {
    return hosts.hosts();
  }

  TestHosts.Host host(int i) {
    return hosts.hosts().get(i);
  }

  Path sshConfig() {
    return sshConfig;
  }

  /** {@code h0,h1,h2}: the names of the hosts in {@link #sshConfig()}. */
  String sshHosts() {
    return "h0,h1,h2";
  }

  /** An SSH configuration naming the hosts h0, h1, h2, reached as root with {@code key}. */
  Path writeSshConfig(String name, Path key, Path knownHosts) throws IOException {
    return writeSshConfig(hosts, name, key, knownHosts);
  }

  private static Path writeSshConfig(TestHosts hosts, String name, Path key, Path knownHosts) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < hosts.hosts().size(); i++) {
      sb.append("Host h").append(i).append('\n')
          .append("  HostName ").append(hosts.hosts().get(i).address()).append('\n')
          .append("  User root\n")
          .append("  IdentityFile ").append(key).append('\n')
          .append("  IdentitiesOnly yes\n")
          .append("  UserKnownHostsFile ").append(knownHosts).append('\n')
          .append("  GlobalKnownHostsFile /dev/null\n")
          .append("  StrictHostKeyChecking yes\n");
    }
    Path file = hosts.runDir().resolve(name);
    Files.writeString(file, sb.toString());
    return file;
  }

  /**
   * A project in {@code target/hosts-its/<dir>} of three TestNodes (the template {@code
   * hosts/pom.xml}) with the tests of {@code suite}: {@code src/test/resources/hosts/<suite>} when it
   * exists, else the shared suite {@code src/it/_tests/<suite>}. {@code beforeNode} is shell run
   * before each node.
   */
  Path project(String dir, String suite, String beforeNode) throws IOException {
    Path tests =
        Files.isDirectory(TEMPLATES.resolve(suite))
            ? TEMPLATES.resolve(suite)
            : Paths.get("src/it/_tests", suite).toAbsolutePath();
    String pom =
        Files.readString(TEMPLATES.resolve("pom.xml"))
            .replace("@SUITE@", suite)
            .replace("@NODES@", "3")
            .replace("@BEFORE@", beforeNode.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
    return writeProject(dir, filtered(pom, tests));
  }

  /**
   * A project in {@code target/hosts-its/<dir>} whose POM is the template {@code
   * src/test/resources/hosts/<name>/pom.xml} and whose tests are {@code <name>/it}.
   */
  Path ownProject(String dir, String name) throws IOException {
    String pom = Files.readString(TEMPLATES.resolve(name).resolve("pom.xml"));
    return writeProject(dir, filtered(pom, TEMPLATES.resolve(name)));
  }

  private static Path writeProject(String dir, String pom) throws IOException {
    Path project = TARGET.resolve(dir);
    deleteTree(project);
    Files.createDirectories(project);
    Files.writeString(project.resolve("pom.xml"), pom);
    return project;
  }

  private static String filtered(String pom, Path tests) {
    return pom.replace("@JUNIT@", System.getProperty("junit.version"))
        .replace("@SUREFIRE@", System.getProperty("surefire.version"))
        .replace("@VERSION@", System.getProperty("plugin.version"))
        .replace("@TESTS@", tests.toString())
        .replace("@JAVA@", Paths.get(System.getProperty("java.home"), "bin", "java").toString())
        .replace("@TESTNODE@", System.getProperty("testnode.classpath"));
  }

  /** A build of {@code project} whose nodes run on h0, h1, h2. */
  MavenBuild build(Path project, String... goalsAndOptions) {
    List<String> args = new ArrayList<>(List.of(goalsAndOptions));
    args.add("-Dcluster.sshHosts=" + sshHosts());
    args.add("-Dcluster.sshConfig=" + sshConfig);
    args.add("-Dcluster.remoteDirectory=" + hosts.remoteDirectory());
    return localBuild(project, args.toArray(new String[0]));
  }

  /** A build of {@code project} as it is: no hosts unless its POM or options name them. */
  MavenBuild localBuild(Path project, String... goalsAndOptions) {
    MavenBuild build = MavenBuild.of(project, goalsAndOptions);
    builds.add(build);
    return build;
  }

  /** Runs {@code build}, which must succeed; its output. */
  static String succeeds(MavenBuild build) throws IOException, InterruptedException {
    int exit = build.run();
    String log = build.log();
    assertThat(exit).as(log).isZero();
    return log;
  }

  /**
   * Kills what a test left running (its builds, the marked processes on the hosts) and empties the
   * hosts' remote directories: each test starts from empty hosts.
   */
  void endBuildsAndEmptyTheHosts() {
    for (MavenBuild build : builds) {
      if (build.process() != null && build.process().isAlive()) {
        build.process().destroyForcibly();
      }
    }
    builds.clear();
    for (TestHosts.Host host : hosts.hosts()) {
      hosts.ssh(
          host,
          "for f in $(grep -lsz '^" + MARK + "=' /proc/[0-9]*/environ | cut -d/ -f3); do kill -9 $f; done;"
              + " find " + hosts.remoteDirectory() + " -mindepth 1 -delete");
    }
  }

  /** The pids of the processes on {@code host} that carry a mark of {@code clusterId} (all if null). */
  List<String> marked(TestHosts.Host host, String clusterId) {
    String prefix = clusterId == null ? "" : clusterId + "/";
    return lines(hosts.ssh(host, "grep -lsz '^" + MARK + "=" + prefix + "' /proc/[0-9]*/environ || true").out);
  }

  /** The entries of the remote directory on {@code host}. */
  String remoteEntries(TestHosts.Host host) {
    return hosts.ssh(host, "find " + hosts.remoteDirectory() + " -mindepth 1 -maxdepth 2 | sort").out.trim();
  }

  /** No marked process and an empty remote directory on every host. */
  void assertNothingLeft() {
    for (TestHosts.Host host : hosts.hosts()) {
      assertThat(marked(host, null)).as("marked processes on " + host.name()).isEmpty();
      assertThat(remoteEntries(host)).as("remote directory of " + host.name()).isEmpty();
    }
  }

  /** The id of the cluster that {@code project}'s build recorded in its state. */
  static String clusterId(Path project) throws IOException {
    return load(project.resolve("target/cluster/cluster.state")).getProperty("id");
  }

  /** The properties the cluster of {@code project} exported ({@code target/cluster/cluster.properties}). */
  static Properties exported(Path project) throws IOException {
    return load(project.resolve("target/cluster/cluster.properties"));
  }

  private static Properties load(Path file) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    return p;
  }

  static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        lines.add(line.trim());
      }
    }
    return lines;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path rel = from.relativize(p);
        if (rel.startsWith("target")) {
          continue;
        }
        Path dest = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
    }
  }

  @Override
  public void close() {
    hosts.close();
  }
}
