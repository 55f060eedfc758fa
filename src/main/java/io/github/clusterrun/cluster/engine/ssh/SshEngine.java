package io.github.clusterrun.cluster.engine.ssh;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.engine.Engine;
import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.family.FamilyStopper;
import io.github.clusterrun.cluster.family.NodeStop;
import io.github.clusterrun.cluster.family.StopReport;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.NetRule;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.Place;
import io.github.clusterrun.cluster.model.SshSettings;
import io.github.clusterrun.cluster.model.StopOrder;
import io.github.clusterrun.cluster.platform.Platform;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Nodes on one host, reached over one SSH connection per build ({@link SshConnection}, OpenSSH
 * multiplexed), whose session is the host's lifeline ({@code remote.sh lifeline}): a heartbeat a
 * second from this JVM; at end of file (Maven killed) or {@value #LIFELINE_BOUND_SECONDS} s without a
 * beat (the link is down) the host stops every family of the cluster by itself. Every operation on
 * the host is one command over that connection, running {@link RemoteScript}: families are found
 * by their mark in the host's {@code /proc}, as on the build machine.
 *
 * <p>A node runs in its directory under the cluster's remote directory, its output appended to its
 * console log there; it is launched over a channel that stays open while it runs, so the local end
 * of that channel exits with the node's exit code, and the node's stdin is a pipe this JVM owns. A
 * follower ({@code tail -F}, ending with the node) copies the console log as it grows into the
 * node's console log on the build machine, where {@code <log>} readiness and the evidence read it.
 */
public final class SshEngine implements Engine {
  /** Seconds without a heartbeat after which a host's lifeline stops the cluster's families there. */
  public static final int LIFELINE_BOUND_SECONDS = 10;

  static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(60);

  private final SshConnection connection;
  private final Place place;
  private final SshSettings settings;
  private final String clusterId;
  private final ClusterLog log;
  private final Map<String, Process> followers = new ConcurrentHashMap<>();
  private volatile String classpath;

  private SshEngine(SshConnection connection, Place place, SshSettings settings, String clusterId, ClusterLog log) {
    this.connection = connection;
    this.place = place;
    this.settings = settings;
    this.clusterId = clusterId;
    this.log = log;
  }

  /**
   * Connects to {@code host}.
   *
   * @param lifeline whether the connection's session is the host's lifeline for the cluster (a build
   *     that runs the cluster), or a session that guards nothing (a build that only looks at it or
   *     stops it)
   * @param graceSeconds how long the lifeline waits between SIGTERM and SIGKILL
   */
  public static SshEngine open(
      String host,
      SshSettings settings,
      String clusterId,
      long graceSeconds,
      boolean lifeline,
      Platform platform,
      ClusterLog log)
      throws ClusterException {
    SshHost target;
    try {
      target = SshHost.parse(host);
    } catch (IllegalArgumentException e) {
      throw new ClusterException(host + ": " + e.getMessage());
    }
    SshOptions options =
        SshLogins.options()
            .withSshConfig(settings.sshConfig().orElse(null))
            .withAcceptNewHostKeys(settings.acceptNewHostKeys())
            .withLauncher(platform::detached);
    List<String> session =
        lifeline
            ? RemoteScript.command(
                "lifeline",
                FamilyMark.VARIABLE,
                FamilyMark.clusterPrefix(clusterId),
                Long.toString(graceSeconds),
                Integer.toString(LIFELINE_BOUND_SECONDS),
                // The cluster's firewall rules of a user who is not root went through sudo: the
                // lifeline removes them through sudo -n, which never prompts.
                "sudo")
            : List.of("sh", "-c", "echo lifeline $$; exec cat >/dev/null");
    SshConnection connection;
    try {
      connection = SshConnection.open(target, options, session);
    } catch (SshException e) {
      throw new ClusterException(host + ": " + e.getMessage());
    }
    return new SshEngine(
        connection, Place.ssh(host, connection.address()), settings, clusterId, log);
  }

  @Override
  public Place place() {
    return place;
  }

  /**
   * Checks, before any node starts, that the cluster can run on this host: its remote directory can
   * be made and written, {@code fixedPorts} are free there, and {@code java} (a program, or null
   * when no node is a {@code <mainClass>}) is there.
   */
  public void check(List<Integer> fixedPorts, String java) throws ClusterException {
    List<String> problems = new ArrayList<>();
    String out = run("check", settings.remoteDirectory(), java == null ? "0" : java);
    for (String line : out.split("\n")) {
      if (line.equals("java missing")) {
        problems.add(
            "java".equals(java)
                ? "no java on the PATH of its user, which the <mainClass> nodes need: install a JDK there, or set"
                    + " <javaExecutable> to the path of its bin/java"
                : "no program " + java + " (<javaExecutable>) there: give the path of bin/java of a JDK of the host");
      }
      if (line.startsWith("dir fail")) {
        problems.add(
            "the remote directory "
                + settings.remoteDirectory()
                + " cannot be written ("
                + line.substring("dir fail".length()).trim()
                + "): set <remoteDirectory> (-Dcluster.remoteDirectory) to a directory the user may write there");
      }
    }
    if (!fixedPorts.isEmpty()) {
      List<String> args = new ArrayList<>();
      fixedPorts.forEach(p -> args.add(Integer.toString(p)));
      List<String> inUse = new ArrayList<>();
      for (String line : run("inuse", args.toArray(new String[0])).split("\n")) {
        if (line.startsWith("inuse ")) {
          inUse.add(line.substring(6).trim());
        }
      }
      if (!inUse.isEmpty()) {
        problems.add(
            "port" + (inUse.size() == 1 ? " " : "s ") + String.join(", ", inUse)
                + " of <basePort> already in use there: choose another <basePort>, or leave it out for free ports");
      }
    }
    if (!problems.isEmpty()) {
      throw new ClusterException(place.sshHost() + ": " + String.join("; ", problems));
    }
  }

  /**
   * Copies the classpath {@code entries} of the build machine into this host's cache ({@link
   * ClasspathCache}); returns the classpath as the host's {@code java} takes it.
   */
  public String shipClasspath(List<String> entries) throws ClusterException {
    return new ClasspathCache(connection, place.sshHost(), settings.remoteDirectory(), log).ship(entries);
  }

  /** Records the classpath {@link #shipClasspath} made for this host. */
  public void useClasspath(String shipped) {
    this.classpath = shipped;
  }

  @Override
  public String classpath(String local) {
    return classpath == null ? local : classpath;
  }

  /** Removes the cluster's remote directory if it is empty (as a failed check may leave it). */
  public void removeEmptyDirectory() {
    try {
      run("delete", settings.remoteDirectory());
    } catch (ClusterException e) {
      log.debug("Could not remove " + settings.remoteDirectory() + " on " + place.sshHost() + ": " + e.getMessage());
    }
  }

  /** {@code count} ports free on this host, outside its ephemeral range. */
  public List<Integer> freePorts(int count) throws ClusterException {
    List<Integer> ports = new ArrayList<>();
    for (String line : run("ports", Integer.toString(count)).split("\n")) {
      line = line.trim();
      if (!line.isEmpty() && Character.isDigit(line.charAt(0))) {
        ports.add(Integer.parseInt(line));
      }
    }
    if (ports.size() < count) {
      throw new ClusterException(place.sshHost() + ": found " + ports.size() + " free ports of " + count);
    }
    return ports;
  }

  @Override
  public void prepare(List<Node> nodes, Path stagedIn) throws IOException {
    // The node directories of this host in one stream and one command: each made anew there.
    List<String> names = new ArrayList<>();
    nodes.forEach(n -> names.add(n.name()));
    byte[] files = tar(stagedIn, names.toArray(new String[0]));
    List<String> command = new ArrayList<>();
    command.add("sh");
    command.add("-c");
    command.add("mkdir -p \"$1\" && cd \"$1\" && shift && rm -rf -- \"$@\" && exec tar -xf -");
    command.add("sh");
    command.add(settings.remoteDirectory());
    command.addAll(names);
    SshConnection.Result made = io(() -> connection.run(command, files, OPERATION_TIMEOUT));
    if (made.exit() != 0) {
      throw new IOException(
          "cannot make " + String.join(", ", names) + " in " + settings.remoteDirectory() + " on " + place.sshHost()
              + ": " + made.stderr().trim());
    }
  }

  /** A tar stream of {@code entries} of {@code dir} (all of it by default), made by the system's tar. */
  static byte[] tar(Path dir, String... entries) throws IOException {
    List<String> command = new ArrayList<>(List.of("tar", "-C", dir.toString(), "-cf", "-"));
    command.addAll(entries.length == 0 ? List.of(".") : List.of(entries));
    Process tar = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    tar.getOutputStream().close();
    byte[] bytes;
    try (InputStream in = tar.getInputStream()) {
      bytes = in.readAllBytes();
    }
    try {
      if (tar.waitFor() != 0) {
        throw new IOException("tar of " + dir + " " + String.join(" ", entries) + " failed (exit " + tar.exitValue() + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    return bytes;
  }

  @Override
  public Process start(Node node, List<String> command, Map<String, String> environment, Path log)
      throws IOException {
    List<String> args = new ArrayList<>(List.of(node.mark(), node.workingDirectory().toString(), "-"));
    environment.forEach((k, v) -> args.add(k + "=" + v));
    args.addAll(command);
    List<String> remote = RemoteScript.command("run", args.toArray(new String[0]));
    Files.createDirectories(log.getParent());
    Process process =
        io(() -> connection.start(
            remote, ProcessBuilder.Redirect.appendTo(log.toFile()), ProcessBuilder.Redirect.appendTo(log.toFile())));
    process.getOutputStream().close();
    return process;
  }

  @Override
  public Launched launch(Node node, Path consoleLog) throws IOException {
    String remoteLog = settings.nodeDirectory(node.name()) + "/logs/console.log";
    List<String> args = new ArrayList<>(List.of(node.mark(), node.workingDirectory().toString(), remoteLog));
    node.environment().forEach((k, v) -> args.add(k + "=" + v));
    args.addAll(node.command());
    List<String> remote = RemoteScript.command("run", args.toArray(new String[0]));
    Process process = io(() -> connection.start(remote, ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.DISCARD));
    String first = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    long pid;
    try {
      pid = Long.parseLong(first == null ? "" : first.trim());
    } catch (NumberFormatException e) {
      process.destroyForcibly();
      throw new IOException(
          "the host did not say the node's pid (it said " + first + "): the channel may have been refused;"
              + " sshd's MaxSessions (10 by default) bounds the channels of one connection, and a node takes"
              + " two (its launch and its log)");
    }
    follow(node, pid, remoteLog, consoleLog);
    return new Launched(process, pid);
  }

  /** Copies what the node writes to its console log there into {@code consoleLog} here, until it ends. */
  private void follow(Node node, long pid, String remoteLog, Path consoleLog) throws IOException {
    Files.createDirectories(consoleLog.getParent());
    long from = Files.exists(consoleLog) ? Files.size(consoleLog) : 0;
    List<String> remote =
        List.of(
            "env",
            FamilyMark.VARIABLE + "=" + FamilyMark.of(clusterId, "log-" + node.name()),
            "tail", "-c", "+" + (from + 1), "-s", "0.2", "--pid=" + pid, "-F", remoteLog);
    Process follower =
        io(() -> connection.start(
            remote, ProcessBuilder.Redirect.appendTo(consoleLog.toFile()), ProcessBuilder.Redirect.DISCARD));
    follower.getOutputStream().close();
    Process before = followers.put(node.name(), follower);
    if (before != null) {
      before.destroy();
    }
  }

  @Override
  public java.util.Set<String> running(Cluster here) throws ClusterException {
    java.util.Set<String> running = new java.util.LinkedHashSet<>();
    String out = run("scan", FamilyMark.VARIABLE, FamilyMark.clusterPrefix(here.id()));
    for (Node node : here.nodes()) {
      for (String line : out.split("\n")) {
        String[] f = line.trim().split(" ");
        if (f.length == 3 && f[0].equals("proc") && f[1].equals(Long.toString(node.pid())) && f[2].equals(node.mark())) {
          running.add(node.name());
        }
      }
    }
    return running;
  }

  @Override
  public StopReport stop(Cluster here, FamilyStopper.StepListener listener) throws ClusterException {
    List<List<Node>> steps = new ArrayList<>();
    List<Node> nodes = here.nodes();
    if (here.stopOrder() == StopOrder.PARALLEL || nodes.size() <= 1) {
      steps.add(nodes);
    } else {
      for (Node node : nodes) {
        steps.add(List.of(node));
      }
      if (here.stopOrder() == StopOrder.REVERSE) {
        java.util.Collections.reverse(steps);
      }
    }
    List<StopReport> reports = new ArrayList<>();
    for (List<Node> step : steps) {
      List<String> args = new ArrayList<>();
      args.add(FamilyMark.VARIABLE);
      args.add(Long.toString(here.stopTimeout().getSeconds()));
      for (Node node : step) {
        args.add(node.mark() + ":" + node.pid());
      }
      StopReport report = report(here, step, run("stop", args.toArray(new String[0])));
      reports.add(report);
      if (listener != null) {
        listener.stepDone(report.nodes());
      }
    }
    return StopReport.merge(reports);
  }

  @Override
  public StopReport kill(Cluster here) throws ClusterException {
    List<String> args = new ArrayList<>();
    args.add(FamilyMark.VARIABLE);
    for (Node node : here.nodes()) {
      args.add(node.mark());
    }
    return report(here, here.nodes(), run("kill", args.toArray(new String[0])));
  }

  /** The report of {@code nodes} from the host's lines, with exit codes from their channels. */
  private StopReport report(Cluster here, List<Node> nodes, String out) {
    List<NodeStop> stops = new ArrayList<>();
    List<String> survivors = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("survivor ")) {
        String[] f = line.split(" ", 4);
        survivors.add(f[1] + " " + (f.length > 3 ? f[3] : "") + " (" + name(f.length > 2 ? f[2] : "") + " on " + place.sshHost() + ")");
      }
    }
    for (Node node : nodes) {
      NodeStop.How how = NodeStop.How.SURVIVED;
      long took = 0;
      int size = 0;
      for (String line : out.split("\n")) {
        String[] f = line.split(" ");
        if (f.length >= 5 && f[0].equals("node") && f[1].equals(node.mark())) {
          how = NodeStop.How.valueOf(f[2]);
          took = Long.parseLong(f[3]);
          size = Integer.parseInt(f[4]);
        }
      }
      stops.add(NodeStop.of(node.name(), node.pid(), how, exitCode(here, node), Duration.ofMillis(took), size));
      Process follower = followers.remove(node.name());
      if (follower != null) {
        follower.destroy();
      }
    }
    return StopReport.of(stops, survivors);
  }

  private static String name(String mark) {
    return mark.substring(mark.lastIndexOf('/') + 1);
  }

  /** The node's exit code, from the local end of its channel, once that has seen the node end. */
  private static Integer exitCode(Cluster here, Node node) {
    Process channel = here.process(node.name()).orElse(null);
    if (channel == null) {
      return null;
    }
    try {
      if (channel.waitFor(2, TimeUnit.SECONDS) && channel.exitValue() != 255) {
        return channel.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  @Override
  public int pause(Cluster here) throws ClusterException {
    return signal(here, "STOP");
  }

  @Override
  public int resume(Cluster here) throws ClusterException {
    return signal(here, "CONT");
  }

  private int signal(Cluster here, String signal) throws ClusterException {
    List<String> args = new ArrayList<>();
    args.add(signal);
    args.add(FamilyMark.VARIABLE);
    for (Node node : here.nodes()) {
      args.add(node.mark());
    }
    int count = 0;
    for (String line : run("signal", args.toArray(new String[0])).split("\n")) {
      String[] f = line.split(" ");
      if (f.length == 3 && f[0].equals("signalled")) {
        count += Integer.parseInt(f[2]);
      }
    }
    return count;
  }

  @Override
  public String deleteNodeDirectories(Cluster here) throws ClusterException {
    List<String> args = new ArrayList<>();
    args.add(settings.remoteDirectory());
    for (Node node : here.nodes()) {
      args.add(node.name());
    }
    String out = run("delete", args.toArray(new String[0]));
    List<String> failed = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("failed ") || line.startsWith("refused ")) {
        failed.add(line);
      }
    }
    if (!failed.isEmpty()) {
      throw new ClusterException(
          "Every node is stopped, but on " + place.sshHost() + " " + String.join("; ", failed));
    }
    return settings.remoteDirectory() + " on " + place.sshHost();
  }

  @Override
  public String bringBackLogs(Cluster here) throws ClusterException {
    for (Node node : here.nodes()) {
      Path local = here.layout().nodeDir(node.name());
      String remote = settings.nodeDirectory(node.name());
      try {
        Files.createDirectories(local);
        Process untar = new ProcessBuilder("tar", "-C", local.toString(), "-xf", "-").redirectErrorStream(true).start();
        Process logs =
            io(() -> connection.start(
                List.of("sh", "-c", "cd \"$1\" && exec tar -cf - logs", "sh", remote),
                ProcessBuilder.Redirect.PIPE,
                ProcessBuilder.Redirect.DISCARD));
        logs.getOutputStream().close();
        try (InputStream from = logs.getInputStream();
            OutputStream to = untar.getOutputStream()) {
          from.transferTo(to);
        }
        untar.getInputStream().readAllBytes();
        if (logs.waitFor() != 0 || untar.waitFor() != 0) {
          log.warn("The logs of " + node.name() + " could not all be copied from " + place.sshHost() + " to " + local);
        }
      } catch (IOException e) {
        log.warn("The logs of " + node.name() + " could not be copied from " + place.sshHost() + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "";
      }
    }
    return settings.remoteDirectory() + " on " + place.sshHost();
  }

  /** Runs an operation of {@link RemoteScript} on the host; its output. */
  private String run(String op, String... args) throws ClusterException {
    SshConnection.Result result;
    try {
      result = connection.run(RemoteScript.command(op, args), new byte[0], OPERATION_TIMEOUT);
    } catch (SshException e) {
      throw new ClusterException(place.sshHost() + ": " + op + " failed: " + e.getMessage(), e);
    }
    if (result.exit() != 0) {
      throw new ClusterException(
          place.sshHost() + ": " + op + " exited with code " + result.exit() + ": " + result.stderr().trim());
    }
    return result.stdout();
  }

  /** A call over the connection. */
  interface SshCall<T> {
    T call() throws SshException;
  }

  /** {@code call}, its failure an {@link IOException} (what the engine's callers handle). */
  static <T> T io(SshCall<T> call) throws IOException {
    try {
      return call.call();
    } catch (SshException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The engine's connection, for tests (to cut the lifeline as the build's death does). */
  SshConnection connection() {
    return connection;
  }

  /** Asks the host ({@code net <table> check [delay]}); a refusal as the phrase the user reads. */
  @Override
  public java.util.Optional<String> networkRefusal(Cluster here, boolean delay) throws ClusterException {
    String table = RemoteScript.table(here.id());
    String out = delay ? run("net", table, "check", "delay") : run("net", table, "check");
    RemoteScript.Net answer = RemoteScript.net(out);
    if (answer.refused()) {
      return java.util.Optional.of(NetRefusals.phrase(place.sshHost(), answer.refusal));
    }
    if (answer.outcome != RemoteScript.Net.Outcome.OK) {
      throw new ClusterException(place.sshHost() + ": net check answered neither ok nor refused: " + answer);
    }
    return java.util.Optional.empty();
  }

  /**
   * Puts the rules of the host's nodes in force in the cluster's table there, replacing its content
   * in one transaction ({@code net <table> apply}): the host has one firewall for all its nodes, so
   * their rules together, each once, in the order given; none at all removes the table ({@code
   * heal}). A refusal changed nothing there. Healing where the user may not change the firewall
   * does nothing: no rule of this user can be in force there (every stop heals every place).
   */
  @Override
  public void network(Cluster here, Map<String, List<NetRule>> rules) throws ClusterException {
    java.util.Set<NetRule> union = new java.util.LinkedHashSet<>();
    for (Node node : here.nodes()) {
      union.addAll(rules.getOrDefault(node.name(), List.of()));
    }
    String table = RemoteScript.table(here.id());
    List<String> args = new ArrayList<>(List.of(table));
    if (union.isEmpty()) {
      args.add("heal");
    } else {
      args.add("apply");
      union.forEach(rule -> args.addAll(rule.spec()));
    }
    RemoteScript.Net answer = RemoteScript.net(run("net", args.toArray(new String[0])));
    if (answer.refused() && union.isEmpty() && answer.refusal.startsWith(NetRefusals.PRIVILEGES)) {
      log.debug(place.sshHost() + ": nothing to heal, " + answer);
      return;
    }
    if (answer.refused()) {
      throw new ClusterException(NetRefusals.phrase(place.sshHost(), answer.refusal));
    }
    RemoteScript.Net.Outcome expected =
        union.isEmpty() ? RemoteScript.Net.Outcome.HEALED : RemoteScript.Net.Outcome.APPLIED;
    if (answer.outcome != expected) {
      throw new ClusterException(place.sshHost() + ": net " + args.get(1) + " answered " + answer);
    }
  }

  @Override
  public void close() {
    followers.values().forEach(Process::destroy);
    followers.clear();
    connection.close();
  }
}
