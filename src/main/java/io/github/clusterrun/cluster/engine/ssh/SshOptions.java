package io.github.clusterrun.cluster.engine.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What every {@code ssh} command of a build shares: the SSH config file, whether new host keys are
 * accepted, the connect timeout, per-host credentials from Maven's {@code settings.xml} and how a
 * command is launched. Immutable; {@code with…} returns a changed copy.
 *
 * <p>The options this class adds on the command line win over the user's SSH config ({@code ssh}
 * takes the first value it sees of each option, and the command line comes first), so that a build
 * never waits for a password prompt ({@code BatchMode}), never runs the user's {@code LocalCommand}
 * or {@code RemoteCommand} and opens none of the user's port forwardings. Everything else
 * (addresses, users, keys, the agent, {@code ProxyJump}, {@code known_hosts}) comes from the
 * user's config as for any {@code ssh}.
 */
public final class SshOptions {
  /** The default bound on establishing a TCP connection and reading the server's banner. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Seconds between the master's keep-alive probes when the host sends nothing. */
  public static final int KEEP_ALIVE_SECONDS = 2;

  /** Unanswered keep-alive probes after which the master gives the host up and exits. */
  public static final int KEEP_ALIVE_COUNT = 3;

  private final Path sshConfig;
  private final boolean acceptNewHostKeys;
  private final Duration connectTimeout;
  private final Map<String, Credentials> credentials;
  private final List<String> extraArgs;
  private final UnaryOperator<List<String>> launcher;
  private final Path controlParent;

  /**
   * A {@code <server>} of Maven's {@code settings.xml} whose id is the host, as Maven's SSH wagon
   * reads it: a user name, a private key file and the key's passphrase, each optional.
   */
  public static final class Credentials {
    private final String user;
    private final Path privateKey;
    private final String passphrase;

    /** Any of the three may be null. */
    public Credentials(String user, Path privateKey, String passphrase) {
      this.user = user == null || user.isEmpty() ? null : user;
      this.privateKey = privateKey;
      this.passphrase = passphrase == null || passphrase.isEmpty() ? null : passphrase;
    }

    public Optional<String> user() {
      return Optional.ofNullable(user);
    }

    public Optional<Path> privateKey() {
      return Optional.ofNullable(privateKey);
    }

    public Optional<String> passphrase() {
      return Optional.ofNullable(passphrase);
    }

    /** Never shows the passphrase, only whether there is one. */
    @Override
    public String toString() {
      return "user " + user + ", key " + privateKey + (passphrase == null ? "" : ", passphrase set");
    }
  }

  private SshOptions(
      Path sshConfig,
      boolean acceptNewHostKeys,
      Duration connectTimeout,
      Map<String, Credentials> credentials,
      List<String> extraArgs,
      UnaryOperator<List<String>> launcher,
      Path controlParent) {
    this.sshConfig = sshConfig;
    this.acceptNewHostKeys = acceptNewHostKeys;
    this.connectTimeout = connectTimeout;
    this.credentials = Collections.unmodifiableMap(new LinkedHashMap<>(credentials));
    this.extraArgs = List.copyOf(extraArgs);
    this.launcher = launcher;
    this.controlParent = controlParent;
  }

  /**
   * The user's SSH config ({@code ~/.ssh/config}), strict host keys, a 10 s connect timeout, no
   * credentials, each command launched as it is, control sockets under {@code /tmp} (or the JVM's
   * temporary directory where there is no {@code /tmp}).
   */
  public static SshOptions defaults() {
    Path tmp = Paths.get("/tmp");
    Path parent = Files.isDirectory(tmp) && Files.isWritable(tmp)
        ? tmp : Paths.get(System.getProperty("java.io.tmpdir"));
    return new SshOptions(null, false, DEFAULT_CONNECT_TIMEOUT, Map.of(), List.of(),
        UnaryOperator.identity(), parent);
  }

  /** {@code ssh -F file} instead of the user's {@code ~/.ssh/config}; null for the user's. */
  public SshOptions withSshConfig(Path file) {
    return new SshOptions(
        file, acceptNewHostKeys, connectTimeout, credentials, extraArgs,
        launcher, controlParent);
  }

  /**
   * Whether a host whose key is not yet known is accepted and its key recorded ({@code
   * StrictHostKeyChecking=accept-new}); a changed key is refused either way.
   */
  public SshOptions withAcceptNewHostKeys(boolean accept) {
    return new SshOptions(
        sshConfig, accept, connectTimeout, credentials, extraArgs,
        launcher, controlParent);
  }

  /** The bound on connecting to a host ({@code ConnectTimeout}, whole seconds, at least 1). */
  public SshOptions withConnectTimeout(Duration timeout) {
    Objects.requireNonNull(timeout);
    return new SshOptions(
        sshConfig, acceptNewHostKeys, timeout, credentials, extraArgs,
        launcher, controlParent);
  }

