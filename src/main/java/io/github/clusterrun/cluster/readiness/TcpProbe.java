package io.github.clusterrun.cluster.readiness;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Holds once a TCP port accepts a connection. */
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
    int colon = spec.lastIndexOf(':');
    if (colon < 0) {
      return new TcpProbe("127.0.0.1", Integer.parseInt(spec.trim()));
    }
    return new TcpProbe(spec.substring(0, colon), Integer.parseInt(spec.substring(colon + 1).trim()));
  }

  @Override
  public boolean check() {
    try (Socket socket = new Socket()) {
      if (sourcePort != 0) {
        socket.bind(new InetSocketAddress(sourcePort));
      }
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      lastFailure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return false;
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
