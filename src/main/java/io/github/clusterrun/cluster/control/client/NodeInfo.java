package io.github.clusterrun.cluster.control.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node as the control endpoint describes it, at the time of the request: name, index, pid of its
 * root process (the new one after a start), ports by name in the order of {@code <ports>}, and
 * state: {@code RUNNING}, {@code PAUSED} (by the tests), {@code STOPPED_BY_TESTS}, {@code EXITED}
 * (on its own), {@code STOPPED} (by the plugin), {@code PLANNED}.
 */
public final class NodeInfo {
  private final String name;
  private final int index;
  private final long pid;
  private final Map<String, Integer> ports;
  private final String state;
  private final String host;
  private final String sshHost;
  private final List<String> network;

  private NodeInfo(
      String name,
      int index,
      long pid,
      Map<String, Integer> ports,
      String state,
      String host,
      String sshHost,
      List<String> network) {
    this.name = name;
    this.index = index;
    this.pid = pid;
    this.ports = Collections.unmodifiableMap(ports);
    this.state = state;
    this.host = host;
    this.sshHost = sshHost;
    this.network = List.copyOf(network);
  }

  static NodeInfo of(Map<?, ?> json) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    Object p = json.get("ports");
    if (p instanceof Map) {
      ((Map<?, ?>) p).forEach((k, v) -> ports.put(k.toString(), ((Number) v).intValue()));
    }
    return new NodeInfo(
        (String) json.get("name"),
        ((Number) json.get("index")).intValue(),
        ((Number) json.get("pid")).longValue(),
        ports,
        (String) json.get("state"),
        json.get("host") == null ? "127.0.0.1" : (String) json.get("host"),
        json.get("sshHost") == null ? "" : (String) json.get("sshHost"),
        NetworkInfo.strings(json.get("network")));
  }

  /**
   * The network faults on this node, a phrase each ("cut off from n_1, n_2", "delay 200 ms to the
   * other nodes", "loss 10% to the other nodes"); empty when none.
   */
  public List<String> network() {
    return network;
  }

  /** The address the node binds and advertises ({@code @{node.host}}). */
  public String host() {
    return host;
  }

  /** The host the node runs on, as {@code <sshHosts>} names it; empty for the build machine. */
  public String sshHost() {
    return sshHost;
  }

  /** {@code n_<index>}. */
  public String name() {
    return name;
  }

  /** From 0. */
  public int index() {
    return index;
  }

  /** The pid of the node's root process; a new one after a start or restart. */
  public long pid() {
    return pid;
  }

  /** The node's ports by name, in the order of {@code <ports>}; the same after a start. */
  public Map<String, Integer> ports() {
    return ports;
  }

  /** The first port, or 0. */
  public int port() {
    return ports.isEmpty() ? 0 : ports.values().iterator().next();
  }

  /** {@code RUNNING}, {@code PAUSED}, {@code STOPPED_BY_TESTS}, {@code EXITED}, {@code STOPPED} or {@code PLANNED}. */
  public String state() {
    return state;
  }

  /** The state is {@code RUNNING}. */
  public boolean isRunning() {
    return "RUNNING".equals(state);
  }

  @Override
  public String toString() {
    return name + "(pid " + pid + (sshHost.isEmpty() ? "" : " on " + sshHost) + ", " + state + ", " + ports + ")";
  }
}
