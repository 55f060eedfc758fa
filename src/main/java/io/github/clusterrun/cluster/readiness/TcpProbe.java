package io.github.clusterrun.cluster.readiness;

import io.github.clusterrun.cluster.config.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Holds once a TCP port accepts a connection.
 *
 * <p>The probe takes care not to harm the node it waits for, whose port may lie in the system's
 * ephemeral range (the range it takes the source port of an outgoing connection from):
 *
 * <ul>
 *   <li>It never connects from the port it probes. A socket connecting from a closed port to that
 *       same port connects to itself (TCP simultaneous open): it would report a node ready that is
 *       not, and leave the node's port in TIME-WAIT so that the node cannot bind it. So the probe
 *       binds its socket before connecting and, should the system give it the probed port, takes
 *       another one while holding that one.
 *   <li>It closes every connection with a reset ({@code SO_LINGER} 0), so it leaves no TIME-WAIT
 *       on its own source port, which may be another node's fixed port.
 * </ul>
 */
public final class TcpProbe implements Probe {
  private static final int CONNECT_TIMEOUT_MS = 500;

  private final String host;
  private final int port;
  /** The local port to connect from; 0 lets the system choose, a test may force one. */
  private final int sourcePort;
  private volatile String lastFailure = "";

  public TcpProbe(String host, int port) {
    this(host, port, 0);
  }

  /** A probe that connects from {@code sourcePort}, as if the system had chosen it (tests). */
  TcpProbe(String host, int port, int sourcePort) {
    this.host = host;
    this.port = port;
    this.sourcePort = sourcePort;
  }

  /** Parses {@code port} or {@code host:port}; a bare port means 127.0.0.1. */
  public static TcpProbe parse(String spec) {
    return new TcpProbe(
        HostPort.parse(spec, "127.0.0.1")
            .orElseThrow(() -> new IllegalArgumentException("not a port or host:port: " + spec)));
  }

  public TcpProbe(HostPort address) {
    this(address.host(), address.port());
  }

  @Override
  public boolean check() {
    try (Socket socket = socketNotOnTheProbedPort()) {
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      lastFailure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return false;
    }
  }

  /** A socket bound to a local port other than the probed one, closing with a reset. */
  private Socket socketNotOnTheProbedPort() throws IOException {
    Socket socket = bound(sourcePort);
    if (socket.getLocalPort() != port) {
      return socket;
    }
    // Connecting from here would connect to itself. While this socket holds the port, the system
    // cannot give it out again.
    try (Socket held = socket) {
      return bound(0);
    }
  }

  private static Socket bound(int localPort) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setSoLinger(true, 0);
      socket.bind(new InetSocketAddress(localPort));
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  @Override
  public String describe() {
    return "tcp " + host + ":" + port;
  }

  @Override
  public String lastFailure() {
    return lastFailure;
  }
}
