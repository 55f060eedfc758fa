package io.github.clusterrun.cluster.lifeline;

import io.github.clusterrun.cluster.process.FamilyMark;
import io.github.clusterrun.cluster.process.ProcessTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A watchdog that stops every node family of a cluster if the Maven JVM dies without running its
 * exit hook ({@code kill -9}, the OOM killer, a CI agent killed).
 *
 * <p>It is one small {@code /bin/sh} process per cluster (no JVM), in a session of its own so that
 * Ctrl-C in the terminal does not reach it. Its stdin is a pipe whose only writer is the Maven JVM:
 * the pipe reads end-of-file when the JVM closes it after a confirmed stop, or when the kernel closes
 * it because the JVM died. Then the watchdog finds the cluster's processes by their {@link
 * FamilyMark} in {@code /proc/<pid>/environ}, sends SIGTERM, waits up to its grace period, sends
 * SIGKILL until none is left, and exits. After a normal stop it finds nothing and exits at once, so
 * it never outlives its cluster.
 *
 * <p>Linux only (it reads marks from {@code /proc}); elsewhere {@link #start} returns a lifeline that
 * does nothing and the exit hook is the only guard.
 */
public final class Lifeline {
  static final String SCRIPT =
      "prefix=$1; grace=$2\n"
          + "while read -r _; do :; done\n"
          + "pids() { grep -lsz \"^"
          + FamilyMark.VARIABLE
          + "=$prefix\" /proc/[0-9]*/environ | sed -n 's#^/proc/\\([0-9]*\\)/environ$#\\1#p'; }\n"
          // A process between fork and exec can hide from one scan: three empty scans prove none.
          + "live() { for _ in 1 2 3; do p=$(pids); [ -n \"$p\" ] && return 0; sleep 0.02; done; return 1; }\n"
          + "live || exit 0\n"
          + "kill -TERM $p 2>/dev/null\n"
          + "i=0; while [ $i -lt $((grace * 10)) ]; do live || exit 0; sleep 0.1; i=$((i + 1)); done\n"
          + "while live; do kill -KILL $p 2>/dev/null; sleep 0.1; done\n";

  private static final Path SH = Paths.get("/bin/sh");
  private static final Path SETSID = Paths.get("/usr/bin/setsid");

  private final Process process;

  private Lifeline(Process process) {
    this.process = process;
  }

  /**
   * Starts the watchdog of a cluster.
   *
   * @param graceSeconds how long the watchdog waits after SIGTERM before SIGKILL
   */
  public static Lifeline start(String clusterId, long graceSeconds) throws IOException {
    if (!ProcessTable.marksReadable() || !Files.isExecutable(SH)) {
      return new Lifeline(null);
    }
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      command.add(SETSID.toString());
    }
    command.add(SH.toString());
    command.add("-c");
    command.add(SCRIPT);
    command.add("cluster-lifeline");
    command.add(FamilyMark.clusterPrefix(clusterId));
    command.add(Long.toString(Math.max(0, graceSeconds)));
    ProcessBuilder builder = new ProcessBuilder(command);
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
