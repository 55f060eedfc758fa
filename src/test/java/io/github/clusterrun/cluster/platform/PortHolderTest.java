package io.github.clusterrun.cluster.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.clusterrun.cluster.start.PortAllocator;
import io.github.clusterrun.cluster.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** On Linux, what holds a port is named: a process, or a connection no process owns any more. */
class PortHolderTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private InetAddress loopback;

  @BeforeEach
  void linuxOnly() throws Exception {
    assumeTrue(Files.isReadable(Paths.get("/proc/net/tcp")), "reads /proc/net/tcp");
    loopback = InetAddress.getByName("127.0.0.1");
  }

  @Test
  void namesTheProcessListeningOnThePort() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
      assertThat(PortHolder.describe(server.getLocalPort()))
          .hasValueSatisfying(
              holder -> assertThat(holder).startsWith("pid " + ProcessHandle.current().pid() + " ("));
    }
  }

  @Test
  void namesTheProcessWhoseConnectionHoldsThePort() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, loopback);
        Socket client = new Socket(loopback, server.getLocalPort());
        Socket accepted = server.accept()) {
      int port = client.getLocalPort();
      assertThat(PortHolder.describe(port))
          .hasValue(
              "pid "
                  + ProcessHandle.current().pid()
                  + " ("
                  + ProcessHandle.current().info().commandLine().orElse("?")
                  + ") through its connection 127.0.0.1:"
                  + port
                  + " → 127.0.0.1:"
                  + server.getLocalPort()
                  + ", ESTABLISHED");
    }
  }

  @Test
  void namesAConnectionInTimeWaitThatNoProcessOwns() throws Exception {
    TimeWait timeWait = timeWaitOnAServerPort();

    assertThat(PortHolder.describe(timeWait.port))
        .hasValue(
            "a connection in TIME-WAIT (127.0.0.1:"
                + timeWait.port
                + " → 127.0.0.1:"
                + timeWait.peerPort
                + ") that the kernel releases within 60 s");
  }

  @Test
  void aFixedPortInTimeWaitFailsNamingTheConnection() throws Exception {
    TimeWait timeWait = timeWaitOnAServerPort();

    assertThatThrownBy(() -> PortAllocator.fixed(timeWait.port, 1, List.of("port"), Platform.current()))
        .isInstanceOf(PortAllocator.PortInUseException.class)
        .hasMessage(
            "<basePort> gives n_0 its port 'port' = "
                + timeWait.port
                + ", which is in use by a connection in TIME-WAIT (127.0.0.1:"
                + timeWait.port
                + " → 127.0.0.1:"
                + timeWait.peerPort
                + ") that the kernel releases within 60 s. Fix: build again once it is released,"
                + " or choose another <basePort> (-Dcluster.basePort=...) or leave it out for free"
                + " ports");
  }

  @Test
  void saysNothingOfAPortNothingHolds() throws Exception {
    int port;
    try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
      port = server.getLocalPort();
    }
    assertThat(PortHolder.describe(port)).isEmpty();
  }

  @Test
  void readsTheKernelsAddresses() {
    assertThat(PortHolder.endpoint("0100007F:A4C8")).isEqualTo("127.0.0.1:42184");
    assertThat(PortHolder.endpoint("0000000000000000FFFF00000100007F:A4C8"))
        .isEqualTo("127.0.0.1:42184");
    assertThat(PortHolder.endpoint("00000000000000000000000001000000:0050")).isEqualTo("[0:0:0:0:0:0:0:1]:80");
  }

  private static final class TimeWait {
    final int port;
    final int peerPort;

    TimeWait(int port, int peerPort) {
      this.port = port;
      this.peerPort = peerPort;
    }
  }

  /**
   * A server's port left in TIME-WAIT: the server side closes first (the side that closes first
   * waits), without SO_REUSEADDR, so that the waiting connection keeps the port from a new bind.
   */
  private TimeWait timeWaitOnAServerPort() throws Exception {
    int port;
    int peerPort;
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(false);
      server.bind(new InetSocketAddress(loopback, 0), 1);
      port = server.getLocalPort();
      try (Socket client = new Socket(loopback, port)) {
        peerPort = client.getLocalPort();
        server.accept().close();
        assertThat(client.getInputStream().read()).as("the server's end of stream").isEqualTo(-1);
      }
    }
    Await.until("port " + port + " in TIME-WAIT", () -> inTimeWait(port), TIMEOUT);
    return new TimeWait(port, peerPort);
  }

  /** Whether /proc/net/tcp or tcp6 has a socket on local port {@code port} in TIME-WAIT (06). */
  private static boolean inTimeWait(int port) {
    String hexPort = String.format(":%04X", port);
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        for (String line : Files.readAllLines(Paths.get(table))) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("06")) {
            return true;
          }
        }
      } catch (IOException e) {
        // no such table
      }
    }
    return false;
  }
}
