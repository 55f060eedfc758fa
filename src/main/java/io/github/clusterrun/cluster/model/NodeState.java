package io.github.clusterrun.cluster.model;

/** Where a node is in its life, as the plugin knows it. */
public enum NodeState {
  /** Named in the state before its launch: its mark is searched for, it has no pid yet. */
  PLANNED,
  /** Launched; its root process was alive when last seen. */
  RUNNING,
  /** Its root process exited without being asked to (its family may live on). */
  EXITED,
  /** A stop confirmed that every process of its family is gone. */
  STOPPED,

  // --- Tests can break the cluster (issue 12): states the tests' control actions give a node. ---

  /** The tests paused it: every process of its family is stopped (SIGSTOP) until they resume it. */
  PAUSED,
  /**
   * The tests stopped or killed it, and every process of its family is confirmed gone: it did not
   * exit on its own, and it stays down until the tests start it again.
   */
  STOPPED_BY_TESTS
}
