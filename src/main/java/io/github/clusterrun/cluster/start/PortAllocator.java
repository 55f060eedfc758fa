package io.github.clusterrun.cluster.start;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Allocates the nodes' ports on 127.0.0.1: free ones that the system picks (bind to port 0, every
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
  public static List<Map<String, Integer>> fixed(int basePort, int nodes, List<String> names)
      throws PortInUseException {
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
              "n_" + i, names.get(k), port, PortHolder.find(port).orElse(null));
        }
        ports.put(names.get(k), port);
      }
      result.add(ports);
    }
    return result;
  }

  /** A fixed port that another process, or a connection on its way out, holds. */
  public static final class PortInUseException extends Exception {
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
  public static Optional<String> ephemeralRangeWarning(int basePort, int nodes, List<String> names) {
    return EphemeralRange.system()
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

  /**
   * The ports the system gives out as source ports of outgoing connections: its ephemeral range,
   * less the ports reserved from it (Linux's {@code ip_local_reserved_ports}).
   */
  static final class EphemeralRange {
    private static final Path LINUX = Paths.get("/proc/sys/net/ipv4/ip_local_port_range");
    private static final Path LINUX_RESERVED = Paths.get("/proc/sys/net/ipv4/ip_local_reserved_ports");

    final int first;
    final int last;
    /** Where the range comes from, e.g. the /proc file or "the default of Mac OS X". */
    final String source;
    /** Linux's list of reserved ports, e.g. "8080,42180-42188"; empty for none. */
    private final String reserved;

    EphemeralRange(int first, int last, String source) {
      this(first, last, source, "");
    }

    EphemeralRange(int first, int last, String source, String reserved) {
      this.first = first;
      this.last = last;
      this.source = source;
      this.reserved = reserved;
    }

    /** Whether the system may give {@code port} out as a source port. */
    boolean givesOut(int port) {
      if (port < first || port > last) {
        return false;
      }
      for (String part : reserved.split(",")) {
        String[] ends = part.trim().split("-");
        try {
          if (!ends[0].isEmpty()
              && port >= Integer.parseInt(ends[0])
              && port <= Integer.parseInt(ends[ends.length - 1])) {
            return false;
          }
        } catch (NumberFormatException e) {
          // Not a port range: reserves nothing.
        }
      }
      return true;
    }

    /**
     * Linux: {@code /proc/sys/net/ipv4/ip_local_port_range} (its default 32768-60999 if that
     * cannot be read) less {@code ip_local_reserved_ports}; macOS and Windows: their default
     * 49152-65535; elsewhere unknown.
     */
    static Optional<EphemeralRange> system() {
      String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
      if (os.contains("linux")) {
        String reserved = firstLine(LINUX_RESERVED).orElse("");
        try {
          String[] f = firstLine(LINUX).orElseThrow().split("\\s+");
          return Optional.of(
              new EphemeralRange(
                  Integer.parseInt(f[0]), Integer.parseInt(f[1]), LINUX.toString(), reserved));
        } catch (RuntimeException e) {
          return Optional.of(new EphemeralRange(32768, 60999, "the default of Linux", reserved));
        }
      }
      if (os.contains("mac") || os.contains("windows")) {
        return Optional.of(
            new EphemeralRange(49152, 65535, "the default of " + System.getProperty("os.name")));
      }
      return Optional.empty();
    }

    /** readAllLines, not readString: a sysctl file read in pieces ends after its first byte. */
    private static Optional<String> firstLine(Path file) {
      try {
        return Files.readAllLines(file).stream().findFirst().map(String::trim);
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
  }

  /** For each node, its port names mapped to free ports. */
  public static List<Map<String, Integer>> allocate(int nodes, List<String> names) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    List<Map<String, Integer>> result = new ArrayList<>();
    try {
      for (int i = 0; i < nodes; i++) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String name : names) {
          ServerSocket socket = new ServerSocket();
          held.add(socket);
          socket.setReuseAddress(false);
          socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
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
}
