package io.github.clusterrun.cluster.family;

import java.time.Duration;
import java.util.Optional;

/** How one node was stopped. */
public final class NodeStop {
  /** How the node's root process ended. */
  public enum How {
    /** It had exited before the stop began (on its own, or in an earlier stop). */
    EXITED_BEFORE,
    /** It ended after the graceful request (signal or stdin line). */
    GRACEFUL,
    /** It had to be killed after {@code stopTimeout}. */
    KILLED,
    /** Some of its processes are still alive after the forced kill. */
    SURVIVED
  }

  private final String name;
  private final long pid;
  private final How how;
  private final Integer exitCode;
  private final Duration took;
  private final int familySize;

  /** How node {@code name} (root {@code pid}) stopped; {@code exitCode} null where unknown. */
  public static NodeStop of(String name, long pid, How how, Integer exitCode, Duration took, int familySize) {
    return new NodeStop(name, pid, how, exitCode, took, familySize);
  }

  NodeStop(String name, long pid, How how, Integer exitCode, Duration took, int familySize) {
    this.name = name;
    this.pid = pid;
    this.how = how;
    this.exitCode = exitCode;
    this.took = took;
    this.familySize = familySize;
  }

  public String name() {
    return name;
  }

  public long pid() {
    return pid;
  }

  public How how() {
    return how;
  }

  public Optional<Integer> exitCode() {
    return Optional.ofNullable(exitCode);
  }

  public Duration took() {
    return took;
  }

  /** How many processes of the family were seen alive when the stop began. */
  public int familySize() {
    return familySize;
  }

  /** One line for the build log. */
  public String describe() {
    StringBuilder sb =
        FamilyMark.CLUSTER_FAMILY.equals(name)
            ? new StringBuilder("processes left by afterStart commands: ")
            : new StringBuilder(name).append(" (pid ").append(pid).append("): ");
    switch (how) {
      case EXITED_BEFORE:
        sb.append("had already exited");
        break;
      case GRACEFUL:
        sb.append("stopped gracefully in ").append(took.toMillis()).append(" ms");
        break;
      case KILLED:
        sb.append("killed after the stop timeout, ").append(took.toMillis()).append(" ms");
        break;
      default:
        sb.append("processes still alive after the forced kill");
    }
    if (exitCode != null) {
      sb.append(", exit code ").append(exitCode);
    }
    if (familySize > 1) {
      sb.append(", ").append(familySize).append(" processes in its family");
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return describe();
  }
}
