package io.github.clusterrun.cluster.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A cgroup v2 per node, under the cgroup the Maven JVM runs in: {@code
 * <own cgroup>/cluster-maven-plugin.<cluster id>/<node>}. A node enters its group before it
 * executes (a shell writes its own pid to {@code cgroup.procs}, then {@code exec}s the node), so
 * every process it ever starts is in the group. {@code cgroup.kill} ends them all at once and
 * {@code populated 0} in {@code cgroup.events} proves that none is left.
 */
final class CgroupContainment implements Containment {
  private static final String PREFIX = "cluster-maven-plugin.";
  private static final Path SH = Paths.get("/bin/sh");

  private final Path base;

  private CgroupContainment(Path base) {
    this.base = base;
  }

  /**
   * The containment under this JVM's own cgroup v2, if there is one with {@code cgroup.kill} (Linux
   * 5.14+). Whether the user may create groups there shows only when a cluster asks for one.
   */
  static Optional<Containment> find(Path proc) {
    try {
      Optional<Path> mount = cgroup2Mount(proc);
      Optional<String> own = ownCgroup(proc);
      if (mount.isEmpty() || own.isEmpty() || !Files.isExecutable(SH)) {
        return Optional.empty();
      }
      Path base = mount.get().resolve(own.get().substring(1)).normalize();
      if (!Files.isRegularFile(base.resolve("cgroup.procs"))
          || !Files.exists(mount.get().resolve("cgroup.controllers"))) {
        return Optional.empty();
      }
      return Optional.of(new CgroupContainment(base));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The mount point of the cgroup v2 hierarchy, from {@code /proc/self/mountinfo}. */
  private static Optional<Path> cgroup2Mount(Path proc) throws IOException {
    for (String line : Files.readAllLines(proc.resolve("self/mountinfo"))) {
      // id parent major:minor root mount-point options [optional fields] - fstype source options
      int dash = line.indexOf(" - ");
      if (dash > 0 && line.substring(dash + 3).startsWith("cgroup2 ")) {
        return Optional.of(Paths.get(unescape(line.split(" ")[4])));
      }
    }
    return Optional.empty();
  }

  /** This process's cgroup v2 path ({@code 0::/path} in {@code /proc/self/cgroup}). */
  private static Optional<String> ownCgroup(Path proc) throws IOException {
    for (String line : Files.readAllLines(proc.resolve("self/cgroup"))) {
      if (line.startsWith("0::/")) {
        return Optional.of(line.substring(3));
      }
    }
    return Optional.empty();
  }

  private static String unescape(String mountPoint) {
    return mountPoint.replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\");
  }

  @Override
  public String describe() {
    return "cgroup v2 under " + base;
  }

  @Override
  public Optional<Path> create(String clusterId, String node) {
    Path group = base.resolve(PREFIX + clusterId).resolve(node);
    try {
      Files.createDirectories(group);
      if (!Files.isWritable(group.resolve("cgroup.procs")) || !Files.exists(group.resolve("cgroup.kill"))) {
        remove(group);
        return Optional.empty();
      }
      return Optional.of(group);
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<String> enter(Path group, List<String> command) {
    List<String> entering = new ArrayList<>();
    entering.add(SH.toString());
    entering.add("-c");
    entering.add("echo $$ > \"$0/cgroup.procs\" || exit 126; exec \"$@\"");
    entering.add(group.toString());
    entering.addAll(command);
    return entering;
  }

  @Override
  public Set<Long> members(Path group) {
    Set<Long> pids = new HashSet<>();
    collect(group, pids);
    return pids;
  }

  private static void collect(Path group, Set<Long> pids) {
    try {
      for (String line : Files.readAllLines(group.resolve("cgroup.procs"))) {
        if (!line.isBlank()) {
          pids.add(Long.parseLong(line.trim()));
        }
      }
      if (!hasSubgroups(group)) {
        return; // the usual case: no directory listing, which stats every file of the group
      }
      try (DirectoryStream<Path> children = Files.newDirectoryStream(group, Files::isDirectory)) {
        for (Path child : children) {
          if (!Files.isSymbolicLink(child)) {
            collect(child, pids);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Gone, or not ours to read: nothing in it that we can see.
    }
  }

  /** Whether the group has sub-groups ({@code nr_descendants} in {@code cgroup.stat}); true if unsure. */
  private static boolean hasSubgroups(Path group) {
    try {
      for (String line : Files.readAllLines(group.resolve("cgroup.stat"))) {
        if (line.startsWith("nr_descendants ")) {
          return !line.endsWith(" 0");
        }
      }
    } catch (IOException | RuntimeException e) {
      // Cannot tell: look.
    }
    return true;
  }

  @Override
  public boolean populated(Path group) {
    try {
      for (String line : Files.readAllLines(group.resolve("cgroup.events"))) {
        if (line.startsWith("populated ")) {
          return !line.endsWith(" 0");
        }
      }
      return false;
    } catch (IOException e) {
      return false; // the group is gone
    }
  }

  @Override
  public void kill(Path group) {
    try {
      Files.write(group.resolve("cgroup.kill"), "1".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      // Gone: nothing left to kill.
    }
  }

  @Override
  public void remove(Path group) {
    removeTree(group);
    Path cluster = group.getParent();
    if (cluster != null && cluster.getFileName().toString().startsWith(PREFIX) && !hasSubgroups(cluster)) {
      try {
        Files.deleteIfExists(cluster);
      } catch (IOException e) {
        // Another node's group is still there: the last one removes it.
      }
    }
  }

  /** A group and its sub-groups, deepest first; a cgroup directory is removed with rmdir alone. */
  private static void removeTree(Path group) {
    if (!Files.isDirectory(group, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (hasSubgroups(group)) {
      removeSubgroups(group);
    }
    try {
      Files.deleteIfExists(group);
    } catch (IOException e) {
      // Still populated, or gone: nothing to do.
    }
  }

  private static void removeSubgroups(Path group) {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(group, Files::isDirectory)) {
      for (Path child : children) {
        removeTree(child);
      }
    } catch (IOException e) {
      // Gone meanwhile.
    }
  }
}
