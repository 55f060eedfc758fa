package io.github.clusterrun.cluster.family;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.StopOrder;
import io.github.clusterrun.cluster.platform.Containment;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.platform.ProcessSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Stops whole node families and confirms that they are gone: a graceful request (SIGTERM to every
 * member, or a line on the node's stdin), a wait of up to the cluster's {@code stopTimeout}, then
 * the forced stop, until none is left. A family is its root process, every descendant, every
 * process that carries the node's {@link FamilyMark} (daemons that detached and were re-parented to
 * init), and, where the platform contains families, every process of the node's group.
 *
 * <p>The forced stop freezes a family before it kills it, so that a family forking faster than any
 * scan cannot stay one generation ahead: a contained node's group is killed at once by the kernel
 * ({@code cgroup.kill}); the other families are swept with SIGSTOP (every member and its process
 * group, which the kernel signals atomically) until a scan finds none of them running — a stopped
 * process cannot fork — and only then killed. A family counts as gone after {@value
 * #CONFIRMING_SCANS} empty scans in a row once its containment group is empty; then every process
 * group its members were seen in (holding no one else) gets a last SIGKILL, which reaches a member
 * that forks faster than the scans too.
 */
public final class FamilyStopper {
  /** How long the forced kill may take before the survivors are reported. */
  static final Duration FORCE_TIMEOUT = Duration.ofSeconds(10);

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(40);
  /** How often a contained step's groups are read while it stops. */
  private static final long GROUP_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** How often each node's own group is read meanwhile, for its own stop time. */
  private static final long NODE_GROUP_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  /**
   * How long to wait for a root to exit before the next scan, while one is alive: short enough that
   * the scans skip the zombies the last one saw (see KnownZombies), so the one after the exit is
   * quick.
   */
  private static final long ROOT_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** The pause between confirming scans, in which a process caught in execve shows its mark again. */
  private static final long CONFIRM_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** Consecutive empty scans that confirm a family is gone. */
  static final int CONFIRMING_SCANS = 3;
  /** SIGSTOP rounds before the families are killed however many still run. */
  static final int MAX_SWEEPS = 50;
  private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

  /**
   * Told of each step's stops as soon as the step is over, before the next step begins: with
   * {@code sequential} or {@code reverse} order, each node's line is printed as it is stopped.
   */
  public interface StepListener {
    /** The step's nodes (one node, the cluster's own family, or every one), in order. */
    void stepDone(List<NodeStop> step);
  }

  private final Cluster cluster;
  private final Platform platform;
  private final ClusterLog log;
  private StepListener stepListener;
  /** Process groups that a node's family members were seen in, and that hold no one else. */
  private final Map<Node, Set<Long>> seenGroups = new HashMap<>();

  public FamilyStopper(Cluster cluster, Platform platform, ClusterLog log) {
    this.cluster = cluster;
    this.platform = platform;
    this.log = log;
  }

  /** What one scan saw of every node's family. */
  private static final class Scan {
    final Map<Node, Set<Long>> members = new LinkedHashMap<>();
    /** Members that were running (not stopped) when scanned. */
    final Set<Long> running = new LinkedHashSet<>();
    /** Process groups of members that hold only family members. */
    final Set<Long> groups = new LinkedHashSet<>();

    Set<Long> of(Node node) {
      return members.get(node);
    }

    int count() {
      int n = 0;
      for (Set<Long> family : members.values()) {
        n += family.size();
      }
      return n;
    }

    Set<Long> all() {
      Set<Long> all = new LinkedHashSet<>();
      members.values().forEach(all::addAll);
      return all;
    }
  }

  /**
   * Stops every node's family, and the cluster's own family (what {@code afterStart} commands left
   * running), in the cluster's {@link StopOrder}; returns once all are gone or the forced kill gave
   * up.
   */
  public StopReport stop() {
    return stop(true);
  }

  /** As {@link #stop()}, telling {@code listener} of each step as soon as it is over. */
  public StopReport stop(StepListener listener) {
    this.stepListener = listener;
    return stop(true);
  }

  private StopReport stop(boolean graceful) {
    if (!platform.readsEnvironments() && FALLBACK_LOGGED.compareAndSet(false, true)) {
      log.warn(
          "Process marks cannot be read on "
              + platform.describe()
              + ": node families are found by descent only, so a daemon that detached from its node"
              + " is not stopped.");
    }
    List<Node> nodes = cluster.nodes();
    String ownMark = FamilyMark.ofCluster(cluster.id());
    // A cluster rebuilt from the marks alone (damaged state) may hold that family as a node already.
    // A view of some nodes (the tests' actions on one node) leaves the cluster's own family alone.
    // A cluster without afterStart commands has no such family.
    boolean ownIsANode = false;
    for (Node n : nodes) {
      ownIsANode |= n.mark().equals(ownMark);
    }
    Node own = cluster.isView() || !cluster.mayHaveOwnFamily() || ownIsANode ? null : Node.found(nodes.size(), ownMark);
    List<Node> families = new ArrayList<>(nodes);
    if (own != null) {
      families.add(own);
    }
    List<NodeStop> stops = new ArrayList<>();
    List<String> survivors = new ArrayList<>();
    for (List<Node> step : steps(cluster.stopOrder(), nodes, own)) {
      int before = stops.size();
      stopTogether(families, step, stops, survivors, graceful);
      if (stepListener != null) {
        stepListener.stepDone(List.copyOf(stops.subList(before, stops.size())));
      }
    }
    return new StopReport(stops, survivors);
  }

  /**
   * Removes the (empty) containment groups of the nodes, and the cluster's group once it is empty;
   * call it once the stop is confirmed. The lifeline does the same when it is told {@code confirmed}.
   */
  public void removeGroups() {
    Optional<Containment> containment = containment();
    if (containment.isPresent()) {
      for (Node n : cluster.nodes()) {
        if (n.containmentGroup().isPresent()) {
          containment.get().remove(n.containmentGroup().get());
        }
      }
    }
  }

  /**
   * The one place that decides the order: which families are stopped together, step after step.
   * The cluster's own family ({@code own}: every process that carries a mark of this cluster that
   * is no node's, i.e. what the {@code afterStart} commands left; it has no root process) goes first
   * when the nodes go one by one, as those are clients of the cluster.
   */
  static List<List<Node>> steps(StopOrder order, List<Node> nodes, Node own) {
    List<List<Node>> steps = new ArrayList<>();
    if (order == StopOrder.PARALLEL) {
      List<Node> all = new ArrayList<>(nodes);
      if (own != null) {
        all.add(own);
      }
      steps.add(all);
      return steps;
    }
    List<Node> ordered = new ArrayList<>(nodes);
    if (order == StopOrder.REVERSE) {
      Collections.reverse(ordered);
    }
    if (own != null) {
      steps.add(List.of(own));
    }
    for (Node n : ordered) {
      steps.add(List.of(n));
    }
    return steps;
  }

  private boolean isClusterFamily(Node node) {
    return node.mark().equals(FamilyMark.ofCluster(cluster.id())) && cluster.node(node.name()).isEmpty();
  }

  /** Stops the families of {@code step} together: graceful, wait, forced, confirmed. */
  private void stopTogether(
      List<Node> families,
      List<Node> step,
      List<NodeStop> stops,
      List<String> survivors,
      boolean graceful) {
    long begin = System.nanoTime();
    Map<Node, Boolean> aliveAtStart = new HashMap<>();
    List<ProcessHandle> roots = new ArrayList<>();
    Set<Long> signalled = new LinkedHashSet<>();
    Set<Node> asked = new HashSet<>();
    // One pass over the roots, asked to stop as each is found alive (graceful), before a scan of the
    // whole process table: they are known already, and every root's signal is on the critical path.
    for (Node node : step) {
      Optional<ProcessHandle> root = liveRoot(node);
      aliveAtStart.put(node, root.isPresent());
      if (root.isPresent() && graceful) {
        askToStop(node, root.get(), signalled, asked);
      }
      // Only this JVM's children: the JDK learns of their exit at once, of others' by polling.
      if (root.isPresent() && process(node).isPresent()) {
        roots.add(root.get());
      }
    }
    // A step of contained nodes alone is read from its groups, without a scan of the process table:
    // the cluster's own family, which has no group, needs one to be found.
    Scan scan = containedNodesOnly(step) ? scanGroups(step) : scan(families, step);
    Map<Node, Integer> sizeAtStart = new HashMap<>();
    for (Node node : step) {
      int seen = scan.of(node).size();
      sizeAtStart.put(node, aliveAtStart.get(node) && !scan.of(node).contains(node.pid()) ? seen + 1 : seen);
    }

    boolean contained = contained(step, sizeAtStart);
    Map<Node, Long> goneAt = new HashMap<>();
    if (graceful) {
      askToStop(step, scan, signalled, asked);
      long deadline = begin + cluster.stopTimeout().toNanos();
      scan =
          contained
              ? waitUntilGroupsEmpty(step, goneAt, deadline, signalled, false)
              : waitUntilGone(families, step, scan, goneAt, deadline, signalled, roots, false);
    }

    Map<Node, Boolean> killed = new HashMap<>();
    if (!allGone(step, scan)) {
      long forceDeadline = System.nanoTime() + FORCE_TIMEOUT.toNanos();
      for (Node node : step) {
        killed.put(node, !gone(node, scan));
      }
      scan = freezeThenKill(families, step, scan);
      scan =
          contained
              ? waitUntilGroupsEmpty(step, goneAt, forceDeadline, signalled, true)
              : waitUntilGone(families, step, scan, goneAt, forceDeadline, signalled, List.of(), true);
    }

    for (Node node : step) {
      Set<Long> left = scan.of(node);
      boolean own = isClusterFamily(node);
      NodeStop.How how;
      if (!gone(node, scan)) {
        how = NodeStop.How.SURVIVED;
        for (long pid : left) {
          survivors.add(
              pid + " " + platform.describe(pid) + (own ? " (left by afterStart)" : " (node " + node.name() + ")"));
        }
        if (left.isEmpty()) {
          survivors.add("processes in " + node.containmentGroup().orElseThrow() + " (node " + node.name() + ")");
        }
      } else if (own && sizeAtStart.get(node) == 0) {
        continue; // nothing was left by afterStart commands: nothing to report
      } else if (!aliveAtStart.get(node) && !own) {
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
  }

  // --- Tests can break the cluster (issue 12): kill, pause and resume whole families. ---

  /**
   * Kills every node's family at once, with no graceful request: frozen first, then SIGKILL, until
   * the same proof as {@link #stop} confirms every process gone (the tests' {@code kill}).
   */
  public StopReport kill() {
    StopReport report = stop(false);
    if (report.confirmed()) {
      removeGroups();
    }
    return report;
  }

  /**
   * Pauses every node's family: SIGSTOP to every member and to every process group that holds only
   * the family, round after round until a scan finds none of them running (a stopped process cannot
   * fork, so the rounds end). A process stops only once the kernel schedules it, which on a busy
   * machine takes a while: the rounds go on for up to {@link #FORCE_TIMEOUT}, quick while members
   * come and go, then backing off. Returns the processes stopped.
   *
   * @throws ClusterException when the platform cannot send SIGSTOP, or when members still run at the
   *     deadline (named with their command lines; what was stopped stays stopped until resumed)
   */
  public int pause() throws ClusterException {
    List<Node> nodes = cluster.nodes();
    long begin = System.nanoTime();
    long deadline = begin + FORCE_TIMEOUT.toNanos();
    long pause = POLL_NANOS;
    Scan scan = scan(nodes, nodes);
    int lastCount = scan.count();
    while (!scan.running.isEmpty()) {
      if (System.nanoTime() - deadline > 0) {
        throw new ClusterException(
            "After "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)
                + " ms of SIGSTOP, "
                + describe(scan.running)
                + " still running",
            "see whether the machine is overloaded, or whether the process is in an uninterruptible"
                + " wait (state D in /proc/<pid>/stat), then resume the node or stop it",
            null);
      }
      if (!platform.signal(Platform.Signal.STOP, scan.running, scan.groups)) {
        throw new ClusterException("Processes cannot be paused on " + platform.describe());
      }
      LockSupport.parkNanos(pause);
      scan = scan(nodes, nodes);
      int count = scan.count();
      pause = count != lastCount ? POLL_NANOS : Math.min(pause * 2, MAX_POLL_NANOS);
      lastCount = count;
    }
    return scan.count();
  }

  private String describe(Set<Long> pids) {
    List<String> each = new ArrayList<>();
    for (long pid : pids) {
      each.add("pid " + pid + " (" + platform.describe(pid) + ")");
    }
    return String.join(", ", each);
  }

  /** Lets every node's family run again: SIGCONT to every member and its family's process groups. */
  public int resume() {
    List<Node> nodes = cluster.nodes();
    Scan scan = scan(nodes, nodes);
    if (!platform.signal(Platform.Signal.CONT, scan.all(), scan.groups)) {
      return -1;
    }
    return scan.count();
  }

  // --- end of issue 12's block

  private Optional<Containment> containment() {
    return platform.containment();
  }

  private Optional<ProcessHandle> liveRoot(Node node) {
    return NodeRoot.of(node, process(node), platform);
  }

  private Optional<Process> process(Node node) {
    Optional<Process> process = cluster.process(node.name());
    return process.isPresent() && process.get().pid() == node.pid() ? process : Optional.empty();
  }

  private Integer exitCode(Node node) {
    Optional<Process> process = process(node);
    if (process.isEmpty()) {
      return null;
    }
    try {
      if (process.get().waitFor(0, TimeUnit.SECONDS)) {
        return process.get().exitValue();
      }
      // The root is gone once its family is; the JDK's reaper may lag behind (tens of ms when dozens
      // of nodes exit at once): the kernel holds the code until the reaper has it.
      OptionalInt zombie = platform.exitCodeOfZombie(process.get().pid());
      if (zombie.isPresent()) {
        return zombie.getAsInt();
      }
      if (process.get().waitFor(1, TimeUnit.SECONDS)) {
        return process.get().exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  /** The graceful request to a live root: its {@code stopInput} line, else SIGTERM. */
  private void askToStop(Node node, ProcessHandle root, Set<Long> signalled, Set<Node> asked) {
    if (writeStopInput(node)) {
      asked.add(node);
    } else if (signalled.add(root.pid())) {
      root.destroy();
    }
  }

  /**
   * The graceful request to every member the scan found: nothing more for a node whose root got
   * its {@code stopInput} line, else SIGTERM to each member not yet signalled.
   */
  private void askToStop(List<Node> nodes, Scan scan, Set<Long> signalled, Set<Node> asked) {
    for (Node node : nodes) {
      Set<Long> family = scan.of(node);
      if (family.isEmpty() || asked.contains(node)) {
        continue;
      }
      if (writeStopInput(node)) {
        asked.add(node);
        continue;
      }
      for (long pid : family) {
        if (signalled.add(pid)) {
          platform.terminate(pid);
        }
      }
    }
  }

  /** Writes the cluster's {@code stopInput} line to the node's stdin, where it has one. */
  private boolean writeStopInput(Node node) {
    String stopInput = cluster.stopInput();
    if (stopInput == null || process(node).isEmpty() || liveRoot(node).isEmpty()) {
      return false;
    }
    if (writeLine(process(node).get(), stopInput)) {
      log.debug("Wrote '" + stopInput + "' to the stdin of " + node.name());
      return true;
    }
    log.debug(node.name() + " closed its stdin; sending SIGTERM instead");
    return false;
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
   * Freezes every family that is still alive, then kills it: contained nodes' groups at once, the
   * rest by SIGSTOP rounds until a scan finds none of their processes running (or the rounds run
   * out), then SIGKILL to every member and every process group they were seen in.
   */
  private Scan freezeThenKill(List<Node> families, List<Node> nodes, Scan scan) {
    killGroups(nodes);
    for (int round = 0; round < MAX_SWEEPS && !scan.running.isEmpty(); round++) {
      if (!platform.signal(Platform.Signal.STOP, scan.running, scan.groups)) {
        break; // the platform cannot stop processes: kill what the scans find
      }
      scan = scan(families, nodes);
    }
    kill(scan);
    return scan;
  }

  private void killGroups(List<Node> nodes) {
    containment().ifPresent(c -> nodes.forEach(n -> n.containmentGroup().ifPresent(c::kill)));
  }

  private void kill(Scan scan) {
    for (long pid : scan.all()) {
      platform.kill(pid);
    }
    if (!scan.groups.isEmpty()) {
      platform.signal(Platform.Signal.KILL, List.of(), scan.groups);
    }
  }

  /**
   * Polls the families of a step that is not contained (see {@link #waitUntilGroupsEmpty} for one
   * that is) until every one is gone in {@link #CONFIRMING_SCANS} scans in a row, or the deadline
   * passes with processes left. Members that appear after the first signal (a process
   * forked while its parent was stopping) get the same signal.
   */
  private Scan waitUntilGone(
      List<Node> families,
      List<Node> nodes,
      Scan scan,
      Map<Node, Long> goneAt,
      long deadline,
      Set<Long> signalled,
      List<ProcessHandle> roots,
      boolean force) {
    int emptyScans = 0;
    long pause = POLL_NANOS;
    int lastCount = scan.count();
    while (true) {
      long now = System.nanoTime();
      for (Node node : nodes) {
        if (gone(node, scan)) {
          goneAt.putIfAbsent(node, now);
        } else {
          goneAt.remove(node);
        }
      }
      // One empty scan is not proof: a process caught between fork and exec can hide from one.
      emptyScans = allGone(nodes, scan) ? emptyScans + 1 : 0;
      if (emptyScans >= CONFIRMING_SCANS) {
        // Last, SIGKILL to every process group the families were seen in, which holds no one else:
        // a process forking faster than the scans cannot hide from its group, which the kernel
        // signals atomically. (Its id cannot have been reused meanwhile: the kernel keeps a group's
        // id while any process of it, a zombie included, is left.)
        Set<Long> groups = new LinkedHashSet<>();
        nodes.forEach(n -> groups.addAll(seenGroups.getOrDefault(n, Set.of())));
        platform.signal(Platform.Signal.KILL, List.of(), groups);
        return scan;
      }
      if (emptyScans == 0 && now - deadline > 0) {
        return scan;
      }
      if (emptyScans > 0) {
        LockSupport.parkNanos(CONFIRM_NANOS);
      } else if (!awaitTheRoots(roots, Math.min(ROOT_WAIT_NANOS, Math.max(0, deadline - now)))) {
        LockSupport.parkNanos(pause);
      }
      scan = scan(families, nodes);
      // Quick while processes come and go, then every 40 ms: a scan reads the whole process table.
      int count = scan.count();
      pause = count != lastCount ? POLL_NANOS : Math.min(pause * 2, MAX_POLL_NANOS);
      lastCount = count;
      if (force) {
        killGroups(nodes);
        if (count > 0) {
          kill(scan);
        }
      } else if (!signalled.isEmpty()) {
        for (long pid : scan.all()) {
          if (signalled.add(pid)) {
            platform.terminate(pid);
          }
        }
      }
    }
  }

  /**
   * Waits until the containment groups of a contained step are empty, or the deadline passes with
   * processes left; {@code force}: kills the groups at every round. The kernel clears a group's
   * {@code populated} as its last process exits, before the JDK's reapers (which lag when dozens of
   * nodes exit at once) learn of it, and a read of it costs microseconds: the groups' common parent
   * (the cluster's group) is read every millisecond, each node's group every 20 ms (for its own
   * stop time), and the members listed every 100 ms for the signal of those that appeared since.
   * No process table is read.
   */
  private Scan waitUntilGroupsEmpty(
      List<Node> nodes, Map<Node, Long> goneAt, long deadline, Set<Long> signalled, boolean force) {
    Containment containment = containment().orElseThrow();
    List<Node> grouped = new ArrayList<>();
    Set<Path> parents = new HashSet<>();
    for (Node node : nodes) {
      node.containmentGroup().ifPresent(g -> {
        grouped.add(node);
        parents.add(g.getParent());
      });
    }
    // The cluster's group holds the node groups only: when this step is all of them, it alone says.
    Path parent = parents.size() == 1 && grouped.size() == cluster.nodes().size() ? parents.iterator().next() : null;
    long lastMembers = System.nanoTime();
    long lastNodes = System.nanoTime() - NODE_GROUP_POLL_NANOS;
    while (true) {
      long now = System.nanoTime();
      boolean allEmpty = parent != null && !containment.populated(parent);
      if (allEmpty || parent == null || now - lastNodes >= NODE_GROUP_POLL_NANOS) {
        lastNodes = now;
        for (Node node : nodes) {
          if (!goneAt.containsKey(node) && (allEmpty || groupEmpty(containment, node))) {
            goneAt.put(node, now);
          }
        }
      }
      if (nodes.stream().allMatch(goneAt::containsKey)) {
        return scanGroups(nodes); // populated 0 in every group: no process of any family is left
      }
      if (now - deadline > 0) {
        return scanGroups(nodes);
      }
      if (force) {
        killGroups(nodes);
      } else if (now - lastMembers > ROOT_WAIT_NANOS && !signalled.isEmpty()) {
        lastMembers = now;
        for (long pid : scanGroups(nodes).all()) {
          if (signalled.add(pid)) {
            platform.terminate(pid); // forked since the first signal
          }
        }
      }
      LockSupport.parkNanos(Math.min(GROUP_POLL_NANOS, Math.max(1, deadline - now)));
    }
  }

  private static boolean groupEmpty(Containment containment, Node node) {
    return node.containmentGroup().map(g -> !containment.populated(g)).orElse(true);
  }

  /**
   * While a root of the step is alive, waits until all of them have exited, or {@code nanos} pass:
   * the JDK learns of a child's exit from its reaper thread, so the scan that follows comes right
   * after the last exit rather than a poll period later, and not after each one. Returns false when
   * no root was alive (the caller polls instead).
   */
  private static boolean awaitTheRoots(List<ProcessHandle> roots, long nanos) {
    List<CompletableFuture<ProcessHandle>> alive = new ArrayList<>();
    for (ProcessHandle root : roots) {
      if (root.isAlive()) {
        alive.add(root.onExit());
      }
    }
    if (alive.isEmpty()) {
      return false;
    }
    try {
      CompletableFuture.allOf(alive.toArray(new CompletableFuture<?>[0])).get(nanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Time for a scan: members forked meanwhile get their SIGTERM too.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return true;
  }

  /** Whether the step is nodes only (not the cluster's own family), each in a group of its own. */
  private boolean containedNodesOnly(List<Node> step) {
    if (containment().isEmpty()) {
      return false;
    }
    for (Node n : step) {
      if (isClusterFamily(n) || n.containmentGroup().isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether every family of the step is contained: each node's in a group of its own, and the
   * cluster's own family (which has none) empty from the start, so that nothing can join it.
   */
  private boolean contained(List<Node> step, Map<Node, Integer> sizeAtStart) {
    if (containment().isEmpty()) {
      return false;
    }
    for (Node node : step) {
      boolean ok = isClusterFamily(node) ? sizeAtStart.get(node) == 0 : node.containmentGroup().isPresent();
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Every live member of the families of {@code nodes}: by mark, by descent and by containment
   * group. Every family of the cluster ({@code families}) is looked at, so that a process group is
   * taken as one family's only when no other family's process is in it.
   */
  private Scan scan(List<Node> families, List<Node> nodes) {
    ProcessSnapshot snapshot = platform.scan(FamilyMark.VARIABLE, FamilyMark.clusterPrefix(cluster.id()));
    Map<String, Set<Long>> byMark = new HashMap<>();
    for (ProcessSnapshot.Marked p : snapshot.marked()) {
      byMark.computeIfAbsent(p.mark(), m -> new LinkedHashSet<>()).add(p.pid());
    }
    Map<Node, Set<Long>> membersOf = new LinkedHashMap<>();
    Set<Long> all = new HashSet<>();
    for (Node node : families) {
      Set<Long> family = new LinkedHashSet<>();
      if (isClusterFamily(node)) {
        // Whatever carries the cluster's own mark: left by afterStart commands.
        family.addAll(byMark.getOrDefault(node.mark(), Set.of()));
        membersOf.put(node, family);
        all.addAll(family);
        continue;
      }
      Optional<ProcessHandle> root = liveRoot(node);
      if (root.isPresent()) {
        family.add(root.get().pid());
        family.addAll(snapshot.descendants(root.get()));
      }
      family.addAll(byMark.getOrDefault(node.mark(), Set.of()));
      Optional<Path> group = node.containmentGroup();
      if (group.isPresent() && containment().isPresent()) {
        family.addAll(containment().get().members(group.get()));
      }
      membersOf.put(node, family);
      all.addAll(family);
    }
    Scan scan = new Scan();
    for (Node node : nodes) {
      scan.members.put(node, membersOf.get(node));
    }
    for (Node node : nodes) {
      Set<Long> groups = seenGroups.computeIfAbsent(node, n -> new LinkedHashSet<>());
      for (long pid : scan.of(node)) {
        long group = snapshot.group(pid);
        // A process group is the family's only when no process in it is known to be someone else's.
        if (group > 1
            && snapshot.groupMembers(group).stream().noneMatch(m -> !all.contains(m) && snapshot.foreign(m))) {
          groups.add(group);
        }
      }
      // Whoever is in a group of the family is family, however fast it came and went from the scan.
      for (long group : groups) {
        scan.of(node).addAll(snapshot.groupMembers(group));
      }
      scan.groups.addAll(groups);
    }
    for (long pid : scan.all()) {
      if (!snapshot.stopped(pid)) {
        scan.running.add(pid);
      }
    }
    return scan;
  }

  /**
   * What the containment groups of a contained step hold, without reading the process table: a
   * process of a contained family cannot leave its group unless it moves itself to another cgroup
   * (which takes the rights of the group's owner and a deliberate write), so the group is the whole
   * family, daemons that detached included, and its {@code populated 0} is the kernel's proof that
   * none is left. The members are listed only for the signals; their states are not read, so a
   * forced stop kills the groups ({@code cgroup.kill}) rather than sweeping them.
   */
  private Scan scanGroups(List<Node> nodes) {
    Scan scan = new Scan();
    Containment containment = containment().orElseThrow();
    for (Node node : nodes) {
      Set<Long> family = new LinkedHashSet<>();
      node.containmentGroup().ifPresent(g -> family.addAll(containment.members(g)));
      scan.members.put(node, family);
    }
    return scan;
  }

  /** Whether nothing of the node's family is left: no member seen, and its group empty. */
  private boolean gone(Node node, Scan scan) {
    if (!scan.of(node).isEmpty()) {
      return false;
    }
    Optional<Path> group = node.containmentGroup();
    return group.isEmpty() || containment().isEmpty() || !containment().get().populated(group.get());
  }

  private boolean allGone(List<Node> nodes, Scan scan) {
    for (Node node : nodes) {
      if (!gone(node, scan)) {
        return false;
      }
    }
    return true;
  }
}
