package io.github.clusterrun.cluster.config;

import java.util.Optional;

/** A TCP address as users write it: {@code host:port}, or a bare port on a default host. */
public final class HostPort {
  private final String host;
  private final int port;

  private HostPort(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** Parses {@code host:port}; empty unless it has a host and a port from 1 to 65535. */
  public static Optional<HostPort> parse(String spec) {
    return parse(spec, null);
  }

  /**
   * Parses {@code host:port} or, when {@code defaultHost} is given, a bare {@code port} on that host;
   * empty unless the port is from 1 to 65535 and the host is not empty.
   */
  public static Optional<HostPort> parse(String spec, String defaultHost) {
    if (spec == null) {
      return Optional.empty();
    }
    String s = spec.trim();
    int colon = s.lastIndexOf(':');
    String host = colon < 0 ? defaultHost : s.substring(0, colon).trim();
    String port = s.substring(colon + 1).trim();
    if (host == null || host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)
        || port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    int number = Integer.parseInt(port);
    return number >= 1 && number <= 65535 ? Optional.of(new HostPort(host, number)) : Optional.empty();
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostPort && ((HostPort) o).host.equals(host) && ((HostPort) o).port == port;
  }

  @Override
  public int hashCode() {
    return host.hashCode() * 31 + port;
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
