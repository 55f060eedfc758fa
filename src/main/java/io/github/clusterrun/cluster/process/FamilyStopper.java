package io.github.clusterrun.cluster.process;

import io.github.clusterrun.cluster.ClusterLog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops whole node families and confirms that they are gone: a graceful request (SIGTERM to every
 * member, or a line on the node's stdin), a wait of up to {@code stopTimeout}, then SIGKILL to every
 * member until none is left. A family is its root process, every descendant, and every process that
 * carries the node's {@link FamilyMark} (daemons that detached and were re-parented to init).
 */
public final class FamilyStopper {
  /** How long the forced kill may take before the survivors are reported. */
  static final Duration FORCE_TIMEOUT = Duration.ofSeconds(10);

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(40);
  /** Consecutive empty scans that confirm a family is gone. */
  static final int CONFIRMING_SCANS = 3;
  private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

  private final String clusterId;
  private final Duration stopTimeout;
  private final String stopInput;
  private final ClusterLog log;

  /**
   * @param clusterId the cluster whose marks are searched
   * @param stopTimeout how long the graceful stop may take before the families are killed
   * @param stopInput a line to write to each node's stdin instead of SIGTERM, or null
   */
  public FamilyStopper(String clusterId, Duration stopTimeout, String stopInput, ClusterLog log) {
    this.clusterId = clusterId;
    this.stopTimeout = stopTimeout;
    this.stopInput = stopInput;
    this.log = log;
  }

  /** Stops every node's family; returns once all are gone or the forced kill gave up. */
  public StopReport stop(List<NodeProcess> nodes) {
    if (!ProcessTable.marksReadable() && FALLBACK_LOGGED.compareAndSet(false, true)) {
      log.warn(
          "Process marks cannot be read on "
              + System.getProperty("os.name")
              + ": node families are found by descent only, so a daemon that detached from its node"
              + " is not stopped.");
    }
    long begin = System.nanoTime();
    Map<NodeProcess, Set<Long>> families = families(nodes);
    Map<NodeProcess, Boolean> aliveAtStart = new HashMap<>();
    Map<NodeProcess, Integer> sizeAtStart = new HashMap<>();
    for (NodeProcess node : nodes) {
      aliveAtStart.put(node, node.liveRoot().isPresent());
      sizeAtStart.put(node, families.get(node).size());
    }

    Set<Long> signalled = new LinkedHashSet<>();
    askToStop(nodes, families, signalled);
    Map<NodeProcess, Long> goneAt = new HashMap<>();
    long deadline = begin + stopTimeout.toNanos();
    families = waitUntilGone(nodes, families, goneAt, deadline, signalled, false);

    Map<NodeProcess, Boolean> killed = new HashMap<>();
    if (!allEmpty(families)) {
      long forceDeadline = System.nanoTime() + FORCE_TIMEOUT.toNanos();
      for (NodeProcess node : nodes) {
        killed.put(node, !families.get(node).isEmpty());
      }
      killAll(families);
      families = waitUntilGone(nodes, families, goneAt, forceDeadline, signalled, true);
    }

    List<NodeStop> stops = new ArrayList<>();
    List<String> survivors = new ArrayList<>();
    for (NodeProcess node : nodes) {
      Set<Long> left = families.get(node);
      NodeStop.How how;
      if (!left.isEmpty()) {
        how = NodeStop.How.SURVIVED;
        for (long pid : left) {
          survivors.add(pid + " " + ProcessTable.describe(pid) + " (node " + node.name() + ")");
        }
      } else if (!aliveAtStart.get(node)) {
        how = NodeStop.How.EXITED_BEFORE;
      } else if (killed.getOrDefault(node, false)) {
        how = NodeStop.How.KILLED;
      } else {
        how = NodeStop.How.GRACEFUL;
      }
      long end = goneAt.getOrDefault(node, System.nanoTime());
      stops.add(
          new NodeStop(
              node.name(),
              node.pid(),
              how,
              exitCode(node),
              Duration.ofNanos(end - begin),
              sizeAtStart.get(node)));
    }
    return new StopReport(stops, survivors);
  }

  private static Integer exitCode(NodeProcess node) {
    Optional<Process> process = node.process();
    if (process.isEmpty()) {
      return null;
    }
    try {
      // The root is gone once its family is; the JDK's reaper may lag a moment behind.
      if (process.get().waitFor(1, TimeUnit.SECONDS)) {
        return process.get().exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  private void askToStop(
      List<NodeProcess> nodes, Map<NodeProcess, Set<Long>> families, Set<Long> signalled) {
    for (NodeProcess node : nodes) {
      Set<Long> family = families.get(node);
      if (family.isEmpty()) {
        continue;
      }
      if (stopInput != null && node.process().isPresent() && node.liveRoot().isPresent()) {
        if (writeLine(node.process().get(), stopInput)) {
          log.debug("Wrote '" + stopInput + "' to the stdin of " + node.name());
          continue;
        }
        log.debug(node.name() + " closed its stdin; sending SIGTERM instead");
      }
      for (long pid : family) {
        terminate(pid);
        signalled.add(pid);
      }
    }
  }

  private static boolean writeLine(Process process, String line) {
    try {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Polls the families until every one is empty in {@link #CONFIRMING_SCANS} scans in a row, or
   * the deadline passes with processes left. Members that appear after
   * the first signal (a process forked while its parent was stopping) get the same signal.
   */
  private Map<NodeProcess, Set<Long>> waitUntilGone(
      List<NodeProcess> nodes,
      Map<NodeProcess, Set<Long>> families,
      Map<NodeProcess, Long> goneAt,
      long deadline,
      Set<Long> signalled,
      boolean force) {
    int emptyScans = 0;
    long pause = POLL_NANOS;
    int lastCount = count(families);
    while (true) {
      long now = System.nanoTime();
      for (NodeProcess node : nodes) {
        if (families.get(node).isEmpty()) {
          goneAt.putIfAbsent(node, now);
        } else {
          goneAt.remove(node);
        }
      }
      // One empty scan is not proof: a process caught between fork and exec can hide from one.
      emptyScans = allEmpty(families) ? emptyScans + 1 : 0;
      if (emptyScans >= CONFIRMING_SCANS || (emptyScans == 0 && now - deadline > 0)) {
        return families;
      }
      LockSupport.parkNanos(pause);
      families = families(nodes);
      // Quick while processes come and go, then every 40 ms: a scan reads the whole process table.
      int count = count(families);
      pause = count != lastCount ? POLL_NANOS : Math.min(pause * 2, MAX_POLL_NANOS);
      lastCount = count;
      for (Set<Long> family : families.values()) {
        for (long pid : family) {
          if (force) {
            kill(pid);
          } else if (!signalled.isEmpty() && signalled.add(pid)) {
            terminate(pid);
          }
        }
      }
    }
  }

  private void killAll(Map<NodeProcess, Set<Long>> families) {
    for (Set<Long> family : families.values()) {
      for (long pid : family) {
        kill(pid);
      }
    }
  }

  /** Every live member of every node's family, by mark and by descent. */
  private Map<NodeProcess, Set<Long>> families(List<NodeProcess> nodes) {
    ProcessTable.Snapshot snapshot = ProcessTable.scan(FamilyMark.clusterPrefix(clusterId));
    Map<String, Set<Long>> byMark = new HashMap<>();
    for (ProcessTable.MarkedProcess p : snapshot.marked()) {
      byMark.computeIfAbsent(p.mark(), m -> new LinkedHashSet<>()).add(p.pid());
    }
    Map<NodeProcess, Set<Long>> families = new LinkedHashMap<>();
    for (NodeProcess node : nodes) {
      Set<Long> family = new LinkedHashSet<>();
      Optional<ProcessHandle> root = node.liveRoot();
      if (root.isPresent()) {
        family.add(root.get().pid());
        family.addAll(snapshot.descendants(root.get()));
      }
      family.addAll(byMark.getOrDefault(node.mark(), Set.of()));
      families.put(node, family);
    }
    return families;
  }

  private static int count(Map<NodeProcess, Set<Long>> families) {
    int n = 0;
    for (Set<Long> family : families.values()) {
      n += family.size();
    }
    return n;
  }

  private static boolean allEmpty(Map<NodeProcess, Set<Long>> families) {
    for (Set<Long> family : families.values()) {
      if (!family.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private static void terminate(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
  }

  private static void kill(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }
}
