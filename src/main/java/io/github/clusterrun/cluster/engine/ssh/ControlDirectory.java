package io.github.clusterrun.cluster.engine.ssh;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The directory of a connection's control socket: fresh, owner-only (whoever can reach the socket
 * can run commands on the host), and short, since a Unix socket's path is limited to about 104
 * bytes. Deleted when the connection closes; a build killed with {@code kill -9} cannot, so each
 * new one also deletes the empty ones left over an hour ago (a live connection's holds its socket,
 * and a directory is only deleted when empty).
 */
final class ControlDirectory {
  static final String PREFIX = "cmp-ssh";
  private static final Duration STALE = Duration.ofHours(1);

  private ControlDirectory() {}

  /** A fresh directory in {@code parent}, after deleting the stale ones there. */
  static Path make(Path parent) throws IOException {
    deleteStale(parent);
    return Files.createTempDirectory(parent, PREFIX,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  private static void deleteStale(Path parent) {
    Instant before = Instant.now().minus(STALE);
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, PREFIX + "*")) {
      for (Path dir : dirs) {
        try {
          if (Files.isDirectory(dir) && Files.isWritable(dir)
              && Files.getLastModifiedTime(dir).toInstant().isBefore(before)) {
            Files.delete(dir); // fails unless empty
          }
        } catch (IOException inUseOrNotOurs) {
          // Not empty, or another user's: not ours to delete.
        }
      }
    } catch (IOException unreadable) {
      // Nothing to tidy.
    }
  }

  /** Deletes {@code dir} and what is in it (the askpass script, a socket left behind). */
  static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // Already gone, or unreadable: nothing of the connection in it matters any more.
    }
  }
}
