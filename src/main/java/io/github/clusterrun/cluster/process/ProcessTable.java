package io.github.clusterrun.cluster.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads the system's process table to find processes by their {@link FamilyMark}.
 *
 * <p>How each system is handled:
 *
 * <ul>
 *   <li><b>Linux</b>: {@code /proc/<pid>/environ} holds the environment a process was started
 *       with, so the mark finds every member of a family, including daemons that detached with
 *       {@code setsid} or a double fork and were re-parented to init. Zombies ({@code Z} in {@code
 *       /proc/<pid>/stat}) count as gone: they hold no resources and their parent or init reaps them.
 *   <li><b>macOS</b> and other Unix systems without {@code /proc}: the environment of another process
 *       is not readable without privileges ({@code sysctl KERN_PROCARGS2} works for one's own
 *       processes only, and not from the JDK), so families are found by descent ({@link
 *       ProcessHandle#descendants()}) and a daemon that detached from its parent is not found. The
 *       log says so once. A later version could use {@code ps -E} on macOS.
 *   <li><b>Windows</b>: there are no signals; {@link ProcessHandle#destroy()} terminates at once and
 *       families are found by descent. Job objects would be the way to catch detached processes.
 * </ul>
 */
public final class ProcessTable {
  private static final Path PROC = Paths.get("/proc");
  private static final byte[] NEEDLE =
      (FamilyMark.VARIABLE + "=").getBytes(StandardCharsets.US_ASCII);

  private ProcessTable() {}

  /** Whether marks can be read here (Linux with {@code /proc}). */
  public static boolean marksReadable() {
    return Files.isReadable(PROC.resolve("self/environ"));
  }

  /**
   * The live processes whose mark starts with {@code markPrefix} (a whole mark names one node; a
   * {@link FamilyMark#clusterPrefix} names a cluster). Empty where marks are not readable.
   */
  public static List<MarkedProcess> findMarked(String markPrefix) {
    return scan(markPrefix).marked();
  }

  /**
   * One pass over the process table: the live processes carrying a mark with {@code markPrefix},
   * and every live process's parent, so that descendants need no further pass. Empty where marks
   * are not readable.
   */
  public static Snapshot scan(String markPrefix) {
    List<MarkedProcess> found = new ArrayList<>();
    Map<Long, List<Long>> children = new HashMap<>();
    if (!marksReadable()) {
      return new Snapshot(found, children, false);
    }
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!isNumber(name)) {
          continue;
        }
        long pid = Long.parseLong(name);
        long ppid = liveParent(pid);
        if (ppid < 0) {
          continue; // gone, or a zombie
        }
        children.computeIfAbsent(ppid, k -> new ArrayList<>()).add(pid);
        if (pid == self) {
          continue;
        }
        Optional<String> mark = markOf(pid);
        if (mark.isPresent() && mark.get().startsWith(markPrefix)) {
          found.add(new MarkedProcess(pid, mark.get()));
        }
      }
    } catch (IOException e) {
      // /proc vanished under us: nothing to report.
    }
    return new Snapshot(found, children, true);
  }

  /** The parent of a live process, or -1 if it is gone or a zombie. */
  private static long liveParent(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 3);
      char state = fields[0].charAt(0);
      return state == 'Z' || state == 'X' ? -1 : Long.parseLong(fields[1]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** What one {@link #scan} saw. */
  public static final class Snapshot {
    private final List<MarkedProcess> marked;
    private final Map<Long, List<Long>> children;
    private final boolean complete;

    Snapshot(List<MarkedProcess> marked, Map<Long, List<Long>> children, boolean complete) {
      this.marked = marked;
      this.children = children;
      this.complete = complete;
    }

    public List<MarkedProcess> marked() {
      return marked;
    }

    /**
     * The live descendants of {@code root} as the scan saw them; where the table cannot be read,
     * the JDK's {@link ProcessHandle#descendants()}.
     */
    public List<Long> descendants(ProcessHandle root) {
      List<Long> result = new ArrayList<>();
      if (!complete) {
        root.descendants().filter(ProcessHandle::isAlive).forEach(h -> result.add(h.pid()));
        return result;
      }
      ArrayDeque<Long> todo = new ArrayDeque<>(children.getOrDefault(root.pid(), List.of()));
      while (!todo.isEmpty()) {
        long pid = todo.poll();
        result.add(pid);
        todo.addAll(children.getOrDefault(pid, List.of()));
      }
      return result;
    }
  }

  /**
   * The mark in a process's environment, if it has one and it can be read. A process in the middle
   * of {@code execve} shows an empty {@code /proc/<pid>/environ} for a moment; taking that for "no
   * mark" would report a live family member as gone, so an empty environment of a live user
   * process is read again a few times. Kernel threads and zombies are empty for good and are not.
   */
  public static Optional<String> markOf(long pid) {
    for (int attempt = 0; ; attempt++) {
      byte[] env;
      try {
        env = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
      } catch (IOException | SecurityException e) {
        return Optional.empty();
      }
      if (env.length > 0 || attempt >= EXEC_RETRIES || isZombie(pid) || isKernelThread(pid)) {
        return Optional.ofNullable(markIn(env));
      }
      LockSupport.parkNanos(EXEC_RETRY_NANOS);
    }
  }

  private static final int EXEC_RETRIES = 10;
  private static final long EXEC_RETRY_NANOS = 200_000;
  private static final long PF_KTHREAD = 0x00200000L;

  private static String markIn(byte[] env) {
    int at = indexOfVariable(env);
    if (at < 0) {
      return null;
    }
    int start = at + NEEDLE.length;
    int end = start;
    while (end < env.length && env[end] != 0) {
      end++;
    }
    return new String(env, start, end - start, StandardCharsets.UTF_8);
  }

  /** Kernel threads have no environment, ever: the flags of /proc/<pid>/stat say which they are. */
  private static boolean isKernelThread(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields[0] is the state (field 3 of stat); the flags are field 9.
      return (Long.parseLong(fields[6]) & PF_KTHREAD) != 0;
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  private static int indexOfVariable(byte[] env) {
    outer:
    for (int i = 0; i + NEEDLE.length <= env.length; i++) {
      if (i > 0 && env[i - 1] != 0) {
        continue;
      }
      for (int j = 0; j < NEEDLE.length; j++) {
        if (env[i + j] != NEEDLE[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * Whether a process has ended but not been reaped yet. Such a process is gone for every purpose
   * of ours; {@link ProcessHandle#isAlive()} still says true for it.
   */
  public static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      int close = stat.lastIndexOf(')');
      char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
      return state == 'Z' || state == 'X';
    } catch (IOException | SecurityException e) {
      // Gone, or not readable: the caller checks liveness separately.
      return !Files.exists(PROC.resolve(Long.toString(pid)));
    }
  }

  /** Whether a process is alive: exists and is no zombie. */
  public static boolean isAlive(ProcessHandle handle) {
    return handle.isAlive() && !(marksReadable() && isZombie(handle.pid()));
  }

  /** The command line of a process, for messages; empty when it cannot be read. */
  public static String describe(long pid) {
    return ProcessHandle.of(pid)
        .flatMap(h -> h.info().commandLine())
        .orElseGet(() -> readCmdline(pid));
  }

  private static String readCmdline(long pid) {
    try {
      byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
    } catch (IOException | SecurityException e) {
      return "";
    }
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** A live process carrying a mark. */
  public static final class MarkedProcess {
    private final long pid;
    private final String mark;

    MarkedProcess(long pid, String mark) {
      this.pid = pid;
      this.mark = mark;
    }

    public long pid() {
      return pid;
    }

    public String mark() {
      return mark;
    }

    @Override
    public String toString() {
      return pid + "(" + mark + ")";
    }
  }
}
