package io.github.clusterrun.cluster.platform;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Short system commands ({@code ip}, {@code tc}, {@code unshare}) run to their end, with their
 * output: the programs found on {@code PATH} or in the system's directories, since {@code sbin} is
 * not on every user's {@code PATH}.
 */
final class SystemCommand {
  private static final List<String> SBIN = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

  private SystemCommand() {}

  /** The path of a program, on {@code PATH} or in the system's directories (sbin is not on every PATH). */
  static Optional<String> find(String name) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(SBIN);
    for (String dir : dirs) {
      if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, name))) {
        return Optional.of(Paths.get(dir, name).toString());
      }
    }
    return Optional.empty();
  }

  static String tool(String name) {
    return find(name).orElse(name);
  }

  static final class Result {
    final int exit;
    final String out;

    Result(int exit, String out) {
      this.exit = exit;
      this.out = out;
    }
  }

  static void exec(String... command) throws IOException {
    Result result = run(List.of(command));
    if (result.exit != 0) {
      throw new IOException(String.join(" ", command) + ": " + result.out.trim());
    }
  }

  /**
   * Runs a short command to its end (at most 30 s); its output and errors together. {@code unset}:
   * variables of this JVM's environment the command must not inherit.
   */
  static Result run(List<String> command, String... unset) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    for (String variable : unset) {
      builder.environment().remove(variable);
    }
    builder.redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process = builder.start();
    String out;
    try (InputStream in = process.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, out + " (killed after 30 s)");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command));
    }
    return new Result(process.exitValue(), out);
  }
}
