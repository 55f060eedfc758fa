package io.github.clusterrun.cluster.readiness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Waits for every node to become ready, all at once: each node's probes are checked every {@value
 * #POLL_MS} ms on a pool of {@value #THREADS} threads (however many nodes), and a node that exits is
 * noticed the moment it does. The first node that exits or runs out of time ends the wait.
 */
public final class ReadinessWaiter {
  static final long POLL_MS = 10;
  static final int THREADS = 2;

  /** What to wait for on one node. */
  public static final class Target {
    final String name;
    final Process process;
    final List<Probe> probes;

    public Target(String name, Process process, List<Probe> probes) {
      this.name = name;
      this.process = process;
      this.probes = List.copyOf(probes);
    }
  }

  /** Told as each node becomes ready. */
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

  private ReadinessWaiter() {}

  /**
   * Returns once every target is ready.
   *
   * @throws NotReadyException for the first node that exited or was not ready within {@code
   *     timeout}
   */
  public static void await(List<Target> targets, Duration timeout, Listener listener)
      throws NotReadyException, InterruptedException {
    long begin = System.nanoTime();
    ScheduledExecutorService pool =
        Executors.newScheduledThreadPool(Math.min(THREADS, Math.max(1, targets.size())), new Named());
    CompletableFuture<Void> failed = new CompletableFuture<>();
    List<CompletableFuture<Void>> readies = new ArrayList<>();
    try {
      for (Target target : targets) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        AtomicBoolean claimed = new AtomicBoolean();
        readies.add(ready);
        target.process.onExit().thenRun(
            () -> {
              if (!ready.isDone()) {
                failed.completeExceptionally(exited(target));
              }
            });
        Runnable check =
            () -> {
              if (ready.isDone() || failed.isDone()) {
                return;
              }
              for (Probe probe : target.probes) {
                if (!probe.check()) {
                  return;
                }
              }
              // Tell the listener before the wait can end, so the node's line comes first in the log.
              if (target.process.isAlive() && claimed.compareAndSet(false, true)) {
                listener.ready(target.name, Duration.ofNanos(System.nanoTime() - begin));
                ready.complete(null);
              }
            };
        ScheduledFuture<?> task = pool.scheduleWithFixedDelay(check, 0, POLL_MS, TimeUnit.MILLISECONDS);
        ready.whenComplete((v, e) -> task.cancel(false));
        failed.whenComplete((v, e) -> task.cancel(false));
      }
      CompletableFuture<Void> all = CompletableFuture.allOf(readies.toArray(new CompletableFuture[0]));
      try {
        CompletableFuture.anyOf(all, failed).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        for (int i = 0; i < targets.size(); i++) {
          if (!readies.get(i).isDone()) {
            throw notReadyInTime(targets.get(i), timeout);
          }
        }
      } catch (ExecutionException e) {
        if (e.getCause() instanceof NotReadyException) {
          throw (NotReadyException) e.getCause();
        }
        throw new IllegalStateException(e.getCause());
      }
    } finally {
      failed.complete(null);
      pool.shutdownNow();
    }
  }

  private static NotReadyException exited(Target target) {
    int code = target.process.exitValue();
    return new NotReadyException(
        target.name,
        code,
        "node " + target.name + " exited with exit code " + code + " before it was ready");
  }

  private static NotReadyException notReadyInTime(Target target, Duration timeout) {
    StringBuilder why = new StringBuilder();
    for (Probe probe : target.probes) {
      if (!probe.check()) {
        why.append(why.length() == 0 ? "" : "; ")
            .append(probe.describe())
            .append(" did not hold (")
            .append(probe.lastFailure())
            .append(')');
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
