package io.github.clusterrun.cluster.engine.ssh;

import static io.github.clusterrun.cluster.engine.ssh.LocalRun.VAR;
import static io.github.clusterrun.cluster.engine.ssh.HostTraffic.connections;
import static io.github.clusterrun.cluster.engine.ssh.HostTraffic.netem;
import static io.github.clusterrun.cluster.engine.ssh.HostTraffic.ruleset;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.engine.ssh.RemoteScript.Net;
import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.Procs;
import io.github.clusterrun.cluster.testing.TestHosts;
import io.github.clusterrun.cluster.testing.TestHosts.Host;
import io.github.clusterrun.cluster.testing.TestHosts.Result;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * The script's firewall rules ({@code net}, and their removal by the lifeline), judged by the
 * traffic they stop, never by reading them back: two hosts of {@link TestHosts}, a and b (network
 * namespaces on a bridge whose address is the build machine's), each given an IPv6 address too and
 * serving HTTP on both families with a test node, and the script run inside a's namespace, which has
 * a firewall of its own, as it runs on a host. A table that the script must never touch stays in
 * a's firewall throughout, and after each test a's ruleset is exactly what it was before it. Root
 * only, with {@code nft}: skipped with a warning elsewhere.
 */
class RemoteNetTest {
  private static final Duration COMMAND = HostTraffic.COMMAND;
  private static final int PORT = 8080;
  private static final String TIMEOUT = HostTraffic.TIMEOUT;
  /** The refusal of delay by a kernel without netem: tc's own words after the script's. */
  private static final String NETEM_MISSING = "delay netem-missing Error: Specified qdisc kind is unknown.";

  private static TestHosts hosts;
  private static Host a;
  private static Host b;
  private static String a6;
  private static String b6;
  private static final List<Process> nodes = new ArrayList<>();
  private static ServerSocket buildMachine;
  private static String baseline;

  @TempDir Path dir;
  final String id = Procs.newClusterId();
  final String table = RemoteScript.table(id);
  final List<String> tables = new ArrayList<>(List.of(table));

  @BeforeAll
  static void twoHostsServingOnBothFamilies() throws Exception {
    String reason = TestHosts.unavailableReason();
    if (reason == null && TestHosts.run(COMMAND, "nft", "--version").exit != 0) {
      reason = "nft is missing (Debian's nftables, which .ci/run installs)";
    }
    if (reason == null && !Files.isDirectory(Paths.get("/proc/sys/net/ipv6"))) {
      reason = "the kernel has no IPv6";
    }
    if (reason != null) {
      System.err.println("WARNING: RemoteNetTest skipped, no firewall rules tested on this machine: " + reason);
    }
    Assumptions.assumeTrue(reason == null, reason);
    hosts = TestHosts.start(2);
    a = hosts.hosts().get(0);
    b = hosts.hosts().get(1);
    SecureRandom random = new SecureRandom();
    String ula = String.format("fd%02x:%04x:%04x::", random.nextInt(256), random.nextInt(65536), random.nextInt(65536));
    a6 = ula + "10";
    b6 = ula + "11";
    // Gone with the bridge and the namespaces when the hosts are closed.
    exec("ip", "addr", "add", ula + "1/64", "dev", hosts.bridge(), "nodad");
    exec("ip", "-n", a.name(), "addr", "add", a6 + "/64", "dev", "eth0", "nodad");
    exec("ip", "-n", b.name(), "addr", "add", b6 + "/64", "dev", "eth0", "nodad");
    exec("ip", "netns", "exec", a.name(), "nft", "add table inet bystander");
    exec("ip", "netns", "exec", a.name(), "nft",
        "add chain inet bystander output { type filter hook output priority 10; policy accept; }");
    exec("ip", "netns", "exec", a.name(), "nft", "add rule inet bystander output ip daddr 192.0.2.1 counter");
    for (Host host : hosts.hosts()) {
      nodes.add(HostTraffic.listen(host, PORT));
    }
    for (String address : List.of(a.address(), b.address(), a6, b6)) {
      Await.until("the node on " + address, () -> connects(address), Duration.ofSeconds(30));
    }
    buildMachine = new ServerSocket();
    buildMachine.bind(new InetSocketAddress(hosts.buildMachineAddress(), 0));
    Thread acceptor =
        new Thread(
            () -> {
              while (true) {
                try (Socket accepted = buildMachine.accept()) {
                  // Connected: that is all a try asks.
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "build-machine-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
    baseline = ruleset(a);
    assertThat(baseline).contains("table inet bystander");
  }

  @AfterEach
  void healedAndAsBefore() {
    if (hosts == null) {
      return;
    }
    for (String t : tables) {
      Result heal = script(a, "net", t, "heal");
      assertThat(heal.out).as("%s", heal).isEqualTo("healed " + t + "\n");
    }
    assertThat(ruleset(a)).as("a's ruleset after the test").isEqualTo(baseline);
  }

  @AfterAll
  static void removeEverything() throws Exception {
    try {
      for (Process node : nodes) {
        node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      if (buildMachine != null) {
        buildMachine.close();
      }
    } finally {
      if (hosts != null) {
        hosts.close(); // also from its shutdown hook, should this JVM be interrupted
      }
    }
  }

  @Test
  void dropCutsBothWaysBetweenTheTwoAddressesAndNothingElse() throws IOException {
    assertEveryPathOpen();
    assertThat(datagramsFromBThenTheBuildMachine()).as("datagrams reaching a").isEqualTo(6);

    Net applied = net("apply", "drop", b.address());

    assertThat(applied.outcome).as("%s", applied).isEqualTo(Net.Outcome.APPLIED);
    assertThat(applied.count).isEqualTo(1);
    assertThat(reaches(a, b.address())).as("a to b").isFalse();
    assertThat(reaches(b, a.address())).as("b to a").isFalse();
    // A TCP connection from b fails on a's answer alone; b's datagrams are dropped as they come in.
    assertThat(datagramsFromBThenTheBuildMachine()).as("only the build machine's datagram reaches a").isEqualTo(1);
    assertThat(reaches(a, b6)).as("a to b's IPv6 address").isTrue();
    assertThat(reaches(b, a6)).as("b to a's IPv6 address").isTrue();
    assertBuildMachineReachesAndIsReached();
    assertThat(net("show").rules).containsExactly("drop " + b.address());

    assertThat(net("heal").outcome).isEqualTo(Net.Outcome.HEALED);
    assertEveryPathOpen();
    assertThat(net("heal").outcome).as("heal again").isEqualTo(Net.Outcome.HEALED);
    assertThat(net("show").rules).isEmpty();
    assertThat(ruleset(a)).isEqualTo(baseline);
  }

  @Test
  void dropOfAnIpv6AddressCutsThatAddressBothWaysOnly() {
    assertThat(net("apply", "drop", b6).count).isEqualTo(1);

    assertThat(reaches(a, b6)).as("a to b6").isFalse();
    assertThat(reaches(b, a6)).as("b6 to a6").isFalse();
    assertThat(reaches(a, b.address())).as("a to b's IPv4 address").isTrue();
    assertBuildMachineReachesAndIsReached();
  }

  @Test
  void lossDropsThatShareOfTheConnectionsToThatAddress() {
    net("apply", "loss", "100", b.address());
    assertThat(connections(a, b.address(), PORT, 10, TIMEOUT)).as("with loss 100").isZero();
    assertThat(reaches(a, b6)).isTrue();
    assertBuildMachineReachesAndIsReached();

    net("apply", "loss", "0", b.address());
    assertThat(connections(a, b.address(), PORT, 10, TIMEOUT)).as("with loss 0").isEqualTo(10);

    net("apply", "loss", "50", b.address());
    // Each try's SYN gets one chance: it would be sent again after a second.
    int connected = connections(a, b.address(), PORT, 40, "0.8");
    assertThat(connected).as("of 40 with loss 50, strictly between 10 and 90%").isBetween(5, 35);
    assertThat(net("show").rules).containsExactly("loss 50 " + b.address());
  }

  @Test
  void applyReplacesEveryRuleOfTheTableAtOnce() {
    assertThat(net("apply", "drop", b.address(), "loss", "100", b6).count).isEqualTo(2);
    assertThat(net("show").rules).containsExactly("drop " + b.address(), "loss 100 " + b6);
    assertThat(reaches(a, b.address())).isFalse();
    assertThat(reaches(a, b6)).isFalse();

    assertThat(net("apply", "loss", "100", b6).count).isEqualTo(1);

    assertThat(net("show").rules).containsExactly("loss 100 " + b6);
    assertThat(reaches(a, b.address())).as("no longer dropped").isTrue();
    assertThat(reaches(b, a.address())).as("no longer dropped").isTrue();
    assertThat(reaches(a, b6)).isFalse();
  }

  @Test
  void twoClustersOnOneHostEachHealOnlyTheirOwnRules() {
    String other = RemoteScript.table(Procs.newClusterId());
    tables.add(other);
    assertThat(net("apply", "drop", b.address()).outcome).isEqualTo(Net.Outcome.APPLIED);
    assertThat(netOf(other, "apply", "drop", b6).outcome).isEqualTo(Net.Outcome.APPLIED);
    assertThat(reaches(a, b.address())).isFalse();
    assertThat(reaches(a, b6)).isFalse();

    assertThat(net("heal").outcome).isEqualTo(Net.Outcome.HEALED);

    assertThat(reaches(a, b.address())).isTrue();
    assertThat(reaches(a, b6)).as("the other cluster's rule").isFalse();
    assertThat(netOf(other, "show").rules).containsExactly("drop " + b6);
    assertThat(netOf(other, "heal").outcome).isEqualTo(Net.Outcome.HEALED);
    assertThat(reaches(a, b6)).isTrue();
  }

  @Test
  void delayIsRefusedWhereTheKernelLacksNetemAndNothingIsApplied() {
    boolean netem = netem();
    if (netem) {
      System.err.println("WARNING: RemoteNetTest: this kernel has netem, delay's refusal is not tested here");
    }
    Assumptions.assumeFalse(netem, "the kernel has netem");
    Net refused = net("apply", "delay", "200", "0", b.address());
    assertThat(refused.refusal).as("%s", refused).isEqualTo(NETEM_MISSING);
    assertThat(ruleset(a)).as("no table made").isEqualTo(baseline);
    Net checked = net("check", "delay");
    assertThat(checked.refusal).as("check's answer: %s", checked).isEqualTo(NETEM_MISSING);
    assertThat(net("check").outcome).as("without delay").isEqualTo(Net.Outcome.OK);
    assertThat(ruleset(a)).as("no table made by check").isEqualTo(baseline);

    net("apply", "drop", b.address());
    String before = ruleset(a);
    refused = net("apply", "drop", b6, "delay", "200", "0", b.address());

    assertThat(refused.refusal).isEqualTo(NETEM_MISSING);
    assertThat(ruleset(a)).as("the rules in force before, untouched").isEqualTo(before);
    assertThat(reaches(a, b.address())).isFalse();
    assertThat(reaches(a, b6)).as("the drop of the refused apply").isTrue();
  }

  @Test
  void delaySlowsTheConnectionsToThatAddressOnlyWhereTheKernelHasNetem() {
    boolean netem = netem();
    if (!netem) {
      System.err.println("WARNING: RemoteNetTest: this kernel has no netem (tc: Specified qdisc kind is unknown), "
          + "delay is tested only as refused");
    }
    Assumptions.assumeTrue(netem, "the kernel has no netem");
    assertThat(net("check", "delay").outcome).isEqualTo(Net.Outcome.OK);
    assertThat(ruleset(a)).as("no table made by check").isEqualTo(baseline);
    assertThat(connectMillis(a, b.address())).isLessThan(150);

    Net applied = net("apply", "delay", "300", "0", b.address());

    assertThat(applied.outcome).as("%s", applied).isEqualTo(Net.Outcome.APPLIED);
    assertThat(connectMillis(a, b.address())).isGreaterThanOrEqualTo(300);
    assertThat(connectMillis(a, b6)).isLessThan(150);
    assertThat(net("show").rules).containsExactly("delay 300 0 " + b.address());

    net("heal");
    assertThat(connectMillis(a, b.address())).isLessThan(150);
    Result qdisc = TestHosts.run(COMMAND, "ip", "netns", "exec", a.name(), "tc", "qdisc", "show", "dev", "eth0");
    assertThat(qdisc.out).as("the root queueing discipline, the kernel's again").doesNotContain("prio", "netem");
  }

  @Test
  void theLifelineRemovesTheTableBeforeItStopsTheClusterWhenItReaps() throws Exception {
    Procs.startMarked(id, "n_0", dir, "echo $$ > a.tmp && mv a.tmp a.pid; exec sleep 600");
    long node = Procs.awaitSleeping(dir.resolve("a.pid"));
    Process lifeline = startLifeline(a);
    try {
      assertThat(net("apply", "drop", b.address()).outcome).isEqualTo(Net.Outcome.APPLIED);
      assertThat(reaches(a, b.address())).isFalse();

      lifeline.getOutputStream().close(); // what the SSH connection's end does to its session

      assertThat(lifeline.waitFor(30, TimeUnit.SECONDS)).as("the lifeline ended").isTrue();
      assertThat(lifeline.exitValue()).as(Files.readString(dir.resolve("lifeline.err"))).isZero();
      assertThat(reaches(a, b.address())).isTrue();
      assertThat(ruleset(a)).isEqualTo(baseline);
      assertThat(Procs.isGone(node)).isTrue();
    } finally {
      lifeline.destroyForcibly();
      Procs.killMarked(id);
    }
  }

  @Test
  void theLifelineLeavesTheTableWhenConfirmedTheBuildHealsItself() throws Exception {
    Process lifeline = startLifeline(a);
    try {
      net("apply", "drop", b.address());
      OutputStream in = lifeline.getOutputStream();
      in.write("confirmed\n".getBytes(StandardCharsets.UTF_8));
      in.flush();

      assertThat(lifeline.waitFor(30, TimeUnit.SECONDS)).as("the lifeline ended").isTrue();
      assertThat(reaches(a, b.address())).as("still dropped").isFalse();
    } finally {
      lifeline.destroyForcibly();
    }
  }

  @Test
  void anOrdinaryUserWithoutSudoIsRefusedAndNothingChanges() {
    net("apply", "drop", b6);
    String before = ruleset(a);
    List<List<String>> ops =
        List.of(List.of("apply", "drop", b.address()), List.of("heal"), List.of("show"), List.of("check"),
            List.of("check", "delay"));
    for (List<String> args : ops) {
      List<String> command =
          new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
      command.addAll(scriptCommand("net", table, args));

      Result run = inside(a, command);

      assertThat(run.exit).as("%s", run).isZero();
      assertThat(RemoteScript.net(run.out).refusal).as("%s: %s", args, run)
          .isEqualTo("privileges not-root-no-sudo " + TestHosts.run(COMMAND, "id", "-un", "65534").out.trim());
    }
    assertThat(ruleset(a)).isEqualTo(before);
    assertThat(reaches(a, b.address())).isTrue();
  }

  @Test
  void theLifelineOfAnOrdinaryUserTriesOnlySudoNonInteractiveAndNeverWaitsForAPassword() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path calls = Files.createDirectory(dir.resolve("calls"));
    Files.setPosixFilePermissions(calls, PosixFilePermissions.fromString("rwxrwxrwx"));
    // A sudo that wants a password, as for a user not allowed without: -n refuses at once, as sudo
    // does; without -n it waits (bounded here) as for a password typed.
    Path sudo = bin.resolve("sudo");
    Files.writeString(sudo, "#!/bin/sh\necho \"$*\" >> " + calls.resolve("sudo") + "\n"
        + "[ \"$1\" = -n ] && { echo 'sudo: a password is required' >&2; exit 1; }\nexec sleep 30\n");
    Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (String path : List.of(bin + ":/usr/bin:/bin", "/usr/bin:/bin")) {
      List<String> command =
          new ArrayList<>(List.of("ip", "netns", "exec", a.name(), "setpriv", "--reuid=65534", "--regid=65534",
              "--clear-groups", "env", "PATH=" + path));
      command.addAll(
          scriptCommand("lifeline", null, List.of(VAR, FamilyMark.clusterPrefix(id), "1", "60", "sudo")));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().remove(VAR);
      builder.redirectError(dir.resolve("lifeline.err").toFile());
      Process lifeline = builder.start();
      try {
        String first =
            new BufferedReader(new InputStreamReader(lifeline.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(RemoteScript.lifeline(first)).as("first line %s", first).isPresent();

        lifeline.getOutputStream().close(); // the build died

        assertThat(lifeline.waitFor(20, TimeUnit.SECONDS)).as("the lifeline ended, PATH %s", path).isTrue();
        assertThat(lifeline.exitValue()).as(Files.readString(dir.resolve("lifeline.err"))).isZero();
      } finally {
        lifeline.destroyForcibly();
      }
    }
    List<String> tried = Files.readAllLines(calls.resolve("sudo"));
    assertThat(tried).as("sudo tried for the table, only with -n").isNotEmpty().allMatch(l -> l.startsWith("-n nft "));
    assertThat(ruleset(a)).isEqualTo(baseline);
  }

  @Test
  void withoutNftApplyIsRefusedHealHealsAndShowShowsNothing() {
    // nft hidden: /usr/sbin (where /sbin leads on Debian) under an empty tmpfs, in a mount namespace
    // of this command alone.
    String hide = "mount -t tmpfs cmp-no-nft /usr/sbin && exec env PATH=/usr/bin:/bin \"$@\"";
    List<String> expected =
        List.of("refused nft missing\n", "healed " + table + "\n", "", "refused nft missing\n", "refused nft missing\n");
    List<List<String>> ops =
        List.of(List.of("apply", "drop", b.address()), List.of("heal"), List.of("show"), List.of("check"),
            List.of("check", "delay"));
    for (int i = 0; i < ops.size(); i++) {
      List<String> command =
          new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", hide, "hide"));
      command.addAll(scriptCommand("net", table, ops.get(i)));

      Result run = inside(a, command);

      assertThat(run.exit).as("%s", run).isZero();
      assertThat(run.out).as("%s: %s", ops.get(i), run).isEqualTo(expected.get(i));
    }
    assertThat(ruleset(a)).isEqualTo(baseline);
  }

  private Net net(String... args) {
    return netOf(table, args);
  }

  /** Runs {@code net <table> args} in a's namespace, as root: it must end well. */
  private static Net netOf(String table, String... args) {
    List<String> all = new ArrayList<>(List.of(table));
    all.addAll(Arrays.asList(args));
    Result run = script(a, "net", all.toArray(new String[0]));
    assertThat(run.exit).as("net %s: %s", all, run).isZero();
    return RemoteScript.net(run.out);
  }

  /** Runs the script's {@code op} in the host's namespace, as it runs on a host. */
  private static Result script(Host host, String op, String... args) {
    return inside(host, scriptCommand(op, null, Arrays.asList(args)));
  }

  /** The script's command line, run by {@link LocalRun#SHELL}; {@code first} (if any) before args. */
  private static List<String> scriptCommand(String op, String first, List<String> args) {
    List<String> all = new ArrayList<>();
    if (first != null) {
      all.add(first);
    }
    all.addAll(args);
    List<String> command = new ArrayList<>(RemoteScript.command(op, all.toArray(new String[0])));
    command.set(0, LocalRun.SHELL);
    return command;
  }

  private static Result inside(Host host, List<String> command) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", host.name()));
    all.addAll(command);
    return TestHosts.run(COMMAND, all.toArray(new String[0]));
  }

  private Process startLifeline(Host host) throws IOException {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", host.name()));
    command.addAll(scriptCommand("lifeline", null, List.of(VAR, FamilyMark.clusterPrefix(id), "1", "60")));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove(VAR);
    builder.redirectError(dir.resolve("lifeline.err").toFile());
    Process lifeline = builder.start();
    String first =
        new BufferedReader(new InputStreamReader(lifeline.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertThat(RemoteScript.lifeline(first)).as("first line %s", first).isPresent();
    return lifeline;
  }

  private static void assertEveryPathOpen() {
    assertThat(reaches(a, b.address())).as("a to b").isTrue();
    assertThat(reaches(b, a.address())).as("b to a").isTrue();
    assertThat(reaches(a, b6)).as("a to b6").isTrue();
    assertThat(reaches(b, a6)).as("b to a6").isTrue();
    assertBuildMachineReachesAndIsReached();
  }

  private static void assertBuildMachineReachesAndIsReached() {
    for (String address : List.of(a.address(), b.address(), a6, b6)) {
      assertThat(connects(address)).as("the build machine to %s", address).isTrue();
    }
    for (Host host : List.of(a, b)) {
      assertThat(connections(host, hosts.buildMachineAddress(), buildMachine.getLocalPort(), 1, TIMEOUT))
          .as("%s to the build machine", host.name())
          .isEqualTo(1);
    }
  }

  /**
   * How many datagrams reach a's UDP layer (its own counters, port 9 where nothing listens) when b
   * sends five to a's IPv4 address and then the build machine sends one: the build machine's, sent
   * last, tells when every earlier one that was not dropped has arrived.
   */
  private static long datagramsFromBThenTheBuildMachine() throws IOException {
    long before = udpArrived(a);
    Result sent =
        TestHosts.run(COMMAND, "ip", "netns", "exec", b.name(), "bash", "-c",
            "for i in 1 2 3 4 5; do echo x > \"/dev/udp/$0/9\"; done", a.address());
    assertThat(sent.exit).as("%s", sent).isZero();
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(hosts.buildMachineAddress(), 0))) {
      byte[] x = {'x', '\n'};
      socket.send(new DatagramPacket(x, x.length, new InetSocketAddress(a.address(), 9)));
    }
    Await.until("the build machine's datagram to reach a", () -> udpArrived(a) > before, Duration.ofSeconds(10));
    return udpArrived(a) - before;
  }

  /** The IPv4 datagrams that reached the host's UDP layer so far: InDatagrams and NoPorts. */
  private static long udpArrived(Host host) {
    Result snmp = TestHosts.run(COMMAND, "ip", "netns", "exec", host.name(), "cat", "/proc/net/snmp");
    List<String> udp = snmp.out.lines().filter(l -> l.startsWith("Udp: ")).collect(Collectors.toList());
    assertThat(udp).as("%s", snmp).hasSize(2);
    List<String> names = Arrays.asList(udp.get(0).split(" "));
    String[] values = udp.get(1).split(" ");
    return Long.parseLong(values[names.indexOf("InDatagrams")]) + Long.parseLong(values[names.indexOf("NoPorts")]);
  }

  private static boolean reaches(Host from, String address) {
    return HostTraffic.reaches(from, address, PORT);
  }

  private static boolean connects(String address) {
    return HostTraffic.connects(address, PORT);
  }

  /** How long one connection from the host's namespace to address:PORT took to connect, in ms. */
  private static long connectMillis(Host from, String address) {
    String timed =
        "t0=$(date +%s%N) && exec 3<>\"/dev/tcp/$1/$2\" && t1=$(date +%s%N) && echo $(((t1 - t0) / 1000000))";
    Result run =
        TestHosts.run(COMMAND, "ip", "netns", "exec", from.name(), "bash", "-c", timed, "timed", address,
            Integer.toString(PORT));
    assertThat(run.exit).as("%s", run).isZero();
    return Long.parseLong(run.out.trim());
  }

  private static void exec(String... command) {
    Result result = TestHosts.run(COMMAND, command);
    assertThat(result.exit).as("%s: %s", String.join(" ", command), result).isZero();
  }
}
