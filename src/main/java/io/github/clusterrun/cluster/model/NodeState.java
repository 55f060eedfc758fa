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
  STOPPED
}
