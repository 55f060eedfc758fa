package io.github.clusterrun.cluster.mojo;

/**
 * The {@code <waitFor>} element: when a node counts as ready. Every probe given must hold.
 *
 * <pre>{@code
 * <waitFor>
 *   <http>http://127.0.0.1:@{node.port.http}/health</http>
 *   <tcp>@{node.port.admin}</tcp>
 *   <log>Started in \d+ ms</log>
 *   <timeout>60</timeout>
 * </waitFor>
 * }</pre>
 */
public class WaitFor {
  /** A URL that must answer a GET with a 2xx status. Placeholders allowed. */
  String http;

  /** A port ({@code @{node.port}}) or {@code host:port} that must accept a TCP connection. */
  String tcp;

  /** A Java regular expression that a line of the node's console log must match. */
  String log;

  /** Seconds the nodes have to become ready; they start together, so it is each node's time. */
  int timeout = 60;

  @Override
  public String toString() {
    return "WaitFor{http=" + http + ", tcp=" + tcp + ", log=" + log + ", timeout=" + timeout + "}";
  }
}
