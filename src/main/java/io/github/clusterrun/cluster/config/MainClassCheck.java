package io.github.clusterrun.cluster.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

/**
 * Before any node starts: a {@code <mainClass>} node of a project whose classes are not compiled
 * (a fresh clone, {@code mvn cluster:start} alone) would fail with the JVM's "Could not find or load
 * main class". When a directory of the classpath does not exist and the class is in none of its
 * entries, the build stops here, naming the class and the command to run. When every directory
 * exists nothing is read, so a compiled project pays nothing.
 */
public final class MainClassCheck {
  private MainClassCheck() {}

  /**
   * Checks that {@code mainClass} can be found on {@code classpath} (directories and jars) when a
   * directory of it is missing.
   *
   * @throws ConfigException the class is in no entry and a directory is missing
   */
  public static void check(String mainClass, List<String> classpath, String scope) throws ConfigException {
    if (mainClass == null || mainClass.isBlank() || classpath.isEmpty()) {
      return;
    }
    List<Path> missing = new ArrayList<>();
    for (String entry : classpath) {
      Path path = Paths.get(entry);
      if (!Files.exists(path) && !entry.endsWith(".jar")) {
        missing.add(path);
      }
    }
    if (missing.isEmpty() || found(mainClass.trim(), classpath)) {
      return;
    }
    throw new ConfigException(
        "mainClass",
        "is '" + mainClass.trim() + "', which is in none of the " + classpath.size() + " entries of the "
            + scope + " classpath, and " + missing.get(0) + " does not exist: the project is not compiled",
        "compile it first, e.g. mvn test-compile cluster:start, or let the lifecycle do it (mvn verify;"
            + " cluster:run compiles by itself)");
  }

  private static boolean found(String mainClass, List<String> classpath) {
    String file = mainClass.replace('.', '/') + ".class";
    for (String entry : classpath) {
      Path path = Paths.get(entry);
      if (Files.isDirectory(path)) {
        if (Files.isRegularFile(path.resolve(file))) {
          return true;
        }
      } else if (Files.isRegularFile(path)) {
        try (ZipFile jar = new ZipFile(path.toFile())) {
          if (jar.getEntry(file) != null) {
            return true;
          }
        } catch (IOException notAJar) {
          // not a jar: the JVM will not find the class there either
        }
      }
    }
    return false;
  }
}
