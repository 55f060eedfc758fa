package io.github.clusterrun.cluster.control.client;

/** One node of the cluster, to act on; each action returns once done, with the node's new record. */
public final class NodeHandle {
  private final ClusterControl control;
  private final String name;

  NodeHandle(ClusterControl control, String name) {
    this.control = control;
    this.name = name;
  }

  /** The node's name, as given to {@link ClusterControl#node(String)}. */
  public String name() {
    return name;
  }

  /** The node's current record (one {@code GET /nodes}); status 404 for an unknown node. */
  public NodeInfo info() {
    return control.nodes().stream()
        .filter(n -> n.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new ClusterControlException(404, "no node " + name, null));
  }

  /** Graceful stop (SIGTERM or the stop input), then forced; returns once its whole family is gone. */
  public NodeInfo stop() {
    return control.act(name, "stop");
  }

  /** SIGKILL to its whole family (frozen first); returns once every process is gone. */
  public NodeInfo kill() {
    return control.act(name, "kill");
  }

  /** SIGSTOP to its whole family. */
  public NodeInfo pause() {
    return control.act(name, "pause");
  }

  /** SIGCONT to its whole family. */
  public NodeInfo resume() {
    return control.act(name, "resume");
  }

  /** Starts it again, same command, ports and directories; returns once it is ready. */
  public NodeInfo start() {
    return control.act(name, "start");
  }

  /** Stops it, then starts it again; returns once it is ready. */
  public NodeInfo restart() {
    return control.act(name, "restart");
  }
}
