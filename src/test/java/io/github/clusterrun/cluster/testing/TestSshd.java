package io.github.clusterrun.cluster.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * An {@code sshd} of the tests' own, run as the current user (root or not) on {@code 127.0.0.1}
 * and a free high port, for the tests of the SSH layer that every user can run (CI runs the unit
 * tests a second time as an ordinary user). Everything it uses is made per run in a directory the
 * test gives: its host key, a client key it accepts, {@code known_hosts} for {@code
 * [127.0.0.1]:port}, and an empty home for the user's sessions ({@code SetEnv HOME}), so no
 * {@code ~/.bashrc} of this machine runs for a command (root's here cost 400 ms a command).
 *
 * <p>Run as root, {@code sshd} needs its privilege separation directory {@code /run/sshd}; where
 * it is missing (the package installed, the service never started), {@code sshd} runs in a mount
 * namespace of its own with a tmpfs on {@code /run}, so nothing of the machine changes.
 *
 * <p>Every process of its sessions carries {@link #SESSION_VARIABLE} ({@code SetEnv}), so that
 * {@link #close()} finds and stops them all, even those re-parented to init when their session
 * ended (a command a closed channel left running), and waits for them.
 */
public final class TestSshd implements AutoCloseable {
  private static final Path SSHD = Paths.get("/usr/sbin/sshd");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  /** The environment variable of every process of this sshd's sessions; its value is the port. */
  public static final String SESSION_VARIABLE = "CLUSTER_TEST_SSHD";

  private final Path dir;
  private final int port;
  private final Process process;
  private final Thread hook;

  private TestSshd(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.hook = new Thread(this::stop, "test-sshd-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Why no sshd can run here, or null when it can; tests skip with a warning naming it. */
  public static String unavailableReason() {
    if (!Files.isExecutable(SSHD)) {
      return SSHD + " is missing (Debian's openssh-server, which .ci/run installs as root)";
    }
    if (TestHosts.run(Duration.ofSeconds(10), "ssh", "-V").exit != 0) {
      return "the OpenSSH client (ssh) is missing";
    }
    if (isRoot() && !Files.isDirectory(Paths.get("/run/sshd"))
        && !Files.isExecutable(Paths.get("/usr/bin/unshare"))) {
      return "/run/sshd is missing and there is no /usr/bin/unshare to give sshd one of its own";
    }
    return null;
  }

  /**
   * Starts an sshd whose files are in {@code dir} (a test's temporary directory) and waits until it
   * listens.
   */
  public static TestSshd start(Path dir) throws IOException {
    keygen(dir.resolve("host_ed25519"), "");
    keygen(dir.resolve("id_ed25519"), "");
    Files.copy(dir.resolve("id_ed25519.pub"), dir.resolve("authorized_keys"));
    Files.createDirectories(dir.resolve("home"));
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      Process process = launch(dir, port);
      Path log = dir.resolve("sshd.log");
      Await.until("sshd on port " + port + " listening or ended",
          () -> !process.isAlive() || read(log).contains("Server listening on"), START_TIMEOUT);
      if (process.isAlive()) {
        TestSshd sshd = new TestSshd(dir, port, process);
        String hostKey = read(dir.resolve("host_ed25519.pub")).trim();
        String[] parts = hostKey.split(" ");
        write(sshd.knownHosts(), "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1] + "\n");
        writeSshConfig(sshd.sshConfig(), sshd.key(), sshd.knownHosts());
        return sshd;
      }
      // Another process took the port between our probe and sshd's bind: another one.
      last = new IOException("sshd on port " + port + " ended: " + read(log));
    }
    throw last;
  }

  private static Process launch(Path dir, int port) throws IOException {
    Path config = dir.resolve("sshd_config");
    write(config, String.join("\n",
        "Port " + port,
        "ListenAddress 127.0.0.1",
        "HostKey " + dir.resolve("host_ed25519"),
        "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "StrictModes no",
        "UseDNS no",
        "PrintMotd no",
        "PermitRootLogin prohibit-password",
        "SetEnv HOME=" + dir.resolve("home") + " " + SESSION_VARIABLE + "=" + port,
        "PidFile " + dir.resolve("sshd.pid"),
        ""));
    List<String> command = new ArrayList<>();
    String sshd = SSHD + " -D -e -f '" + config + "'";
    if (isRoot() && !Files.isDirectory(Paths.get("/run/sshd"))) {
      command.addAll(List.of("/usr/bin/unshare", "--mount", "--propagation", "private",
          "sh", "-c", "mount -t tmpfs -o mode=0755 cmp-sshd /run && mkdir /run/sshd && exec "
              + sshd));
    } else {
      command.addAll(List.of("sh", "-c", "exec " + sshd));
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()));
    return builder.start();
  }

  /** Makes a key pair at {@code key} and {@code key.pub} with {@code passphrase} ("" for none). */
  public static void keygen(Path key, String passphrase) throws IOException {
    TestHosts.Result made = TestHosts.run(Duration.ofSeconds(30), "ssh-keygen", "-q", "-t", "ed25519",
        "-N", passphrase, "-C", "cluster-maven-plugin-test", "-f", key.toString());
    if (made.exit != 0) {
      throw new IOException("ssh-keygen " + key + ": " + made);
    }
  }

  /**
   * Writes an {@code ssh -F} config for every host: {@code key} only (none when null), host keys
   * checked against {@code knownHosts} only.
   */
  public static void writeSshConfig(Path file, Path key, Path knownHosts) throws IOException {
    write(file, "Host *\n"
        + (key == null ? "" : "  IdentityFile " + key + "\n")
        + "  IdentitiesOnly yes\n"
        + "  UserKnownHostsFile " + knownHosts + "\n"
        + "  GlobalKnownHostsFile /dev/null\n");
  }

  /** Also accepts the public key {@code publicKey}. */
  public void authorize(Path publicKey) throws IOException {
    Files.write(dir.resolve("authorized_keys"), Files.readAllBytes(publicKey),
        StandardOpenOption.APPEND);
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:port}, as {@code <sshHosts>} takes it. */
  public String destination() {
    return "127.0.0.1:" + port;
  }

  /** The client key this sshd accepts. */
  public Path key() {
    return dir.resolve("id_ed25519");
  }

  /** {@code known_hosts} with this sshd's key for {@code [127.0.0.1]:port}. */
  public Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  /** An {@code ssh -F} config with {@link #key()} and {@link #knownHosts()}. */
  public Path sshConfig() {
    return dir.resolve("ssh_config");
  }

  /** The home of the user's sessions, empty unless a test writes in it. */
  public Path home() {
    return dir.resolve("home");
  }

  /** How many connections this sshd has accepted (authenticated) so far, read from its log. */
  public int acceptedConnections() {
    return (int) read(dir.resolve("sshd.log")).lines()
        .filter(line -> line.startsWith("Accepted publickey")).count();
  }

  /** Whether any process of this sshd (itself or a session's) is alive. */
  public boolean anyProcessAlive() {
    return process.isAlive() || !sessionProcesses().isEmpty();
  }

  /** The live processes that carry this sshd's {@link #SESSION_VARIABLE}, read from /proc. */
  public List<ProcessHandle> sessionProcesses() {
    byte[] mark = ("\0" + SESSION_VARIABLE + "=" + port + "\0").getBytes(StandardCharsets.UTF_8);
    return ProcessHandle.allProcesses().filter(p -> {
      try {
        byte[] environ = Files.readAllBytes(Paths.get("/proc/" + p.pid() + "/environ"));
        byte[] padded = new byte[environ.length + 1];
        System.arraycopy(environ, 0, padded, 1, environ.length);
        return indexOf(padded, mark) >= 0;
      } catch (IOException | SecurityException goneOrNotOurs) {
        return false;
      }
    }).collect(Collectors.toList());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Stops sshd and every process of its sessions, and waits for them; harmless twice. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // Called during the JVM's shutdown: the hook runs stop() anyway.
    }
  }

  private synchronized void stop() {
    // Its sessions' processes first (sshd does not end them when it ends), then sshd.
    List<ProcessHandle> all = process.descendants().collect(Collectors.toList());
    all.addAll(sessionProcesses());
    all.forEach(ProcessHandle::destroyForcibly);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Await.until("every process of sshd on port " + port + " gone",
        () -> all.stream().noneMatch(ProcessHandle::isAlive) && sessionProcesses().isEmpty(),
        Duration.ofSeconds(10));
  }

  private static boolean isRoot() {
    return TestHosts.run(Duration.ofSeconds(10), "id", "-u").out.trim().equals("0");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static void write(Path file, String text) throws IOException {
    Files.write(file, text.getBytes(StandardCharsets.UTF_8));
  }
}
