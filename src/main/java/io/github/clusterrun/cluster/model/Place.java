package io.github.clusterrun.cluster.model;

import java.util.Objects;

/**
 * Where a node runs: on the build machine, or on a host reached over SSH. A node's record carries
 * its place, so that {@code stop}, {@code clean}, {@code status}, the exit hook and the tests'
 * actions reach its processes wherever they are, from the recorded state alone.
 */
public final class Place {
  /** The build machine. */
  public static final Place LOCAL = new Place("", "127.0.0.1");

  private final String sshHost;
  private final String address;

  private Place(String sshHost, String address) {
    this.sshHost = Objects.requireNonNull(sshHost, "sshHost");
    this.address = Objects.requireNonNull(address, "address");
  }

  /**
   * A host reached over SSH.
   *
   * @param sshHost the host as {@code <sshHosts>} gives it ({@code [user@]host[:port]} or a name of
   *     the user's SSH config)
   * @param address the address nodes there bind and advertise ({@code @{node.host}})
   */
  public static Place ssh(String sshHost, String address) {
    if (sshHost.isEmpty()) {
      throw new IllegalArgumentException("an SSH host has a name");
    }
    return new Place(sshHost, address);
  }

  /** A local node with an address of its own (not the loopback's first address). */
  public static Place local(String address) {
    return new Place("", address);
  }

  public boolean isLocal() {
    return sshHost.isEmpty();
  }

  /** The host as {@code <sshHosts>} gives it; empty for the build machine. */
  public String sshHost() {
    return sshHost;
  }

  /** The address the node binds and advertises ({@code @{node.host}}). */
  public String address() {
    return address;
  }

  /** For messages: "this machine" or "host root@h1". */
  public String describe() {
    return isLocal() ? "this machine" : "host " + sshHost;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Place && ((Place) o).sshHost.equals(sshHost) && ((Place) o).address.equals(address);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sshHost, address);
  }

  @Override
  public String toString() {
    return isLocal() ? address : sshHost + "(" + address + ")";
  }
}
