package io.github.clusterrun.cluster.stop;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.cleanup.CleanupDecision;
import io.github.clusterrun.cluster.config.CleanupPolicy;
import io.github.clusterrun.cluster.cleanup.SafeDelete;
import io.github.clusterrun.cluster.config.StopConfig;
import io.github.clusterrun.cluster.evidence.CrashArtefacts;
import io.github.clusterrun.cluster.evidence.LogTail;
import io.github.clusterrun.cluster.family.FamilyStopper;
import io.github.clusterrun.cluster.family.NodeStop;
import io.github.clusterrun.cluster.family.StopReport;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.StateException;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.outcome.FailsafeSummaries;
import io.github.clusterrun.cluster.outcome.TestOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code stop} goal's work: stop every node family and confirm the kill; only then read the
 * Failsafe results and delete or keep the directories, saying which and why in one line. It never
 * fails for test failures ({@code failsafe:verify} does); it fails when a process survives.
 */
public final class ClusterStopper {
  private static final int SHUTDOWN_PROBLEM_LINES = 5;

  private final StopConfig config;
  private final ConfirmedStop confirmedStop;
  private final ClusterLog log;

  public ClusterStopper(StopConfig config, ConfirmedStop confirmedStop, ClusterLog log) {
    this.config = config;
    this.confirmedStop = confirmedStop;
    this.log = log;
  }

  /** What {@link #stop} decided, for callers and tests. */
  public enum Result {
    NOTHING_RECORDED,
    ALREADY_STOPPED,
    DELETED,
    KEPT
  }

  public Result stop() throws ClusterException {
    Path dir = config.clusterDirectory();
    Optional<Cluster> found = confirmedStop.find(dir);
    if (found.isEmpty()) {
      log.info("No cluster is recorded in " + config.displayDirectory() + ": nothing to stop.");
      return Result.NOTHING_RECORDED;
    }
    Cluster cluster = found.get();
    if (cluster.stopped()) {
      log.info("The cluster in " + config.displayDirectory() + " is already stopped.");
      return Result.ALREADY_STOPPED;
    }
    // The evidence is what the logs held when the stop began, not what the nodes print while stopping.
    Map<String, LogTail.Mark> logMarks = new HashMap<>();
    for (Node node : cluster.nodes()) {
      logMarks.put(node.name(), LogTail.mark(cluster.layout().consoleLog(node.name())));
    }
    // Issue 12: what the tests did, taken before the stop records every node as stopped.
    TestsDid testsDid = TestsDid.of(cluster);
    // Each node's line as soon as its step is over: with sequential or reverse order, node by node.
    StopReport report = confirmedStop.stop(cluster, log, false, new PrintEachStep(testsDid, log));
    if (!report.confirmed()) {
      log.warn("Kept " + config.displayDirectory() + ": the kill is not confirmed.");
      throw ConfirmedStop.survivors(dir, report);
    }

    TestOutcome outcome =
        withNodeExits(FailsafeSummaries.read(config.summaryFiles(), cluster.started()), report, testsDid);
    if (!outcome.passed()) {
      showLogTails(cluster, logMarks);
    }
    // Crash artefacts matter only where they would keep what a pass deletes: onSuccess, passed.
    String artefact =
        outcome.passed() && !config.skipCleanup() && config.cleanup() == CleanupPolicy.ON_SUCCESS
            ? CrashArtefacts.find(dir, config.keepWhen()).orElse(null)
            : null;
    CleanupDecision decision =
        CleanupDecision.decide(outcome, config.skipCleanup(), config.cleanup(), artefact);
    // Nodes on other hosts (0.3): their directories there are deleted, or kept with their logs
    // copied back here, by the same decision; then the hosts' connections end.
    String remote = confirmedStop.remoteDirectories(cluster, decision.delete(), log);
    if (decision.delete()) {
      try {
        SafeDelete.deleteTree(dir);
      } catch (IOException e) {
        if (Files.isDirectory(dir)) {
          cluster.write(); // what is left says that its nodes are stopped
        }
        throw new ClusterException(
            "Every node is stopped, but " + dir + " could not be deleted: " + e, e);
      }
      log.info(
          "Deleted " + config.displayDirectory() + (remote.isEmpty() ? "" : " and " + remote) + ": "
              + decision.reason() + testsDid.suffix());
      return Result.DELETED;
    }
    cluster.write(); // what is kept says that its nodes are stopped
    log.info(
        "Kept "
            + config.displayDirectory()
            + (remote.isEmpty() ? "" : " and " + remote)
            + ": "
            + decision.reason()
            + testsDid.suffix()
            + "; node logs in "
            + config.displayDirectory()
            + "/"
            + ClusterLayout.logsPattern()
            + (remote.isEmpty() ? "" : " (copied back from the hosts)"));
    return Result.KEPT;
  }

