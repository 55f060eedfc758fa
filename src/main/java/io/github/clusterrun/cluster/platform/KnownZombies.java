package io.github.clusterrun.cluster.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The zombies that earlier scans of {@code /proc} saw, so that a scan need not read their {@code
 * stat} again. Where init never reaps orphans (some containers) a machine holds thousands of
 * zombies, and reading each one's {@code stat} is most of a scan's cost.
 *
 * <p>A zombie stays a zombie until it is reaped; only then can its pid be given to a new process.
 * The kernel hands out pids cyclically and publishes the last one in {@code
 * /proc/sys/kernel/ns_last_pid}, so every process created since the previous scan has a pid in the
 * cyclic interval from that scan's last pid to this one's. A known zombie outside it is still that
 * zombie; one inside it is read again. The knowledge is dropped when it is older than {@link
 * #MAX_AGE_NANOS} or the interval spans half of the pid space, so that a whole cycle of pids cannot
 * pass unseen between two scans.
 */
final class KnownZombies {
  static final long MAX_AGE_NANOS = 250_000_000L;

  private final Path lastPidFile;
  private final long pidMax;
  private final Set<Long> zombies = new HashSet<>();
  /** The last pid handed out when the known zombies were last confirmed; -1 when none are. */
  private long knownAtPid = -1;

  private long knownAtNanos;

  KnownZombies(Path proc) {
    this.lastPidFile = proc.resolve("sys/kernel/ns_last_pid");
    this.pidMax = readLong(proc.resolve("sys/kernel/pid_max"));
  }

  /**
   * Starts a scan: forgets every known zombie whose pid may have been handed out since the last
   * scan, and returns a token for {@link #end}. Call it before listing {@code /proc}.
   */
  synchronized long begin() {
    long lastPid = pidMax > 0 ? readLong(lastPidFile) : -1;
    long now = System.nanoTime();
    if (lastPid < 0 || knownAtPid < 0 || now - knownAtNanos > MAX_AGE_NANOS) {
      zombies.clear();
    } else {
      long distance = Math.floorMod(lastPid - knownAtPid, pidMax);
      if (distance > pidMax / 2) {
        zombies.clear();
      } else if (distance > 0) {
        zombies.removeIf(pid -> mayBeNew(pid, knownAtPid, lastPid));
      }
    }
    return lastPid;
  }

  /** Whether {@code pid} is a zombie that a scan begun with {@link #begin} need not read. */
  synchronized boolean isKnown(long pid) {
    return zombies.contains(pid);
  }

  synchronized void saw(long pid) {
    zombies.add(pid);
  }

  /** Ends a scan begun with {@code token}: the known zombies are confirmed as of that scan. */
  synchronized void end(long token) {
    if (token < 0) {
      zombies.clear();
      knownAtPid = -1;
      return;
    }
    knownAtPid = token;
    knownAtNanos = System.nanoTime();
  }

  /** Whether {@code pid} lies in the cyclic interval (from, to] of pids handed out. */
  static boolean mayBeNew(long pid, long from, long to) {
    return from <= to ? pid > from && pid <= to : pid > from || pid <= to;
  }

  private static long readLong(Path file) {
    try {
      return Long.parseLong(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException | SecurityException e) {
      return -1;
    }
  }
}
