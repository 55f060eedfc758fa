package io.github.clusterrun.cluster.engine.ssh;

import static io.github.clusterrun.cluster.engine.ssh.LocalRun.VAR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.github.clusterrun.cluster.engine.ssh.RemoteScript.Check;
import io.github.clusterrun.cluster.engine.ssh.RemoteScript.Deletion;
import io.github.clusterrun.cluster.engine.ssh.RemoteScript.Net;
import io.github.clusterrun.cluster.family.NodeStop.How;
import io.github.clusterrun.cluster.platform.EphemeralRange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The script's host checks ({@code ports}, {@code inuse}, {@code check}), its {@code delete}, its
 * usage errors and the readers of its output, run locally with {@code /bin/sh}. Its firewall rules
 * ({@code net}) are tested in {@link RemoteNetTest}.
 */
class RemoteScriptTest {
  @TempDir Path dir;

  static final boolean ROOT = uid() == 0;

  @Test
  void portsAreFreeDistinctAndOutsideTheEphemeralRange() throws IOException {
    LocalRun run = LocalRun.of("ports", "20");

    EphemeralRange range = RemoteScript.ephemeral(run.ok()).orElseThrow();
    // readAllLines: a sysctl file read in pieces (as readString does) ends after its first byte.
    String[] proc =
        Files.readAllLines(Paths.get("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+");
    assertThat(range.first).isEqualTo(Integer.parseInt(proc[0]));
    assertThat(range.last).isEqualTo(Integer.parseInt(proc[1]));
    List<Integer> ports = RemoteScript.ports(run.out);
    assertThat(ports).hasSize(20).doesNotHaveDuplicates();
    for (int port : ports) {
      assertThat(port).isBetween(10_000, 65_535).matches(p -> p < range.first || p > range.last, "outside the range");
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)); // free: it binds
      }
    }
  }

  @Test
  void aPortInListenIsNeverGivenOutAndIsReportedInUse() throws IOException {
    List<Integer> two = RemoteScript.ports(LocalRun.of("ports", "2").ok());
    try (ServerSocket v4 = new ServerSocket(); ServerSocket wildcard = new ServerSocket()) {
      v4.bind(new InetSocketAddress("127.0.0.1", two.get(0))); // in /proc/net/tcp
      wildcard.bind(new InetSocketAddress(two.get(1))); // in tcp6 where the JVM has IPv6
      // Every port the script may give out, asked for at once: only the ports in LISTEN are left out.
      EphemeralRange range = RemoteScript.ephemeral(LocalRun.of("ports", "0").ok()).orElseThrow();
      int pool = Math.max(0, range.first - 10_000) + Math.max(0, 65_535 - range.last);

      LocalRun all = LocalRun.of("ports", Integer.toString(pool));

      List<Integer> ports = RemoteScript.ports(all.ok());
      assertThat(ports).doesNotContain(two.get(0), two.get(1)).doesNotHaveDuplicates();
      assertThat(ports.size()).isGreaterThan(pool / 2);
      LocalRun inUse = LocalRun.of("inuse", two.get(0).toString(), two.get(1).toString(), ports.get(0).toString());
      assertThat(RemoteScript.inUse(inUse.ok())).containsExactly(two.get(0), two.get(1));
    }
  }

  @Test
  void checkCreatesAWritableDirectoryAndFindsJavaTheUserAndSudo() {
    Path remote = dir.resolve("a/b/remote");
    Path jdkBin = Paths.get(System.getProperty("java.home"), "bin");

    LocalRun run = LocalRun.with(Map.of("PATH", jdkBin + ":/usr/bin:/bin"), "check", remote.toString(), "1");

    Check check = RemoteScript.check(run.ok());
    assertThat(check.dirOk()).as(run.out).isTrue();
    assertThat(check.dirProblem()).isEmpty();
    assertThat(remote).isDirectory();
    assertThat(remote.toFile().list()).as("the probe file, removed").isEmpty();
    assertThat(check.java()).contains(jdkBin.resolve("java").toString());
    assertThat(check.javaMissing()).isFalse();
    assertThat(check.user()).isEqualTo(System.getProperty("user.name"));
    assertThat(check.uid()).isEqualTo(uid());
    if (ROOT) {
      assertThat(check.sudo()).isTrue();
    }
  }

  @Test
  void checkReportsADirectoryThatCannotBeMadeAndJavaMissing() throws IOException {
    // Under a regular file, mkdir fails even for root, who ignores permission bits.
    Path file = Files.writeString(dir.resolve("file"), "x");
    Path bin = Files.createDirectory(dir.resolve("bin"));
    List<String> tools = List.of("sh", "mkdir", "rm", "id", "tr");
    for (String tool : tools) {
      Files.createSymbolicLink(bin.resolve(tool), which(tool));
    }

    LocalRun run;
    try {
      run = LocalRun.with(Map.of("PATH", bin.toString()), "check", file.resolve("remote").toString(), "1");
    } finally {
      for (String tool : tools) {
        Files.delete(bin.resolve(tool)); // links out of @TempDir: JUnit would warn of each
      }
    }

    Check check = RemoteScript.check(run.ok());
    assertThat(check.dirOk()).as(run.out).isFalse();
    assertThat(check.dirProblem()).isNotBlank();
    assertThat(check.javaMissing()).isTrue();
    assertThat(check.java()).isEmpty();
    assertThat(check.sudo()).as("no sudo on this PATH").isEqualTo(ROOT);
  }

  @Test
  void checkLooksForTheJavaProgramItIsGiven() throws IOException {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Check there = RemoteScript.check(LocalRun.of("check", dir.resolve("r1").toString(), java.toString()).ok());
    assertThat(there.java()).contains(java.toString());
    assertThat(there.javaMissing()).isFalse();

    Check missing =
        RemoteScript.check(LocalRun.of("check", dir.resolve("r2").toString(), dir.resolve("no-jdk/bin/java").toString()).ok());
    assertThat(missing.javaMissing()).isTrue();
    assertThat(missing.java()).isEmpty();
  }

  @Test
  void checkReportsADirectoryItCannotWriteIn() throws IOException {
    assumeFalse(ROOT, "root writes in any directory: the file case covers root");
    Path readOnly = Files.createDirectory(dir.resolve("ro"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      Check check = RemoteScript.check(LocalRun.of("check", readOnly.toString(), "0").ok());

      assertThat(check.dirOk()).isFalse();
      assertThat(check.dirProblem()).contains("not writable");
      assertThat(check.java()).isEmpty();
      assertThat(check.javaMissing()).as("not asked").isFalse();
    } finally {
      Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void deleteRemovesNodeDirectoriesNeverFollowsALinkOutAndRemovesTheEmptyRoot() throws IOException {
    Path root = Files.createDirectory(dir.resolve("remote"));
    Path outsideFile = Files.writeString(dir.resolve("outside.txt"), "keep me");
    Path outsideDir = Files.createDirectory(dir.resolve("outside"));
    Files.writeString(outsideDir.resolve("data"), "keep me too");
    // n_0: a read-only tree holding a link to a file outside.
    Path data = Files.createDirectories(root.resolve("n_0/data/sub"));
    Files.writeString(data.resolve("f"), "x");
    Files.createSymbolicLink(root.resolve("n_0/data/link"), outsideFile);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r-x------"));
    Files.setPosixFilePermissions(data.getParent(), PosixFilePermissions.fromString("r-x------"));
    // n_1: itself a link to a directory outside.
    Files.createSymbolicLink(root.resolve("n_1"), outsideDir);
    Files.writeString(root.resolve("notes"), "x");

    LocalRun run = LocalRun.of("delete", root.toString(), "n_0", "n_1", "notes", "..", ".", "/x", "a/b", "n_2");

    Deletion deletion = RemoteScript.deletion(run.ok());
    assertThat(deletion.deleted).as(run.out).containsExactly("n_0", "n_1", "notes", "n_2");
    assertThat(deletion.notDeleted).containsOnlyKeys("..", ".", "/x", "a/b");
    assertThat(deletion.notDeleted.values()).allMatch(why -> why.startsWith("refused: "));
    assertThat(deletion.rootDeleted).isTrue();
    assertThat(root).doesNotExist();
    assertThat(outsideFile).hasContent("keep me");
    assertThat(outsideDir.resolve("data")).hasContent("keep me too");
  }

  @Test
  void deleteKeepsARootThatIsNotEmpty() throws IOException {
    Path root = Files.createDirectory(dir.resolve("remote"));
    Files.createDirectories(root.resolve("n_0/logs"));
    Files.createDirectories(root.resolve("n_1"));

    Deletion deletion = RemoteScript.deletion(LocalRun.of("delete", root.toString(), "n_0").ok());

    assertThat(deletion.deleted).containsExactly("n_0");
    assertThat(deletion.rootDeleted).isFalse();
    assertThat(root.resolve("n_1")).isDirectory();
  }

  @Test
  void deleteRefusesARootThatIsNotAnAbsoluteDirectoryBelowTheTop() throws IOException {
    Path kept = Files.createDirectories(dir.resolve("n_0"));
    for (String root : List.of("/", "//", "relative", dir + "/sub/..", "")) {
      LocalRun run = LocalRun.of("delete", root, "n_0");

      assertThat(run.exit).as("root '%s': %s", root, run).isEqualTo(2);
      assertThat(run.out).isEmpty();
      assertThat(run.err).contains("root");
    }
    assertThat(kept).isDirectory();
  }

  @Test
  void badUsageIsAnErrorOnStderrWithNothingOnStdout() {
    List<List<String>> bad =
        List.of(
            List.of("nosuchop"),
            List.of("ports", "many"),
            List.of("inuse", "80x"),
            List.of("check", "/tmp", ""),
            List.of("scan", "NOT-A-VAR", "x/"),
            List.of("stop", VAR, "ten", "c/n_0:0"),
            List.of("stop", VAR, "1", "c/n_0"),
            List.of("stop", VAR, "1", "c/n_0:12x"),
            List.of("signal", "HUP", VAR, "c/n_0"),
            List.of("lifeline", VAR, "c/", "1"),
            List.of("lifeline", VAR, "c/", "1", "60", "nosudo"),
            // net checks everything before it asks for privileges or changes anything.
            List.of("net", "cmp_x"),
            List.of("net", "x", "heal"),
            List.of("net", "cmp_", "heal"),
            List.of("net", "cmp_a-b", "heal"),
            List.of("net", "cmp_x", "block"),
            List.of("net", "cmp_x", "show", "extra"),
            List.of("net", "cmp_x", "apply"),
            List.of("net", "cmp_x", "apply", "reject", "10.0.0.1"),
            List.of("net", "cmp_x", "apply", "drop"),
            List.of("net", "cmp_x", "apply", "drop", "10.0.0.1", "drop", "host.example"),
            List.of("net", "cmp_x", "apply", "drop", "300.0.0.1"),
            List.of("net", "cmp_x", "apply", "drop", "010.0.0.1"),
            List.of("net", "cmp_x", "apply", "drop", "10.0.0"),
            List.of("net", "cmp_x", "apply", "drop", "1::2::3"),
            List.of("net", "cmp_x", "apply", "drop", "1:2:3:4:5:6:7:8:9"),
            List.of("net", "cmp_x", "apply", "drop", "12345::1"),
            List.of("net", "cmp_x", "apply", "loss", "101", "10.0.0.1"),
            List.of("net", "cmp_x", "apply", "loss", "-1", "10.0.0.1"),
            List.of("net", "cmp_x", "apply", "delay", "100", "10.0.0.1"),
            List.of("net", "cmp_x", "apply", "delay", "100", "x", "10.0.0.1"));
    for (List<String> args : bad) {
      LocalRun run =
          LocalRun.of(args.get(0), args.subList(1, args.size()).toArray(new String[0]));

      assertThat(run.exit).as("%s: %s", args, run).isEqualTo(2);
      assertThat(run.out).as("%s", args).isEmpty();
      assertThat(run.err).as("%s", args).startsWith("cluster-remote: ");
    }
  }

  @Test
  void theReadersTakeTheirOwnLinesAndSkipAnyOther() {
    String out =
        String.join(
            "\n",
            "Welcome to host1 (printed by a login script)",
            "node c/n_0 GRACEFUL 130 2",
            "node c/n_1 SURVIVED 10400 3",
            "survivor 4242 c/n_1 /usr/bin/java -cp a b.Main --x y",
            "12345",
            "");

    assertThat(RemoteScript.stops(out)).containsOnlyKeys("c/n_0", "c/n_1");
    assertThat(RemoteScript.stops(out).get("c/n_1").how).isEqualTo(How.SURVIVED);
    assertThat(RemoteScript.stops(out).get("c/n_1").tookMs).isEqualTo(10_400L);
    assertThat(RemoteScript.stops(out).get("c/n_1").familySize).isEqualTo(3);
    assertThat(RemoteScript.survivors(out)).singleElement().hasToString("4242 /usr/bin/java -cp a b.Main --x y (c/n_1)");
    assertThat(RemoteScript.ports(out)).containsExactly(12345);
    assertThat(RemoteScript.lifeline("lifeline 77")).hasValue(77);
    assertThat(RemoteScript.lifeline("Welcome")).isEmpty();
    assertThat(RemoteScript.command("scan", VAR, "c/"))
        .containsExactly("sh", "-c", RemoteScript.text(), "cluster-remote", "scan", VAR, "c/");
  }

  @Test
  void theNetReaderTellsAppliedHealedOkRefusedAndTheRulesShown() {
    String login = "Welcome to host1 (printed by a login script)\n";

    Net applied = RemoteScript.net(login + "applied cmp_c1 3 rules\n");
    assertThat(applied.outcome).isEqualTo(Net.Outcome.APPLIED);
    assertThat(applied.count).isEqualTo(3);
    assertThat(RemoteScript.net(login + "healed cmp_c1\n").outcome).isEqualTo(Net.Outcome.HEALED);
    assertThat(RemoteScript.net(login + "ok\n").outcome).isEqualTo(Net.Outcome.OK);
    assertThat(RemoteScript.net("ok then\n").outcome).as("a login line that starts with ok").isEqualTo(Net.Outcome.SHOWN);
    assertThat(RemoteScript.net("refused privileges not-root-no-sudo bob\n").refusal)
        .isEqualTo("privileges not-root-no-sudo bob");
    Net refused = RemoteScript.net(login + "refused delay netem-missing\n");
    assertThat(refused.refused()).isTrue();
    assertThat(refused.refusal).isEqualTo("delay netem-missing");
    assertThat(RemoteScript.net("refused nft /dev/stdin:3: Error: x\n").refusal).isEqualTo("nft /dev/stdin:3: Error: x");
    Net shown = RemoteScript.net(login + "rule drop 10.0.0.2\nrule loss 30 fd00::5\nrule delay 200 10 10.0.0.3\n");
    assertThat(shown.outcome).isEqualTo(Net.Outcome.SHOWN);
    assertThat(shown.rules).containsExactly("drop 10.0.0.2", "loss 30 fd00::5", "delay 200 10 10.0.0.3");
    assertThat(RemoteScript.net(login).rules).isEmpty();
  }

  @Test
  void theTableOfAClusterIsNamedAfterItAndOnlyAfterAnIdFitForIt() {
    assertThat(RemoteScript.table("0a1b2c3d4e5f6a7b")).isEqualTo("cmp_0a1b2c3d4e5f6a7b");
    for (String bad : List.of("", "a-b", "a/b", "a b", "é")) {
      assertThatThrownBy(() -> RemoteScript.table(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    // The script refuses what table() would never give.
    assertThat(LocalRun.of("net", RemoteScript.table("c1"), "show", "x").err).contains("net <table> show");
    assertThat(LocalRun.of("net", "c1", "show").err).contains("not a table cmp_<clusterId>: 'c1'");
  }

  private static Path which(String tool) {
    for (String d : List.of("/usr/bin", "/bin")) {
      Path p = Paths.get(d, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new AssertionError("no " + tool + " in /usr/bin or /bin");
  }

  private static long uid() {
    try {
      return ((Number) Files.getAttribute(Paths.get("/proc/self"), "unix:uid")).longValue();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
