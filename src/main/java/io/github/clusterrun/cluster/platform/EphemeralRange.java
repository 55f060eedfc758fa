package io.github.clusterrun.cluster.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Optional;

/**
 * The ports the system gives out as source ports of outgoing connections: its ephemeral range,
 * less the ports reserved from it (Linux's {@code ip_local_reserved_ports}).
 */
public final class EphemeralRange {
  private static final Path LINUX = Paths.get("/proc/sys/net/ipv4/ip_local_port_range");
  private static final Path LINUX_RESERVED = Paths.get("/proc/sys/net/ipv4/ip_local_reserved_ports");

  public final int first;
  public final int last;
  /** Where the range comes from, e.g. the /proc file or "the default of Mac OS X". */
  public final String source;
  /** Linux's list of reserved ports, e.g. "8080,42180-42188"; empty for none. */
  private final String reserved;

  public EphemeralRange(int first, int last, String source) {
    this(first, last, source, "");
  }

  public EphemeralRange(int first, int last, String source, String reserved) {
    this.first = first;
    this.last = last;
    this.source = source;
    this.reserved = reserved;
  }

  /** Whether the system may give {@code port} out as a source port. */
  public boolean givesOut(int port) {
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
