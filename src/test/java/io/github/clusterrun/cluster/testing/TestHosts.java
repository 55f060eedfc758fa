package io.github.clusterrun.cluster.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Hosts of their own for the tests of nodes on other hosts (issue 18), made as root on this
 * machine: one network namespace per host, joined by a veth pair to a bridge of the run, with an
 * address from a private /24 the run picks so that it collides with no route already here; on each
 * host an {@code sshd} of its own (Debian's {@code openssh-server}) in its own PID namespace, UTS
 * namespace (its host name is its name) and mount namespace, where a tmpfs over {@link
 * #remoteDirectory()} holds the host's files, so they exist only there and only SSH reaches them.
 * The key, the host keys and {@code known_hosts} are made per run; each host has its own {@code
 * /etc/hosts} and {@code resolv.conf} ({@code /etc/netns/<name>/}), so a name lookup never waits for
 * a DNS server. The build machine reaches the hosts through the bridge's address; the hosts have no
 * default route, so traffic goes only to them.
 *
 * <p>Each host's PID 1 is {@code sh}, which starts {@code sshd -D} in the background and waits: a
 * waiting {@code sh} reaps every child, adopted orphans included, and exits when {@code sshd} does,
 * which ends the namespace. {@code unshare --kill-child} kills that PID 1 when {@code unshare} is
 * killed, so killing one process ends every process of the host.
 *
 * <p>{@link #close()} removes everything the run made, on every path and more than once without
 * harm; a shutdown hook calls it too, so a failing or interrupted test leaves nothing behind.
 */
public final class TestHosts implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SSHD_TIMEOUT = Duration.ofSeconds(30);

  private final String prefix;
  private final Path runDir;
  private final String subnet;
  private final List<Host> hosts = new ArrayList<>();
  private final List<Process> inits = new ArrayList<>();
  private final Thread hook;
  private boolean bridgeMade;
  private boolean etcNetnsMade;
  private boolean closed;

  /** One host of the run: its name (netns, host name, veth suffix) and its address. */
  public static final class Host {
    private final String name;
    private final String address;
    private final String veth;

    Host(String name, String address, String veth) {
      this.name = name;
      this.address = address;
      this.veth = veth;
    }

    /** The host's name: its network namespace, its host name and its name in its /etc/hosts. */
    public String name() {
      return name;
    }

    /** The host's IPv4 address, reachable from the build machine and from the other hosts. */
    public String address() {
      return address;
    }

    /** The build machine's end of the host's veth pair. */
    public String veth() {
      return veth;
    }
  }

  /** The result of one command: its exit code and its output. */
  public static final class Result {
    /** The exit code, or -1 when the command ran out of time and was killed. */
    public final int exit;

    /** Standard output. */
    public final String out;

    /** Standard error. */
    public final String err;

    Result(int exit, String out, String err) {
      this.exit = exit;
      this.out = out;
      this.err = err;
    }

    @Override
    public String toString() {
      return "exit " + exit + ", out [" + out.trim() + "], err [" + err.trim() + "]";
    }
  }

  private TestHosts(int count) throws IOException {
    prefix = "cmp" + String.format("%05x", RANDOM.nextInt(1 << 20));
    runDir = Files.createTempDirectory(prefix + "-");
    Files.setPosixFilePermissions(runDir, PosixFilePermissions.fromString("rwx------"));
    subnet = freeSubnet();
    hook = new Thread(this::close, prefix + "-teardown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      make(count);
    } catch (IOException | RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /**
   * Why these hosts cannot be made here (not root, no {@code ip netns}, no {@code sshd}), or null
   * when they can; the tests skip with a visible warning naming the reason.
   */
  public static String unavailableReason() {
    Result id = run(Duration.ofSeconds(10), "id", "-u");
    if (id.exit != 0 || !id.out.trim().equals("0")) {
      return "the tests are not root (uid " + id.out.trim() + ")";
    }
    Result netns = run(Duration.ofSeconds(10), "ip", "netns", "list");
    if (netns.exit != 0) {
      return "`ip netns list` failed: " + netns;
    }
    if (!Files.isExecutable(Paths.get("/usr/sbin/sshd"))) {
      return "/usr/sbin/sshd is missing (Debian's openssh-server, which .ci/run installs)";
    }
    if (!Files.isExecutable(Paths.get("/usr/bin/unshare"))) {
      return "/usr/bin/unshare is missing";
    }
    return null;
  }

  /** Makes {@code count} hosts, each with its sshd accepting the run's key. */
  public static TestHosts start(int count) throws IOException {
    return new TestHosts(count);
  }

  /** The run's prefix: every name it makes (netns, bridge, veths, run dir) starts with it. */
  public String prefix() {
    return prefix;
  }

  /** The hosts, in order. */
  public List<Host> hosts() {
    return Collections.unmodifiableList(hosts);
  }

  /** The bridge, whose address on the build machine is {@link #buildMachineAddress()}. */
  public String bridge() {
    return prefix + "br";
  }

  /** The build machine's address in the run's subnet. */
  public String buildMachineAddress() {
    return subnet + ".1";
  }

  /** The directory that holds the run's keys and configurations; only root can read it. */
  public Path runDir() {
    return runDir;
  }

  /**
   * The remote directory: on every host a tmpfs of that host alone is mounted here; on the build
   * machine it is an empty directory of the run.
   */
  public Path remoteDirectory() {
    return runDir.resolve("remote");
  }

  /** The run's private key, accepted by root on every host. */
  public Path key() {
    return runDir.resolve("id_ed25519");
  }

  /** The run's {@code known_hosts}: every host's key under its address and its name. */
  public Path knownHosts() {
    return runDir.resolve("known_hosts");
  }

  /**
   * The {@code ssh} options that reach the hosts with the run's key, checking host keys strictly
   * against the run's {@code known_hosts} and ignoring the user's SSH configuration.
   */
  public List<String> sshOptions() {
    return Arrays.asList(
        "-F", "none",
        "-i", key().toString(),
        "-o", "IdentitiesOnly=yes",
        "-o", "UserKnownHostsFile=" + knownHosts(),
        "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "StrictHostKeyChecking=yes",
        "-o", "BatchMode=yes",
        "-o", "ConnectTimeout=20");
  }

  /** Runs {@code command} on {@code host} as root over SSH. */
  public Result ssh(Host host, String command) {
    List<String> argv = new ArrayList<>();
    argv.add("ssh");
    argv.addAll(sshOptions());
    argv.add("root@" + host.address());
    argv.add(command);
    return run(COMMAND_TIMEOUT, argv.toArray(new String[0]));
  }

  private void make(int count) throws IOException {
    exec("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", prefix, "-f", key().toString());
    Files.copy(runDir.resolve("id_ed25519.pub"), runDir.resolve("authorized_keys"));
    Files.createDirectory(remoteDirectory());
    for (int i = 0; i < count; i++) {
      hosts.add(new Host(prefix + "h" + i, subnet + "." + (10 + i), prefix + "v" + i));
    }
    exec("ip", "link", "add", bridge(), "type", "bridge");
    bridgeMade = true;
    exec("ip", "addr", "add", buildMachineAddress() + "/24", "dev", bridge());
    exec("ip", "link", "set", bridge(), "up");
    StringBuilder etcHosts = new StringBuilder("127.0.0.1 localhost\n");
    for (Host host : hosts) {
      etcHosts.append(host.address).append(' ').append(host.name).append('\n');
    }
    StringBuilder known = new StringBuilder();
    for (Host host : hosts) {
      makeNetwork(host, etcHosts.toString());
      Path hostKey = runDir.resolve(host.name + "_host_ed25519");
      exec("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", host.name, "-f", hostKey.toString());
      String pub = new String(Files.readAllBytes(Paths.get(hostKey + ".pub")), StandardCharsets.UTF_8);
      String[] parts = pub.trim().split(" ");
      known.append(host.address).append(',').append(host.name).append(' ')
          .append(parts[0]).append(' ').append(parts[1]).append('\n');
      startSshd(host, hostKey);
    }
    Files.write(knownHosts(), known.toString().getBytes(StandardCharsets.UTF_8));
    for (Host host : hosts) {
      Await.until("sshd of " + host.name + " listening on " + host.address + ":22",
          () -> accepts(host.address), SSHD_TIMEOUT);
    }
  }

  private void makeNetwork(Host host, String etcHosts) throws IOException {
    Path etc = Paths.get("/etc/netns", host.name);
    if (!Files.isDirectory(etc.getParent())) {
      Files.createDirectories(etc.getParent());
      etcNetnsMade = true;
    }
    Files.createDirectory(etc);
    Files.write(etc.resolve("hosts"), etcHosts.getBytes(StandardCharsets.UTF_8));
    // No DNS server: the resolver asks 127.0.0.1, which refuses at once on the host's loopback.
    Files.write(etc.resolve("resolv.conf"),
        "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n".getBytes(StandardCharsets.UTF_8));
    exec("ip", "netns", "add", host.name);
    String peer = prefix + "p" + host.name.substring(host.name.length() - 1);
    exec("ip", "link", "add", host.veth, "type", "veth", "peer", "name", peer);
    exec("ip", "link", "set", host.veth, "master", bridge());
    exec("ip", "link", "set", host.veth, "up");
    exec("ip", "link", "set", peer, "netns", host.name);
    exec("ip", "-n", host.name, "link", "set", peer, "name", "eth0");
    exec("ip", "-n", host.name, "addr", "add", host.address + "/24", "dev", "eth0");
    exec("ip", "-n", host.name, "link", "set", "eth0", "up");
    exec("ip", "-n", host.name, "link", "set", "lo", "up");
  }

  private void startSshd(Host host, Path hostKey) throws IOException {
    Path config = runDir.resolve(host.name + "_sshd_config");
    String text = String.join("\n",
        "Port 22",
        "ListenAddress " + host.address,
        "HostKey " + hostKey,
        "AuthorizedKeysFile " + runDir.resolve("authorized_keys"),
        "PermitRootLogin prohibit-password",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "StrictModes no",
        "UseDNS no",
        "PrintMotd no",
        "MaxSessions 100",
        "PidFile " + runDir.resolve(host.name + "_sshd.pid"),
        "Subsystem sftp /usr/lib/openssh/sftp-server",
        "");
    Files.write(config, text.getBytes(StandardCharsets.UTF_8));
    // Inside the host's own mount namespace: a tmpfs on /run (for sshd's privilege separation
    // directory, /run/sshd, and nothing of the build machine's /run), an empty home for root (a
    // host has its own: the build machine's root .bashrc, which bash sources for every SSH command,
    // cost 450 ms a command here) and a tmpfs on the remote directory. PID 1 is this sh: it waits, so it reaps every child, and ends with sshd.
    String init = "set -e; mount -t tmpfs -o mode=0755 cmp-run /run; mkdir -m 0755 /run/sshd; "
        + "mount -t tmpfs -o mode=0700 cmp-home /root; "
        + "mount -t tmpfs -o mode=0755 " + host.name + " '" + remoteDirectory() + "'; "
        + "hostname " + host.name + "; "
        + "/usr/sbin/sshd -D -e -f '" + config + "' & wait";
    ProcessBuilder builder = new ProcessBuilder("ip", "netns", "exec", host.name,
        "unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "--mount", "--uts",
        "--propagation", "private", "sh", "-c", init);
    builder.redirectErrorStream(true);
    builder.redirectOutput(runDir.resolve(host.name + "_sshd.log").toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()));
    inits.add(builder.start());
  }

  private static boolean accepts(String address) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, 22), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Removes everything the run made: every process of every host (killing each host's {@code
   * unshare} kills its PID 1, and with it every process in its PID namespace, and its mounts go with
   * its mount namespace), the network namespaces, {@code /etc/netns/<name>}, the veths, the bridge,
   * the run directory, and {@code /etc/netns} itself when the run made it. Safe to call more than
   * once and from the shutdown hook.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Process init : inits) {
      init.destroyForcibly();
    }
    for (Host host : hosts) {
      Path marker = Paths.get("/run/netns", host.name);
      if (Files.exists(marker)) {
        // Whatever is still in the namespace (nothing once PID 1 is gone), killed and awaited.
        Await.until("no process left in " + host.name, () -> {
          Result pids = run(Duration.ofSeconds(10), "ip", "netns", "pids", host.name);
          for (String pid : pids.out.trim().split("\\s+")) {
            if (!pid.isEmpty()) {
              run(Duration.ofSeconds(10), "kill", "-9", pid);
            }
          }
          return pids.exit == 0 && pids.out.trim().isEmpty();
        }, Duration.ofSeconds(30));
        run(COMMAND_TIMEOUT, "ip", "netns", "del", host.name);
      }
      run(COMMAND_TIMEOUT, "ip", "link", "del", host.veth);
      deleteTree(Paths.get("/etc/netns", host.name));
    }
    for (Process init : inits) {
      try {
        init.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (bridgeMade) {
      run(COMMAND_TIMEOUT, "ip", "link", "del", bridge());
    }
    if (etcNetnsMade) {
      try {
        Files.deleteIfExists(Paths.get("/etc/netns"));
      } catch (IOException inUseByAnotherRun) {
        // Not empty: another run's hosts are in it; that run removes its own.
      }
    }
    deleteTree(runDir);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // Called by the hook itself.
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A private 10.x.y /24 free on this machine, as the plugin's node namespaces choose theirs. */
  private static String freeSubnet() {
    try {
      return io.github.clusterrun.cluster.platform.NodeNetworks.freeSubnet();
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }


  private static void exec(String... command) throws IOException {
    Result result = run(COMMAND_TIMEOUT, command);
    if (result.exit != 0) {
      throw new IOException(String.join(" ", command) + ": " + result);
    }
  }

  /** Runs a command on the build machine, killed after {@code timeout}. */
  public static Result run(Duration timeout, String... command) {
    try {
      Process process = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()))
          .start();
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        return new Result(-1, out.join(), err.join() + " (killed after " + timeout + ")");
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      return new Result(-1, "", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "", e.toString());
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (InputStream in = stream) {
        text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        text.complete(e.toString());
      }
    }, "test-hosts-drain");
    reader.setDaemon(true);
    reader.start();
    return text;
  }
}
