package io.github.clusterrun.cluster.platform;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Names the process that holds a TCP port, on Linux: the socket's inode from {@code /proc/net/tcp}
 * and {@code tcp6}, then the process with that socket among its descriptors. Without permission to
 * look, it says nothing.
 */
final class PortHolder {
  private PortHolder() {}

  /** "pid 1234 (python3 -m http.server 4000)", if the holder can be found. */
  static Optional<String> describe(Path proc, int port, Platform platform) {
    Optional<String> inode = inodeOf(proc, port, "tcp").or(() -> inodeOf(proc, port, "tcp6"));
    if (inode.isEmpty()) {
      return Optional.empty();
    }
    String target = "socket:[" + inode.get() + "]";
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path process : procs) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
          for (Path fd : fds) {
            if (target.equals(readLink(fd))) {
              long pid = Long.parseLong(process.getFileName().toString());
              String cmd = platform.describe(pid);
              return Optional.of("pid " + pid + " (" + (cmd.isEmpty() ? "?" : cmd) + ")");
            }
          }
        } catch (IOException | SecurityException e) {
          // Not ours to look at, or gone.
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static String readLink(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return "";
    }
  }

  /** The inode of the socket listening on {@code port}, from /proc/net/tcp or tcp6. */
  private static Optional<String> inodeOf(Path proc, int port, String table) {
    List<String> lines;
    try {
      lines = Files.readAllLines(proc.resolve("net").resolve(table));
    } catch (IOException e) {
      return Optional.empty();
    }
    String hexPort = String.format(":%04X", port);
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.trim().split("\\s+");
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      if (f.length > 9 && f[1].endsWith(hexPort) && "0A".equals(f[3])) {
        return Optional.of(f[9]);
      }
    }
    return Optional.empty();
  }
}
