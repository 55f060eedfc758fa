package io.github.clusterrun.cluster.readiness;

/**
 * One readiness condition of one node, checked again and again until it holds. A check must be
 * quick: it runs on a small shared pool with every other node's probes. A probe that held is not
 * checked again for that node's life ({@link ReadinessWaiter}): a node started again has new probes.
 */
public interface Probe {
  /** Whether the condition holds now. */
  boolean check();

  /** What is checked, e.g. {@code http http://127.0.0.1:4000/health}. */
  String describe();

  /** Why the last check failed, e.g. {@code connection refused}; empty before the first check. */
  String lastFailure();

  /**
   * Whether a check is seen by the node (a connection, a request): such probes are checked only once
   * those the node does not see (its log) hold, so that a node is touched no more than it must be.
   */
  default boolean touchesNode() {
    return true;
  }

  /** Run once, on the checking pool, before the first check: loads what the checks will need. */
  default void prepare() {}

  /** The wait is over: releases what a check in progress holds (an open connection). */
  default void close() {}
}
