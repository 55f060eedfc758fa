package io.github.clusterrun.cluster.family;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.Nodes;
import io.github.clusterrun.cluster.testing.Procs;
import io.github.clusterrun.cluster.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping whole node families, with real processes carrying the mark: a node counts as stopped only
 * when it and everything it started, detached or not, are gone.
 */
class FamilyStopperTest {
  @TempDir Path dir;
  final String clusterId = Procs.newClusterId();
  final RecordingLog log = new RecordingLog();
  final List<Process> unmarked = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    Procs.killMarked(clusterId);
    for (Process p : unmarked) {
      p.destroyForcibly();
    }
  }

  /** The processes this JVM launched, by node name. */
  final Map<String, Process> launched = new LinkedHashMap<>();

  private Node node(String name, String script) throws Exception {
    return launched(name, Procs.startMarked(clusterId, name, dir, script));
  }

  private Node launched(String name, Process process) {
    launched.put(name, process);
    return Nodes.launched(clusterId, name, process);
  }

  private StopReport stop(Duration stopTimeout, String stopInput, Node... nodes) {
    Map<String, Process> ours = new LinkedHashMap<>();
    for (Node node : nodes) {
      if (launched.containsKey(node.name()) && launched.get(node.name()).pid() == node.pid()) {
        ours.put(node.name(), launched.get(node.name()));
      }
    }
    return new FamilyStopper(
            Nodes.cluster(dir, clusterId, stopTimeout, stopInput, List.of(nodes), ours),
            Platform.current(),
            log)
        .stop();
  }

  private static Optional<ProcessHandle> liveRoot(Node recorded) {
    return NodeRoot.of(recorded, Optional.empty(), Platform.current());
  }

  /** Waits until a script has written its pid file, so it runs and its family exists. */
  private long started(String pidFile) {
    return Procs.awaitPidFile(dir.resolve(pidFile));
  }

  /** Waits until a script has written its pid file and then exec'd sleep (past the exec window). */
  private long sleeping(String pidFile) {
    return Procs.awaitSleeping(dir.resolve(pidFile));
  }

  @Test
  void aNodeThatHonoursSigtermStopsGracefully() throws Exception {
    Node n0 = node("n_0", "echo $$ > n0.tmp && mv n0.tmp n0.pid; exec sleep 600");
    sleeping("n0.pid");

    StopReport report = stop(Duration.ofSeconds(10), null, n0);

    assertThat(report.confirmed()).isTrue();
    assertThat(report.survivors()).isEmpty();
    NodeStop stop = report.nodes().get(0);
    assertThat(stop.name()).isEqualTo("n_0");
    assertThat(stop.pid()).isEqualTo(n0.pid());
    assertThat(stop.how()).isEqualTo(NodeStop.How.GRACEFUL);
    assertThat(stop.exitCode()).contains(143); // 128 + SIGTERM
    assertThat(stop.took()).isLessThan(Duration.ofSeconds(5));
    assertThat(stop.describe()).contains("n_0 (pid " + n0.pid() + "): stopped gracefully in");
    assertThat(Procs.isGone(n0.pid())).isTrue();
    assertThat(Procs.markedPids(clusterId)).isEmpty();
  }

  @Test
  void aNodeIgnoringSigtermIsKilledAfterTheStopTimeout() throws Exception {
    Node n0 =
        node("n_0", "trap '' TERM; echo $$ > n0.tmp && mv n0.tmp n0.pid; while :; do sleep 0.1; done");
    started("n0.pid");

    StopReport report = stop(Duration.ofSeconds(1), null, n0);

    assertThat(report.confirmed()).isTrue();
    NodeStop stop = report.nodes().get(0);
    assertThat(stop.how()).isEqualTo(NodeStop.How.KILLED);
    assertThat(stop.exitCode()).contains(137); // 128 + SIGKILL
    assertThat(stop.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThan(Duration.ofSeconds(6));
    assertThat(stop.describe()).contains("killed after the stop timeout");
    assertThat(Procs.isGone(n0.pid())).isTrue();
    assertThat(Procs.markedPids(clusterId)).isEmpty();
  }

  @Test
  void aNodeAndItsChildAreBothGone() throws Exception {
    Node n0 =
        node("n_0", "sleep 600 & echo $! > child.tmp && mv child.tmp child.pid; wait");
    long child = sleeping("child.pid");
    // The family is counted by the stop's first scan, and the mv that wrote the pid file may not
    // have exited yet (its rename is what the test saw): wait until the sleep is the only child.
    Await.until(
        "the sleep to be the node's only descendant",
        () -> Procs.descendants(launched.get("n_0")).equals(List.of(child)),
        Duration.ofSeconds(10));

    StopReport report = stop(Duration.ofSeconds(10), null, n0);

    assertThat(report.confirmed()).isTrue();
    assertThat(report.nodes().get(0).how()).isEqualTo(NodeStop.How.GRACEFUL);
    assertThat(report.nodes().get(0).familySize()).isEqualTo(2);
    assertThat(report.nodes().get(0).describe()).contains("2 processes in its family");
    assertThat(Procs.isGone(n0.pid())).isTrue();
    assertThat(Procs.isGone(child)).isTrue();
  }

  @Test
  void aChildIgnoringSigtermIsKilledEvenThoughItsParentStoppedGracefully() throws Exception {
    Node n0 =
        node(
            "n_0",
            "sh -c \"trap '' TERM; echo \\$\\$ > child.tmp && mv child.tmp child.pid; while :; do sleep 0.1; done\" &"
                + " wait");
    long child = started("child.pid");

    StopReport report = stop(Duration.ofSeconds(1), null, n0);

    assertThat(report.confirmed()).isTrue();
    assertThat(report.nodes().get(0).how()).isEqualTo(NodeStop.How.KILLED);
    assertThat(Procs.isGone(n0.pid())).isTrue();
    assertThat(Procs.isGone(child)).isTrue();
    assertThat(Procs.markedPids(clusterId)).isEmpty();
  }

  @Test
  void aGrandchildDetachedWithSetsidIsFoundByItsMarkAndGone() throws Exception {
    Node n0 =
        node(
            "n_0",
            "setsid -f sh -c 'echo $$ > daemon.tmp && mv daemon.tmp daemon.pid; exec sleep 600'; exec sleep 600");
    long daemon = sleeping("daemon.pid");
    // Re-parented away: not a descendant of the node, found only by its mark.
    Await.until(
        "the daemon to be re-parented away from the node",
        () -> !Procs.descendants(launched.get("n_0")).contains(daemon),
        Duration.ofSeconds(10));
    assertThat(Platform.current().environmentValue(daemon, FamilyMark.VARIABLE)).contains(FamilyMark.of(clusterId, "n_0"));

    StopReport report = stop(Duration.ofSeconds(10), null, n0);

    assertThat(report.confirmed()).isTrue();
    assertThat(report.nodes().get(0).familySize()).isEqualTo(2);
    assertThat(Procs.isGone(n0.pid())).isTrue();
    assertThat(Procs.isGone(daemon)).isTrue();
  }

  @Test
  void aDetachedDaemonIgnoringSigtermIsKilled() throws Exception {
    Node n0 =
        node(
            "n_0",
            "setsid -f sh -c \"trap '' TERM; echo \\$\\$ > daemon.tmp && mv daemon.tmp daemon.pid;"
                + " while :; do sleep 0.1; done\"; exec sleep 600");
    long daemon = started("daemon.pid");

    StopReport report = stop(Duration.ofSeconds(1), null, n0);

    assertThat(report.confirmed()).isTrue();
    assertThat(report.nodes().get(0).how()).isEqualTo(NodeStop.How.KILLED);
    assertThat(Procs.isGone(daemon)).isTrue();
    assertThat(Procs.markedPids(clusterId)).isEmpty();
  }

  @Test
  void aDaemonCaughtInTheMiddleOfAnExecIsNotTakenForGone() throws Exception {
    // While a process is inside execve, /proc/<pid>/environ reads empty: a scan at that moment does
    // not see its mark. A daemon that execs often (a supervisor respawning, a script chaining execs)
    // must still be found: the stop may confirm only once it is really gone.
    Path reexec = dir.resolve("reexec.sh");
    Files.writeString(reexec, "#!/bin/sh\nexec \"$0\"\n");
    Files.setPosixFilePermissions(reexec, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Node n0 =
        node(
            "n_0",
            "setsid -f sh -c \"trap '' TERM; echo \\$\\$ > daemon.tmp && mv daemon.tmp daemon.pid; exec ./reexec.sh\";"
                + " exec sleep 600");
    long daemon = started("daemon.pid");
    Procs.awaitExec(n0.pid(), "sleep");

    StopReport report;
    boolean daemonGone;
    try {
      report = stop(Duration.ofSeconds(2), null, n0);
      daemonGone = Procs.isGone(daemon);
    } finally {
      Procs.killAll(List.of(daemon));
    }

    assertThat(daemonGone)
        .as("daemon %d still alive although the stop reported %s, confirmed=%s", daemon, report.nodes(), report.confirmed())
        .isTrue();
    assertThat(report.nodes().get(0).how()).isEqualTo(NodeStop.How.KILLED);
  }

  @Test
  void aDaemonLeftByANodeThatAlreadyExitedIsStillStopped() throws Exception {
    Node n0 =
        node(
            "n_0",
            "setsid -f sh -c 'echo $$ > daemon.tmp && mv daemon.tmp daemon.pid; exec sleep 600'; exit 0");
    long daemon = sleeping("daemon.pid");
    launched.get("n_0").waitFor();

    StopReport report = stop(Duration.ofSeconds(10), null, n0);

    assertThat(report.confirmed()).isTrue();
    assertThat(report.nodes().get(0).how()).isEqualTo(NodeStop.How.EXITED_BEFORE);
    assertThat(report.nodes().get(0).exitCode()).contains(0);
    assertThat(report.nodes().get(0).familySize()).isEqualTo(1);
    assertThat(Procs.isGone(daemon)).isTrue();
  }

  @Test
  void stopsSeveralNodesAndOnlyTheirFamilies() throws Exception {
    Node n0 = node("n_0", "echo $$ > n0.tmp && mv n0.tmp n0.pid; exec sleep 600");
    Node n1 = node("n_1", "echo $$ > n1.tmp && mv n1.tmp n1.pid; exec sleep 600");
    sleeping("n0.pid");
    sleeping("n1.pid");
    // Another cluster whose id starts like ours: its mark must not be taken for ours.
    String otherId = clusterId + "x";
    Process other = Procs.startMarked(otherId, "n_0", dir, "echo $$ > o.tmp && mv o.tmp o.pid; exec sleep 600");
    try {
      sleeping("o.pid");

      StopReport report = stop(Duration.ofSeconds(10), null, n0, n1);

      assertThat(report.confirmed()).isTrue();
      assertThat(report.nodes()).extracting(NodeStop::name).containsExactly("n_0", "n_1");
      assertThat(Procs.isGone(n0.pid())).isTrue();
      assertThat(Procs.isGone(n1.pid())).isTrue();
      assertThat(other.isAlive()).isTrue();
    } finally {
      Procs.killMarked(otherId);
    }
  }

  @Test
  void stdinLineStopsANodeThatListensOnStdin() throws Exception {
    Process process =
        Procs.startMarked(
            clusterId,
            "n_0",
            dir,
            Procs.testNodeCommand("--stdin-stop=shutdown", "--ready-line=READY"));
    Node n0 = launched("n_0", process);
    Path out = dir.resolve("n_0.out");
    Await.until("the test node to be ready", () -> read(out).contains("READY"), Duration.ofSeconds(30));

    StopReport report = stop(Duration.ofSeconds(20), "shutdown", n0);

    assertThat(report.confirmed()).isTrue();
    assertThat(report.nodes().get(0).how()).isEqualTo(NodeStop.How.GRACEFUL);
    assertThat(report.nodes().get(0).exitCode()).contains(0); // not 143: no SIGTERM
    assertThat(read(out)).contains("stopping on stdin line 'shutdown'");
    assertThat(log.text()).contains("Wrote 'shutdown' to the stdin of n_0");
    assertThat(Procs.isGone(n0.pid())).isTrue();
  }

  @Test
  void stdinLineFallsBackToSigtermWhenTheNodeClosedItsStdin() throws Exception {
    Node n0 = node("n_0", "exec 0<&-; echo $$ > n0.tmp && mv n0.tmp n0.pid; exec sleep 600");
    sleeping("n0.pid");

    StopReport report = stop(Duration.ofSeconds(10), "shutdown", n0);

    assertThat(report.confirmed()).isTrue();
    assertThat(report.nodes().get(0).how()).isEqualTo(NodeStop.How.GRACEFUL);
    assertThat(Procs.isGone(n0.pid())).isTrue();
  }

  @Test
  void aRecordedPidReusedByAnUnrelatedProcessIsLeftAlive() throws Exception {
    Process stranger = Procs.startUnmarked(dir, "exec sleep 600");
    unmarked.add(stranger);
    Await.until("the stranger to run sleep", () -> Platform.current().describe(stranger.pid()).contains("sleep"), Duration.ofSeconds(10));
    Instant start = stranger.toHandle().info().startInstant().orElse(null);
    Node recorded = Nodes.recorded(clusterId, "n_0", stranger.pid(), start);

    assertThat(liveRoot(recorded)).isEmpty();

    StopReport report = stop(Duration.ofSeconds(1), null, recorded);

    assertThat(report.confirmed()).isTrue();
    assertThat(report.nodes().get(0).how()).isEqualTo(NodeStop.How.EXITED_BEFORE);
    assertThat(report.nodes().get(0).familySize()).isZero();
    assertThat(stranger.isAlive()).isTrue();
    assertThat(Procs.isAlive(stranger.pid())).isTrue();
  }

  @Test
  void aRecordedPidMarkedForAnotherClusterIsLeftAlive() throws Exception {
    String otherId = Procs.newClusterId();
    Process foreign = Procs.startMarked(otherId, "n_0", dir, "echo $$ > f.tmp && mv f.tmp f.pid; exec sleep 600");
    try {
      sleeping("f.pid");
      Node recorded =
          Nodes.recorded(clusterId, "n_0", foreign.pid(), null);

      assertThat(liveRoot(recorded)).isEmpty();
      StopReport report = stop(Duration.ofSeconds(1), null, recorded);

      assertThat(report.nodes().get(0).how()).isEqualTo(NodeStop.How.EXITED_BEFORE);
      assertThat(foreign.isAlive()).isTrue();
    } finally {
      Procs.killMarked(otherId);
    }
  }

  @Test
  void aRecordedPidThatStillCarriesItsMarkIsStopped() throws Exception {
    Process process = Procs.startMarked(clusterId, "n_0", dir, "echo $$ > n0.tmp && mv n0.tmp n0.pid; exec sleep 600");
    sleeping("n0.pid");
    Node recorded = Nodes.recorded(clusterId, "n_0", process.pid(), null);

    assertThat(liveRoot(recorded)).map(ProcessHandle::pid).contains(process.pid());
    StopReport report = stop(Duration.ofSeconds(10), null, recorded);

    assertThat(report.confirmed()).isTrue();
    assertThat(report.nodes().get(0).how()).isEqualTo(NodeStop.How.GRACEFUL);
    assertThat(report.nodes().get(0).exitCode()).isEmpty(); // not our child: no exit code
    assertThat(Procs.isGone(process.pid())).isTrue();
  }

  @Test
  void aNodeNeverLaunchedHasNothingToStop() {
    Node recorded = Nodes.recorded(clusterId, "n_0", 0, null);
    StopReport report = stop(Duration.ofSeconds(1), null, recorded);
    assertThat(report.confirmed()).isTrue();
    assertThat(report.nodes().get(0).how()).isEqualTo(NodeStop.How.EXITED_BEFORE);
    assertThat(report.nodes().get(0).describe()).contains("had already exited");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  @Test
  void aFamilyForkingFasterThanAnyScanInItsProcessGroupIsFrozenThenKilledAndNothingOfItSurvives()
      throws Exception {
    assumeTrue(Files.isExecutable(Paths.get(Procs.PYTHON3)), "needs " + Procs.PYTHON3 + " to reap the chain");
    // The node leads a process group of its own, as every node the plugin launches does; the chain
    // it started stays in that group, so the sweep stops it whole with one SIGSTOP.
    Process reaper =
        Procs.startMarkedUnderReaper(
            clusterId, "n_0", dir, List.of("/usr/bin/setsid", "/bin/sh", "-c", Procs.leapfrog(dir, false)));
    unmarked.add(reaper);
    long chain = Procs.awaitLeapfrog(dir);
    long root = started("n0.pid");
    assertThat(chain).isEqualTo(root);
    Node n0 = Nodes.recorded(clusterId, "n_0", root, null);

    // The chain runs and ignores SIGTERM: the node exits on it, and only the stop's SIGKILL to the
    // chain's group ends the chain, however long the stop timeout. (On a machine loaded enough for
    // every scan to miss the chain it is reported GRACEFUL, then killed by the last SIGKILL to the
    // node's process group; either way nothing of it may survive.)
    StopReport report = stop(Duration.ofMillis(500), null, n0);

    assertThat(report.confirmed()).isTrue();
    Await.until("no live process in the chain's group " + chain, () -> !Procs.groupAlive(chain), Duration.ofSeconds(10));
    assertThat(Procs.markedPids(clusterId)).isEmpty();
    // The reaper exits once nothing the node started is left, every chain member reaped.
    assertThat(reaper.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
  }
}
