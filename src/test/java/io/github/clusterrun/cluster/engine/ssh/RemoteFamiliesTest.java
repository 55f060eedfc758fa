package io.github.clusterrun.cluster.engine.ssh;

import static io.github.clusterrun.cluster.engine.ssh.LocalRun.VAR;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.engine.ssh.RemoteScript.Proc;
import io.github.clusterrun.cluster.engine.ssh.RemoteScript.StopLine;
import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.family.NodeStop.How;
import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.Procs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The script's {@code scan}, {@code stop}, {@code kill} and {@code signal}, run locally on real
 * families: it finds a family by its mark alone (a daemon that detached included), confirms it gone,
 * and never touches a process without the mark, of another cluster, or one whose pid it was given
 * as a root without the family's mark. Every test runs next to two bystanders that must survive it.
 */
class RemoteFamiliesTest {
  @TempDir Path dir;
  final String id = Procs.newClusterId();
  Bystanders bystanders;
  Process stranger;
  Process otherCluster;

  @BeforeEach
  void startBystanders() throws IOException {
    bystanders = Bystanders.start(dir, id);
    stranger = bystanders.stranger;
    otherCluster = bystanders.otherCluster;
  }

  @AfterEach
  void bystandersSurviveAndNothingIsLeft() {
    try {
      bystanders.assertAliveAndEnd();
    } finally {
      Procs.killMarked(id);
    }
  }

  private String mark(String node) {
    return FamilyMark.of(id, node);
  }

  @Test
  void aNodeThatExitsOnTermStopsGracefullyAndItsChildCountsInItsFamily() throws Exception {
    Process node =
        Procs.startMarked(
            id, "n_0", dir, "trap 'kill $c; exit 0' TERM; sleep 600 & c=$!; echo $c > c.tmp && mv c.tmp c.pid; wait");
    long child = Procs.awaitSleeping(dir.resolve("c.pid"));

    LocalRun run = LocalRun.of("stop", VAR, "10", mark("n_0") + ":" + node.pid());

    StopLine line = RemoteScript.stops(run.ok()).get(mark("n_0"));
    assertThat(line.how).as(run.out).isEqualTo(How.GRACEFUL);
    assertThat(line.familySize).isEqualTo(2);
    assertThat(line.tookMs).isBetween(0L, 9_000L);
    assertThat(RemoteScript.survivors(run.out)).isEmpty();
    assertThat(Procs.isGone(node.pid())).isTrue();
    assertThat(Procs.isGone(child)).isTrue();
  }

  @Test
  void aNodeThatIgnoresTermIsKilledAfterTheGrace() throws Exception {
    Process node =
        Procs.startMarked(
            id, "n_0", dir, "trap '' TERM; echo $$ > a.tmp && mv a.tmp a.pid; while :; do sleep 0.1; done");
    Procs.awaitPidFile(dir.resolve("a.pid"));

    LocalRun run = LocalRun.of("stop", VAR, "1", mark("n_0") + ":" + node.pid());

    StopLine line = RemoteScript.stops(run.ok()).get(mark("n_0"));
    assertThat(line.how).as(run.out).isEqualTo(How.KILLED);
    assertThat(line.tookMs).isGreaterThanOrEqualTo(1_000L);
    assertThat(line.familySize).isPositive();
    assertThat(Procs.isGone(node.pid())).isTrue();
    assertThat(Procs.markedPids(id)).isEmpty();
  }

