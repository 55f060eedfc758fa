package io.github.clusterrun.cluster.model;

import io.github.clusterrun.cluster.ClusterException;
import java.nio.file.Path;

/** The state file cannot be read or written: it names the file, what is wrong and the fix. */
public final class StateException extends ClusterException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final String problem;

  StateException(Path file, String problem, String fix, Throwable cause) {
    super(problem, fix, cause);
    this.file = file;
    this.problem = problem;
  }

  /** What is wrong, without the fix. */
  public String problem() {
    return problem;
  }

  /** The state file concerned. */
  public Path file() {
    return file;
  }
}
