package io.github.clusterrun.cluster.guard;

import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.platform.NodeNetworks;
import io.github.clusterrun.cluster.platform.Platform;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A watchdog that stops every node family of a cluster if the Maven JVM dies without running its
 * exit hook ({@code kill -9}, the OOM killer, a CI agent killed).
 *
 * <p>It is the {@link Platform#watchdog platform's watchdog} (on Linux one small {@code /bin/sh}
 * process per cluster, in a session of its own so that Ctrl-C in the terminal does not reach it).
 * Its stdin is a pipe whose only writer is the Maven JVM. After a confirmed stop the JVM writes
 * {@code confirmed} and closes it, and the watchdog exits at once. When the pipe reads end-of-file
 * without that word, the JVM died: the watchdog ends every process carrying the cluster's {@link
 * FamilyMark}, and exits. Either way it never outlives its cluster. Where the platform has
 * no watchdog, {@link #start} returns a lifeline that does nothing and the exit hook is the only
 * guard.
 */
public final class Lifeline {
  private static final byte[] CONFIRMED = "confirmed\n".getBytes(StandardCharsets.US_ASCII);

  private final Process process;

  private Lifeline(Process process) {
    this.process = process;
  }

  /** A lifeline that guards nothing, for clusters not started by this JVM. */
  public static Lifeline none() {
    return new Lifeline(null);
  }

  /**
   * Starts the watchdog of a cluster.
   *
   * @param graceSeconds how long the watchdog waits after SIGTERM before SIGKILL
   * @param clusterGroup the containment group that holds the nodes' groups, or null
   */
  public static Lifeline start(String clusterId, long graceSeconds, Platform platform, Path clusterGroup)
      throws IOException {
    return start(clusterId, graceSeconds, platform, clusterGroup, null);
  }

  /**
   * As {@link #start(String, long, Platform, Path)}, for a cluster whose local nodes have network
   * namespaces of their own ({@code networks}, or null): the watchdog deletes them too, once the
   * processes are gone, so that no namespace, veth or bridge outlives a killed build.
   */
  public static Lifeline start(
      String clusterId, long graceSeconds, Platform platform, Path clusterGroup, NodeNetworks networks)
      throws IOException {
    Optional<List<String>> command =
        platform.watchdog(
            FamilyMark.VARIABLE, FamilyMark.clusterPrefix(clusterId), graceSeconds, clusterGroup, networks);
    if (command.isEmpty()) {
      return none();
    }
    ProcessBuilder builder = new ProcessBuilder(command.get());
    builder.environment().remove(FamilyMark.VARIABLE);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    return new Lifeline(builder.start());
  }

  /** The watchdog's pid, or -1 where there is none. */
  public long pid() {
    return process == null ? -1 : process.pid();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /**
   * Tells the watchdog that the kill is confirmed, so that it removes the cluster's empty groups and
   * exits at once without scanning for what is left; does not wait for it (a few milliseconds of a
   * shell, not on the stop's path).
   */
  public void confirm() {
    if (process != null) {
      try (OutputStream pipe = process.getOutputStream()) {
        pipe.write(CONFIRMED);
      } catch (IOException ignored) {
        // Already closed, or the watchdog is gone: either way it has its end-of-file.
      }
    }
  }

  /** As {@link #confirm}, and waits for the watchdog to exit. */
  public void release() {
    end(true);
  }

  /**
   * Closes the pipe without a word, as the kernel does when the JVM dies: the watchdog stops
   * whatever carries the cluster's mark, then exits. For tests of the watchdog.
   */
  public void cut() {
    end(false);
  }

  private void end(boolean confirmed) {
    if (process == null) {
      return;
    }
    try (OutputStream pipe = process.getOutputStream()) {
      if (confirmed) {
        pipe.write(CONFIRMED);
      }
    } catch (IOException ignored) {
      // Already closed, or the watchdog is gone: either way it has its end-of-file.
    }
    try {
      if (!process.waitFor(confirmed ? 5 : 30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
