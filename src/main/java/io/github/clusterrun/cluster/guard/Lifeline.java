package io.github.clusterrun.cluster.guard;

import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.platform.Platform;
import java.io.IOException;
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
 * Its stdin is a pipe whose only writer is the Maven JVM: the pipe reads end-of-file when the JVM
 * closes it after a confirmed stop, or when the kernel closes it because the JVM died. Then the
 * watchdog ends every process carrying the cluster's {@link FamilyMark}, and exits. After a normal
 * stop it finds nothing and exits at once, so it never outlives its cluster. Where the platform has
 * no watchdog, {@link #start} returns a lifeline that does nothing and the exit hook is the only
 * guard.
 */
public final class Lifeline {
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
    Optional<List<String>> command =
        platform.watchdog(
            FamilyMark.VARIABLE, FamilyMark.clusterPrefix(clusterId), graceSeconds, clusterGroup);
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
   * Closes the pipe once the kill is confirmed: the watchdog finds nothing left and exits. Waits a
   * moment for it so that nothing of the cluster outlives the stop.
   */
  public void release() {
    if (process == null) {
      return;
    }
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // Already closed: the watchdog has its end-of-file.
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
