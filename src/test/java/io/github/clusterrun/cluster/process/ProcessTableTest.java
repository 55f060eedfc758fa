package io.github.clusterrun.cluster.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.Procs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding processes by the mark in /proc/<pid>/environ. */
class ProcessTableTest {
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
    assertThat(ProcessTable.marksReadable()).isTrue();
  }

  @Test
  void findsMarkedProcessesByClusterPrefixAndByWholeMark() throws Exception {
    Process n0 = Procs.startMarked(clusterId, "n_0", dir, "echo $$ > a.tmp && mv a.tmp a.pid; exec sleep 600");
    Process n1 = Procs.startMarked(clusterId, "n_1", dir, "echo $$ > b.tmp && mv b.tmp b.pid; exec sleep 600");
    Process stranger = Procs.startUnmarked(dir, "exec sleep 600");
    unmarked.add(stranger);
    Procs.awaitSleeping(dir.resolve("a.pid"));
    Procs.awaitSleeping(dir.resolve("b.pid"));

    List<ProcessTable.MarkedProcess> all = ProcessTable.findMarked(FamilyMark.clusterPrefix(clusterId));
    assertThat(all).extracting(ProcessTable.MarkedProcess::pid).containsExactlyInAnyOrder(n0.pid(), n1.pid());
    assertThat(all).extracting(ProcessTable.MarkedProcess::mark)
        .containsExactlyInAnyOrder(clusterId + "/n_0", clusterId + "/n_1");

    assertThat(ProcessTable.findMarked(FamilyMark.of(clusterId, "n_1")))
        .extracting(ProcessTable.MarkedProcess::pid)
        .containsExactly(n1.pid());
    assertThat(ProcessTable.markOf(n0.pid())).contains(clusterId + "/n_0");
    assertThat(ProcessTable.markOf(stranger.pid())).isEmpty();
    assertThat(ProcessTable.markOf(ProcessHandle.current().pid())).isEmpty();
    assertThat(ProcessTable.describe(n0.pid())).contains("sleep");
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

    assertThat(ProcessTable.markOf(p.pid())).isEmpty();
    assertThat(ProcessTable.findMarked(FamilyMark.clusterPrefix(clusterId))).isEmpty();
  }

  @Test
  void aZombieCountsAsGone() throws Exception {
    // sleep 0.3 runs in the background of a shell that has become sleep 600, which never reaps it.
    Process parent =
        Procs.startMarked(clusterId, "n_0", dir, "sleep 0.3 & echo $! > z.tmp && mv z.tmp z.pid; exec sleep 600");
    long zombie = Procs.awaitPidFile(dir.resolve("z.pid"));
    Procs.awaitExec(parent.pid(), "sleep");
    Await.until("the child to become a zombie", () -> ProcessTable.isZombie(zombie), Duration.ofSeconds(10));

    assertThat(Procs.isGone(zombie)).isTrue();
    assertThat(ProcessHandle.of(zombie).map(ProcessHandle::isAlive)).contains(true);
    assertThat(ProcessHandle.of(zombie).map(ProcessTable::isAlive)).contains(false);
    assertThat(ProcessTable.findMarked(FamilyMark.clusterPrefix(clusterId)))
        .extracting(ProcessTable.MarkedProcess::pid)
        .containsExactly(parent.pid());
    assertThat(ProcessTable.isZombie(parent.pid())).isFalse();
  }

  @Test
  void aPidThatDoesNotExist() throws Exception {
    Process p = Procs.startUnmarked(dir, "exit 0");
    p.waitFor();
    long pid = p.pid();
    assertThat(ProcessTable.markOf(pid)).isEmpty();
    assertThat(ProcessTable.isZombie(pid)).isTrue();
  }
}
