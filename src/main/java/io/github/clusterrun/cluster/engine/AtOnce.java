package io.github.clusterrun.cluster.engine;

import io.github.clusterrun.cluster.ClusterException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One task per key (a host, a place), all at once, waited for together: how the hosts of a cluster
 * are reached, stopped and cleaned without one slow host holding up the others. What a task needs
 * of a cluster is read before the tasks start: their caller may hold the cluster's lock, which the
 * tasks' threads could not take.
 */
public final class AtOnce {
  /** A task of one key; it may fail with a {@link ClusterException} that names what failed. */
  public interface Task<K, T> {
    T run(K key) throws ClusterException;
  }

  /** What the tasks gave, by key in the order given; and what failed, by key. */
  public static final class Outcome<K, T> {
    private final Map<K, T> results = new LinkedHashMap<>();
    private final Map<K, ClusterException> failures = new LinkedHashMap<>();

    public Map<K, T> results() {
      return results;
    }

    public Map<K, ClusterException> failures() {
      return failures;
    }

    /** The first failure, the others suppressed in it; none when every task succeeded. */
    public void throwFirst() throws ClusterException {
      ClusterException first = null;
      for (ClusterException e : failures.values()) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }

  private AtOnce() {}

  /**
   * A thread of its own per task: they wait on hosts, not on the CPU, and the common pool would run
   * as few at once as the machine has cores.
   */
  private static void thread(Runnable task) {
    Thread thread = new Thread(task, "cluster-at-once");
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs {@code task} for every key at once; returns when every one has ended. */
  public static <K, T> Outcome<K, T> run(Iterable<K> keys, Task<K, T> task) {
    Map<K, CompletableFuture<T>> running = new LinkedHashMap<>();
    for (K key : keys) {
      running.put(key, CompletableFuture.supplyAsync(() -> {
        try {
          return task.run(key);
        } catch (ClusterException e) {
          throw new CompletionException(e);
        }
      }, AtOnce::thread));
    }
    Outcome<K, T> outcome = new Outcome<>();
    running.forEach((key, future) -> {
      try {
        outcome.results.put(key, future.join());
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        outcome.failures.put(
            key,
            cause instanceof ClusterException
                ? (ClusterException) cause
                : new ClusterException(key + ": " + cause, cause));
      }
    });
    return outcome;
  }
}
