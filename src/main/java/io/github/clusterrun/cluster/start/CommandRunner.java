package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.config.ClusterCommand;
import io.github.clusterrun.cluster.platform.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs one {@code beforeStart} or {@code afterStart} command to its end, as a node is run: detached
 * from the terminal, stdin an empty pipe, stdout and stderr appended to its log file, with the
 * environment (and so the mark) and working directory it is given, in the node's containment group
 * if it has one. The log begins with the full command line ({@link #header}; the build log shows
 * a short form). A command succeeds when it exits 0 within its timeout; with {@code
 * retryUntilSuccess}, failed attempts are run again after {@link #RETRY_PAUSE_MILLIS} ms until one
 * succeeds or the timeout ends. A command still running at its timeout is killed (its root here;
 * the caller stops its whole family by its mark).
 */
final class CommandRunner {
  /** The pause between two attempts of a command that is retried. */
  static final long RETRY_PAUSE_MILLIS = 500;

  private final Platform platform;

  CommandRunner(Platform platform) {
    this.platform = platform;
  }

  /** Why a command failed, for the build error. */
  static final class Failed extends Exception {
    private static final long serialVersionUID = 1L;

    Failed(String why) {
      super(why);
    }
  }

  /**
   * Runs {@code command} (program and resolved arguments) until it succeeds.
   *
   * @param group the containment group to run it in, if any
   * @param stillWanted false once the cluster was stopped meanwhile: nothing more is started
   * @throws Failed when it exits non-zero (every attempt, within the timeout) or runs out of time
   */
  void run(
      ClusterCommand command,
      List<String> commandLine,
      Map<String, String> environment,
      Path workingDirectory,
      Path log,
      Optional<Path> group,
      BooleanSupplier stillWanted)
      throws Failed, InterruptedException {
    run(command, commandLine, log, () -> start(commandLine, environment, workingDirectory, log, group), stillWanted);
  }

  /** How an attempt of a command is started: here, or where its node runs. */
  interface Starter {
    /** Starts one attempt; its output is appended to the command's log. */
    Process start() throws IOException;
  }

  /** As above, each attempt started by {@code starter}. */
  void run(
      ClusterCommand command, List<String> commandLine, Path log, Starter starter, BooleanSupplier stillWanted)
      throws Failed, InterruptedException {
    long timeout = command.timeout().toNanos();
    long deadline = System.nanoTime() + timeout;
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          header(commandLine) + "\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new Failed("could not be started: cannot write its log " + log + ": " + e.getMessage());
    }
    int attempt = 0;
    while (true) {
      if (!stillWanted.getAsBoolean()) {
        throw new InterruptedException("the cluster was stopped");
      }
      attempt++;
      Process process;
      try {
        process = starter.start();
      } catch (IOException e) {
        throw new Failed("could not be started: " + e.getMessage());
      }
      try {
        if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          process.destroyForcibly();
          throw new Failed(
              "did not finish within "
                  + command.timeout().getSeconds()
                  + " s"
                  + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        throw e;
      }
      int code = process.exitValue();
      if (code == 0) {
        return;
      }
      if (!command.retryUntilSuccess()) {
        throw new Failed("exited with code " + code);
      }
      long left = deadline - System.nanoTime();
      if (left < TimeUnit.MILLISECONDS.toNanos(RETRY_PAUSE_MILLIS)) {
        throw new Failed(
            "did not succeed within "
                + command.timeout().getSeconds()
                + " s: "
                + attempt
                + " attempt"
                + (attempt == 1 ? "" : "s")
                + ", the last exited with code "
                + code);
      }
      Thread.sleep(RETRY_PAUSE_MILLIS);
    }
  }

  /**
   * The first line of a command's log: {@code $ } and the full command line, its line breaks and
   * tabs written {@code \n}, {@code \r}, {@code \t} so that it stays one line.
   */
  static String header(List<String> commandLine) {
    return "$ " + String.join(" ", commandLine).replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
  }

  private Process start(
      List<String> commandLine,
      Map<String, String> environment,
      Path workingDirectory,
      Path log,
      Optional<Path> group)
      throws IOException {
    List<String> command = commandLine;
    if (group.isPresent() && platform.containment().isPresent()) {
      command = platform.containment().get().enter(group.get(), command);
    }
    ProcessBuilder builder = new ProcessBuilder(platform.detached(command));
    builder.environment().putAll(environment);
    Files.createDirectories(workingDirectory);
    builder.directory(workingDirectory.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process = builder.start();
    process.getOutputStream().close(); // stdin: an empty pipe, never the console
    return process;
  }
}
