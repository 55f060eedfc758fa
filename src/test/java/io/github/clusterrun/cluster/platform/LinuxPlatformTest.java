package io.github.clusterrun.cluster.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.Procs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Linux side of the platform seam, against real processes: marks, parents, zombies, ports. */
class LinuxPlatformTest {
  final Platform linux = new LinuxPlatform();
  @TempDir Path dir;
  final String clusterId = Procs.newClusterId();
  final List<Process> unmarked = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    Procs.killMarked(clusterId);
    unmarked.forEach(Process::destroyForcibly);
  }

  @Test
  void marksAreReadableOnLinux() {
    assertThat(LinuxPlatform.available()).isTrue();
    assertThat(Platform.current()).isInstanceOf(LinuxPlatform.class);
    assertThat(linux.readsEnvironments()).isTrue();
  }

  @Test
  void findsMarkedProcessesByClusterPrefixAndByWholeMark() throws Exception {
    Process n0 = Procs.startMarked(clusterId, "n_0", dir, "echo $$ > a.tmp && mv a.tmp a.pid; exec sleep 600");
    Process n1 = Procs.startMarked(clusterId, "n_1", dir, "echo $$ > b.tmp && mv b.tmp b.pid; exec sleep 600");
    Process stranger = Procs.startUnmarked(dir, "exec sleep 600");
    unmarked.add(stranger);
    Procs.awaitSleeping(dir.resolve("a.pid"));
    Procs.awaitSleeping(dir.resolve("b.pid"));

    List<ProcessSnapshot.Marked> all = linux.scan(FamilyMark.VARIABLE, FamilyMark.clusterPrefix(clusterId)).marked();
    assertThat(all).extracting(ProcessSnapshot.Marked::pid).containsExactlyInAnyOrder(n0.pid(), n1.pid());
    assertThat(all).extracting(ProcessSnapshot.Marked::mark)
        .containsExactlyInAnyOrder(clusterId + "/n_0", clusterId + "/n_1");

    assertThat(linux.scan(FamilyMark.VARIABLE, FamilyMark.of(clusterId, "n_1")).marked())
        .extracting(ProcessSnapshot.Marked::pid)
        .containsExactly(n1.pid());
    assertThat(linux.environmentValue(n0.pid(), FamilyMark.VARIABLE)).contains(clusterId + "/n_0");
    assertThat(linux.environmentValue(stranger.pid(), FamilyMark.VARIABLE)).isEmpty();
    assertThat(linux.environmentValue(ProcessHandle.current().pid(), FamilyMark.VARIABLE)).isEmpty();
    assertThat(linux.describe(n0.pid())).contains("sleep");
  }

  @Test
  void aVariableWhoseNameOnlyEndsWithTheMarkNameIsNoMark() throws Exception {
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", "echo $$ > c.tmp && mv c.tmp c.pid; exec sleep 600");
    builder.environment().remove(FamilyMark.VARIABLE);
    builder.environment().put("X_" + FamilyMark.VARIABLE, clusterId + "/n_0");
    builder.environment().put("SOMETHING", FamilyMark.VARIABLE + "=" + clusterId + "/n_0");
    builder.directory(dir.toFile());
    Process p = builder.start();
    unmarked.add(p);
    Procs.awaitSleeping(dir.resolve("c.pid"));

    assertThat(linux.environmentValue(p.pid(), FamilyMark.VARIABLE)).isEmpty();
    assertThat(linux.scan(FamilyMark.VARIABLE, FamilyMark.clusterPrefix(clusterId)).marked()).isEmpty();
  }

  @Test
  void aZombieCountsAsGone() throws Exception {
    // sleep 0.3 runs in the background of a shell that has become sleep 600, which never reaps it.
    Process parent =
        Procs.startMarked(clusterId, "n_0", dir, "sleep 0.3 & echo $! > z.tmp && mv z.tmp z.pid; exec sleep 600");
    long zombie = Procs.awaitPidFile(dir.resolve("z.pid"));
    Procs.awaitExec(parent.pid(), "sleep");
    Await.until("the child to become a zombie", () -> !linux.isAlive(zombie), Duration.ofSeconds(10));

    assertThat(Procs.isGone(zombie)).isTrue();
    assertThat(ProcessHandle.of(zombie).map(ProcessHandle::isAlive)).contains(true);
    assertThat(linux.isAlive(zombie)).isFalse();
    assertThat(linux.scan(FamilyMark.VARIABLE, FamilyMark.clusterPrefix(clusterId)).marked())
        .extracting(ProcessSnapshot.Marked::pid)
        .containsExactly(parent.pid());
    assertThat(linux.isAlive(parent.pid())).isTrue();
  }

  @Test
  void aPidThatDoesNotExist() throws Exception {
    Process p = Procs.startUnmarked(dir, "exit 0");
    p.waitFor();
    long pid = p.pid();
    assertThat(linux.environmentValue(pid, FamilyMark.VARIABLE)).isEmpty();
    assertThat(linux.isAlive(pid)).isFalse();
  }

  @Test
  void oneScanGivesTheDescendantsOfAProcessEvenAfterTheyDetached() throws Exception {
    Process n0 =
        Procs.startMarked(
            clusterId, "n_0", dir, "sleep 600 & echo $! > c.tmp && mv c.tmp c.pid; exec sleep 601");
    long child = Procs.awaitExec(Procs.awaitPidFile(dir.resolve("c.pid")), "sleep");
    Procs.awaitExec(n0.pid(), "sleep");

    ProcessSnapshot snapshot = linux.scan(FamilyMark.VARIABLE, FamilyMark.clusterPrefix(clusterId));

    assertThat(snapshot.descendants(n0.toHandle())).containsExactly(child);
    assertThat(snapshot.marked()).extracting(ProcessSnapshot.Marked::pid).containsExactlyInAnyOrder(n0.pid(), child);
  }

  @Test
  void terminateAndKillEndAProcessAndItIsThenNotAlive() throws Exception {
    Process polite = Procs.startMarked(clusterId, "n_0", dir, "echo $$ > a.tmp && mv a.tmp a.pid; exec sleep 600");
    Process stubborn =
        Procs.startMarked(clusterId, "n_1", dir, "trap '' TERM; echo $$ > b.tmp && mv b.tmp b.pid; while :; do sleep 0.1; done");
    Procs.awaitSleeping(dir.resolve("a.pid"));
    Procs.awaitPidFile(dir.resolve("b.pid"));

    linux.terminate(polite.pid());
    linux.terminate(stubborn.pid());
    assertThat(polite.waitFor()).isEqualTo(143);
    assertThat(linux.isAlive(stubborn.pid())).isTrue();
    linux.kill(stubborn.pid());
    assertThat(stubborn.waitFor()).isEqualTo(137);
    assertThat(linux.isAlive(polite.pid())).isFalse();
    assertThat(linux.isAlive(stubborn.pid())).isFalse();
  }

  @Test
  void aDetachedCommandRunsInASessionOfItsOwn() throws Exception {
    List<String> command = linux.detached(List.of("/bin/sh", "-c", "echo $$ > s.tmp && mv s.tmp s.pid; exec sleep 600"));
    assertThat(command).endsWith("/bin/sh", "-c", "echo $$ > s.tmp && mv s.tmp s.pid; exec sleep 600");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().put(FamilyMark.VARIABLE, FamilyMark.of(clusterId, "n_0"));
    builder.start();
    long pid = Procs.awaitSleeping(dir.resolve("s.pid"));

    assertThat(session(pid)).isEqualTo(pid).isNotEqualTo(session(ProcessHandle.current().pid()));
    // The session leader leads its process group too, which the test helper sees alive, then gone.
    assertThat(Procs.groupAlive(pid)).isTrue();
    assertThat(linux.signal(Platform.Signal.STOP, List.of(), List.of(pid))).isTrue();
    Await.until("the group to be stopped", () -> linux.scan(FamilyMark.VARIABLE, FamilyMark.clusterPrefix(clusterId)).stopped(pid), Duration.ofSeconds(10));
    assertThat(linux.signal(Platform.Signal.KILL, List.of(), List.of(pid))).isTrue();
    Await.until("the group to be gone", () -> !Procs.groupAlive(pid), Duration.ofSeconds(10));

  }

  @Test
  void namesTheHolderOfAListeningPort() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThat(linux.portHolder(socket.getLocalPort()))
          .hasValueSatisfying(
              h -> {
                assertThat(h.description()).startsWith("pid " + ProcessHandle.current().pid() + " (");
                assertThat(h.isProcess()).isTrue();
              });
    }
  }

  @Test
  void theWatchdogIsADetachedShellGivenTheVariableAndPrefix() {
    List<String> command = linux.watchdog(FamilyMark.VARIABLE, "abc/", 3, null).orElseThrow();
    assertThat(command).contains("/bin/sh", "cluster-lifeline", FamilyMark.VARIABLE, "abc/", "3");
    assertThat(command).isEqualTo(linux.detached(command.subList(command.indexOf("/bin/sh"), command.size())));
  }

  /** The session id, field 6 of /proc/<pid>/stat, read here independently of the code under test. */
  private static long session(long pid) throws java.io.IOException {
    String stat = java.nio.file.Files.readString(java.nio.file.Paths.get("/proc", Long.toString(pid), "stat"));
    return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]);
  }
}
