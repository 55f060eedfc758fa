package io.github.clusterrun.cluster.readiness;

/**
 * One readiness condition of one node, checked again and again until it holds. A check must be
 * quick: it runs on a small shared pool with every other node's probes.
 */
public interface Probe {
  /** Whether the condition holds now. */
  boolean check();

  /** What is checked, e.g. {@code http http://127.0.0.1:4000/health}. */
  String describe();

  /** Why the last check failed, e.g. {@code connection refused}; empty before the first check. */
  String lastFailure();
}
