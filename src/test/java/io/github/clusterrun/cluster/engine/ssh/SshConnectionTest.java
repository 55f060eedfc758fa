package io.github.clusterrun.cluster.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clusterrun.cluster.engine.ssh.SshConnection.Result;
import io.github.clusterrun.cluster.engine.ssh.SshException.Kind;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.TestSshd;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH layer against a real {@code sshd} on {@code 127.0.0.1} ({@link TestSshd}), as any user:
 * one connection for every command, commands and long channels with their exit codes and data,
 * the lifeline's heartbeat, {@code confirmed} and end of file as the host's session command sees
 * them, failures classified with their fix, and nothing left running. Skipped with a warning where
 * there is no {@code /usr/sbin/sshd}.
 */
class SshConnectionTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path dir;
  private static TestSshd sshd;
  private static SshHost host;
  private static SshOptions options;

  @BeforeAll
  static void startSshd() throws IOException {
    String reason = TestSshd.unavailableReason();
    if (reason != null) {
      System.err.println("WARNING: SshConnectionTest skipped, no sshd to test against: " + reason);
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(reason == null, reason);
    sshd = TestSshd.start(Files.createDirectories(dir.resolve("sshd")));
    host = SshHost.parse(sshd.destination());
    options = SshOptions.defaults().withSshConfig(sshd.sshConfig())
        .withControlParent(Files.createDirectories(dir.resolve("control")));
  }

  @AfterAll
  static void stopSshd() {
    if (sshd != null) {
      sshd.close();
      assertThat(sshd.anyProcessAlive()).isFalse();
    }
  }

  @AfterEach
  void noSshProcessNorControlDirectoryLeft() throws IOException {
    Await.until("no ssh process of this JVM left", () -> sshChildren().isEmpty(), WAIT);
    try (java.util.stream.Stream<Path> left = Files.list(options.controlParent())) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void everyCommandGoesOverTheOneConnection() throws Exception {
    int made = SshConnection.connectionsMade();
    int accepted = sshd.acceptedConnections();
    try (SshConnection connection = open(lifeline(dir.resolve("one")))) {
      assertThat(connection.firstLine()).startsWith("lifeline ");
      List<String> words = new ArrayList<>(List.of("printf", "%s\\0"));
      words.addAll(ShellQuoteTest.NASTY);
      Result printed = connection.run(words, null, WAIT);
      assertThat(Arrays.asList(printed.stdout().split("\0", -1)))
          .containsExactlyElementsOf(ShellQuoteTest.withEnd(ShellQuoteTest.NASTY));

      byte[] data = "bytes\nthrough\0stdin\n".getBytes(StandardCharsets.UTF_8);
      assertThat(connection.run(List.of("cat"), data, WAIT).stdout())
          .isEqualTo(new String(data, StandardCharsets.UTF_8));

      Result failed = connection.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), null, WAIT);
      assertThat(failed.exit()).isEqualTo(3);
      assertThat(failed.stdout()).isEqualTo("out\n");
      assertThat(failed.stderr()).isEqualTo("err\n");

      assertThat(connection.address()).isEqualTo("127.0.0.1");
    }
    assertThat(SshConnection.connectionsMade() - made).isEqualTo(1);
    assertThat(sshd.acceptedConnections() - accepted).isEqualTo(1);
  }

  @Test
  void aLongChannelGivesItsExitCodeAndTakesStreamedData() throws Exception {
    Path file = dir.resolve("streamed");
    try (SshConnection connection = open(lifeline(dir.resolve("two")))) {
      Process exits = connection.start(List.of("sh", "-c", "sleep 0.2; exit 7"),
          ProcessBuilder.Redirect.DISCARD, ProcessBuilder.Redirect.DISCARD);
      assertThat(exits.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(exits.exitValue()).isEqualTo(7);

      Process writer = connection.start(List.of("sh", "-c", "cat > '" + file + "'"),
          ProcessBuilder.Redirect.DISCARD, ProcessBuilder.Redirect.DISCARD);
      try (OutputStream in = writer.getOutputStream()) {
        for (int i = 0; i < 1000; i++) {
          in.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      assertThat(writer.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(writer.exitValue()).isZero();
      assertThat(Files.readAllLines(file)).hasSize(1000).endsWith("line 999");
    }
  }

  @Test
  void theLifelineReadsBeatsThenConfirmed() throws Exception {
    Path lines = dir.resolve("confirmed").resolve("lines");
    try (SshConnection connection = open(lifeline(lines.getParent()))) {
      Await.until("two beats on the host", () -> count(connection, lines, "beat") >= 2, WAIT);
      connection.confirm();
      // The lifeline ends, and the master with it: the host is this machine, its file is here.
      assertThat(connection.masterExit().get(20, TimeUnit.SECONDS)).isZero();
      assertThat(local(lines)).endsWith("beat\nconfirmed\neof\n");
    }
  }

  @Test
  void aCutLifelineReadsEndOfFileWithoutAWord() throws Exception {
    Path lines = dir.resolve("cut").resolve("lines");
    try (SshConnection connection = open(lifeline(lines.getParent()))) {
      Await.until("a beat on the host", () -> count(connection, lines, "beat") >= 1, WAIT);
      connection.cut();
      assertThat(connection.masterExit().get(20, TimeUnit.SECONDS)).isZero();
      assertThat(local(lines)).doesNotContain("confirmed").endsWith("beat\neof\n");
      assertThatThrownBy(() -> connection.run(List.of("true"), null, WAIT))
          .isInstanceOfSatisfying(SshException.class,
              e -> assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(Kind.CONNECTION_LOST));
    }
  }

  @Test
  void closeConfirmsEndsTheMasterAndDeletesTheControlDirectory() throws Exception {
    Path lines = dir.resolve("close").resolve("lines");
    SshConnection connection = open(lifeline(lines.getParent()));
    try {
      Path control = connection.controlDir();
      assertThat(control.getParent()).isEqualTo(options.controlParent());
      assertThat(SshOptions.defaults().controlParent()).hasToString("/tmp");
      assertThat(Files.getPosixFilePermissions(control)).containsExactlyInAnyOrder(
          PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);
      Process sleeper = connection.start(List.of("sh", "-c", "echo $$; exec sleep 60"),
          ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.DISCARD);
      long remotePid = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(
          sleeper.getInputStream(), StandardCharsets.UTF_8)).readLine());
      long start = System.nanoTime();
      connection.close();
      connection.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no wait for the open channel")
          .isLessThan(Duration.ofSeconds(3));
      assertThat(connection.alive()).isFalse();
      assertThat(sleeper.waitFor(20, TimeUnit.SECONDS)).as("a channel still open is closed").isTrue();
      assertThat(control).doesNotExist();
      // The host is this machine: the remote command outlived its channel (only its mark or the
      // host's lifeline stop a node); ended here.
      ProcessHandle remote = ProcessHandle.of(remotePid).orElseThrow();
      assertThat(remote.isAlive()).isTrue();
      remote.destroyForcibly();
      remote.onExit().get(20, TimeUnit.SECONDS);
    } finally {
      connection.close();
    }
    assertThat(local(lines)).endsWith("confirmed\neof\n");
  }

  @Test
  void aChannelNeverMakesAConnectionOfItsOwn() throws Exception {
    try (SshConnection connection = open(lifeline(dir.resolve("lost")))) {
      int accepted = sshd.acceptedConnections();
      ProcessHandle.of(connection.masterPid()).ifPresent(ProcessHandle::destroy);
      connection.masterExit().get(20, TimeUnit.SECONDS);
      assertThatThrownBy(() -> connection.start(List.of("true"),
          ProcessBuilder.Redirect.DISCARD, ProcessBuilder.Redirect.DISCARD))
          .isInstanceOfSatisfying(SshException.class, e -> {
            assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(Kind.CONNECTION_LOST);
            assertThat(e.getMessage()).contains(host.destination());
          });
      // Past the check, as in a race with the master's death: ssh fails, it does not connect.
      Process channel = connection.command().channel(List.of("echo", "fresh")).start();
      assertThat(channel.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(channel.exitValue()).isEqualTo(255);
      assertThat(new String(channel.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
      assertThat(sshd.acceptedConnections()).isEqualTo(accepted);
    }
  }

  @Test
  void aCommandThatHangsTimesOut() throws Exception {
    try (SshConnection connection = open(lifeline(dir.resolve("hang")))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> connection.run(List.of("sleep", "30"), null, Duration.ofMillis(500)))
          .isInstanceOfSatisfying(SshException.class, e -> {
            assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(Kind.TIMED_OUT);
            assertThat(e.getMessage()).contains("sleep 30").contains("500 ms");
          });
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(connection.run(List.of("echo", "still"), null, WAIT).stdout()).isEqualTo("still\n");
    }
  }

  @Test
  void aRefusedKeyIsClassifiedWithItsFix() throws Exception {
    Path stranger = dir.resolve("stranger");
    TestSshd.keygen(stranger, "");
    Path config = dir.resolve("stranger_config");
    TestSshd.writeSshConfig(config, stranger, sshd.knownHosts());
    assertThatThrownBy(() -> SshConnection.open(host, options.withSshConfig(config), List.of("true")))
        .isInstanceOfSatisfying(SshException.class, e -> {
          assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(Kind.AUTH_REFUSED);
          assertThat(e.destination()).isEqualTo(host.destination());
          assertThat(e.getMessage()).contains(host.destination()).contains("Permission denied")
              .contains("settings.xml");
        });
  }

  @Test
  void anUnknownHostKeyIsRefusedUnlessNewKeysAreAccepted() throws Exception {
    Path known = dir.resolve("new_known_hosts");
    Files.write(known, new byte[0]);
    Path config = dir.resolve("new_config");
    TestSshd.writeSshConfig(config, sshd.key(), known);
    SshOptions strict = options.withSshConfig(config);
    assertThatThrownBy(() -> SshConnection.open(host, strict, List.of("true")))
        .isInstanceOfSatisfying(SshException.class, e -> {
          assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(Kind.HOST_KEY_UNKNOWN);
          assertThat(e.getMessage()).contains("known_hosts").contains("cluster.acceptNewHostKeys");
        });
    try (SshConnection connection = SshConnection.open(host, strict.withAcceptNewHostKeys(true),
        lifeline(dir.resolve("accepted")))) {
      assertThat(connection.run(List.of("echo", "in"), null, WAIT).stdout()).isEqualTo("in\n");
    }
    assertThat(new String(Files.readAllBytes(known), StandardCharsets.UTF_8))
        .startsWith("[127.0.0.1]:" + sshd.port() + " ssh-ed25519 ");
    try (SshConnection again = SshConnection.open(host, strict, lifeline(dir.resolve("again")))) {
      assertThat(again.alive()).isTrue();
    }
  }

  @Test
  void aChangedHostKeyIsRefusedEvenWhenNewKeysAreAccepted() throws Exception {
    Path other = dir.resolve("other_host_key");
    TestSshd.keygen(other, "");
    String[] key = new String(Files.readAllBytes(Paths.get(other + ".pub")), StandardCharsets.UTF_8)
        .trim().split(" ");
    Path known = dir.resolve("changed_known_hosts");
    Files.write(known, ("[127.0.0.1]:" + sshd.port() + " " + key[0] + " " + key[1] + "\n")
        .getBytes(StandardCharsets.UTF_8));
    Path config = dir.resolve("changed_config");
    TestSshd.writeSshConfig(config, sshd.key(), known);
    assertThatThrownBy(() -> SshConnection.open(host,
        options.withSshConfig(config).withAcceptNewHostKeys(true), List.of("true")))
        .isInstanceOfSatisfying(SshException.class, e -> {
          assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(Kind.HOST_KEY_CHANGED);
          assertThat(e.getMessage()).contains("ssh-keygen -R 127.0.0.1");
        });
  }

  @Test
  void aPortWithNothingListeningIsUnreachable() throws Exception {
    SshHost closed = SshHost.parse("127.0.0.1:" + freePort());
    assertThatThrownBy(() -> SshConnection.open(closed, options, List.of("true")))
        .isInstanceOfSatisfying(SshException.class, e -> {
          assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(Kind.UNREACHABLE);
          assertThat(e.getMessage()).contains(closed.destination()).contains("Connection refused")
              .contains("sshd runs");
        });
  }

  @Test
  void aKeyPassphraseFromSettingsComesFromAskpassOnly() throws Exception {
    String passphrase = "correct horse 'battery' $staple";
    Path locked = dir.resolve("locked");
    TestSshd.keygen(locked, passphrase);
    sshd.authorize(Paths.get(locked + ".pub"));
    Path config = dir.resolve("keyless_config");
    TestSshd.writeSshConfig(config, null, sshd.knownHosts());
    SshOptions base = options.withSshConfig(config);
    SshOptions withServer = base.withCredentials(host.destination(),
        new SshOptions.Credentials(null, locked, passphrase));
    try (SshConnection connection = SshConnection.open(host, withServer, lifeline(dir.resolve("pp")))) {
      assertThat(connection.run(List.of("echo", "unlocked"), null, WAIT).stdout()).isEqualTo("unlocked\n");
      String commandLine = ProcessHandle.of(connection.masterPid()).get().info().commandLine().orElse("");
      assertThat(commandLine).contains(locked.toString()).doesNotContain("horse");
      for (Path file : Files.list(connection.controlDir()).collect(Collectors.toList())) {
        if (Files.isRegularFile(file)) {
          assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).doesNotContain("horse");
        }
      }
    }
    SshOptions wrong = base.withCredentials(host.host(),
        new SshOptions.Credentials(null, locked, "not it"));
    assertThatThrownBy(() -> SshConnection.open(host, wrong, List.of("true")))
        .isInstanceOfSatisfying(SshException.class, e -> {
          assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(Kind.AUTH_REFUSED);
          assertThat(e.getMessage()).contains("passphrase");
        });
  }

  @Test
  void openAllOpensInParallelAndNamesEveryHostThatFailed() throws Exception {
    List<SshConnection> both = SshConnection.openAll(List.of(host, host), options,
        h -> lifeline(dir.resolve("all")));
    try {
      assertThat(both).hasSize(2);
      assertThat(both.get(0).masterPid()).isNotEqualTo(both.get(1).masterPid());
    } finally {
      both.forEach(SshConnection::close);
    }
    SshHost nowhere = SshHost.parse("127.0.0.1:" + freePort());
    SshHost nothing = SshHost.parse("127.0.0.2:" + freePort());
    assertThatThrownBy(() -> SshConnection.openAll(List.of(nowhere, host, nothing), options,
        h -> lifeline(dir.resolve("some"))))
        .isInstanceOfSatisfying(SshException.class, e -> {
          assertThat(e.kind()).as("%s", e.getMessage()).isEqualTo(Kind.UNREACHABLE);
          assertThat(e.getMessage()).contains("2 SSH hosts cannot be used")
              .contains(nowhere.destination()).contains(nothing.destination())
              .doesNotContain(host.destination());
          assertThat(e.getSuppressed()).hasSize(2);
        });
    // The host that opened was closed again: @AfterEach finds no ssh left.
  }

  @Test
  void theLauncherPutsSshInASessionOfItsOwn() throws Exception {
    Path setsid = Paths.get("/usr/bin/setsid");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(setsid), "no " + setsid);
    SshOptions detached = options.withLauncher(Platform.current()::detached);
    try (SshConnection connection = SshConnection.open(host, detached, lifeline(dir.resolve("sid")))) {
      String stat = new String(Files.readAllBytes(Paths.get("/proc/" + connection.masterPid() + "/stat")),
          StandardCharsets.UTF_8);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      assertThat(Long.parseLong(fields[3])).as("session id").isEqualTo(connection.masterPid());
      assertThat(connection.run(List.of("echo", "ok"), null, WAIT).stdout()).isEqualTo("ok\n");
    }
  }

  /** Per command over the master against a fresh ssh each: printed for the commit, not asserted. */
  @Test
  void aCommandOverTheMasterCostsLessThanAFreshConnection() throws Exception {
    int rounds = 20;
    long overMaster;
    try (SshConnection connection = open(lifeline(dir.resolve("bench")))) {
      connection.run(List.of("true"), null, WAIT);
      long start = System.nanoTime();
      for (int i = 0; i < rounds; i++) {
        assertThat(connection.run(List.of("true"), null, WAIT).exit()).isZero();
      }
      overMaster = (System.nanoTime() - start) / rounds;
    }
    List<String> fresh = new ArrayList<>(List.of("ssh"));
    fresh.addAll(options.base());
    fresh.addAll(options.hostArgs(host));
    fresh.add("true");
    long start = System.nanoTime();
    for (int i = 0; i < rounds / 4; i++) {
      Process process = new ProcessBuilder(fresh).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
    }
    long freshEach = (System.nanoTime() - start) / (rounds / 4);
    System.out.printf("SSH to TestSshd: %.1f ms a command over the master, %.1f ms a fresh ssh%n",
        overMaster / 1e6, freshEach / 1e6);
    assertThat(overMaster).isLessThan(freshEach);
  }

  // ---- helpers

  private static SshConnection open(List<String> session) throws SshException {
    return SshConnection.open(host, options, session);
  }

  /**
   * A stand-in for the host's lifeline: prints its first line, then appends every line it reads to
   * {@code dir/lines}, and {@code eof} at end of file.
   */
  static List<String> lifeline(Path dir) {
    String lines = dir.resolve("lines").toString();
    return List.of("sh", "-c", "mkdir -p '" + dir + "' && echo lifeline $$ && "
        + "while IFS= read -r line; do echo \"$line\" >> '" + lines + "'; done; echo eof >> '" + lines + "'");
  }

  private static String read(SshConnection connection, Path file) {
    try {
      return connection.run(List.of("cat", file.toString()), null, WAIT).stdout();
    } catch (SshException e) {
      throw new AssertionError(e);
    }
  }

  private static String local(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  private static long count(SshConnection connection, Path file, String line) {
    return read(connection, file).lines().filter(line::equals).count();
  }

  private static List<ProcessHandle> sshChildren() {
    return ProcessHandle.current().children()
        .filter(p -> p.isAlive() && p.info().command().map(c -> c.endsWith("/ssh")).orElse(false))
        .collect(Collectors.toList());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
