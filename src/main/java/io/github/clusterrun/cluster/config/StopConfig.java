package io.github.clusterrun.cluster.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What {@code stop} and {@code clean} need: they work from the recorded state, so they do not need
 * (or check) the node program and its arguments.
 */
public final class StopConfig {
  private final Path clusterDirectory;
  private final Path baseDirectory;
  private final List<Path> summaryFiles;
  private final CleanupPolicy cleanup;
  private final boolean skipCleanup;
  private final int logTail;
  private final List<String> keepWhen;

  /** The crash artefacts that keep the directories by default: core dumps, JVM crash logs, heap dumps. */
  public static final List<String> DEFAULT_KEEP_WHEN = List.of("core", "core.*", "hs_err_pid*.log", "*.hprof");

  private StopConfig(
      Path clusterDirectory,
      Path baseDirectory,
      List<Path> summaryFiles,
      CleanupPolicy cleanup,
      boolean skipCleanup,
      int logTail,
      List<String> keepWhen) {
    this.clusterDirectory = clusterDirectory;
    this.baseDirectory = baseDirectory;
    this.summaryFiles = Collections.unmodifiableList(new ArrayList<>(summaryFiles));
    this.cleanup = cleanup;
    this.skipCleanup = skipCleanup;
    this.logTail = logTail;
    this.keepWhen = List.copyOf(keepWhen);
  }

  /** As the full {@link #of}, with the default log tail (20 lines) and crash artefact patterns. */
  public static StopConfig of(
      Path clusterDirectory,
      Path baseDirectory,
      List<Path> summaryFiles,
      String cleanup,
      boolean skipCleanup)
      throws ConfigException {
    return of(clusterDirectory, baseDirectory, summaryFiles, cleanup, skipCleanup, 20, DEFAULT_KEEP_WHEN);
  }

  /** Checks the values (the same rules as for {@code start}) and builds the configuration. */
  public static StopConfig of(
      Path clusterDirectory,
      Path baseDirectory,
      List<Path> summaryFiles,
      String cleanup,
      boolean skipCleanup,
      int logTail,
      List<String> keepWhen)
      throws ConfigException {
    Path base = baseDirectory.toAbsolutePath().normalize();
    if (clusterDirectory == null) {
      throw new ConfigException(
          "clusterDirectory",
          "is empty",
          "leave it out to use ${project.build.directory}/cluster, or set a directory");
    }
    Path dir = base.resolve(clusterDirectory).toAbsolutePath().normalize();
    DirectoryGuard.check(dir, base);
    List<Path> summaries = new ArrayList<>();
    for (Path file : summaryFiles) {
      summaries.add(base.resolve(file).toAbsolutePath().normalize());
    }
    if (logTail < 0) {
      throw new ConfigException(
          "logTail", "is " + logTail, "give the number of console log lines to show, or 0 for none");
    }
    List<String> patterns = keepWhen == null ? DEFAULT_KEEP_WHEN : keepWhen;
    for (String pattern : patterns) {
      if (pattern == null || pattern.isBlank() || pattern.contains("/")) {
        throw new ConfigException(
            "keepWhen",
            "has the pattern '" + pattern + "'",
            "give file name patterns such as core.* or hs_err_pid*.log (no directories)");
      }
    }
    return new StopConfig(
        dir, base, summaries, CleanupPolicy.parse(cleanup), skipCleanup, logTail, patterns);
  }

  public Path clusterDirectory() {
    return clusterDirectory;
  }

  public Path baseDirectory() {
    return baseDirectory;
  }

  public List<Path> summaryFiles() {
    return summaryFiles;
  }

  public CleanupPolicy cleanup() {
    return cleanup;
  }

  public boolean skipCleanup() {
    return skipCleanup;
  }

  /** How many lines of each node's console log {@code stop} shows when the tests did not pass. */
  public int logTail() {
    return logTail;
  }

  /** File name patterns (glob) of crash artefacts that keep the directories even after a pass. */
  public List<String> keepWhen() {
    return keepWhen;
  }

  /** The cluster directory as users know it: relative to the project when it lies inside. */
  public String displayDirectory() {
    return clusterDirectory.startsWith(baseDirectory)
        ? baseDirectory.relativize(clusterDirectory).toString()
        : clusterDirectory.toString();
  }

  @Override
  public String toString() {
    return "StopConfig{clusterDirectory="
        + clusterDirectory
        + ", summaryFiles="
        + summaryFiles
        + ", cleanup="
        + cleanup
        + ", skipCleanup="
        + skipCleanup
        + ", logTail="
        + logTail
        + ", keepWhen="
        + keepWhen
        + "}";
  }
}
