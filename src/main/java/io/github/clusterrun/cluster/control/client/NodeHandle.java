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

  /**
   * Cuts it off from every other node, both ways (the build machine still reaches it); returns once
   * the rules are in force. Replaces any earlier partition.
   */
  public NetworkInfo isolate() {
    return control.network("POST", "nodes/" + name + "/isolate", null);
  }

  /**
   * Delays its traffic to the other nodes by {@code ms} (± {@code jitterMs}); needs the kernel's
   * netem where it runs (status 409 saying so where it is missing).
   */
  public NetworkInfo delay(int ms, int jitterMs) {
    return control.network("POST", "nodes/" + name + "/delay", "{\"ms\":" + ms + ",\"jitterMs\":" + jitterMs + "}");
  }

  /** Loses {@code percent} (1 to 100) of its packets to the other nodes. */
  public NetworkInfo loss(int percent) {
    return control.network("POST", "nodes/" + name + "/loss", "{\"percent\":" + percent + "}");
  }
}
