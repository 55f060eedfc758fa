package io.github.clusterrun.cluster.readiness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tcp probe holds exactly when something accepts connections on the port. */
class TcpProbeTest {
  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  @Test
  void falseUntilAServerSocketBindsThenTrue() throws Exception {
    int port = freePort();
    TcpProbe probe = TcpProbe.parse(Integer.toString(port));
    assertThat(probe.lastFailure()).isEmpty();

    assertThat(probe.check()).isFalse();
    assertThat(probe.lastFailure()).containsIgnoringCase("refused");

    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      assertThat(probe.check()).isTrue();
    }
    assertThat(probe.check()).isFalse();
  }

  @Test
  void parsesPortAndHostPort() throws Exception {
    assertThat(TcpProbe.parse("4001").describe()).isEqualTo("tcp 127.0.0.1:4001");
    assertThat(TcpProbe.parse("localhost:4002").describe()).isEqualTo("tcp localhost:4002");

    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThat(TcpProbe.parse("localhost:" + server.getLocalPort()).check()).isTrue();
    }
  }

  /**
   * Why the probe guards its source port: a socket that connects from the port it connects to, on
   * a port nothing listens on, is connected (TCP simultaneous open with itself). This is what the
   * system does when it picks the target port as a probe's source port, which it can when the
   * target lies in its ephemeral range.
   */
  @Test
  void theSystemConnectsASocketFromAClosedPortToItself() throws Exception {
    assumeTrue(isLinux());
    int port = freePort();
    try (Socket socket = new Socket()) {
      socket.setSoLinger(true, 0);
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 500);

      assertThat(socket.isConnected()).isTrue();
      assertThat(socket.getLocalPort()).isEqualTo(socket.getPort()).isEqualTo(port);
      assertThat(socket.getLocalAddress()).isEqualTo(socket.getInetAddress());
    }
  }

  @Test
  void aClosedPortIsNotReadyEvenWhenTheSystemGivesTheProbeThatPortToConnectFrom() throws Exception {
    int port = freePort();
    TcpProbe probe = new TcpProbe("127.0.0.1", port, port);

    assertThat(probe.check()).as("a connection to itself is not readiness").isFalse();
    assertThat(probe.lastFailure()).containsIgnoringCase("refused");
  }

  @Test
  void aProbedClosedPortStaysFreeForTheNodeToBindWithoutReuseAddress() throws Exception {
    int port = freePort();
    TcpProbe probe = new TcpProbe("127.0.0.1", port, port);
    for (int i = 0; i < 3; i++) {
      probe.check();
    }

    assertThat(socketsOn(port)).as("sockets on port " + port).isEmpty();
    try (ServerSocket node = new ServerSocket()) {
      node.setReuseAddress(false);
      node.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      assertThat(node.getLocalPort()).isEqualTo(port);
    }
  }

  /**
   * A probe's source port may be another node's fixed port (inside the ephemeral range): a probe
   * that found its port open leaves no TIME-WAIT behind, which would keep that port from the node.
   */
  @Test
  void aProbeThatFoundThePortOpenLeavesNoTimeWaitBehind() throws Exception {
    assumeTrue(isLinux());
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = server.getLocalPort();
      Thread node =
          new Thread(
              () -> {
                // Like a node: read until the client goes away, then close its side.
                try (Socket accepted = server.accept();
                    InputStream in = accepted.getInputStream()) {
                  while (in.read() >= 0) {
                    // nothing to do
                  }
                } catch (IOException gone) {
                  // reset by the probe: gone too
                }
              });
      node.start();

      assertThat(new TcpProbe("127.0.0.1", port).check()).isTrue();
      node.join();

      assertThat(socketsOn(port))
          .as("sockets on port " + port + " besides the listening one")
          .allSatisfy(row -> assertThat(row.split("\\s+")[3]).isEqualTo("0A"));
    }
  }

  private static boolean isLinux() {
    return Files.isReadable(Paths.get("/proc/net/tcp"));
  }

  /** Rows of /proc/net/tcp and tcp6 whose local or remote port is {@code port}; none elsewhere. */
  private static List<String> socketsOn(int port) throws IOException {
    List<String> rows = new ArrayList<>();
    if (!isLinux()) {
      return rows;
    }
    String hexPort = String.format(":%04X", port);
    for (String table : List.of("tcp", "tcp6")) {
      Path file = Paths.get("/proc/net", table);
      if (!Files.isReadable(file)) {
        continue;
      }
      List<String> lines = Files.readAllLines(file);
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3 && (f[1].endsWith(hexPort) || f[2].endsWith(hexPort))) {
          rows.add(line.trim());
        }
      }
    }
    return rows;
  }
}
