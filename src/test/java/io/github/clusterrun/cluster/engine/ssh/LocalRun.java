package io.github.clusterrun.cluster.engine.ssh;

import io.github.clusterrun.cluster.family.FamilyMark;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link RemoteScript} on this machine as the plugin runs it on a host ({@code sh -c <text>
 * cluster-remote <op> <args>}), without the family mark in its environment, and keeps what it said.
 */
final class LocalRun {
  static final String VAR = FamilyMark.VARIABLE;
  /**
   * The shell that runs the script: {@code sh} as on a host, or another with {@code -Dremote.shell}
   * ({@code bash}: the {@code sh} of Red Hat's hosts).
   */
  static final String SHELL = System.getProperty("remote.shell", "sh");

  final int exit;
  final String out;
  final String err;

  private LocalRun(int exit, String out, String err) {
    this.exit = exit;
    this.out = out;
    this.err = err;
  }

  static LocalRun of(String op, String... args) {
    return with(Map.of(), op, args);
  }

  /** Runs {@code op} with {@code env} added to the environment, to its end (60 s at most). */
  static LocalRun with(Map<String, String> env, String op, String... args) {
    try {
      File err = File.createTempFile("remote-sh", ".err");
      try {
        Process process = start(env, op, args, ProcessBuilder.Redirect.to(err));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("cluster-remote " + op + " did not end: " + out);
        }
        return new LocalRun(process.exitValue(), out, Files.readString(err.toPath()));
      } finally {
        Files.deleteIfExists(err.toPath());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Starts {@code op}, its stdin and stdout pipes, its stderr to {@code err}. */
  static Process start(Map<String, String> env, String op, String[] args, ProcessBuilder.Redirect err)
      throws IOException {
    List<String> command = new ArrayList<>(RemoteScript.command(op, args));
    command.set(0, SHELL);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove(VAR);
    builder.environment().putAll(env);
    builder.redirectError(err);
    return builder.start();
  }

  /** Starts {@code op} with its stderr appended to {@code log}. */
  static Process start(Path log, Map<String, String> env, String op, String... args) throws IOException {
    return start(env, op, args, ProcessBuilder.Redirect.appendTo(log.toFile()));
  }

  /** The output, expected to come from a run that ended well. */
  String ok() {
    if (exit != 0) {
      throw new AssertionError("exit " + exit + ", stderr: " + err + ", stdout: " + out);
    }
    return out;
  }

  List<String> lines() {
    return out.lines().collect(java.util.stream.Collectors.toList());
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n" + out + err;
  }
}
