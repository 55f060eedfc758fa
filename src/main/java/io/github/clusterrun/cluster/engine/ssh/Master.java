package io.github.clusterrun.cluster.engine.ssh;

import io.github.clusterrun.cluster.engine.ssh.SshException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The master {@code ssh} process of a connection: it holds the connection to the host, runs the
 * session command (the host's lifeline) with the build's {@link Heartbeat} on its stdin, and serves
 * channels on its control socket. It counts as open once the session command's first line arrives:
 * that proves the host reached, the user authenticated and the lifeline running. When no line
 * comes, {@code ssh}'s stderr says why, and {@link SshException#classify} turns it into the fix.
 */
final class Master {
  /** Beyond the connect timeout: authentication and the session command's start. */
  static final Duration OPEN_MARGIN = Duration.ofSeconds(10);
  /** How long the master may take to end on its own once the lifeline has its last word. */
  private static final Duration END_ALONE = Duration.ofSeconds(5);
  private static final int ERRORS_LIMIT = 64 << 10;

  private final Process process;
  private final Drain errors;
  private final Heartbeat heartbeat;
  private final String firstLine;
  private final CompletableFuture<Void> sessionEnded;

  private Master(Process process, Drain errors, Heartbeat heartbeat, String firstLine,
      CompletableFuture<Void> sessionEnded) {
    this.process = process;
    this.errors = errors;
    this.heartbeat = heartbeat;
    this.firstLine = firstLine;
    this.sessionEnded = sessionEnded;
  }

  /**
   * Starts the master and waits for the session command's first line, at most the connect timeout
   * plus {@link #OPEN_MARGIN}; the master is gone when this throws.
   */
  static Master start(SshHost host, SshOptions options, SshCommand command,
      List<String> sessionCommand) throws SshException, IOException {
    Process process = command.master(sessionCommand).start();
    try {
      String name = "ssh-" + host.destination();
      Drain errors = Drain.start(process.getErrorStream(), ERRORS_LIMIT, name + "-stderr");
      CompletableFuture<String> first = new CompletableFuture<>();
      CompletableFuture<Void> sessionEnded = new CompletableFuture<>();
      read(process.getInputStream(), first, sessionEnded, name + "-stdout");
      Duration bound = options.connectTimeout().plus(OPEN_MARGIN);
      String line = await(first, bound);
      if (line == null) {
        throw failure(host, options, command, process, errors, first.isDone(), bound);
      }
      Heartbeat heartbeat = Heartbeat.start(process.getOutputStream(), name + "-heartbeat");
      return new Master(process, errors, heartbeat, line, sessionEnded);
    } catch (SshException | RuntimeException | Error e) {
      kill(process);
      throw e;
    }
  }

  String firstLine() {
    return firstLine;
  }

  boolean alive() {
    return process.isAlive();
  }

  CompletableFuture<Integer> onExit() {
    return process.onExit().thenApply(Process::exitValue);
  }

  /** The exit code; only once it has ended. */
  int exitValue() {
    return process.exitValue();
  }

  String errors() {
    return errors.text();
  }

  long pid() {
    return process.pid();
  }

  Heartbeat heartbeat() {
    return heartbeat;
  }

  /**
   * Confirms unless the heartbeat already ended, waits for the lifeline to end (for up to 5 s, so
   * that it reads its last word before the connection closes), then asks the master to exit
   * ({@code ssh -O exit}, which closes every channel still open), and kills it if it still runs.
   */
  void end(SshCommand command) {
    heartbeat.end(true);
    try {
      sessionEnded.get(END_ALONE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // The lifeline did not end: the master is told to exit all the same.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (process.isAlive()) {
        Process exit = command.exit().redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!exit.waitFor(END_ALONE.toMillis(), TimeUnit.MILLISECONDS)) {
          exit.destroyForcibly();
        }
        process.waitFor(END_ALONE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (IOException e) {
      // No ssh for -O exit: the master is killed below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill(process);
  }

  /** Ends a process: SIGTERM, then SIGKILL after 5 s; waits for it, boundedly. */
  static void kill(Process process) {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Reads the master's stdout, the session command's: completes {@code first} with its first line
   * (null at end of file before one), then keeps reading, so that what the lifeline prints later
   * never blocks it, and completes {@code ended} at end of file, when the session command ended.
   */
  private static void read(InputStream stream, CompletableFuture<String> first,
      CompletableFuture<Void> ended, String name) {
    Thread reader = new Thread(() -> {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try (InputStream in = stream) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          for (int i = 0; i < n && !first.isDone(); i++) {
            if (buffer[i] == '\n') {
              first.complete(line.toString(StandardCharsets.UTF_8).trim());
            } else if (line.size() < ERRORS_LIMIT) {
              line.write(buffer[i]);
            }
          }
        }
      } catch (IOException closed) {
        // The master is gone.
      } finally {
        first.complete(null);
        ended.complete(null);
      }
    }, name);
    reader.setDaemon(true);
    reader.start();
  }

  private static String await(CompletableFuture<String> line, Duration bound) {
    try {
      return line.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Why the master gave no first line: ssh's words, classified, once it has ended. At end of
   * file ({@code stdoutEnded}) ssh is failing: it is let end alone, or its words could be cut off
   * by a kill; at the bound it is killed.
   */
  private static SshException failure(SshHost host, SshOptions options, SshCommand command,
      Process process, Drain errors, boolean stdoutEnded, Duration bound) {
    boolean connected = Files.exists(command.socket());
    try {
      if (stdoutEnded) {
        process.waitFor(5, TimeUnit.SECONDS);
      }
      kill(process);
      errors.awaitEnd(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String stderr = errors.text().trim();
    boolean passphrase =
        options.credentialsFor(host).flatMap(SshOptions.Credentials::passphrase).isPresent();
    if (!stderr.isEmpty()) {
      return SshException.classify(host, stderr, passphrase);
    }
    if (stdoutEnded) {
      String exit = process.isAlive() ? "ssh still ran" : "ssh exited " + process.exitValue();
      return new SshException(Kind.OTHER, host, "the session command ended without a line ("
          + exit + ")", "check that sh works on the host");
    }
    if (connected) {
      return new SshException(Kind.OTHER, host, "connected, but the session command printed "
          + "nothing within " + bound.toSeconds() + " s", "check that sh works on the host");
    }
    return new SshException(Kind.UNREACHABLE, host, "no answer within " + bound.toSeconds() + " s",
        "check the address and port, and that sshd runs on the host");
  }
}
