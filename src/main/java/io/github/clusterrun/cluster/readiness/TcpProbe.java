package io.github.clusterrun.cluster.readiness;

import io.github.clusterrun.cluster.config.HostPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Holds once a TCP port accepts a connection. */
public final class TcpProbe implements Probe {
  private static final int CONNECT_TIMEOUT_MS = 500;

  private final String host;
  private final int port;
  private volatile String lastFailure = "";

  public TcpProbe(String host, int port) {
    this.host = host;
    this.port = port;
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
    try (Socket socket = new Socket()) {
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
