package io.github.clusterrun.cluster.testing;

import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.guard.ExitGuard;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.stop.ConfirmedStop;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Real processes for the tests: launches {@code sh} scripts carrying a family mark, reads {@code
 * /proc} directly (independently of the code under test) to tell whether a pid is gone, and kills
 * whatever a test left behind.
 */
public final class Procs {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Procs() {}

  /** A fresh cluster id, so that tests never see each other's processes. */
  public static String newClusterId() {
    return "test" + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
  }

  /**
   * Starts {@code /bin/sh -c script} with the mark {@code clusterId/nodeName} in its environment,
   * in {@code dir}, its output appended to {@code dir/<nodeName>.out}, its stdin a pipe.
   */
  public static Process startMarked(String clusterId, String nodeName, Path dir, String script)
      throws IOException {
    return startMarked(clusterId, nodeName, dir, List.of("/bin/sh", "-c", script));
  }

  public static Process startMarked(String clusterId, String nodeName, Path dir, List<String> command)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put(FamilyMark.VARIABLE, FamilyMark.of(clusterId, nodeName));
    builder.directory(dir.toFile());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(nodeName + ".out").toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    return builder.start();
  }

  /** Starts an unmarked process (no family mark in its environment). */
  public static Process startUnmarked(Path dir, String script) throws IOException {
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", script);
    builder.environment().remove(FamilyMark.VARIABLE);
    builder.directory(dir.toFile());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return builder.start();
  }

  /** The command that runs the test node program in a fresh JVM, with {@code options}. */
  public static List<String> testNodeCommand(String... options) {
    List<String> command = new ArrayList<>(List.of(javaExecutable().toString()));
    command.addAll(testNodeJvmArguments());
    command.addAll(List.of(options));
    return command;
  }

  /** The JVM arguments before the test node's options: fast start-up, small heap. */
  public static List<String> testNodeJvmArguments() {
    return List.of(
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Xmx64m",
        "-cp",
        testNodeClasspath(),
        "io.github.clusterrun.cluster.testnode.TestNode");
  }

  public static Path javaExecutable() {
    return Paths.get(System.getProperty("java.home"), "bin", "java");
  }

  public static String testNodeClasspath() {
    String cp = System.getProperty("testnode.classpath");
    if (cp == null || cp.isEmpty()) {
      // Run from an IDE: the test classes are on the class path of this JVM.
      return System.getProperty("java.class.path");
    }
    return cp;
  }

  /** Whether {@code pid} is gone: no {@code /proc/<pid>}, or a zombie that only awaits reaping. */
  public static boolean isGone(long pid) {
    Path stat = Paths.get("/proc", Long.toString(pid), "stat");
    try {
      String s = Files.readString(stat);
      int close = s.lastIndexOf(')');
      char state = s.charAt(close + 2);
      return state == 'Z' || state == 'X';
    } catch (IOException e) {
      return true;
    }
  }

  public static boolean isAlive(long pid) {
    return !isGone(pid);
  }

  /** The live pids whose environment has {@code variable} starting with {@code valuePrefix}. */
  public static List<Long> pidsWithEnv(String variable, String valuePrefix) {
    List<Long> pids = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(Paths.get("/proc"))) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        long pid = Long.parseLong(name);
        if (pid == self || isGone(pid)) {
          continue;
        }
        Optional<String> value = env(pid).map(e -> e.get(variable));
        if (value.isPresent() && value.get() != null && value.get().startsWith(valuePrefix)) {
          pids.add(pid);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return pids;
  }

  /**
   * Writes, in {@code dir}, a hostile family: a node script that starts a chain of processes that
   * ignore SIGTERM and in which each forks its successor after about 1 ms and exits, so the chain's
   * pid changes every few milliseconds. The node writes its pid to {@code n0.pid} and honours
   * SIGTERM; the chain's starter ignores SIGTERM from its first line, then writes the chain's process
   * group id to {@code chain.pgid}, then becomes the chain's first member. Wait for both files
   * ({@link #awaitLeapfrog}) before anything signals the family: from then on only SIGKILL ends the
   * chain, whatever reaches it and whenever. {@code detached}: the chain starts with {@code setsid}
   * (a session and process group of its own, stdio closed), else it stays in the node's process
   * group. Returns the node's script (run it with {@code /bin/sh -c} in {@code dir}) under {@link
   * #startMarkedUnderReaper}: on a machine whose init never reaps, every generation would stay a
   * zombie.
   */
  public static String leapfrog(Path dir, boolean detached) throws IOException {
    Files.writeString(dir.resolve("chain.sh"), "trap '' TERM\nsleep 0.001\nsh \"$0\" &\nexit 0\n");
    // SIGTERM ignored before the group is written: its sed and mv, and the chain, inherit that. (A
    // starter that ignored it only once in chain.sh died, or lost its sed, to the stop's SIGTERM to
    // members that appear late, and never wrote the group: issue 17, point 14.)
    Files.writeString(
        dir.resolve("start-chain.sh"),
        "trap '' TERM\n"
            + "sed -n 's/.*) [A-Za-z] [0-9]* \\([0-9]*\\) .*/\\1/p' /proc/$$/stat > chain.tmp"
            + " && mv chain.tmp chain.pgid\nexec sh chain.sh\n");
    return (detached ? "setsid " : "")
        + "sh start-chain.sh </dev/null >/dev/null 2>&1 &"
        + " echo $$ > n0.tmp && mv n0.tmp n0.pid; while :; do sleep 0.1; done";
  }

  /**
   * Waits until the family {@link #leapfrog} wrote in {@code dir} runs: the node has written its
   * pid, the chain (immune to SIGTERM by then) its process group. Returns the chain's group.
   */
  public static long awaitLeapfrog(Path dir) {
    awaitPidFile(dir.resolve("n0.pid"));
    return awaitPidFile(dir.resolve("chain.pgid"));
  }

  /**
   * Starts {@code command} with the mark {@code clusterId/nodeName} under a reaper: a python3
   * process without the mark that is the child subreaper of everything the command starts, reaps
   * each process as it ends and exits once none is left. On a machine whose init never reaps, a
   * family whose members outlive their parents (a fork chain) would otherwise leave a zombie, and
   * its pid taken, per member. Its exit proves that nothing the command started is left.
   */
  public static Process startMarkedUnderReaper(
      String clusterId, String nodeName, Path dir, List<String> command) throws IOException {
    Path reaper = dir.resolve("reaper.py");
    Files.writeString(
        reaper,
        String.join(
            "\n",
            "import ctypes, os, sys",
            "if ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER",
            "    sys.exit('prctl failed')",
            "env = dict(os.environ)",
            "env['" + FamilyMark.VARIABLE + "'] = sys.argv[1]",
            "if os.fork() == 0:",
            "    os.execvpe(sys.argv[2], sys.argv[2:], env)",
            "while True:",
            "    try:",
            "        os.wait()",
            "    except ChildProcessError:",
            "        break",
            ""));
    List<String> argv = new ArrayList<>(List.of(PYTHON3, reaper.toString(), FamilyMark.of(clusterId, nodeName)));
    argv.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().remove(FamilyMark.VARIABLE);
    builder.directory(dir.toFile());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(nodeName + ".out").toFile()));
    return builder.start();
  }

  /** Debian's python3, which {@link #startMarkedUnderReaper} needs. */
  public static final String PYTHON3 = "/usr/bin/python3";

  /** Starts {@code /bin/sh -c script} as {@link #startMarked}, in a session of its own. */
  public static Process startMarkedDetached(String clusterId, String nodeName, Path dir, String script)
      throws IOException {
    return startMarked(clusterId, nodeName, dir, List.of("/usr/bin/setsid", "/bin/sh", "-c", script));
  }

  /**
   * Whether a process group still holds a live process (a zombie is not one: this machine's init
   * never reaps them). Reads every {@code /proc/<pid>/stat}, newest first, 20 times over, so that a
   * group whose members fork faster than one pass is seen alive all the same.
   */
  public static boolean groupAlive(long pgid) {
    for (int pass = 0; pass < 20; pass++) {
      List<Long> pids = new ArrayList<>();
      try (DirectoryStream<Path> procs = Files.newDirectoryStream(Paths.get("/proc"), "[0-9]*")) {
        procs.forEach(p -> pids.add(Long.parseLong(p.getFileName().toString())));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      pids.sort(java.util.Comparator.reverseOrder());
      for (long pid : pids) {
        try {
          String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (Long.parseLong(fields[2]) == pgid && !fields[0].equals("Z") && !fields[0].equals("X")) {
            return true;
          }
        } catch (IOException | RuntimeException gone) {
          // Gone meanwhile.
        }
      }
    }
    return false;
  }

  /** The live pids carrying a mark of {@code clusterId}. */
  public static List<Long> markedPids(String clusterId) {
    return pidsWithEnv(FamilyMark.VARIABLE, FamilyMark.clusterPrefix(clusterId));
  }

  /** The environment a process was started with, as /proc shows it; empty when it is gone. */
  public static Optional<Map<String, String>> env(long pid) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(Paths.get("/proc", Long.toString(pid), "environ"));
    } catch (IOException e) {
      return Optional.empty();
    }
    Map<String, String> env = new java.util.HashMap<>();
    for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return Optional.of(env);
  }

  /** SIGKILLs every live process of {@code pids} and waits until they are gone. */
  public static void killAll(Collection<Long> pids) {
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    Await.until(
        "killed processes " + pids + " to be gone",
        () -> pids.stream().allMatch(Procs::isGone),
        Duration.ofSeconds(10));
  }

  /**
   * Kills every process whose environment has {@code variable} starting with {@code prefix}. A
   * process inside execve shows an empty environment for a moment, so "none left" counts only after
   * several scans in a row found none.
   */
  public static void killWithEnv(String variable, String prefix) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    int emptyScans = 0;
    while (emptyScans < 5) {
      List<Long> left = pidsWithEnv(variable, prefix);
      if (left.isEmpty()) {
        emptyScans++;
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
      } else {
        emptyScans = 0;
        killAll(left);
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("processes with " + variable + "=" + prefix + "* survive: " + left);
      }
    }
  }

  /** Kills every process carrying a mark of {@code clusterId}: a test's {@code @AfterEach}. */
  public static void killMarked(String clusterId) {
    killWithEnv(FamilyMark.VARIABLE, FamilyMark.clusterPrefix(clusterId));
  }

  /** Waits for a pid file written by a script ({@code echo $$ > f.tmp && mv f.tmp f}). */
  public static long awaitPidFile(Path file) {
    return Await.value(
        "pid file " + file,
        () -> {
          try {
            String s = Files.readString(file).trim();
            return s.isEmpty() ? null : Long.parseLong(s);
          } catch (IOException | NumberFormatException e) {
            return null;
          }
        },
        Duration.ofSeconds(20));
  }

  /**
   * After a test: stops the cluster this JVM still runs in {@code clusterDirectory}, if any, then
   * kills whatever its nodes left (they carry CLUSTER_DIR).
   */
  public static void stopClusterIn(Path clusterDirectory, ClusterLog log) throws Exception {
    stopClusterIn(ExitGuard.jvm(), clusterDirectory, log);
  }

  /** As {@link #stopClusterIn(Path, ClusterLog)}, for a cluster {@code guard} holds. */
  public static void stopClusterIn(ExitGuard guard, Path clusterDirectory, ClusterLog log) throws Exception {
    Optional<Cluster> live = guard.find(clusterDirectory);
    if (live.isPresent()) {
      new ConfirmedStop(guard, Platform.current()).stop(live.get(), log);
    }
    killNodesOf(clusterDirectory);
  }

  /** Kills every process a cluster in {@code clusterDirectory} launched (they carry CLUSTER_DIR). */
  public static void killNodesOf(Path clusterDirectory) {
    killWithEnv("CLUSTER_DIR", clusterDirectory.toString());
  }

  /** The live processes that a cluster in {@code clusterDirectory} launched. */
  public static List<Long> nodesOf(Path clusterDirectory) {
    List<Long> pids = new ArrayList<>();
    for (long pid : pidsWithEnv("CLUSTER_DIR", clusterDirectory.toString())) {
      if (env(pid).map(e -> clusterDirectory.toString().equals(e.get("CLUSTER_DIR"))).orElse(false)) {
        pids.add(pid);
      }
    }
    return pids;
  }

  /**
   * Waits until {@code pid} runs {@code program} and shows its environment (its {@code exec} is
   * complete). While a process is inside {@code execve}, /proc/<pid>/environ reads empty, so a mark
   * scan must not race with it.
   */
  public static long awaitExec(long pid, String program) {
    Await.until(
        "pid " + pid + " to run " + program,
        () -> {
          try {
            byte[] raw = Files.readAllBytes(Paths.get("/proc", Long.toString(pid), "cmdline"));
            String argv0 = new String(raw, StandardCharsets.UTF_8).split("\0", 2)[0];
            // The kernel sets the new argv before the new environment: wait for both.
            return (argv0.equals(program) || argv0.endsWith("/" + program))
                && Files.readAllBytes(Paths.get("/proc", Long.toString(pid), "environ")).length > 0;
          } catch (IOException e) {
            return false;
          }
        },
        Duration.ofSeconds(20));
    return pid;
  }

  /** Waits for a pid file, then for that process to have exec'd {@code sleep}. */
  public static long awaitSleeping(Path pidFile) {
    return awaitExec(awaitPidFile(pidFile), "sleep");
  }

  /** The pids of a process's live descendants, as the JDK sees them. */
  public static List<Long> descendants(Process process) {
    List<Long> pids = new ArrayList<>();
    process.toHandle().descendants().forEach(h -> pids.add(h.pid()));
    return pids;
  }
}
