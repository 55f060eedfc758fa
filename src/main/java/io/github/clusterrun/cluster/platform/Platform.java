package io.github.clusterrun.cluster.platform;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything the plugin asks of the operating system, in one place: the process table (with each
 * process's parent and the environment variable that marks a node family), signals, who holds a
 * port, how to detach a node from the terminal, and the watchdog that outlives the JVM. Nothing
 * outside this package reads {@code /proc} or builds a {@code setsid} command.
 *
 * <p>Two implementations, chosen once per JVM by {@link #current()}:
 *
 * <ul>
 *   <li>{@link LinuxPlatform}: {@code /proc}. Families are found by mark, so a daemon that detached
 *       ({@code setsid}, double fork) is found too; zombies count as gone; a port's holder is named;
 *       nodes run in a session of their own; a lifeline watchdog guards against {@code kill -9}.
 *   <li>{@link JdkPlatform}, everywhere else (macOS, Windows): the JDK's {@link ProcessHandle}.
 *       Families are found by descent only, so a daemon that detached from its node is not found;
 *       there is no watchdog, the JVM's exit hook is the only guard. (Jenkins' {@code ProcessTree}
 *       reads environments on macOS with {@code sysctl KERN_PROCARGS2} and on Windows with WinP: an
 *       implementation of this interface could do the same.)
 * </ul>
 */
public interface Platform {
  /** The platform of this JVM. */
  static Platform current() {
    return Current.PLATFORM;
  }

  /** For messages: "Linux (/proc)". */
  String describe();

  /**
   * Whether the environments of other processes can be read here: then {@link #scan} finds marked
   * processes wherever they are in the process tree.
   */
  boolean readsEnvironments();

  /**
   * One pass over the process table: the live processes whose environment variable {@code
   * variable} starts with {@code valuePrefix}, and every live process's parent. Where
   * environments cannot be read, no marked process and no parents (descendants then come from the
   * JDK).
   */
  ProcessSnapshot scan(String variable, String valuePrefix);

  /** The value of {@code variable} in a live process's environment, if it can be read. */
  Optional<String> environmentValue(long pid, String variable);

  /** Whether a process exists and has not ended (a zombie has ended). */
  boolean isAlive(long pid);

  /**
   * The exit code of a process that has exited but is not yet reaped (a zombie), as the JDK reports
   * one ({@code 128 + signal} for a process a signal ended); empty where it is alive, gone, or the
   * platform cannot tell. The JDK learns of a child's exit only once its reaper thread runs, which
   * lags behind the exit when many children end at once.
   */
  default OptionalInt exitCodeOfZombie(long pid) {
    return OptionalInt.empty();
  }

  /** When a live process started, as the system reports it. */
  default Optional<Instant> startInstant(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant());
  }

  /** The command line of a process, for messages; empty when it cannot be read. */
  String describe(long pid);

  /** Asks a process to end (SIGTERM); nothing if it is gone. */
  default void terminate(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
  }

  /** Ends a process at once (SIGKILL); nothing if it is gone. */
  default void kill(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  /** Signals sent to several processes and process groups at once. */
  enum Signal {
    /** Stops a process where it is: a stopped process runs no code, so it cannot fork. */
    STOP,
    /** Lets a stopped process run again. */
    CONT,
    /** Ends a process at once, stopped or not. */
    KILL
  }

  /**
   * Sends {@code signal} to processes and to whole process groups, in one go. The kernel signals a
   * group atomically: a process forking meanwhile cannot slip out of it. Returns false, having sent
   * nothing, where the platform cannot.
   */
  boolean signal(Signal signal, Collection<Long> pids, Collection<Long> groups);

  /** Kernel-enforced containment of node families, where the platform has one. */
  Optional<Containment> containment();

  /**
   * What holds a TCP port on this machine: a process ("pid 1234 (python3 -m http.server)"), or a
   * connection no process owns any more (TIME-WAIT), where it can tell.
   */
  Optional<PortHolder.Holder> portHolder(int port);

  /** The range the system takes the source ports of outgoing connections from, where known. */
  default Optional<EphemeralRange> ephemeralRange() {
    return EphemeralRange.system();
  }

  /**
   * {@code command} made to run detached from the terminal (a session of its own), so that Ctrl-C
   * reaches Maven and not the process, and the process cannot touch the terminal.
   */
  List<String> detached(List<String> command);

  /**
   * The command of a watchdog that, once its stdin reads end-of-file, ends every process whose
   * {@code variable} starts with {@code valuePrefix} and every process in the node groups under
   * {@code clusterGroup} (a {@link Containment} group, or null): SIGTERM, {@code graceSeconds},
   * then the groups killed and the rest stopped and killed until none is left; then it exits.
   * Empty where there is none.
   */
  default Optional<List<String>> watchdog(
      String variable, String valuePrefix, long graceSeconds, Path clusterGroup) {
    return watchdog(variable, valuePrefix, graceSeconds, clusterGroup, null);
  }

  /**
   * As {@link #watchdog(String, String, long, Path)}; once the processes are gone, the watchdog also
   * deletes {@code networks} (the nodes' network namespaces and bridge, or null for none).
   */
  Optional<List<String>> watchdog(
      String variable, String valuePrefix, long graceSeconds, Path clusterGroup, NodeNetworks networks);

  /** The platform, chosen once. */
  final class Current {
    static final Platform PLATFORM =
        LinuxPlatform.available() ? new LinuxPlatform() : new JdkPlatform();

    private Current() {}
  }
}
