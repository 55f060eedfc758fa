package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.platform.EphemeralRange;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.platform.PortHolder;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Allocates the nodes' ports on 127.0.0.1: free ones outside the system's ephemeral range (every
 * socket held open until all are picked, so no two nodes get the same port), or fixed ones from a
 * base port (node i's port k = base + i * number of ports + k), each checked to be free. Fixed
 * ports inside the system's ephemeral range get a warning ({@link #ephemeralRangeWarning}).
 */
public final class PortAllocator {
  private PortAllocator() {}

  /**
   * For each node, its port names mapped to {@code basePort + i * names.size() + k}.
   *
   * @throws PortInUseException naming the first port in use and, where the system says, its holder
   */
  public static List<Map<String, Integer>> fixed(
      int basePort, int nodes, List<String> names, Platform platform) throws PortInUseException {
    List<Map<String, Integer>> result = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      Map<String, Integer> ports = new LinkedHashMap<>();
      for (int k = 0; k < names.size(); k++) {
        int port = basePort + i * names.size() + k;
        try (ServerSocket socket = new ServerSocket()) {
          socket.setReuseAddress(true);
          socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        } catch (IOException e) {
          throw new PortInUseException(
              ClusterLayout.nodeName(i), names.get(k), port, platform.portHolder(port).orElse(null));
        }
        ports.put(names.get(k), port);
      }
      result.add(ports);
    }
    return result;
  }

  /** A fixed port that another process, or a connection on its way out, holds. */
  public static final class PortInUseException extends ClusterException {
    private static final long serialVersionUID = 1L;

    PortInUseException(String node, String name, int port, PortHolder.Holder holder) {
      super(
          "<basePort> gives "
              + node
              + " its port '"
              + name
              + "' = "
              + port
              + ", which is in use"
              + (holder == null ? "" : " by " + holder.description())
              + ". Fix: "
              + (holder == null
                  ? "stop the program that holds it"
                  : holder.isProcess() ? "stop that process" : "build again once it is released")
              + ", or choose another <basePort> (-Dcluster.basePort=...)"
              + " or leave it out for free ports");
    }
  }

  /**
   * The warning for fixed ports inside the system's ephemeral port range, from which it takes the
   * source port of every outgoing connection: any program's connection (a readiness probe's too) can
   * take a node's port before the node binds it. Empty when every port lies outside the range, or
   * the range is unknown here.
   */
  public static Optional<String> ephemeralRangeWarning(
      int basePort, int nodes, List<String> names, Platform platform) {
    return platform
        .ephemeralRange()
        .flatMap(range -> ephemeralRangeWarning(basePort, nodes * names.size(), range));
  }

  static Optional<String> ephemeralRangeWarning(int basePort, int count, EphemeralRange range) {
    int last = basePort + count - 1;
    int firstGiven = -1;
    int lastGiven = -1;
    for (int port = basePort; port <= last; port++) {
      if (range.givesOut(port)) {
        firstGiven = firstGiven < 0 ? port : firstGiven;
        lastGiven = port;
      }
    }
    if (firstGiven < 0) {
      return Optional.empty();
    }
    String inside =
        firstGiven == basePort && lastGiven == last
            ? "puts the nodes' ports " + span(basePort, last)
            : "puts ports " + span(firstGiven, lastGiven) + " of the nodes' ports " + span(basePort, last);
    String choice;
    if (20000 + count - 1 < range.first) {
      choice = "a <basePort> below the range, e.g. 20000 (from 1024 up to " + (range.first - count) + ")";
    } else if (1024 + count - 1 < range.first) {
      choice = "a <basePort> below the range (from 1024 up to " + (range.first - count) + ")";
    } else if (range.last + count <= 65535) {
      choice = "a <basePort> above the range (from " + (range.last + 1) + ")";
    } else {
      choice = null;
    }
    return Optional.of(
        "<basePort> "
            + basePort
            + " "
            + inside
            + " inside the ephemeral port range "
            + span(range.first, range.last)
            + " ("
            + range.source
            + "), from which the system takes the source port of outgoing connections:"
            + " any program's connection can hold a node's port when the node binds it"
            + " (Address already in use). Fix: "
            + (choice == null ? "" : "choose " + choice + ", or ")
            + "leave <basePort> out for free ports");
  }

  private static String span(int first, int last) {
    return first == last ? Integer.toString(first) : first + "-" + last;
  }

  /** The lowest port a free port is taken from: below it live well-known services. */
  static final int LOWEST_FREE = 10000;

  /**
   * For each node, its port names mapped to free ports outside the system's ephemeral range where
   * it is known (else ports the system picks, by binding port 0). A port the system picks is one it
   * may also give any outgoing connection as its source port, so such a connection, a probe's or
   * another node's, can hold it when the node binds it ("Address already in use"); outside the
   * range only another program binding that very port can. Each port is bound (without {@code
   * SO_REUSEADDR}, so a port in TIME-WAIT is skipped) and held until all are picked.
   */
  public static List<Map<String, Integer>> allocate(
      int nodes, List<String> names, Optional<EphemeralRange> range) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    List<Map<String, Integer>> result = new ArrayList<>();
    int[] free = range.map(r -> freeSpan(r, nodes * names.size())).orElse(null);
    int next = free == null ? 0 : free[0] + ThreadLocalRandom.current().nextInt(free[1] - free[0] + 1);
    int tried = 0;
    try {
      for (int i = 0; i < nodes; i++) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String name : names) {
          ServerSocket socket = null;
          while (socket == null && free != null && tried++ <= free[1] - free[0]) {
            socket = bound(next);
            next = next == free[1] ? free[0] : next + 1;
          }
          if (socket == null) {
            socket = bound(0); // the span is full: let the system pick
          }
          if (socket == null) {
            throw new IOException("no free port on 127.0.0.1");
          }
          held.add(socket);
          ports.put(name, socket.getLocalPort());
        }
        result.add(ports);
      }
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // The port is free either way.
        }
      }
    }
    return result;
  }

  /**
   * The wider of the spans below and above the ephemeral range ({@code [first, last]}), from
   * {@link #LOWEST_FREE} up; null when neither holds {@code count} ports with room to spare.
   */
  static int[] freeSpan(EphemeralRange range, int count) {
    int[] below = {LOWEST_FREE, range.first - 1};
    int[] above = {Math.max(LOWEST_FREE, range.last + 1), 65535};
    int[] wider = below[1] - below[0] >= above[1] - above[0] ? below : above;
    return wider[1] - wider[0] + 1 >= 4 * count ? wider : null;
  }

  private static ServerSocket bound(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      return socket;
    } catch (IOException inUse) {
      socket.close();
      return null;
    }
  }
}
