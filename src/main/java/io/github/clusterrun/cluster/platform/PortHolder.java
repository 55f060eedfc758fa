package io.github.clusterrun.cluster.platform;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Says what holds a TCP port, where the system says: on Linux the sockets on that local port from
 * {@code /proc/net/tcp} and {@code tcp6}, then the process with such a socket among its descriptors.
 * A listening socket comes first, then a connection of a process, then a connection that no process
 * owns any more (TIME-WAIT and the other closing states), which the kernel releases by itself.
 * Elsewhere, or without permission to look, it says nothing.
 */
public final class PortHolder {
  private static final Path PROC = Paths.get("/proc");
  private static final String LISTEN = "0A";
  private static final String TIME_WAIT = "06";
  private static final String FIN_WAIT_2 = "05";

  /** What holds a port: a process, or a connection that no process owns. */
  public static final class Holder {
    private final String description;
    private final boolean process;

    Holder(String description, boolean process) {
      this.description = description;
      this.process = process;
    }

    /** "pid 1234 (python3 -m http.server 4000)" or "a connection in TIME-WAIT (…) that …". */
    public String description() {
      return description;
    }

    /** Whether a process holds the port (stopping it frees the port). */
    public boolean isProcess() {
      return process;
    }

    @Override
    public String toString() {
      return description;
    }
  }

  private PortHolder() {}

  /** What holds {@code port}, in words, if the system says. */
  static Optional<String> describe(int port) {
    return find(port).map(Holder::description);
  }

  /** What holds {@code port}, if the system says. */
  static Optional<Holder> find(int port) {
    List<Row> rows = new ArrayList<>();
    rows.addAll(rowsOn(port, "tcp"));
    rows.addAll(rowsOn(port, "tcp6"));
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Set<String> inodes = new HashSet<>();
    for (Row row : rows) {
      if (!row.inode.equals("0")) {
        inodes.add(row.inode);
      }
    }
    Map<String, Long> pids = pidsOf(inodes);
    for (Row row : rows) {
      if (row.state.equals(LISTEN) && pids.containsKey(row.inode)) {
        return Optional.of(new Holder(process(pids.get(row.inode)), true));
      }
    }
    for (Row row : rows) {
      if (!row.state.equals(LISTEN) && pids.containsKey(row.inode)) {
        String connection = row.local + " → " + row.remote + ", " + stateName(row.state);
        return Optional.of(
            new Holder(process(pids.get(row.inode)) + " through its connection " + connection, true));
      }
    }
    for (Row row : rows) {
      if (row.inode.equals("0")) {
        return Optional.of(
            new Holder(
                "a connection in "
                    + stateName(row.state)
                    + " ("
                    + row.local
                    + " → "
                    + row.remote
                    + ") that the kernel releases "
                    + releaseTime(row.state),
                false));
      }
    }
    return Optional.empty();
  }

  private static String process(long pid) {
    String cmd = ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("?");
    return "pid " + pid + " (" + cmd + ")";
  }

  private static String releaseTime(String state) {
    if (state.equals(TIME_WAIT)) {
      return "within 60 s";
    }
    if (state.equals(FIN_WAIT_2)) {
      try {
        // readAllLines, not readString: a sysctl file read in pieces ends after its first byte.
        String seconds = Files.readAllLines(PROC.resolve("sys/net/ipv4/tcp_fin_timeout")).get(0).trim();
        return "within " + seconds + " s (net.ipv4.tcp_fin_timeout)";
      } catch (IOException | RuntimeException e) {
        return "within net.ipv4.tcp_fin_timeout (60 s by default)";
      }
    }
    return "once its closing handshake ends or times out";
  }

  private static String stateName(String state) {
    switch (state) {
      case "01":
        return "ESTABLISHED";
      case "02":
        return "SYN-SENT";
      case "03":
        return "SYN-RECV";
      case "04":
        return "FIN-WAIT-1";
      case FIN_WAIT_2:
        return "FIN-WAIT-2";
      case TIME_WAIT:
        return "TIME-WAIT";
      case "07":
        return "CLOSE";
      case "08":
        return "CLOSE-WAIT";
      case "09":
        return "LAST-ACK";
      case LISTEN:
        return "LISTEN";
      case "0B":
        return "CLOSING";
      default:
        return "state " + state;
    }
  }

  /** The process of each inode that a visible process has among its descriptors. */
  private static Map<String, Long> pidsOf(Set<String> inodes) {
    Map<String, Long> pids = new HashMap<>();
    if (inodes.isEmpty()) {
      return pids;
    }
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path proc : procs) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
          for (Path fd : fds) {
            String link = readLink(fd);
            if (link.startsWith("socket:[") && link.endsWith("]")) {
              String inode = link.substring("socket:[".length(), link.length() - 1);
              if (inodes.contains(inode)) {
                pids.putIfAbsent(inode, Long.parseLong(proc.getFileName().toString()));
              }
            }
          }
        } catch (IOException | SecurityException e) {
          // Not ours to look at, or gone.
        }
        if (pids.size() == inodes.size()) {
          break;
        }
      }
    } catch (IOException e) {
      // No /proc: nothing to say.
    }
    return pids;
  }

  private static String readLink(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }

  /** A socket of /proc/net/tcp or tcp6 whose local port is {@code port}. */
  private static final class Row {
    final String local;
    final String remote;
    final String state;
    final String inode;

    Row(String local, String remote, String state, String inode) {
      this.local = local;
      this.remote = remote;
      this.state = state;
      this.inode = inode;
    }
  }

  /** The sockets on local port {@code port} in /proc/net/{@code table}. */
  private static List<Row> rowsOn(int port, String table) {
    List<Row> rows = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(PROC.resolve("net").resolve(table));
    } catch (IOException e) {
      return rows;
    }
    String hexPort = String.format(":%04X", port);
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.trim().split("\\s+");
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      if (f.length > 9 && f[1].endsWith(hexPort)) {
        rows.add(new Row(endpoint(f[1]), endpoint(f[2]), f[3], f[9]));
      }
    }
    return rows;
  }

  /**
   * "127.0.0.1:42184" or "[::1]:42184" from the kernel's "0100007F:A4C8": the address is written as
   * 32-bit words in the machine's byte order, the port in network order.
   */
  static String endpoint(String hex) {
    int colon = hex.indexOf(':');
    String address = hex.substring(0, colon);
    int port = Integer.parseInt(hex.substring(colon + 1), 16);
    byte[] bytes = new byte[address.length() / 2];
    boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        int at = word * 8 + (little ? (3 - b) * 2 : b * 2);
        bytes[word * 4 + b] = (byte) Integer.parseInt(address.substring(at, at + 2), 16);
      }
    }
    try {
      InetAddress inet = InetAddress.getByAddress(bytes); // IPv4-mapped IPv6 comes back as IPv4
      String text = inet.getHostAddress();
      return (text.indexOf(':') >= 0 ? "[" + text + "]" : text) + ":" + port;
    } catch (UnknownHostException e) {
      return hex;
    }
  }
}
