package io.github.clusterrun.cluster.start;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every node gets its own free ports on 127.0.0.1, named as configured. */
class PortAllocatorTest {
  @Test
  void allocatesDistinctFreePortsForEveryNodeAndName() throws Exception {
    List<Map<String, Integer>> ports = PortAllocator.allocate(3, List.of("http", "admin"));

    assertThat(ports).hasSize(3);
    List<Integer> all = new ArrayList<>();
    for (Map<String, Integer> node : ports) {
      assertThat(node.keySet()).containsExactly("http", "admin");
      all.addAll(node.values());
    }
    assertThat(new HashSet<>(all)).hasSize(6);
    // Free: each can be bound right away.
    for (int port : all) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        assertThat(socket.getLocalPort()).isEqualTo(port);
      }
    }
  }
}