  @Test
  void aDaemonThatDetachedIsFoundByItsMarkAndConfirmedGone() throws Exception {
    // setsid and a double fork: the daemon has a session of its own and init for a parent.
    Process node =
        Procs.startMarked(
            id,
            "n_0",
            dir,
            "setsid sh -c 'sh -c \"echo \\$\\$ > d.tmp && mv d.tmp d.pid; exec sleep 600\" & exit 0'"
                + " </dev/null >/dev/null 2>&1; trap 'exit 0' TERM; while :; do sleep 0.1; done");
    long daemon = Procs.awaitSleeping(dir.resolve("d.pid"));
    assertThat(ProcessHandle.of(daemon).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
        .isNotEqualTo(java.util.Optional.of(node.pid()));

    LocalRun run = LocalRun.of("stop", VAR, "1", mark("n_0") + ":" + node.pid());

    // The root is asked first; the daemon, seen in the family after it, is asked too (as on the
    // build machine), and ends on SIGTERM: the family stopped gracefully.
    StopLine line = RemoteScript.stops(run.ok()).get(mark("n_0"));
    assertThat(line.how).as(run.out).isEqualTo(How.GRACEFUL);
    assertThat(line.familySize).isGreaterThanOrEqualTo(2);
    assertThat(Procs.isGone(daemon)).isTrue();
    assertThat(Procs.markedPids(id)).isEmpty();
  }

  @Test
  void aRootPidWithoutTheFamilysMarkIsNeverSignalled() throws Exception {
    Process node =
        Procs.startMarked(
            id, "n_0", dir, "trap 'exit 0' TERM; echo $$ > a.tmp && mv a.tmp a.pid; while :; do sleep 0.1; done");
    Procs.awaitPidFile(dir.resolve("a.pid"));

    // As if the recorded roots had died and their pids been reused: by an unmarked process, and by
    // another cluster's node of the same name. With no marked root, the family itself gets SIGTERM.
    LocalRun run =
        LocalRun.of(
            "stop", VAR, "5", mark("n_0") + ":" + stranger.pid(), mark("n_1") + ":" + otherCluster.pid());

    Map<String, StopLine> stops = RemoteScript.stops(run.ok());
    assertThat(stops.get(mark("n_0")).how).as(run.out).isEqualTo(How.GRACEFUL);
    assertThat(stops.get(mark("n_1")).how).isEqualTo(How.EXITED_BEFORE);
    assertThat(Procs.isGone(node.pid())).isTrue();
    // The bystanders' survival is checked after each test.
  }

  @Test
  void aFamilyWithNothingAliveExitedBefore() {
    long start = System.nanoTime();

    LocalRun run = LocalRun.of("stop", VAR, "5", mark("n_7") + ":0", mark("n_8") + ":999999999");

    assertThat(RemoteScript.stops(run.ok()))
        .containsOnlyKeys(mark("n_7"), mark("n_8"))
        .allSatisfy(
            (mark, line) -> {
              assertThat(line.how).isEqualTo(How.EXITED_BEFORE);
              assertThat(line.tookMs).isZero();
              assertThat(line.familySize).isZero();
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no wait for a grace").isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void killEndsAFamilyThatIgnoresTermWithoutWaitingForIt() throws Exception {
    Process node =
        Procs.startMarked(
            id,
            "n_0",
            dir,
            "trap '' TERM; sleep 600 & echo $! > c.tmp && mv c.tmp c.pid; while :; do sleep 0.1; done");
    long child = Procs.awaitSleeping(dir.resolve("c.pid"));

    LocalRun run = LocalRun.of("kill", VAR, mark("n_0"), mark("n_1"));

    Map<String, StopLine> stops = RemoteScript.stops(run.ok());
    assertThat(stops.get(mark("n_0")).how).as(run.out).isEqualTo(How.KILLED);
    assertThat(stops.get(mark("n_0")).familySize).isGreaterThanOrEqualTo(2);
    assertThat(stops.get(mark("n_1")).how).isEqualTo(How.EXITED_BEFORE);
    assertThat(Procs.isGone(node.pid())).isTrue();
    assertThat(Procs.isGone(child)).isTrue();
    assertThat(Procs.markedPids(id)).isEmpty();
  }

  @Test
  void aMarkIsMatchedWholeNeverAsAPrefix() throws Exception {
    Process n1 = Procs.startMarked(id, "n_1", dir, "exec sleep 600");
    Process n10 = Procs.startMarked(id, "n_10", dir, "exec sleep 600");
    Procs.awaitExec(n1.pid(), "sleep");
    Procs.awaitExec(n10.pid(), "sleep");

    LocalRun run = LocalRun.of("kill", VAR, mark("n_1"));

    assertThat(RemoteScript.stops(run.ok()).get(mark("n_1")).familySize).as(run.out).isEqualTo(1);
    assertThat(Procs.isGone(n1.pid())).isTrue();
    assertThat(n10.isAlive()).isTrue();
    assertThat(RemoteScript.signalled(LocalRun.of("signal", "CONT", VAR, mark("n_1")).ok()))
        .containsEntry(mark("n_1"), 0);
  }

  @Test
  void signalStopsEveryMemberOfTheFamilyThenContinuesThem() throws Exception {
    Process node =
        Procs.startMarked(id, "n_0", dir, "sleep 600 & echo $! > c.tmp && mv c.tmp c.pid; wait");
    long child = Procs.awaitSleeping(dir.resolve("c.pid"));
    Set<Long> family = Set.of(node.pid(), child);

    LocalRun stopped = LocalRun.of("signal", "STOP", VAR, mark("n_0"), mark("n_1"));

    assertThat(RemoteScript.signalled(stopped.ok())).containsEntry(mark("n_0"), 2).containsEntry(mark("n_1"), 0);
    // The script signals again until every member shows it is stopped.
    assertThat(family).allMatch(pid -> state(pid) == 'T');
    assertThat(state(otherCluster.pid())).isNotEqualTo('T');

    LocalRun continued = LocalRun.of("signal", "CONT", VAR, mark("n_0"));

    assertThat(RemoteScript.signalled(continued.ok())).containsEntry(mark("n_0"), 2);
    Await.until("the family to run again", () -> family.stream().allMatch(pid -> state(pid) != 'T'), Duration.ofSeconds(10));
  }

  @Test
  void scanListsTheLiveMarkedProcessesOfTheClusterAndNoZombie() throws Exception {
    // The node's shell becomes a sleep, which never reaps: its child, told to end once the shell is
    // a sleep, stays a zombie with the mark.
    Process n0 =
        Procs.startMarked(
            id,
            "n_0",
            dir,
            "sh -c 'until [ -e go ]; do sleep 0.01; done' & echo $! > z.tmp && mv z.tmp z.pid; exec sleep 600");
    Process n1 = Procs.startMarked(id, "n_1", dir, "exec sleep 600");
    long zombie = Procs.awaitPidFile(dir.resolve("z.pid"));
    Procs.awaitExec(n0.pid(), "sleep");
    Procs.awaitExec(n1.pid(), "sleep");
    Files.writeString(dir.resolve("go"), "");
    Await.until("the first child to be a zombie", () -> state(zombie) == 'Z', Duration.ofSeconds(10));

    LocalRun run = LocalRun.of("scan", VAR, FamilyMark.clusterPrefix(id));

    assertThat(RemoteScript.scan(run.ok()).stream().map(Proc::toString).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(n0.pid() + " " + mark("n_0"), n1.pid() + " " + mark("n_1"));
  }

  /** The state letter of a process in /proc/<pid>/stat; '?' when it is gone. */
  @Test
  void runStartsANodeInItsDirectoryAndItsCgroupWhereThereIsOneAndStopEmptiesAndRemovesIt() throws Exception {
    Path work = dir.resolve("n_0-work");
    Path log = dir.resolve("console.log");
    Process run =
        LocalRun.start(
            dir.resolve("run.err"),
            Map.of(),
            "run",
            mark("n_0"),
            work.toString(),
            log.toString(),
            VAR + "=" + mark("n_0"),
            "sh",
            "-c",
            // a child that detaches too: the group holds it whatever it does
            "setsid sh -c 'exec sleep 600' </dev/null >/dev/null 2>&1 & echo started in $(pwd); exec sleep 600");
    long pid =
        Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(run.getInputStream())).readLine().trim());
    Await.until("the node's line in its log", () -> read(log).contains("started in " + work), java.time.Duration.ofSeconds(10));
    assertThat(pid).isEqualTo(run.pid()); // the pid it says is its own: the program replaced the shell
    Path group = cgroupOf(pid);
    boolean contained = group != null && group.toString().endsWith("/cluster-maven-plugin." + id + "/n_0");
    if (RemoteScriptTest.ROOT && cgroup2() != null) {
      assertThat(contained).as("as root, the node runs in its cgroup: " + group).isTrue();
    }

    LocalRun stop = LocalRun.of("kill", VAR, mark("n_0"));
    assertThat(RemoteScript.stops(stop.ok()).get(mark("n_0")).how).as(stop.out).isEqualTo(How.KILLED);
    assertThat(Procs.markedPids(id)).isEmpty();
    if (contained) {
      assertThat(group).as("the empty group is removed").doesNotExist();
      assertThat(group.getParent()).as("and the cluster's").doesNotExist();
    }
  }

  /** The cgroup v2 directory of a process, or null. */
  private static Path cgroupOf(long pid) throws java.io.IOException {
    Path mount = cgroup2();
    for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
      if (line.startsWith("0::") && mount != null) {
        return Path.of(mount + line.substring(3));
      }
    }
    return null;
  }

  /** Where cgroup v2 is mounted (/sys/fs/cgroup, or /sys/fs/cgroup/unified beside v1), or null. */
  private static Path cgroup2() throws java.io.IOException {
    for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      int dash = java.util.Arrays.asList(f).indexOf("-");
      if (dash > 0 && f.length > dash + 1 && f[dash + 1].equals("cgroup2")) {
        return Path.of(f[4]);
      }
    }
    return null;
  }

  private static String read(Path file) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static char state(long pid) {
    try {
      String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2);
    } catch (IOException e) {
      return '?';
    }
  }
}
