package io.github.clusterrun.cluster.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Refuses a cluster directory whose deletion would destroy something that is not the cluster's: a
 * filesystem root, the user's home, the project's base directory or one of its parents, or a
 * symbolic link (deleting through it would reach outside).
 */
public final class DirectoryGuard {
  private DirectoryGuard() {}

  public static void check(Path clusterDirectory, Path baseDirectory) throws ConfigException {
    Path dir = clusterDirectory.toAbsolutePath().normalize();
    Path base = baseDirectory.toAbsolutePath().normalize();
    String fix = "use a directory of its own under the build directory, e.g. ${project.build.directory}/cluster";
    if (dir.getParent() == null) {
      throw new ConfigException("clusterDirectory", "is the filesystem root " + dir, fix);
    }
    String home = System.getProperty("user.home");
    if (home != null && !home.isEmpty() && same(dir, Paths.get(home))) {
      throw new ConfigException("clusterDirectory", "is the home directory " + dir, fix);
    }
    if (base.startsWith(dir)) {
      throw new ConfigException(
          "clusterDirectory",
          "is "
              + dir
              + (dir.equals(base) ? ", the project's base directory" : ", a parent of the project's base directory"),
          fix);
    }
    if (Files.isSymbolicLink(dir)) {
      throw new ConfigException(
          "clusterDirectory",
          "is a symbolic link (" + dir + "); deleting through it would reach outside",
          "point it at a real directory");
    }
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new ConfigException(
          "clusterDirectory", "is " + dir + ", which is a file, not a directory", fix);
    }
  }

  private static boolean same(Path a, Path b) {
    Path nb = b.toAbsolutePath().normalize();
    if (a.equals(nb)) {
      return true;
    }
    try {
      return Files.exists(a) && Files.exists(nb) && Files.isSameFile(a, nb);
    } catch (IOException e) {
      return false;
    }
  }
}
