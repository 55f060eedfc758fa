package io.github.clusterrun.cluster.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.testing.TestHosts.Host;
import io.github.clusterrun.cluster.testing.TestHosts.Result;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hosts of {@link TestHosts} are what the tests of issue 18 need: reached only over SSH with the
 * run's key and strict host keys, files private to each host, hosts reaching each other, instant
 * name lookup, and nothing of the run left after {@code close()}. Skipped with a warning where the
 * hosts cannot be made (not root, no {@code ip netns}).
 */
class TestHostsTest {
  private static final Duration LOOKUP_BOUND = Duration.ofSeconds(3);

  @BeforeEach
  void hostsCanBeMade() {
    String reason = TestHosts.unavailableReason();
    if (reason != null) {
      System.err.println("WARNING: TestHostsTest skipped, no test hosts on this machine: " + reason);
    }
    Assumptions.assumeTrue(reason == null, reason);
  }

  @Test
  void threeHostsReachedBySshWithPrivateFilesAndLeftNothingAfterClose() throws Exception {
    String prefix;
    String bridge;
    List<Host> hosts;
    try (TestHosts run = TestHosts.start(3)) {
      prefix = run.prefix();
      bridge = run.bridge();
      hosts = run.hosts();
      assertThat(hosts).hasSize(3);

      for (Host host : hosts) {
        Result who = run.ssh(host, "hostname");
        assertThat(who.exit).as("ssh to %s: %s", host.name(), who).isZero();
        assertThat(who.out.trim()).isEqualTo(host.name());
      }

      // A file on host 0's remote directory: there, and nowhere else.
      Host one = hosts.get(0);
      Host two = hosts.get(1);
      String file = run.remoteDirectory().resolve("written-on-" + one.name()).toString();
      assertThat(run.ssh(one, "echo here > '" + file + "'").exit).isZero();
      Result there = run.ssh(one, "cat '" + file + "'");
      assertThat(there.out.trim()).as("%s", there).isEqualTo("here");
      assertThat(Files.exists(run.remoteDirectory().resolve("written-on-" + one.name()))).isFalse();
      assertThat(run.ssh(two, "test -e '" + file + "'").exit).isEqualTo(1);
      assertThat(run.ssh(two, "ls -A '" + run.remoteDirectory() + "'").out).isEmpty();

      // Host 0 reaches host 1 by address, and host 1 resolves the names of the run at once.
      Result reach = run.ssh(one, "bash -c 'exec 3<>/dev/tcp/" + two.address() + "/22 "
          + "&& head -c 4 <&3'");
      assertThat(reach.out).as("%s", reach).isEqualTo("SSH-");
      Result lookup = run.ssh(two, "timeout " + LOOKUP_BOUND.getSeconds() + " getent hosts "
          + two.name() + " " + one.name());
      assertThat(lookup.exit).as("%s", lookup).isZero();
      assertThat(lookup.out).contains(two.address() + " ", one.address() + " ");

      // The names are there before close, so the checks after close can fail.
      assertThat(leftovers(prefix)).contains("netns " + one.name(), "link " + bridge,
          "link " + one.veth(), "sshd", "mount");
    }
    assertThat(leftovers(prefix)).isEmpty();
  }

  @Test
  void closeTwiceIsHarmless() throws Exception {
    TestHosts run = TestHosts.start(1);
    run.close();
    run.close();
    assertThat(leftovers(run.prefix())).isEmpty();
  }

  /** What of the run exists on this machine, read independently of the fixture. */
  private static List<String> leftovers(String prefix) {
    List<String> found = new java.util.ArrayList<>();
    for (String line : TestHosts.run(Duration.ofSeconds(10), "ip", "netns", "list").out.split("\n")) {
      if (line.startsWith(prefix)) {
        found.add("netns " + line.split(" ")[0]);
      }
    }
    for (String line : TestHosts.run(Duration.ofSeconds(10), "ip", "-o", "link").out.split("\n")) {
      String[] fields = line.split(":\\s+");
      if (fields.length > 1 && fields[1].startsWith(prefix)) {
        found.add("link " + fields[1].split("@")[0]);
      }
    }
    for (String line : TestHosts.run(Duration.ofSeconds(10), "pgrep", "-a", "sshd").out.split("\n")) {
      if (line.contains(prefix)) {
        found.add("sshd");
      }
    }
    if (TestHosts.run(Duration.ofSeconds(10), "findmnt", "-rn").out.contains(prefix)) {
      found.add("mount");
    }
    if (Files.exists(java.nio.file.Paths.get("/etc/netns")) && TestHosts.run(Duration.ofSeconds(10),
        "ls", "/etc/netns").out.contains(prefix)) {
      found.add("etc");
    }
    return found;
  }
}
