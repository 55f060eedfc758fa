package io.github.clusterrun.cluster;

/**
 * The core's one kind of failure: what went wrong and, where the user can do something about it,
 * the fix. Subtypes say who can fix it: {@link io.github.clusterrun.cluster.config.ConfigException}
 * (the POM), {@link io.github.clusterrun.cluster.model.StateException} (a damaged state file); the
 * rest went wrong at run time (a node that died, a process that survived its kill). The mojos turn
 * them into Maven's exceptions in one place.
 */
public class ClusterException extends Exception {
  private static final long serialVersionUID = 1L;

  public ClusterException(String message) {
    super(message);
  }

  public ClusterException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A failure with its fix: "problem. Fix: fix". */
  public ClusterException(String problem, String fix, Throwable cause) {
    super(problem + ". Fix: " + fix, cause);
  }
}
