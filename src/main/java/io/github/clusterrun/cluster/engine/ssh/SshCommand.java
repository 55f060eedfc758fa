package io.github.clusterrun.cluster.engine.ssh;

import io.github.clusterrun.cluster.family.FamilyMark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code ssh} command lines of one host's connection: the master, channels over it, its exit,
 * and {@code ssh -G}. Every one is launched with the options' launcher and without the nodes' mark
 * in its environment (an {@code ssh} of the build is not a member of any node family).
 *
 * <p>The master's control socket is {@code <controlDir>/m} in a directory of the connection's own:
 * a Unix socket's path is limited to about 104 bytes, and {@code ssh} adds a suffix to it while it
 * binds, so the directory is a short one under {@code /tmp}. Channels pass {@code
 * ProxyCommand=false}: a channel goes through the master or fails, it never silently makes a
 * connection of its own when the master is gone ({@code ssh} falls back to connecting when the
 * socket is missing; a channel never uses the proxy command, a fresh connection would, and fails).
 */
final class SshCommand {
  /** The environment variable of the master that holds a key's passphrase for the askpass script. */
  static final String PASSPHRASE_VARIABLE = "CLUSTER_SSH_KEY_PASSPHRASE";

  private final SshHost host;
  private final SshOptions options;
  private final Path controlDir;

  SshCommand(SshHost host, SshOptions options, Path controlDir) {
    this.host = host;
    this.options = options;
    this.controlDir = controlDir;
  }

  Path socket() {
    return controlDir.resolve("m");
  }

  /**
   * The master: it holds the connection, runs {@code sessionCommand} on the host with its stdin
   * and stdout, and listens on the control socket for channels. It probes the host every {@value
   * SshOptions#KEEP_ALIVE_SECONDS} s when the host is silent and exits after {@value
   * SshOptions#KEEP_ALIVE_COUNT} probes unanswered, which ends the build's side of the lifeline.
   */
  ProcessBuilder master(List<String> sessionCommand) throws IOException {
    List<String> argv = start("INFO");
    argv.add("-M");
    argv.add("-S");
    argv.add(socket().toString());
    argv.add("-o");
    argv.add("ControlPersist=no");
    argv.add("-o");
    argv.add("ServerAliveInterval=" + SshOptions.KEEP_ALIVE_SECONDS);
    argv.add("-o");
    argv.add("ServerAliveCountMax=" + SshOptions.KEEP_ALIVE_COUNT);
    argv.add("-T");
    argv.addAll(options.hostArgs(host));
    argv.add(ShellQuote.join(sessionCommand));
    ProcessBuilder builder = builder(argv);
    Optional<String> passphrase =
        options.credentialsFor(host).flatMap(SshOptions.Credentials::passphrase);
    if (passphrase.isPresent()) {
      Map<String, String> env = builder.environment();
      env.put("SSH_ASKPASS", askpass().toString());
      env.put("SSH_ASKPASS_REQUIRE", "force");
      env.put(PASSPHRASE_VARIABLE, passphrase.get());
    }
    return builder;
  }

  /** A channel over the master running {@code remoteCommand}; its exit code is the command's. */
  ProcessBuilder channel(List<String> remoteCommand) {
    List<String> argv = start("ERROR");
    argv.add("-S");
    argv.add(socket().toString());
    argv.add("-o");
    argv.add("ControlMaster=no");
    argv.add("-o");
    argv.add("ProxyCommand=false");
    argv.add("-T");
    argv.addAll(options.hostArgs(host));
    argv.add(ShellQuote.join(remoteCommand));
    return builder(argv);
  }

  /** Asks the master to close every channel and exit. */
  ProcessBuilder exit() {
    List<String> argv = start("ERROR");
    argv.add("-S");
    argv.add(socket().toString());
    argv.add("-O");
    argv.add("exit");
    argv.addAll(options.hostArgs(host));
    return builder(argv);
  }

  /** {@code ssh -G}: the configuration {@code ssh} would use for the host, without connecting. */
  static ProcessBuilder config(SshHost host, SshOptions options) {
    List<String> argv = new ArrayList<>();
    argv.add("ssh");
    argv.add("-G");
    argv.addAll(options.base());
    argv.addAll(options.hostArgs(host));
    return builder(options, argv);
  }

  /**
   * {@code ssh}, the log level, the options' base. The master logs at {@code INFO}, whatever the
   * user's config says, so that its stderr says why it failed or ended ({@code Timeout, server not
   * responding} is {@code INFO}); channels log only errors, since a node's stderr, and so its
   * console log, is its channel's.
   */
  private List<String> start(String logLevel) {
    List<String> argv = new ArrayList<>();
    argv.add("ssh");
    argv.add("-o");
    argv.add("LogLevel=" + logLevel);
    argv.addAll(options.base());
    return argv;
  }

  private ProcessBuilder builder(List<String> argv) {
    return builder(options, argv);
  }

  private static ProcessBuilder builder(SshOptions options, List<String> argv) {
    ProcessBuilder builder = new ProcessBuilder(options.launch(argv));
    builder.environment().remove(FamilyMark.VARIABLE);
    builder.environment().remove(PASSPHRASE_VARIABLE);
    return builder;
  }

  /**
   * The askpass script, written once, owner-only, in the control directory: it prints the
   * passphrase from its parent's environment when {@code ssh} asks for a key's passphrase, and
   * nothing for any other question (never a password: the host may not see the key's passphrase).
   * The passphrase is in no file and on no command line.
   */
  private Path askpass() throws IOException {
    Path script = controlDir.resolve("askpass");
    if (!Files.exists(script)) {
      String text = "#!/bin/sh\n"
          + "case \"$1\" in *assphrase*) printf '%s\\n' \"$" + PASSPHRASE_VARIABLE + "\" ;; "
          + "*) exit 1 ;; esac\n";
      Files.write(script, text.getBytes(StandardCharsets.UTF_8));
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    }
    return script;
  }
}
