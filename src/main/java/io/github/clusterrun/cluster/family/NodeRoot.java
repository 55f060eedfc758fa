package io.github.clusterrun.cluster.family;

import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.platform.Platform;
import java.time.Instant;
import java.util.Optional;

/** A node's root process, if it is alive and still the node's. */
public final class NodeRoot {
  private NodeRoot() {}

  /**
   * The live root process of {@code node}: its {@link Process} when this JVM launched it, else the
   * recorded pid, if that pid still belongs to the node. A pid reused by an unrelated process is
   * never returned: where environments can be read the process must carry the node's mark,
   * elsewhere its start time must match the recorded one.
   */
  public static Optional<ProcessHandle> of(Node node, Optional<Process> launched, Platform platform) {
    if (launched.isPresent()) {
      Process process = launched.get();
      // The JDK's own reaper may not have noticed yet a root that has just exited: ask /proc too.
      return process.isAlive() && process.pid() == node.pid() && platform.isAlive(node.pid())
          ? Optional.of(process.toHandle())
          : Optional.empty();
    }
    long pid = node.pid();
    if (pid <= 0 || !platform.isAlive(pid)) {
      return Optional.empty();
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty()) {
      return Optional.empty();
    }
    if (platform.readsEnvironments()) {
      return platform.environmentValue(pid, FamilyMark.VARIABLE).filter(node.mark()::equals).isPresent()
          ? handle
          : Optional.empty();
    }
    Optional<Instant> actual = platform.startInstant(pid);
    if (node.startInstant() == null || actual.isEmpty()) {
      return Optional.empty();
    }
    long drift = Math.abs(actual.get().toEpochMilli() - node.startInstant().toEpochMilli());
    return drift <= 10 ? handle : Optional.empty();
  }
}
