package io.github.clusterrun.cluster.model;

/**
 * The control endpoint a running cluster serves to its tests (issue 12): its URL and bearer token,
 * exported to the tests, and a way to close it once the cluster is stopped. The model knows only
 * this much; the server lives in {@code control/}.
 */
public interface ControlEndpoint {
  /** {@code http://127.0.0.1:<port>/}. */
  String url();

  /** The bearer token every request must carry. */
  String token();

  /** Stops serving; idempotent. */
  void close();
}
