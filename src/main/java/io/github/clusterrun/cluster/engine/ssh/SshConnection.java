package io.github.clusterrun.cluster.engine.ssh;

import io.github.clusterrun.cluster.engine.ssh.SshException.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The build's one SSH connection to a host, through the system's OpenSSH client: a {@link Master}
 * process ({@code ssh -M}) holds the connection, and every command of the build is a channel over
 * it ({@code ssh -S}), so a host costs one connection a build (about 250 ms) and each command
 * about 25 ms. The system's {@code ssh} adds no dependency and honours everything the user set up
 * for it: {@code ~/.ssh/config}, the agent, {@code ProxyJump}, {@code known_hosts}.
 *
 * <p>The master runs a session command on the host, the host's lifeline: its first line of output
 * is the sign that the host is reached and the lifeline runs; then the build writes a {@link
 * Heartbeat} to it every second and, at the end, {@code confirmed} ({@link #confirm()}) or nothing
 * ({@link #cut()}, or the build's death). The master probes a silent host and exits within {@link
 * SshOptions#keepAliveBound()} when the link is cut.
 *
 * <p>Thread-safe: commands may run in parallel over one connection, up to the host's {@code sshd}
 * {@code MaxSessions} (10 by default) channels at once, the lifeline's included. {@link #close()}
 * after the nodes are stopped: it ends the master, and with it every channel.
 */
public final class SshConnection implements AutoCloseable {
  private static final AtomicInteger CONNECTIONS = new AtomicInteger();
  private static final int OUTPUT_LIMIT = 1 << 20;

  private final SshHost host;
  private final SshOptions options;
  private final Path controlDir;
  private final SshCommand command;
  private final Master master;
  private String address;
  private boolean closed;

  /** A command's end over the connection: its exit code and its output, each at most 1 MiB kept. */
  public static final class Result {
    private final int exit;
    private final String stdout;
    private final String stderr;

    Result(int exit, String stdout, String stderr) {
      this.exit = exit;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    /** The remote command's exit code; 255 may also be {@code ssh}'s own failure. */
    public int exit() {
      return exit;
    }

    public String stdout() {
      return stdout;
    }

    public String stderr() {
      return stderr;
    }

    @Override
    public String toString() {
      return "exit " + exit + ", stdout [" + stdout.trim() + "], stderr [" + stderr.trim() + "]";
    }
  }

  private SshConnection(
      SshHost host, SshOptions options, Path controlDir, SshCommand command, Master master) {
    this.host = host;
    this.options = options;
    this.controlDir = controlDir;
    this.command = command;
    this.master = master;
  }

  /**
   * Connects to {@code host} and starts {@code sessionCommand} there (words, quoted here), which
   * must print one line at once (the lifeline's {@code lifeline <pid>}) and then read its stdin
   * until end of file. Returns once that line is read; fails within the connect timeout plus 10 s.
   *
   * @throws SshException classified: unreachable, authentication refused, host key unknown or
   *     changed, or anything else with {@code ssh}'s words
   */
  public static SshConnection open(SshHost host, SshOptions options, List<String> sessionCommand)
      throws SshException {
    Path controlDir;
    try {
      controlDir = ControlDirectory.make(options.controlParent());
    } catch (IOException e) {
      throw new SshException(Kind.OTHER, host, "no directory for ssh's control socket (" + e + ")",
          "make " + options.controlParent() + " writable");
    }
    SshCommand command = new SshCommand(host, options, controlDir);
    try {
      CONNECTIONS.incrementAndGet();
      Master master = Master.start(host, options, command, sessionCommand);
      return new SshConnection(host, options, controlDir, command, master);
    } catch (IOException e) {
      ControlDirectory.delete(controlDir);
      throw new SshException(Kind.OTHER, host, "ssh could not be started (" + e + ")",
          "install the OpenSSH client (ssh) on the build machine");
    } catch (SshException | RuntimeException | Error e) {
      ControlDirectory.delete(controlDir);
      throw e;
    }
  }

  /**
   * Opens a connection to every host in parallel, so that the whole takes as long as the slowest
   * host, at most the connect timeout plus 10 s. When any host fails, closes those that opened and
   * throws one exception naming every host that failed.
   */
  public static List<SshConnection> openAll(
      List<SshHost> hosts, SshOptions options, Function<SshHost, List<String>> sessionCommand)
      throws SshException {
    List<CompletableFuture<SshConnection>> opening = new ArrayList<>();
    for (SshHost host : hosts) {
      CompletableFuture<SshConnection> future = new CompletableFuture<>();
      Thread opener = new Thread(() -> {
        try {
          future.complete(open(host, options, sessionCommand.apply(host)));
        } catch (SshException | RuntimeException | Error e) {
          future.completeExceptionally(e);
        }
      }, "ssh-open-" + host.destination());
      opener.setDaemon(true);
      opener.start();
      opening.add(future);
    }
    List<SshConnection> opened = new ArrayList<>();
    List<SshException> failures = new ArrayList<>();
    for (int i = 0; i < hosts.size(); i++) {
      try {
        opened.add(opening.get(i).join());
      } catch (CompletionException e) {
        failures.add(e.getCause() instanceof SshException
            ? (SshException) e.getCause()
            : new SshException(Kind.OTHER, hosts.get(i), e.getCause().toString(), "report it"));
      }
    }
    if (!failures.isEmpty()) {
      opened.forEach(SshConnection::close);
      throw SshException.ofAll(failures);
    }
    return opened;
  }

  /** How many master connections this JVM has opened (the bench reports connections a build). */
  public static int connectionsMade() {
    return CONNECTIONS.get();
  }

  public SshHost host() {
    return host;
  }

  /** The session command's first line of output, such as {@code lifeline 4242}. */
  public String firstLine() {
    return master.firstLine();
  }

  /** Whether the master, and so the connection, is still there. */
  public boolean alive() {
    return master.alive();
  }

  /** Completes with the master's exit code when the connection ends, whatever ends it. */
  public CompletableFuture<Integer> masterExit() {
    return master.onExit();
  }

  /** What the master's {@code ssh} printed on stderr so far (why it ended, once it ended). */
  public String masterErrors() {
    return master.errors();
  }

  /**
   * Tells the host's lifeline that the build stopped its nodes itself ({@code confirmed}, then end
   * of file); the heartbeat stops. Only the first of {@code confirm} and {@link #cut} counts.
   */
  public void confirm() {
    master.heartbeat().end(true);
  }

  /**
   * Ends the lifeline's stdin without a word, as the build's death does: the heartbeat stops and
   * the lifeline reads end of file. For tests.
   */
  public void cut() {
    master.heartbeat().end(false);
  }

  /**
   * Runs {@code remoteCommand} (words, quoted here for the remote shell) over the connection with
   * {@code stdin} (null for none) on its stdin, and waits for its end.
   *
   * @throws SshException {@code TIMED_OUT} (the local {@code ssh} is killed; the remote command may
   *     still run), {@code CONNECTION_LOST} when the master is gone, or {@code OTHER} when the host
   *     refuses one more channel
   */
  public Result run(List<String> remoteCommand, byte[] stdin, Duration timeout)
      throws SshException {
    Process process = start(remoteCommand, ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.PIPE);
    String name = "ssh-run-" + host.destination();
    Drain out = Drain.start(process.getInputStream(), OUTPUT_LIMIT, name + "-stdout");
    Drain err = Drain.start(process.getErrorStream(), OUTPUT_LIMIT, name + "-stderr");
    feed(process.getOutputStream(), stdin, name + "-stdin");
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        Master.kill(process);
        throw new SshException(Kind.TIMED_OUT, host, "`" + ShellQuote.join(remoteCommand)
            + "` did not end within " + timeout.toMillis() + " ms and was stopped",
            "see why the command hangs on the host");
      }
      out.awaitEnd(timeout);
      err.awaitEnd(timeout);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new SshException(Kind.OTHER, host, "interrupted while running `"
          + ShellQuote.join(remoteCommand) + "`", "none: the build was interrupted");
    }
    Result result = new Result(process.exitValue(), out.text(), err.text());
    if (result.exit() == 255) {
      checkChannel(result.stderr());
    }
    return result;
  }

  /**
   * Starts {@code remoteCommand} as a long-running channel over the connection: the returned
   * process's exit code is the remote command's (255 when {@code ssh} itself failed), its stdin is
   * a pipe to the remote command (to stream data, such as a {@code tar}), never the terminal.
   * Killing the local process closes the channel: the remote command then reads end of file and
   * gets SIGPIPE when it writes, but is not killed.
   *
   * @throws SshException {@code CONNECTION_LOST} when the master is gone
   */
  public Process start(List<String> remoteCommand, ProcessBuilder.Redirect out,
      ProcessBuilder.Redirect err) throws SshException {
    if (!master.alive()) {
      throw lost();
    }
    try {
      return command.channel(remoteCommand).redirectOutput(out).redirectError(err).start();
    } catch (IOException e) {
      throw new SshException(Kind.OTHER, host, "ssh could not be started (" + e + ")",
          "install the OpenSSH client (ssh) on the build machine");
    }
  }

  /** A channel's 255 is ssh's own failure when the master is gone or refused the channel. */
  private void checkChannel(String stderr) throws SshException {
    if (!master.alive()) {
      throw lost();
    }
    if (stderr.contains("administratively prohibited")) {
      throw new SshException(Kind.OTHER, host, "the host refused one more channel ("
          + stderr.trim() + ")", "raise MaxSessions in the host's sshd_config (default 10)");
    }
  }

  private SshException lost() {
    String why = master.errors().trim();
    return new SshException(Kind.CONNECTION_LOST, host,
        "the connection is gone (ssh exited " + master.exitValue()
            + (why.isEmpty() ? "" : ": " + why) + ")",
        "check the network to the host and that the host is up");
  }

  /**
   * The address nodes on this host bind and advertise, as the build machine reaches it: the SSH
   * config's {@code HostName} for the host (or the host as given), as an IP address where it
   * resolves here (see {@link HostAddress}). Computed once.
   */
  public synchronized String address() throws SshException {
    if (address == null) {
      address = HostAddress.of(host, options);
    }
    return address;
  }

  /**
   * Confirms (unless {@link #cut} was called), lets the master end on its own for up to 5 s (so
   * the lifeline reads its last word before the connection closes), then asks it to exit, kills it
   * if it still runs, and deletes the control directory. Safe to call more than once.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    master.end(command);
    ControlDirectory.delete(controlDir);
  }

  /** The connection's control directory, for tests. */
  Path controlDir() {
    return controlDir;
  }

  /** The master's pid, for tests. */
  long masterPid() {
    return master.pid();
  }

  SshCommand command() {
    return command;
  }

  @Override
  public String toString() {
    return "ssh connection to " + host.destination() + (master.alive() ? "" : " (ended)");
  }

  private static void feed(OutputStream stdin, byte[] bytes, String name) {
    Thread writer = new Thread(() -> {
      try (OutputStream out = stdin) {
        if (bytes != null) {
          out.write(bytes);
        }
      } catch (IOException gone) {
        // The command ended without reading it all.
      }
    }, name);
    writer.setDaemon(true);
    writer.start();
  }
}
