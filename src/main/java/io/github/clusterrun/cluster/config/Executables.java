package io.github.clusterrun.cluster.config;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/** Finds the node program: relative to the project's base directory first, then on {@code PATH}. */
final class Executables {
  private Executables() {}

  static Path resolve(String executable, Path baseDirectory, Map<String, String> env)
      throws ConfigException {
    return resolve("executable", executable, baseDirectory, env);
  }

  /** As {@link #resolve(String, Path, Map)}, for the program named by the POM element {@code element}. */
  static Path resolve(String element, String executable, Path baseDirectory, Map<String, String> env)
      throws ConfigException {
    if (executable == null || executable.isBlank()) {
      throw new ConfigException(
          element,
          "is missing: the plugin needs the program that runs one node",
          "set <executable>${project.basedir}/bin/node.sh</executable> (or"
              + " -Dcluster.executable=...)");
    }
    String name = executable.trim();
    Path candidate = baseDirectory.resolve(name).normalize();
    if (Files.isRegularFile(candidate)) {
      return requireExecutable(element, candidate, name);
    }
    boolean bareName = !name.contains("/") && !name.contains(File.separator);
    if (bareName) {
      String path = env.getOrDefault("PATH", "");
      for (String entry : path.split(File.pathSeparator)) {
        if (entry.isEmpty()) {
          continue;
        }
        Path onPath = Paths.get(entry).resolve(name);
        if (Files.isRegularFile(onPath) && Files.isExecutable(onPath)) {
          return onPath.toAbsolutePath();
        }
      }
    }
    throw new ConfigException(
        element,
        "is '"
            + name
            + "', which is not a file in "
            + baseDirectory
            + (bareName ? " nor a program on PATH" : ""),
        "point <executable> at the node program, e.g. ${project.basedir}/bin/node.sh");
  }

  private static Path requireExecutable(String element, Path file, String name)
      throws ConfigException {
    if (!Files.isExecutable(file)) {
      throw new ConfigException(
          element,
          "is '" + name + "', which exists but is not executable",
          "run chmod +x " + file + ", or set <executable> to the interpreter (e.g. /bin/sh) and"
              + " pass the script in <arguments>");
    }
    return file;
  }
}
