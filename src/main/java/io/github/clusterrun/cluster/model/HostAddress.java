package io.github.clusterrun.cluster.model;

/** An address with a port, as peers and clients write it: {@code 10.0.0.1:80}, {@code [::1]:80}. */
public final class HostAddress {
  private HostAddress() {}

  public static String withPort(String address, int port) {
    return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
  }
}
