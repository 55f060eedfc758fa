package io.github.clusterrun.cluster.platform;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Linux, through {@code /proc}: {@code /proc/<pid>/environ} holds the environment a process was
 * started with, so a mark finds every member of a family, including daemons that detached with
 * {@code setsid} or a double fork and were re-parented to init. Zombies ({@code Z} in {@code
 * /proc/<pid>/stat}) count as gone: they hold no resources and their parent or init reaps them.
 */
final class LinuxPlatform implements Platform {
  private static final Path PROC = Paths.get("/proc");
  private static final Path SETSID = Paths.get("/usr/bin/setsid");
  private static final Path SH = Paths.get("/bin/sh");

  private final Optional<Containment> containment = CgroupContainment.find(PROC);
  /** Zombies earlier scans saw; one scan at a time, so that each confirms them as of its start. */
  private final KnownZombies zombies = new KnownZombies(PROC);

  /** Whether this is a Linux with a readable {@code /proc}. */
  static boolean available() {
    return Files.isReadable(PROC.resolve("self/environ"));
  }

  @Override
  public String describe() {
    return "Linux (/proc)";
  }

  @Override
  public boolean readsEnvironments() {
    return true;
  }

  @Override
  public ProcessSnapshot scan(String variable, String valuePrefix) {
    synchronized (zombies) {
      long token = zombies.begin();
      ProcessSnapshot snapshot = scan(variable, valuePrefix, zombies);
      zombies.end(token);
      return snapshot;
    }
  }