  /**
   * Credentials (a {@code settings.xml} {@code <server>}) for the host whose {@link
   * SshHost#destination()} or else {@link SshHost#host()} is {@code id}.
   */
  public SshOptions withCredentials(String id, Credentials server) {
    Map<String, Credentials> all = new LinkedHashMap<>(credentials);
    all.put(id, server);
    return new SshOptions(
        sshConfig, acceptNewHostKeys, connectTimeout, all, extraArgs,
        launcher, controlParent);
  }

  /**
   * Arguments placed before the options this class adds on every {@code ssh} command line, so
   * that they win (for tests, and for an option this class does not name).
   */
  public SshOptions withExtraArgs(List<String> args) {
    return new SshOptions(
        sshConfig, acceptNewHostKeys, connectTimeout, credentials, args,
        launcher, controlParent);
  }

  /**
   * How each {@code ssh} command is launched: the engine passes {@code Platform::detached}, so that
   * Ctrl-C in the terminal kills no {@code ssh} process (the exit hook still needs the connection
   * to stop the nodes). It must run the command itself, not a child of it.
   */
  public SshOptions withLauncher(UnaryOperator<List<String>> launch) {
    return new SshOptions(
        sshConfig, acceptNewHostKeys, connectTimeout, credentials, extraArgs,
        launch, controlParent);
  }

  /**
   * Where each connection makes the directory of its control socket: a short path, since a Unix
   * socket's path is limited to about 104 bytes.
   */
  public SshOptions withControlParent(Path parent) {
    Objects.requireNonNull(parent);
    return new SshOptions(sshConfig, acceptNewHostKeys, connectTimeout, credentials, extraArgs,
        launcher, parent);
  }

  public Path controlParent() {
    return controlParent;
  }

  public Optional<Path> sshConfig() {
    return Optional.ofNullable(sshConfig);
  }

  public boolean acceptNewHostKeys() {
    return acceptNewHostKeys;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * How long a master connection outlives a host that stopped answering: the keep-alive probes'
   * bound, {@code KEEP_ALIVE_SECONDS * (KEEP_ALIVE_COUNT + 1)} at most.
   */
  public static Duration keepAliveBound() {
    return Duration.ofSeconds((long) KEEP_ALIVE_SECONDS * (KEEP_ALIVE_COUNT + 1));
  }

  /** The credentials whose id is the host as written, else its host name. */
  public Optional<Credentials> credentialsFor(SshHost host) {
    Credentials byDestination = credentials.get(host.destination());
    return Optional.ofNullable(byDestination != null ? byDestination : credentials.get(host.host()));
  }

  /** {@code command} as the launcher runs it. */
  List<String> launch(List<String> command) {
    return launcher.apply(command);
  }

  /** The arguments every {@code ssh} command of the build starts with, whatever the host. */
  public List<String> base() {
    List<String> args = new ArrayList<>(extraArgs);
    if (sshConfig != null) {
      args.add("-F");
      args.add(sshConfig.toString());
    }
    option(args, "StrictHostKeyChecking", acceptNewHostKeys ? "accept-new" : "yes");
    option(args, "ConnectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
    option(args, "ClearAllForwardings", "yes");
    option(args, "PermitLocalCommand", "no");
    option(args, "RemoteCommand", "none");
    option(args, "EscapeChar", "none");
    return args;
  }

  /**
   * The arguments for one host, after {@link #base()}: batch mode (or, for a key with a passphrase
   * from settings, public keys only, the passphrase coming from {@code SSH_ASKPASS}), the key and
   * user from settings, then {@link SshHost#args()}, which end with the host.
   */
  public List<String> hostArgs(SshHost host) {
    List<String> args = new ArrayList<>();
    Optional<Credentials> server = credentialsFor(host);
    if (server.flatMap(Credentials::passphrase).isPresent()) {
      // Askpass needs BatchMode off; then only keys may be asked for, never a password.
      option(args, "BatchMode", "no");
      option(args, "PasswordAuthentication", "no");
      option(args, "KbdInteractiveAuthentication", "no");
    } else {
      option(args, "BatchMode", "yes");
    }
    Optional<Path> key = server.flatMap(Credentials::privateKey);
    if (key.isPresent()) {
      args.add("-i");
      args.add(key.get().toString());
      option(args, "IdentitiesOnly", "yes");
    }
    Optional<String> user = server.flatMap(Credentials::user);
    if (host.user().isEmpty() && user.isPresent()) {
      args.add("-l");
      args.add(user.get());
    }
    args.addAll(host.args());
    return args;
  }

  private static void option(List<String> args, String name, String value) {
    args.add("-o");
    args.add(name + "=" + value);
  }

  @Override
  public String toString() {
    return "ssh options: config " + (sshConfig == null ? "~/.ssh/config" : sshConfig)
        + (acceptNewHostKeys ? ", new host keys accepted" : ", strict host keys")
        + ", connect timeout " + connectTimeout.toSeconds() + " s"
        + (credentials.isEmpty() ? "" : ", credentials for " + credentials.keySet())
        + (extraArgs.isEmpty() ? "" : ", extra " + extraArgs);
  }
}
