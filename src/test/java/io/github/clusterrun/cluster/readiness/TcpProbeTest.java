package io.github.clusterrun.cluster.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.config.HostPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
    TcpProbe probe = new TcpProbe(HostPort.parse(Integer.toString(port), "127.0.0.1").orElseThrow());
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
    assertThat(new TcpProbe(HostPort.parse("4001", "127.0.0.1").orElseThrow()).describe()).isEqualTo("tcp 127.0.0.1:4001");
    assertThat(new TcpProbe(HostPort.parse("localhost:4002", "127.0.0.1").orElseThrow()).describe()).isEqualTo("tcp localhost:4002");

    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThat(TcpProbe.parse("localhost:" + server.getLocalPort()).check()).isTrue();
    }
  }
}
