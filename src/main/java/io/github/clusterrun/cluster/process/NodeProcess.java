package io.github.clusterrun.cluster.process;

import java.time.Instant;
import java.util.Optional;

/**
 * One node's root process, as launched in this JVM (with its {@link Process}) or as recorded in the
 * state file by an earlier build (pid, start time and mark only).
 */
public final class NodeProcess {
  private final String name;
  private final String mark;
  private final long pid;
  private final Instant startInstant;
  private final Process process;

  private NodeProcess(String name, String mark, long pid, Instant startInstant, Process process) {
    this.name = name;
    this.mark = mark;
    this.pid = pid;
    this.startInstant = startInstant;
    this.process = process;
  }

  /** A node launched by this JVM. */
  public static NodeProcess launched(String name, String mark, Process process) {
    Instant started = process.toHandle().info().startInstant().orElse(null);
    return new NodeProcess(name, mark, process.pid(), started, process);
  }

  /** A node known only from the recorded state. */
  public static NodeProcess recorded(String name, String mark, long pid, Instant startInstant) {
    return new NodeProcess(name, mark, pid, startInstant, null);
  }

  public String name() {
    return name;
  }

  public String mark() {
    return mark;
  }

  public long pid() {
    return pid;
  }

  /** When the root process started, as the system reports it; null if unknown. */
  public Instant startInstant() {
    return startInstant;
  }

  /** The {@link Process} when this JVM launched the node. */
  public Optional<Process> process() {
    return Optional.ofNullable(process);
  }

  /**
   * The live root process, if the recorded pid still belongs to this node. A pid reused by an
   * unrelated process is never returned: on Linux the process must carry this node's mark, elsewhere
   * its start time must match the recorded one.
   */
  public Optional<ProcessHandle> liveRoot() {
    if (process != null) {
      return process.isAlive() ? Optional.of(process.toHandle()) : Optional.empty();
    }
    if (pid <= 0) {
      return Optional.empty();
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessTable::isAlive);
    if (handle.isEmpty()) {
      return Optional.empty();
    }
    if (ProcessTable.marksReadable()) {
      return ProcessTable.markOf(pid).filter(mark::equals).isPresent() ? handle : Optional.empty();
    }
    Optional<Instant> actual = handle.get().info().startInstant();
    if (startInstant == null || actual.isEmpty()) {
      return Optional.empty();
    }
    long drift = Math.abs(actual.get().toEpochMilli() - startInstant.toEpochMilli());
    return drift <= 10 ? handle : Optional.empty();
  }

  /** The exit code, when this JVM launched the node and it has exited. */
  public Optional<Integer> exitCode() {
    if (process != null && !process.isAlive()) {
      return Optional.of(process.exitValue());
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return name + "(pid " + pid + ")";
  }
}
