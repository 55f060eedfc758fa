package it;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Kills the Maven JVM that runs this build with SIGKILL, as the OOM killer or a CI agent would, then
 * watches the nodes: the plugin's lifeline must stop every one of them within seconds, although
 * Maven ran no exit hook. The verdict goes to lifeline-result.txt in the project for verify.groovy.
 */
class KillMavenIT {
  @Test
  void killMavenWhileTheTestsRun() throws Exception {
    Path clusterDir = Paths.get(System.getProperty("cluster.dir"));
    Properties exported = new Properties();
    try (InputStream in = Files.newInputStream(clusterDir.resolve("cluster.properties"))) {
      exported.load(in);
    }
    List<Long> nodes = new ArrayList<>();
    for (int i = 0; exported.containsKey("cluster.node." + i + ".pid"); i++) {
      nodes.add(Long.parseLong(exported.getProperty("cluster.node." + i + ".pid")));
    }
    ProcessHandle maven = maven().orElseThrow(() -> new AssertionError("no Maven JVM among my ancestors"));
    // Outside target/, which a later mvn clean would delete.
    Path result = clusterDir.getParent().getParent().resolve("lifeline-result.txt");

    long killedAt = System.nanoTime();
    maven.destroyForcibly();
    long deadline = killedAt + TimeUnit.SECONDS.toNanos(20);
    List<Long> alive = nodes;
    while (!alive.isEmpty() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      List<Long> still = new ArrayList<>();
      for (long pid : alive) {
        if (isAlive(pid)) {
          still.add(pid);
        }
      }
      alive = still;
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    // Written whole, then renamed: verify.groovy reads it as soon as it exists.
    Path partial = result.resolveSibling(result.getFileName() + ".tmp");
    Files.writeString(
        partial,
        alive.isEmpty()
            ? "all " + nodes.size() + " nodes gone " + ms + " ms after Maven was killed\n"
            : "still alive after " + ms + " ms: " + alive + "\n");
    Files.move(partial, result, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    // Maven is gone: nobody reads this fork's results. Leave at once.
    Runtime.getRuntime().halt(0);
  }

  private static Optional<ProcessHandle> maven() {
    Optional<ProcessHandle> p = ProcessHandle.current().parent();
    while (p.isPresent()) {
      String cmd = p.get().info().commandLine().orElse("");
      if (cmd.contains("classworlds")) {
        return p;
      }
      p = p.get().parent();
    }
    return Optional.empty();
  }

  /** Alive and not a zombie (an orphaned zombie may never be reaped in a container). */
  private static boolean isAlive(long pid) {
    try {
      String stat = Files.readString(Paths.get("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
