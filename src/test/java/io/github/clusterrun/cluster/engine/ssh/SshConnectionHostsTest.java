package io.github.clusterrun.cluster.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clusterrun.cluster.engine.ssh.SshException.Kind;
import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.TestHosts;
import io.github.clusterrun.cluster.testing.TestHosts.Host;
import io.github.clusterrun.cluster.testing.TestSshd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH layer against real hosts of their own ({@link TestHosts}: network namespaces, an sshd
 * each, files private to each host): hosts opened together, commands and channels on the right
 * host, the lifeline's end of file seen on the host, a cut link ending the master within the
 * keep-alive bound, and unreachable hosts, refused keys and unknown host keys classified. Needs
 * root; skipped with a warning otherwise.
 */
class SshConnectionHostsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration CONNECT = Duration.ofSeconds(3);

  @TempDir static Path dir;
  private static TestHosts hosts;
  private static SshOptions options;

  @BeforeAll
  static void makeHosts() throws IOException {
    String reason = TestHosts.unavailableReason();
    if (reason != null) {
      System.err.println("WARNING: SshConnectionHostsTest skipped, no test hosts: " + reason);
    }
    Assumptions.assumeTrue(reason == null, reason);
    hosts = TestHosts.start(2);
    Path config = dir.resolve("ssh_config");
    TestSshd.writeSshConfig(config, hosts.key(), hosts.knownHosts());
    options = SshOptions.defaults().withSshConfig(config).withConnectTimeout(CONNECT)
        .withControlParent(Files.createDirectories(dir.resolve("control")));
  }

  @AfterAll
  static void removeHosts() {
    if (hosts != null) {
      hosts.close();
    }
  }

  @AfterEach
  void noSshProcessNorControlDirectoryLeft() throws IOException {
    Await.until("no ssh process of this JVM left", () -> ProcessHandle.current().children()
        .noneMatch(p -> p.isAlive() && p.info().command().orElse("").endsWith("/ssh")), WAIT);
    try (java.util.stream.Stream<Path> left = Files.list(options.controlParent())) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void hostsOpenedTogetherRunCommandsAndChannelsOnTheRightHost() throws Exception {
    Path remote = hosts.remoteDirectory();
    List<Host> two = hosts.hosts();
    List<SshConnection> connections = SshConnection.openAll(
        two.stream().map(SshConnectionHostsTest::root).collect(Collectors.toList()), options,
        h -> SshConnectionTest.lifeline(remote));
    try {
      for (int i = 0; i < two.size(); i++) {
        SshConnection connection = connections.get(i);
        assertThat(connection.firstLine()).startsWith("lifeline ");
        assertThat(connection.run(List.of("hostname"), null, WAIT).stdout().trim())
            .isEqualTo(two.get(i).name());
        assertThat(connection.address()).isEqualTo(two.get(i).address());
        Process node = connection.start(List.of("sh", "-c", "exit 7"),
            ProcessBuilder.Redirect.DISCARD, ProcessBuilder.Redirect.DISCARD);
        assertThat(node.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).isEqualTo(7);
      }
      String lines = remote.resolve("lines").toString();
      Await.until("beats on " + two.get(0).name(),
          () -> hosts.ssh(two.get(0), "cat " + lines).out.contains("beat\n"), WAIT);

      // Host 0's lifeline reads end of file without a word; host 1's reads confirmed.
      connections.get(0).cut();
      assertThat(connections.get(0).masterExit().get(20, TimeUnit.SECONDS)).isZero();
      TestHosts.Result cut = hosts.ssh(two.get(0), "cat " + lines);
      assertThat(cut.out).as("%s", cut).endsWith("beat\neof\n").doesNotContain("confirmed");
      connections.get(1).close();
      TestHosts.Result confirmed = hosts.ssh(two.get(1), "cat " + lines);
      assertThat(confirmed.out).as("%s", confirmed).endsWith("beat\nconfirmed\neof\n");
    } finally {
      connections.forEach(SshConnection::close);
    }
  }

  @Test
  void aCutLinkEndsTheMasterWithinTheKeepAliveBound() throws Exception {
    Host host = hosts.hosts().get(1);
    try (SshConnection connection = SshConnection.open(root(host), options,
        SshConnectionTest.lifeline(hosts.remoteDirectory().resolve("link")))) {
      long start = System.nanoTime();
      exec("ip", "link", "set", host.veth(), "down");
      try {
        assertThat(connection.masterExit().get(30, TimeUnit.SECONDS)).isEqualTo(255);
      } finally {
        exec("ip", "link", "set", host.veth(), "up");
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      System.out.println("SSH master ended " + took.toMillis() + " ms after the link to "
          + host.name() + " went down (bound " + SshOptions.keepAliveBound().toMillis() + " ms): "
          + connection.masterErrors().trim());
      assertThat(took).isLessThanOrEqualTo(SshOptions.keepAliveBound().plusSeconds(2));
      assertThat(connection.masterErrors()).contains("not responding");
      assertThatThrownBy(() -> connection.run(List.of("true"), null, WAIT))
          .isInstanceOfSatisfying(SshException.class,
              e -> assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(Kind.CONNECTION_LOST));
    }
  }

  @Test
  void anAddressWithNoHostAndAPortWithNoSshdAreUnreachable() {
    Host host = hosts.hosts().get(0);
    String subnet = host.address().substring(0, host.address().lastIndexOf('.'));
    SshHost nobody = SshHost.parse("root@" + subnet + ".200");
    long start = System.nanoTime();
    assertThatThrownBy(() -> SshConnection.open(nobody, options, List.of("true")))
        .isInstanceOfSatisfying(SshException.class, e -> {
          assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(Kind.UNREACHABLE);
          assertThat(e.getMessage()).contains(nobody.destination()).contains("sshd runs");
        });
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(CONNECT.plus(Master.OPEN_MARGIN));
    SshHost noSshd = SshHost.parse("root@" + host.address() + ":2222");
    assertThatThrownBy(() -> SshConnection.open(noSshd, options, List.of("true")))
        .isInstanceOfSatisfying(SshException.class, e -> {
          assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(Kind.UNREACHABLE);
          assertThat(e.getMessage()).contains("Connection refused");
        });
  }

  @Test
  void aRefusedKeyAndAnUnknownHostKeyAreClassified() throws Exception {
    SshHost host = root(hosts.hosts().get(0));
    Path stranger = dir.resolve("stranger");
    TestSshd.keygen(stranger, "");
    Path strangerConfig = dir.resolve("stranger_config");
    TestSshd.writeSshConfig(strangerConfig, stranger, hosts.knownHosts());
    assertThatThrownBy(() -> SshConnection.open(host, options.withSshConfig(strangerConfig),
        List.of("true")))
        .isInstanceOfSatisfying(SshException.class,
            e -> assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(Kind.AUTH_REFUSED));

    Path known = dir.resolve("known_hosts");
    Files.write(known, new byte[0]);
    Path emptyConfig = dir.resolve("empty_known_config");
    TestSshd.writeSshConfig(emptyConfig, hosts.key(), known);
    SshOptions strict = options.withSshConfig(emptyConfig);
    assertThatThrownBy(() -> SshConnection.open(host, strict, List.of("true")))
        .isInstanceOfSatisfying(SshException.class,
            e -> assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(Kind.HOST_KEY_UNKNOWN));
    try (SshConnection connection = SshConnection.open(host, strict.withAcceptNewHostKeys(true),
        SshConnectionTest.lifeline(hosts.remoteDirectory().resolve("accept")))) {
      assertThat(connection.run(List.of("hostname"), null, WAIT).exit()).isZero();
    }
    assertThat(new String(Files.readAllBytes(known), StandardCharsets.UTF_8))
        .startsWith(host.host() + " ssh-ed25519 ");
  }

  private static SshHost root(Host host) {
    return SshHost.parse("root@" + host.address());
  }

  private static void exec(String... command) {
    TestHosts.Result result = TestHosts.run(WAIT, command);
    assertThat(result.exit).as("%s: %s", String.join(" ", command), result).isZero();
  }
}
