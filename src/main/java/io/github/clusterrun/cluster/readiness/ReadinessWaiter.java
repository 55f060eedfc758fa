package io.github.clusterrun.cluster.readiness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Waits for every node to become ready, all at once: each node's probes are checked every 1 to
 * {@value #POLL_MS} ms (the more nodes boot, the longer) from the moment it is launched ({@link
 * #watch}), on a pool of {@value #THREADS}
 * threads however many nodes there are, and a node that exits is noticed the moment it does. The
 * first node that exits or runs out of time ends the wait. Each node has {@code timeout} from its
 * own launch.
 *
 * <p>The checks must not bother the node (a real server logs, forks or queues work for every
 * connection): a probe that held is not checked again for the node's life, and the probes the node
 * sees ({@link Probe#touchesNode}) are checked only once those it does not see (its log) hold. A
 * connection refused by a closed port is seen by nobody and is checked as often as above; an
 * {@link HttpProbe} backs off by itself once the port accepts.
 */
public final class ReadinessWaiter implements AutoCloseable {
  static final long POLL_MS = 5;
  /** The quickest a node is checked: one or a few nodes, cheap to check often. */
  static final long MIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** Each node still booting adds this to the period, up to {@link #POLL_MS}. */
  static final long POLL_NANOS_PER_NODE = TimeUnit.MICROSECONDS.toNanos(250);
  static final int THREADS = 2;
  /** How long {@link #close} lets a check in progress finish. */
  static final long CLOSE_WAIT_SECONDS = 3;

  /** What to wait for on one node. */
  public static final class Target {
    final String name;
    final Process process;
    final List<Probe> probes;
    final long launchedNanos;

    /** A node launched just now: its time counts from this call. */
    public Target(String name, Process process, List<Probe> probes) {
      this(name, process, probes, System.nanoTime());
    }

    /**
     * A node launched at {@code launchedNanos} ({@link System#nanoTime}, taken just before the
     * launch): its ready time and its timeout count from then, however late it is watched.
     */
    public Target(String name, Process process, List<Probe> probes, long launchedNanos) {
      this.name = name;
      this.process = process;
      this.probes = List.copyOf(probes);
      this.launchedNanos = launchedNanos;
    }
  }

  /** Told as each node becomes ready, with the time since its launch. */
  public interface Listener {
    void ready(String node, Duration took);
  }

  /** Why a node is not ready. */
  public static final class NotReadyException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String node;
    private final Integer exitCode;

    NotReadyException(String node, Integer exitCode, String message) {
      super(message);
      this.node = node;
      this.exitCode = exitCode;
    }

    public String node() {
      return node;
    }

    /** The exit code when the node exited, null when it ran out of time. */
    public Integer exitCode() {
      return exitCode;
    }
  }

  private static final class Watched {
    final Target target;
    final long deadline;
    final CompletableFuture<Void> ready = new CompletableFuture<>();

    /** The target's probes, those the node does not see first. */
    final List<Probe> probes;
    /** The indexes in {@link #probes} of those that held: not checked again. */
    final Set<Integer> held = ConcurrentHashMap.newKeySet();

    Watched(Target target, long deadline) {
      this.target = target;
      this.deadline = deadline;
      List<Probe> ordered = new ArrayList<>(target.probes);
      ordered.sort(Comparator.comparing(Probe::touchesNode)); // stable: false (unseen) first
      this.probes = List.copyOf(ordered);
    }

    /** Checks the probes that have not held yet, in order, until one does not hold. */
    boolean check() {
      for (int i = 0; i < probes.size(); i++) {
        if (held.contains(i)) {
          continue;
        }
        if (!probes.get(i).check()) {
          return false;
        }
        held.add(i);
      }
      return true;
    }
  }

  private final Duration timeout;
  private final Listener listener;
  private final ScheduledExecutorService pool =
      Executors.newScheduledThreadPool(THREADS, new Named());
  private final CompletableFuture<Void> failed = new CompletableFuture<>();
  private final List<Watched> watched = new ArrayList<>();

  public ReadinessWaiter(Duration timeout, Listener listener) {
    this.timeout = timeout;
    this.listener = listener;
  }

  /** Returns once every target is ready; a convenience for targets launched just before. */
  public static void await(List<Target> targets, Duration timeout, Listener listener)
      throws NotReadyException, InterruptedException {
    try (ReadinessWaiter waiter = new ReadinessWaiter(timeout, listener)) {
      for (Target target : targets) {
        waiter.watch(target);
      }
      waiter.await();
    }
  }

  /**
   * Starts watching a node: its time and its timeout count from its launch ({@link
   * Target#launchedNanos}), not from now. Between the launch and this call there can be enough
   * (recording the node, loading classes on the first call, other nodes' launches) for a fast node
   * to be ready already; timed from here, it would be "ready in 0 ms".
   */
  public synchronized void watch(Target target) {
    long begin = target.launchedNanos;
    Watched w = new Watched(target, begin + timeout.toNanos());
    watched.add(w);
    AtomicBoolean claimed = new AtomicBoolean();
    target.process.onExit().thenRun(
        () -> {
          if (!w.ready.isDone()) {
            failed.completeExceptionally(exited(target));
          }
        });
    AtomicBoolean prepared = new AtomicBoolean();
    Runnable check =
        () -> {
          if (w.ready.isDone() || failed.isDone()) {
            return;
          }
          if (prepared.compareAndSet(false, true)) {
            w.probes.forEach(Probe::prepare);
          }
          if (!w.check()) {
            return;
          }
          // Tell the listener before the wait can end, so the node's line comes first in the log.
          if (target.process.isAlive() && claimed.compareAndSet(false, true)) {
            listener.ready(target.name, Duration.ofNanos(System.nanoTime() - begin));
            w.ready.complete(null);
          }
        };
    Runnable[] again = new Runnable[1];
    again[0] =
        () -> {
          check.run();
          if (!w.ready.isDone() && !failed.isDone()) {
            try {
              pool.schedule(again[0], pollNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closed) {
              // The wait is over.
            }
          }
        };
    pool.execute(again[0]);
  }

  /**
   * The pause before a node's next check: 1 ms while one or a few nodes boot, growing with the
   * nodes not yet ready up to {@link #POLL_MS} ms, so that the checks (a connection each) do not
   * take the CPU from dozens of booting nodes.
   */
  private synchronized long pollNanos() {
    long waiting = watched.stream().filter(x -> !x.ready.isDone()).count();
    return Math.max(MIN_POLL_NANOS, Math.min(TimeUnit.MILLISECONDS.toNanos(POLL_MS), waiting * POLL_NANOS_PER_NODE));
  }

  /**
   * Returns once every watched node is ready.
   *
   * @throws NotReadyException for the first node that exited or was not ready within the timeout
   */
  public void await() throws NotReadyException, InterruptedException {
    while (true) {
      Watched next = null;
      synchronized (this) {
        for (Watched w : watched) {
          if (!w.ready.isDone() && (next == null || w.deadline - next.deadline < 0)) {
            next = w;
          }
        }
      }
      if (failed.isCompletedExceptionally()) {
        throw cause(failed);
      }
      if (next == null) {
        return;
      }
      long wait = next.deadline - System.nanoTime();
      if (wait <= 0) {
        throw notReadyInTime(next);
      }
      try {
        CompletableFuture.anyOf(next.ready, failed).get(wait, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // The loop finds the node whose time is up.
      } catch (ExecutionException e) {
        throw cause(failed);
      }
    }
  }

  /**
   * Ends the wait: no check runs after it, and a check in progress is let finish (they are quick,
   * and an {@code https} one ends within its own timeout) before every probe is closed, so that no
   * connection of a check is left open.
   */
  @Override
  public void close() {
    failed.complete(null);
    pool.shutdownNow();
    try {
      pool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Watched> all;
    synchronized (this) {
      all = new ArrayList<>(watched);
    }
    for (Watched w : all) {
      for (Probe probe : w.probes) {
        probe.close();
      }
    }
  }

  private static NotReadyException cause(CompletableFuture<Void> failed) {
    try {
      failed.getNow(null);
    } catch (CompletionException e) {
      if (e.getCause() instanceof NotReadyException) {
        return (NotReadyException) e.getCause();
      }
      throw new IllegalStateException(e.getCause());
    }
    throw new IllegalStateException("no failure");
  }

  private static NotReadyException exited(Target target) {
    int code = target.process.exitValue();
    return new NotReadyException(
        target.name,
        code,
        "node " + target.name + " exited with exit code " + code + " before it was ready");
  }

  /**
   * What did not hold, from what the checks saw: nothing is checked again here. The probes after the
   * first that did not hold were never checked (each waits for those before it, so that a node is
   * not touched before its log says so), and are named as such.
   */
  private NotReadyException notReadyInTime(Watched w) {
    Target target = w.target;
    StringBuilder why = new StringBuilder();
    boolean reached = false;
    for (int i = 0; i < w.probes.size(); i++) {
      if (w.held.contains(i)) {
        continue;
      }
      Probe probe = w.probes.get(i);
      why.append(why.length() == 0 ? "" : "; ").append(probe.describe());
      if (reached) {
        why.append(" was not checked (it waits for the check before it)");
      } else {
        reached = true;
        String failure = probe.lastFailure();
        why.append(" did not hold (").append(failure.isEmpty() ? "not checked yet" : failure).append(')');
      }
    }
    return new NotReadyException(
        target.name,
        null,
        "node "
            + target.name
            + " was not ready within "
            + timeout.getSeconds()
            + " s (<waitFor><timeout>): "
            + why);
  }

  private static final class Named implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "cluster-readiness-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}