  private static ProcessSnapshot scan(String variable, String valuePrefix, KnownZombies zombies) {
    byte[] needle = needle(variable);
    List<ProcessSnapshot.Marked> found = new ArrayList<>();
    Map<Long, List<Long>> children = new HashMap<>();
    Map<Long, Long> groups = new HashMap<>();
    Set<Long> stopped = new HashSet<>();
    Set<Long> foreign = new HashSet<>();
    long self = ProcessHandle.current().pid();
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (isNumber(name)) {
          pids.add(Long.parseLong(name));
        }
      }
    } catch (IOException e) {
      // /proc vanished under us: nothing to report.
    }
    // The newest first: a short-lived process (a family forking fast) is read before it is gone.
    pids.sort(Comparator.reverseOrder());
    for (long pid : pids) {
      if (zombies.isKnown(pid)) {
        continue;
      }
      Optional<ProcStat> stat = ProcStat.read(pid);
      if (stat.isEmpty() || stat.get().ended()) {
        if (stat.isPresent()) {
          zombies.saw(pid);
        }
        continue; // gone, or a zombie
      }
      children.computeIfAbsent(stat.get().parent(), k -> new ArrayList<>()).add(pid);
      groups.put(pid, stat.get().group());
      if (stat.get().stopped() || (stat.get().uninterruptible() && stopPending(pid))) {
        stopped.add(pid);
      }
      if (pid == self) {
        foreign.add(pid); // never of a family, and never to be signalled with its group
        continue;
      }
      byte[] env = environ(pid);
      String value = env == null ? null : valueIn(env, needle);
      if (value != null && value.startsWith(valuePrefix)) {
        found.add(new ProcessSnapshot.Marked(pid, value));
      } else if (env != null && env.length > 0) {
        foreign.add(pid);
      }
    }
    return new ProcessSnapshot(found, children, groups, stopped, foreign, true);
  }

  /** SIGSTOP's bit in the pending-signal masks of /proc/<pid>/status (signal 19 on Linux). */
  private static final long SIGSTOP_BIT = 1L << (19 - 1);

  /**
   * Whether a SIGSTOP is pending for the process (in {@code SigPnd} or {@code ShdPnd} of {@code
   * /proc/<pid>/status}). A process in an uninterruptible wait with a SIGSTOP pending stops before
   * it runs another instruction of its own, so it cannot fork either: it counts as stopped. That is
   * the parent of a {@code vfork} (as dash forks) whose child was stopped before its {@code exec}:
   * the parent waits in the kernel until the child runs again, and never shows 'T' before.
   */
  private static boolean stopPending(long pid) {
    try {
      for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"))) {
        if ((line.startsWith("SigPnd:") || line.startsWith("ShdPnd:"))
            && (Long.parseUnsignedLong(line.substring(7).trim(), 16) & SIGSTOP_BIT) != 0) {
          return true;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Gone, or unreadable: not known to be stopping.
    }
    return false;
  }

  @Override
  public Optional<String> environmentValue(long pid, String variable) {
    return Optional.ofNullable(valueIn(pid, needle(variable)));
  }

  /**
   * The value of a variable in a process's environment, or null. A process in the middle of {@code
   * execve} shows an empty {@code /proc/<pid>/environ} for a moment; taking that for "no mark" would
   * report a live family member as gone, so an empty environment of a live user process is read
   * again a few times. Kernel threads and zombies are empty for good and are not.
   */
  private static String valueIn(long pid, byte[] needle) {
    byte[] env = environ(pid);
    return env == null ? null : valueIn(env, needle);
  }

  /** A process's environment; null when it cannot be read (gone, or not ours to read). */
  private static byte[] environ(long pid) {
    for (int attempt = 0; ; attempt++) {
      byte[] env;
      try {
        env = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
      } catch (IOException | SecurityException e) {
        return null;
      }
      if (env.length > 0 || attempt >= EXEC_RETRIES || emptyForGood(pid)) {
        return env;
      }
      LockSupport.parkNanos(EXEC_RETRY_NANOS);
    }
  }

  private static final int EXEC_RETRIES = 10;
  private static final long EXEC_RETRY_NANOS = 200_000;

  private static boolean emptyForGood(long pid) {
    return ProcStat.read(pid).map(s -> s.ended() || s.kernelThread()).orElse(true);
  }

  private static byte[] needle(String variable) {
    return (variable + "=").getBytes(StandardCharsets.US_ASCII);
  }

  private static String valueIn(byte[] env, byte[] needle) {
    int at = indexOf(env, needle);
    if (at < 0) {
      return null;
    }
    int start = at + needle.length;
    int end = start;
    while (end < env.length && env[end] != 0) {
      end++;
    }
    return new String(env, start, end - start, StandardCharsets.UTF_8);
  }

  private static int indexOf(byte[] env, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= env.length; i++) {
      if (i > 0 && env[i - 1] != 0) {
        continue;
      }
      for (int j = 0; j < needle.length; j++) {
        if (env[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public boolean isAlive(long pid) {
    return ProcStat.read(pid).map(s -> !s.ended()).orElse(false);
  }

  @Override
  public OptionalInt exitCodeOfZombie(long pid) {
    // The last field of /proc/<pid>/stat (52, Linux 3.5+) is the wait status of an exited process.
    String stat;
    try {
      stat = new String(Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("stat")), StandardCharsets.US_ASCII);
    } catch (IOException | SecurityException e) {
      return OptionalInt.empty();
    }
    int close = stat.lastIndexOf(')');
    String[] fields = close < 0 ? new String[0] : stat.substring(close + 2).trim().split(" ");
    if (fields.length < 50 || !fields[0].equals("Z")) {
      return OptionalInt.empty();
    }
    try {
      int status = Integer.parseInt(fields[fields.length - 1]);
      int signal = status & 0x7f;
      return OptionalInt.of(signal != 0 ? 128 + signal : (status >> 8) & 0xff);
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  @Override
  public String describe(long pid) {
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

  @Override
  public boolean signal(Signal signal, Collection<Long> pids, Collection<Long> groups) {
    if (pids.isEmpty() && groups.isEmpty()) {
      return true;
    }
    // The shell's own kill, "-s SIG --" then pids and "-<group>": the one form that dash, bash and
    // procps all read alike.
    List<String> command =
        new ArrayList<>(
            List.of(SH.toString(), "-c", "kill \"$@\" 2>/dev/null", "kill", "-s", signal.name(), "--"));
    pids.forEach(pid -> command.add(Long.toString(pid)));
    groups.forEach(group -> command.add("-" + group));
    return run(command);
  }

  /** Runs a short command to its end; false when it could not run. */
  private static boolean run(List<String> command) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.redirectError(ProcessBuilder.Redirect.DISCARD);
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      builder.start().waitFor();
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public Optional<Containment> containment() {
    return containment;
  }

  @Override
  public Optional<PortHolder.Holder> portHolder(int port) {
    return PortHolder.find(port);
  }

  @Override
  public List<String> detached(List<String> command) {
    if (!Files.isExecutable(SETSID)) {
      return List.copyOf(command);
    }
    List<String> detached = new ArrayList<>();
    detached.add(SETSID.toString());
    detached.addAll(command);
    return detached;
  }

  /**
   * One small {@code /bin/sh} process (no JVM): it reads its stdin until end-of-file, then finds the
   * marked processes in {@code /proc/<pid>/environ} and whether the nodes' cgroups still hold a
   * process, sends SIGTERM, waits up to the grace period, then kills every node cgroup at once
   * ({@code cgroup.kill}) and stops (SIGSTOP: it cannot fork any more) and kills every marked
   * process it finds, until none is left; it removes the cgroups and exits. Three empty scans prove
   * no marked process is left (a process between fork and exec can hide from one); a cgroup's own
   * {@code populated 0} proves the rest. Last, it deletes the nodes' network namespaces, veths and
   * bridge ({@link NodeNetworks}), when the cluster has them. It stays as light as a shell loop can be: it runs when the
   * machine may be at its busiest.
   */
  static final String WATCHDOG_SCRIPT =
      String.join(
          "\n",
          "var=$1; prefix=$2; grace=$3; cg=$4; br=$5; ns=$6",
          NodeNetworks.WATCHDOG_TEARDOWN,
          "finish() { [ -n \"$cg\" ] && [ -d \"$cg\" ] && rmdir \"$cg\"/*/ \"$cg\" 2>/dev/null; nets; exit 0; }",
          "while read -r line; do [ \"$line\" = confirmed ] && finish; done",
          "pids() { grep -lsz \"^$var=$prefix\" /proc/[0-9]*/environ | sed -n 's#^/proc/\\([0-9]*\\)/environ$#\\1#p'; }",
          // A process seen marked stays in the list while it lives, is no zombie, and its environment
          // reads empty (inside an execve, which a grep misses) or still carries the mark (never a
          // pid reused by another process).
          "seen=",
          "still() { for s in $seen; do read -r st 2>/dev/null < /proc/$s/stat || continue;"
              + " case ${st##*) } in Z*|X*) continue;; esac;"
              + " e=$(tr '\\0' '\\n' < /proc/$s/environ 2>/dev/null);"
              + " case $e in '' | *\"$var=$prefix\"*) echo $s;; esac; done; }",
          "populated() { [ -n \"$cg\" ] && grep -qs '^populated 1' \"$cg\"/*/cgroup.events; }",
          "live() { for _ in 1 2 3 4 5; do p=$(pids; still); { [ -n \"$p\" ] || populated; } && seen=$p && return 0;"
              + " sleep 0.02; done; return 1; }",
          "live || finish",
          "kill -s TERM -- $p 2>/dev/null",
          "i=0; while [ $i -lt $((grace * 10)) ]; do live || finish; sleep 0.1; i=$((i + 1)); done",
          "while live; do",
          "  [ -n \"$cg\" ] && for f in \"$cg\"/*/cgroup.kill; do echo 1 > \"$f\"; done 2>/dev/null",
          "  if [ -n \"$p\" ]; then kill -s STOP -- $p 2>/dev/null; kill -s KILL -- $p 2>/dev/null; fi",
          "  sleep 0.05",
          "done",
          "finish",
          "");

  @Override
  public Optional<List<String>> watchdog(
      String variable, String valuePrefix, long graceSeconds, Path clusterGroup, NodeNetworks networks) {
    if (!Files.isExecutable(SH)) {
      return Optional.empty();
    }
    List<String> command = new ArrayList<>();
    command.add(SH.toString());
    command.add("-c");
    command.add(WATCHDOG_SCRIPT);
    command.add("cluster-lifeline");
    command.add(variable);
    command.add(valuePrefix);
    command.add(Long.toString(Math.max(0, graceSeconds)));
    command.add(clusterGroup == null ? "" : clusterGroup.toString());
    command.add(networks == null ? "" : networks.bridge());
    command.add(networks == null ? "" : networks.namespacePrefix());
    return Optional.of(detached(command));
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

  /** The fields of {@code /proc/<pid>/stat} the plugin needs, parsed in this one place. */
  static final class ProcStat {
    private static final long PF_KTHREAD = 0x00200000L;

    private final char state;
    private final long parent;
    private final long group;
    private final long flags;

    private ProcStat(char state, long parent, long group, long flags) {
      this.state = state;
      this.parent = parent;
      this.group = group;
      this.flags = flags;
    }

    /** The stat of a process; empty when it is gone or cannot be read. */
    static Optional<ProcStat> read(long pid) {
      // Read and parsed by hand, bytes into one buffer per thread: a scan reads every process's
      // stat, a thousand and more on some machines, and much of it runs before the JIT has.
      byte[] buf = BUFFER.get();
      int n;
      try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat")) {
        n = in.readNBytes(buf, 0, buf.length);
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
      // The command name (field 2) is in parentheses and may itself hold spaces and parentheses:
      // the fields that follow start after the last ')'. Then: state, parent, group, session,
      // tty, tty group, flags.
      int at = n - 1;
      while (at >= 0 && buf[at] != ')') {
        at--;
      }
      if (at < 0 || at + 3 >= n) {
        return Optional.empty();
      }
      char state = (char) buf[at + 2];
      long[] fields = new long[6];
      int field = 0;
      int i = at + 4;
      while (field < fields.length && i < n) {
        long value = 0;
        boolean negative = buf[i] == '-';
        if (negative) {
          i++;
        }
        while (i < n && buf[i] >= '0' && buf[i] <= '9') {
          value = value * 10 + (buf[i++] - '0');
        }
        fields[field++] = negative ? -value : value;
        i++; // the space
      }
      if (field < fields.length) {
        return Optional.empty();
      }
      // fields[0] the parent, [1] the process group, [5] the flags (field 9 of stat).
      return Optional.of(new ProcStat(state, fields[0], fields[1], fields[5]));
    }

    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[1024]);

    /** A zombie or a dead process: it has ended, only its entry is left. */
    boolean ended() {
      return state == 'Z' || state == 'X';
    }

    /** Stopped by a signal (SIGSTOP) or traced: it runs no code, so it cannot fork. */
    boolean stopped() {
      return state == 'T' || state == 't';
    }

    /** In an uninterruptible wait in the kernel ('D'): it handles signals only once out of it. */
    boolean uninterruptible() {
      return state == 'D';
    }

    boolean kernelThread() {
      return (flags & PF_KTHREAD) != 0;
    }

    long parent() {
      return parent;
    }

    long group() {
      return group;
    }
  }
}