  /**
   * The evidence, when the tests did not pass: the last lines of every node's console log before
   * the stop, then the few lines it printed while it stopped that look like warnings or errors.
   */
  private void showLogTails(Cluster cluster, Map<String, LogTail.Mark> marks) {
    if (config.logTail() <= 0) {
      return;
    }
    List<String> silent = new ArrayList<>();
    for (Node node : cluster.nodes()) {
      Path console = cluster.layout().consoleLog(node.name());
      LogTail.Mark mark = marks.getOrDefault(node.name(), LogTail.mark(console));
      String tail = mark.tail(config.logTail());
      String problems = mark.problemsSince(SHUTDOWN_PROBLEM_LINES);
      if (LogTail.isEmpty(tail) && problems.isEmpty()) {
        silent.add(node.name()); // one line for all of them: a cluster of quiet nodes is common
        continue;
      }
      log.info(
          "Last " + config.logTail() + " lines of " + cluster.directory().relativize(console) + " before the stop:");
      for (String line : tail.split("\n")) {
        log.info(line);
      }
      if (!problems.isEmpty()) {
        log.info("Lines of " + node.name() + " that look like warnings or errors, printed while it stopped:");
        for (String line : problems.split("\n")) {
          log.info(line);
        }
      }
    }
    if (!silent.isEmpty()) {
      log.info(
          "Nothing in the console log"
              + (silent.size() == 1 ? " of " : "s of ")
              + String.join(", ", silent)
              + " before the stop ("
              + ClusterLayout.consoleLogPattern()
              + ")");
    }
  }


  /** Prints the line of every node of a step of the stop as soon as the step is over. */
  private static final class PrintEachStep implements FamilyStopper.StepListener {
    private final TestsDid testsDid;
    private final ClusterLog log;

    PrintEachStep(TestsDid testsDid, ClusterLog log) {
      this.testsDid = testsDid;
      this.log = log;
    }

    @Override
    public void stepDone(List<NodeStop> step) {
      for (NodeStop node : step) {
        log.info("  " + testsDid.describe(node));
      }
    }
  }

  /** A node that exited on its own before the stop means the tests cannot be trusted to have passed. */
  private static TestOutcome withNodeExits(TestOutcome outcome, StopReport report, TestsDid testsDid) {
    StringBuilder exited = new StringBuilder();
    for (NodeStop node : report.nodes()) {
      if (testsDid.exitedOnItsOwn(node)) {
        exited.append(exited.length() == 0 ? "" : ", ").append(node.name());
        if (node.how() == NodeStop.How.EXITED_BEFORE) { // else the code is of the process the tests started
          node.exitCode().ifPresent(code -> exited.append(" (exit code ").append(code).append(')'));
        }
      }
    }
    if (exited.length() == 0) {
      return outcome;
    }
    String why = "node " + exited + " had exited on its own before stop";
    return TestOutcome.notProven(outcome.passed() ? why : outcome.reason() + "; " + why);
  }

  /** The {@code clean} goal's work: stop what a recorded cluster left running, then delete it all. */
  public void clean() throws ClusterException {
    Path dir = config.clusterDirectory();
    Optional<Cluster> recorded;
    try {
      recorded = confirmedStop.find(dir);
    } catch (StateException e) {
      recorded = Optional.empty(); // the reap below says so, and stops by marks
    }
    confirmedStop.reapEvenIfDamaged(dir, log);
    if (recorded.isPresent()) {
      String remote = confirmedStop.remoteDirectories(recorded.get(), true, log);
      if (!remote.isEmpty()) {
        log.info("Deleted " + remote + ".");
      }
    }
    try {
      SafeDelete.deleteTree(dir);
    } catch (IOException e) {
      throw new ClusterException("Cannot delete " + dir + ": " + e, e);
    }
    log.info("Deleted " + config.displayDirectory() + ".");
  }
}
