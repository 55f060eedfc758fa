package io.github.clusterrun.cluster;

/**
 * Something went wrong while running a cluster: a node that died or never became ready, a process
 * that survived its kill, a directory that could not be deleted. The mojos turn it into a {@code
 * MojoExecutionException}.
 */
public class ClusterException extends Exception {
  private static final long serialVersionUID = 1L;

  public ClusterException(String message) {
    super(message);
  }

  public ClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
