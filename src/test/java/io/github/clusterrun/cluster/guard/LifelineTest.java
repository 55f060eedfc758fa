package io.github.clusterrun.cluster.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.platform.Containment;
import io.github.clusterrun.cluster.platform.NodeNetworks;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.Procs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog that stops a cluster when the JVM's end of its pipe closes without a confirmed stop
 * (Maven killed with kill -9): every process carrying the cluster's mark is gone, nothing else is
 * touched, and the watchdog exits.
 */
class LifelineTest {
  @TempDir Path dir;
  final String clusterId = Procs.newClusterId();
  final List<String> otherIds = new ArrayList<>();
  final List<Process> unmarked = new ArrayList<>();
  Lifeline lifeline;

  @AfterEach
  void killLeftovers() {
    if (lifeline != null && lifeline.isAlive()) {
      ProcessHandle.of(lifeline.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }
    Procs.killMarked(clusterId);
    otherIds.forEach(Procs::killMarked);
    unmarked.forEach(Process::destroyForcibly);
  }

  @Test
  void closingThePipeWithoutAStopKillsEveryMarkedProcessAndTheWatchdogExits() throws Exception {
    Process n0 = Procs.startMarked(clusterId, "n_0", dir, "echo $$ > a.tmp && mv a.tmp a.pid; exec sleep 600");
    Process n1 =
        Procs.startMarked(
            clusterId, "n_1", dir, "trap '' TERM; echo $$ > b.tmp && mv b.tmp b.pid; while :; do sleep 0.1; done");
    Process n2 =
        Procs.startMarked(
            clusterId,
            "n_2",
            dir,
            "setsid -f sh -c 'echo $$ > d.tmp && mv d.tmp d.pid; exec sleep 600'; sleep 600 & wait");
    long a = Procs.awaitSleeping(dir.resolve("a.pid"));
    long b = Procs.awaitPidFile(dir.resolve("b.pid"));
    long daemon = Procs.awaitSleeping(dir.resolve("d.pid"));
    // Not of this cluster: must survive.
    String otherId = clusterId + "0";
    otherIds.add(otherId);
    Process other = Procs.startMarked(otherId, "n_0", dir, "echo $$ > o.tmp && mv o.tmp o.pid; exec sleep 600");
    Procs.awaitSleeping(dir.resolve("o.pid"));
    Process stranger = Procs.startUnmarked(dir, "exec sleep 600");
    unmarked.add(stranger);
    List<Long> marked = Procs.markedPids(clusterId);
    assertThat(marked).contains(n0.pid(), n1.pid(), n2.pid(), a, b, daemon);

    lifeline = Lifeline.start(clusterId, 1, Platform.current(), null);
    assertThat(lifeline.pid()).isPositive();
    assertThat(lifeline.isAlive()).isTrue();
    // The watchdog carries no mark itself, and holds its fire while the pipe is open.
    assertThat(Procs.env(lifeline.pid()).orElseThrow()).doesNotContainKey(FamilyMark.VARIABLE);
    assertThat(List.of(n0.pid(), n1.pid(), n2.pid(), daemon)).allMatch(Procs::isAlive);

    lifeline.cut(); // what the kernel does when the JVM dies: the pipe reads end-of-file

    Await.until(
        "every marked process to be gone", () -> Procs.markedPids(clusterId).isEmpty(), Duration.ofSeconds(15));
    for (long pid : marked) {
      assertThat(Procs.isGone(pid)).as("pid %d", pid).isTrue();
    }
    Await.until("the watchdog to exit", () -> !lifeline.isAlive(), Duration.ofSeconds(10));
    assertThat(Procs.isGone(lifeline.pid())).isTrue();
    assertThat(other.isAlive()).isTrue();
    assertThat(stranger.isAlive()).isTrue();
  }

  @Test
  void aMarkedProcessCaughtInTheMiddleOfAnExecIsStillKilled() throws Exception {
    // While a process is inside execve, /proc/<pid>/environ reads empty, so one grep of the marks
    // can miss it. A process that ignores SIGTERM and execs often must still be gone in the end.
    Path reexec = dir.resolve("reexec.sh");
    java.nio.file.Files.writeString(reexec, "#!/bin/sh\nexec \"$0\"\n");
    java.nio.file.Files.setPosixFilePermissions(
        reexec, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Process n0 =
        Procs.startMarked(
            clusterId, "n_0", dir, "trap '' TERM; echo $$ > r.tmp && mv r.tmp r.pid; exec ./reexec.sh");
    long pid = Procs.awaitPidFile(dir.resolve("r.pid"));
    lifeline = Lifeline.start(clusterId, 1, Platform.current(), null);

    try {
      lifeline.cut();
      Await.until("the watchdog to exit", () -> !lifeline.isAlive(), Duration.ofSeconds(10));
      assertThat(Procs.isGone(pid)).as("pid %d outlived the watchdog", pid).isTrue();
    } finally {
      n0.destroyForcibly();
    }
  }

  @Test
  void afterAConfirmedStopTheWatchdogExitsWithoutLookingForMarks() throws Exception {
    // The plugin has confirmed the kill itself: the watchdog takes its word and does not scan (and
    // so does not stop a marked process, which here stands in for what a scan would have found).
    Process n0 = Procs.startMarked(clusterId, "n_0", dir, "exec sleep 600");
    lifeline = Lifeline.start(clusterId, 5, Platform.current(), null);

    try {
      lifeline.release();

      assertThat(lifeline.isAlive()).isFalse();
      assertThat(n0.isAlive()).as("the marked process the watchdog did not look for").isTrue();
    } finally {
      n0.destroyForcibly().waitFor();
    }
  }

  @Test
  void theWatchdogRunsInASessionOfItsOwn() throws Exception {
    lifeline = Lifeline.start(clusterId, 1, Platform.current(), null);
    // setsid makes its own session, then runs the shell in it.
    Await.until(
        "the watchdog to lead a session of its own",
        () -> sessionOf(lifeline.pid()) == lifeline.pid(),
        Duration.ofSeconds(10));
    lifeline.release();
    assertThat(lifeline.isAlive()).isFalse();
  }

  private static long sessionOf(long pid) {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Paths.get("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[3]); // state ppid pgrp session
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  @Test
  void aContainedFamilyThatForksFasterThanAnyScanIsKilledByTheWatchdog() throws Exception {
    Optional<Containment> containment = Platform.current().containment();
    Optional<Path> group = containment.flatMap(c -> c.create(clusterId, "n_0"));
    assumeTrue(
        group.isPresent(),
        "no cgroup v2 this user may create groups in: the uncontained watchdog sweeps with SIGSTOP,"
            + " which a family forking faster than a shell's scan can outrun");
    try {
      assumeTrue(Files.isExecutable(Paths.get(Procs.PYTHON3)), "needs " + Procs.PYTHON3 + " to reap the chain");
      List<String> command =
          containment.get().enter(group.get(), List.of("/usr/bin/setsid", "/bin/sh", "-c", Procs.leapfrog(dir, true)));
      Process reaper = Procs.startMarkedUnderReaper(clusterId, "n_0", dir, command);
      unmarked.add(reaper);
      // The chain runs, immune to SIGTERM, before the watchdog can signal anything.
      long chain = Procs.awaitLeapfrog(dir);
      lifeline = Lifeline.start(clusterId, 1, Platform.current(), group.get().getParent());

      lifeline.cut();

      assertThat(lifeline.isAlive()).isFalse();
      Await.until("no live process in the chain's group " + chain, () -> !Procs.groupAlive(chain), Duration.ofSeconds(10));
      assertThat(Procs.markedPids(clusterId)).isEmpty();
      assertThat(group.get().getParent()).as("the cluster's cgroup, removed").doesNotExist();
      assertThat(reaper.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    } finally {
      containment.get().kill(group.get());
      containment.get().remove(group.get());
    }
  }

  @Test
  void whenMavenDiesTheWatchdogAlsoDeletesTheNodesNetworkNamespacesAndBridgeAndNoOtherClusters() throws Exception {
    Optional<String[]> missing = NodeNetworks.missing();
    if (missing.isPresent()) {
      System.err.println("WARNING: LifelineTest's network namespaces skipped: " + "<networkFaults> " + missing.get()[0]);
    }
    assumeTrue(missing.isEmpty(), () -> "<networkFaults> " + missing.get()[0]);
    NodeNetworks networks = NodeNetworks.of(clusterId);
    String otherId = Procs.newClusterId();
    NodeNetworks others = NodeNetworks.of(otherId);
    try {
      networks.create(NodeNetworks.freeSubnet(), 2);
      others.create(NodeNetworks.freeSubnet(), 1);
      // A node of the cluster inside its namespace, as start launches it.
      Process n0 = Procs.startMarked(clusterId, "n_0", dir, networks.enter(0, List.of("/bin/sh", "-c", "exec sleep 600")));
      unmarked.add(n0);
      Await.until("n_0 marked", () -> Procs.markedPids(clusterId).contains(n0.pid()), Duration.ofSeconds(10));
      lifeline = Lifeline.start(clusterId, 1, Platform.current(), null, networks);

      lifeline.cut(); // Maven killed: the pipe reads end-of-file

      Await.until("the watchdog to exit", () -> !lifeline.isAlive(), Duration.ofSeconds(15));
      assertThat(Procs.isGone(n0.pid())).isTrue();
      assertThat(networks.existing()).as("the cluster's namespaces, veths and bridge").isEmpty();
      assertThat(others.existing()).as("another cluster's").hasSize(3);
    } finally {
      networks.delete();
      others.delete();
    }
  }
}
