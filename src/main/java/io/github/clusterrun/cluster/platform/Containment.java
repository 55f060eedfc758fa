package io.github.clusterrun.cluster.platform;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Kernel-enforced containment of node families: every process a node starts stays in the node's
 * group whatever it does (detach, double fork, fork faster than any scan), and the whole group is
 * killed at once. On Linux a cgroup v2 per node ({@code cgroup.kill}, {@code cgroup.events}), where
 * the user may create one (root, or a delegated subtree as systemd gives each user session).
 */
public interface Containment {
  /** For messages: "cgroup v2 under /sys/fs/cgroup/…". */
  String describe();

  /**
   * Creates the group of a node of a cluster (and the cluster's group the first time); empty when
   * the kernel refuses (no permission): the node then runs uncontained.
   */
  Optional<Path> create(String clusterId, String node);

  /** {@code command}, made to enter {@code group} before it executes. */
  List<String> enter(Path group, List<String> command);

  /** The processes in the group, sub-groups included. */
  Set<Long> members(Path group);

  /** Whether any process is left in the group or its sub-groups: the kernel's own proof. */
  boolean populated(Path group);

  /** SIGKILL to every process of the group at once, including those forking meanwhile. */
  void kill(Path group);

  /** Removes an empty node group, and its cluster's group once that is empty too; best effort. */
  void remove(Path group);
}
