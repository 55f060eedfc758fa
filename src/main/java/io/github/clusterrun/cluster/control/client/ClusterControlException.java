package io.github.clusterrun.cluster.control.client;

/**
 * A refused or failed request: {@link #status()} is the HTTP status (401 wrong token, 404 unknown
 * node, 409 action that does not fit the node's state, 500 action failed), or 0 when the endpoint
 * could not be reached.
 */
public final class ClusterControlException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  ClusterControlException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
