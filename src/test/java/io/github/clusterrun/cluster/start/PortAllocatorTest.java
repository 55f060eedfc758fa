package io.github.clusterrun.cluster.start;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.platform.EphemeralRange;
import io.github.clusterrun.cluster.platform.Platform;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every node gets its own free ports on 127.0.0.1, named as configured. */
class PortAllocatorTest {
  @Test
  void allocatesDistinctFreePortsForEveryNodeAndName() throws Exception {
    List<Map<String, Integer>> ports =
        PortAllocator.allocate(3, List.of("http", "admin"), Platform.current().ephemeralRange());

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

  @Test
  void freePortsLieOutsideTheEphemeralRangeSoThatNoOutgoingConnectionCanTakeOne() throws Exception {
    EphemeralRange range = new EphemeralRange(32768, 60999, "a test");

    List<Integer> all = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      PortAllocator.allocate(8, List.of("a", "b"), Optional.of(range)).forEach(n -> all.addAll(n.values()));
    }

    assertThat(all).hasSize(80).allSatisfy(port -> assertThat(port).isBetween(10000, 32767));
  }

  @Test
  void aFreePortSkipsThePortsOthersHold() throws Exception {
    // A span of eight ports below the range (10000-10007), half of them held by this test.
    EphemeralRange range = new EphemeralRange(10008, 65535, "a test");
    List<ServerSocket> held = new ArrayList<>();
    List<Integer> heldPorts = new ArrayList<>();
    try {
      for (int port = 10000; port < 10008 && held.size() < 4; port += 2) {
        ServerSocket socket = new ServerSocket();
        try {
          socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
          held.add(socket);
          heldPorts.add(port);
        } catch (java.io.IOException inUse) {
          socket.close(); // someone else's: held either way
          heldPorts.add(port);
        }
      }

      List<Integer> ports = new ArrayList<>(PortAllocator.allocate(2, List.of("a"), Optional.of(range))
          .stream().flatMap(n -> n.values().stream()).collect(java.util.stream.Collectors.toList()));

      assertThat(ports).hasSize(2).doesNotHaveDuplicates().allSatisfy(port -> assertThat(port)
          .isBetween(10000, 10007).isNotIn(heldPorts));
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  void withoutRoomOutsideTheRangeTheSystemPicks() throws Exception {
    EphemeralRange everything = new EphemeralRange(1024, 65535, "a test");

    List<Map<String, Integer>> ports = PortAllocator.allocate(2, List.of("a", "b"), Optional.of(everything));

    assertThat(ports.stream().flatMap(n -> n.values().stream()).distinct().count()).isEqualTo(4);
    assertThat(PortAllocator.freeSpan(everything, 4)).isNull();
  }

  @Test
  void warnsOfFixedPortsInsideTheEphemeralRange() {
    EphemeralRange linux =
        new EphemeralRange(32768, 60999, "/proc/sys/net/ipv4/ip_local_port_range");

    assertThat(PortAllocator.ephemeralRangeWarning(42180, 5, linux))
        .hasValue(
            "<basePort> 42180 puts the nodes' ports 42180-42184 inside the ephemeral port range"
                + " 32768-60999 (/proc/sys/net/ipv4/ip_local_port_range), from which the system takes"
                + " the source port of outgoing connections: any program's connection can hold a"
                + " node's port when the node binds it (Address already in use). Fix: choose a"
                + " <basePort> below the range, e.g. 20000 (from 1024 up to 32763), or leave"
                + " <basePort> out for free ports");
    assertThat(PortAllocator.ephemeralRangeWarning(32760, 12, linux))
        .hasValueSatisfying(
            warning -> assertThat(warning).startsWith("<basePort> 32760 puts ports 32768-32771 of the nodes' ports 32760-32771 inside"));
    assertThat(PortAllocator.ephemeralRangeWarning(60990, 20, linux))
        .hasValueSatisfying(w -> assertThat(w).contains("puts ports 60990-60999 of the nodes' ports 60990-61009"));
  }

  @Test
  void noWarningForFixedPortsOutsideTheEphemeralRange() {
    EphemeralRange linux =
        new EphemeralRange(32768, 60999, "/proc/sys/net/ipv4/ip_local_port_range");

    assertThat(PortAllocator.ephemeralRangeWarning(20000, 6, linux)).isEmpty();
    assertThat(PortAllocator.ephemeralRangeWarning(32762, 6, linux)).isEmpty();
    assertThat(PortAllocator.ephemeralRangeWarning(61000, 6, linux)).isEmpty();
  }

  @Test
  void noWarningForPortsReservedFromTheEphemeralRange() {
    EphemeralRange reserving =
        new EphemeralRange(32768, 60999, "x", "8080,42180-42184");

    assertThat(PortAllocator.ephemeralRangeWarning(42180, 5, reserving)).isEmpty();
    assertThat(PortAllocator.ephemeralRangeWarning(42178, 5, reserving))
        .hasValueSatisfying(w -> assertThat(w).startsWith("<basePort> 42178 puts ports 42178-42179 of the nodes' ports 42178-42182 inside"));
  }

  @Test
  void suggestsABasePortOutsideAnyRange() {
    assertThat(PortAllocator.ephemeralRangeWarning(50000, 3, new EphemeralRange(15000, 60999, "x")))
        .hasValueSatisfying(w -> assertThat(w).contains("Fix: choose a <basePort> below the range (from 1024 up to 14997)"));
    assertThat(PortAllocator.ephemeralRangeWarning(50000, 3, new EphemeralRange(1024, 60999, "x")))
        .hasValueSatisfying(w -> assertThat(w).contains("Fix: choose a <basePort> above the range (from 61000)"));
    assertThat(PortAllocator.ephemeralRangeWarning(50000, 3, new EphemeralRange(1024, 65535, "x")))
        .hasValueSatisfying(w -> assertThat(w).contains("Fix: leave <basePort> out for free ports"));
  }

  @Test
  void readsTheEphemeralRangeOfThisSystem() throws Exception {
    Path file = Paths.get("/proc/sys/net/ipv4/ip_local_port_range");
    assumeTrue(Files.isReadable(file));
    String[] range = Files.readAllLines(file).get(0).trim().split("\\s+");
    int first = Integer.parseInt(range[0]);

    assertThat(PortAllocator.ephemeralRangeWarning(first, 1, List.of("port"), Platform.current()))
        .hasValueSatisfying(
            w -> assertThat(w).contains("range " + range[0] + "-" + range[1] + " (" + file + ")"));
    if (first > 1025) {
      assertThat(PortAllocator.ephemeralRangeWarning(first - 1, 1, List.of("port"), Platform.current())).isEmpty();
    }
  }
}
