package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.cleanup.SafeDelete;
import io.github.clusterrun.cluster.config.ClusterCommand;
import io.github.clusterrun.cluster.config.ClusterConfig;
import io.github.clusterrun.cluster.config.HostPort;
import io.github.clusterrun.cluster.config.Placeholders;
import io.github.clusterrun.cluster.config.Readiness;
import io.github.clusterrun.cluster.engine.Engine;
import io.github.clusterrun.cluster.engine.Engines;
import io.github.clusterrun.cluster.control.ControlServer;
import io.github.clusterrun.cluster.control.NodeControl;
import io.github.clusterrun.cluster.evidence.LogTail;
import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.family.StopReport;
import io.github.clusterrun.cluster.guard.ExitGuard;
import io.github.clusterrun.cluster.guard.Lifeline;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.Place;
import io.github.clusterrun.cluster.outcome.FailsafeSummaries;
import io.github.clusterrun.cluster.platform.Containment;
import io.github.clusterrun.cluster.platform.NodeNetworks;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.readiness.HttpProbe;
import io.github.clusterrun.cluster.readiness.LogProbe;
import io.github.clusterrun.cluster.readiness.Probe;
import io.github.clusterrun.cluster.readiness.ReadinessWaiter;
import io.github.clusterrun.cluster.readiness.TcpProbe;
import io.github.clusterrun.cluster.stop.ConfirmedStop;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Starts a cluster: reaps a stale cluster left in the directory, wipes it, allocates ports, lays out
 * and records every node, launches all nodes, waits until every one is ready, then exports the
 * properties. The cluster is in the {@link ExitGuard} from before the first launch until a confirmed
 * stop. If a node exits or is not ready in time, every node is stopped (the directories are kept)
 * and a {@link ClusterException} says which node, why, and what its console log said last.
 */
public final class ClusterStarter {
  /** Lines of a failed node's console log shown in the build error. */
  static final int FAILURE_TAIL_LINES = 20;
  /** Threads that launch nodes at once, however many nodes there are. */
  static final int LAUNCH_THREADS = 4;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ClusterConfig config;
  private final ExitGuard guard;
  private final Platform platform;
  private final ConfirmedStop confirmedStop;
  private final ClusterLog log;

  public ClusterStarter(ClusterConfig config, ExitGuard guard, Platform platform, ClusterLog log) {
    this.config = config;
    this.guard = guard;
    this.platform = platform;
    this.confirmedStop = new ConfirmedStop(guard, platform);
    this.log = log;
  }

  /** Starts the cluster; returns once every node is ready. */
  public Cluster start() throws ClusterException {
    Path dir = config.clusterDirectory();
    ClusterLayout layout = new ClusterLayout(dir);
    confirmedStop.reapEvenIfDamaged(dir, log);
    Instant started = Instant.now();
    String clusterId = newClusterId();
    // Nodes on other hosts (0.3): every host reached, checked and tied to this build, in parallel,
    // before anything is written or started; a host that fails fails the build here.
    Engines engines = Engines.forNewCluster(clusterId, config, platform, log);
    // <networkFaults> (issue 19): each local node in a network namespace of its own, at an address
    // of its own in a subnet chosen now; the namespaces are made once the cluster is guarded.
    NodeNetworks networks = config.networkFaults() ? NodeNetworks.of(clusterId) : null;
    String subnet = null;
    Placement placement;
    try {
      SafeDelete.deleteTree(dir);
      if (networks != null) {
        try {
          subnet = NodeNetworks.freeSubnet();
        } catch (IOException e) {
          throw new ClusterException("Cannot choose a subnet for the nodes' network namespaces (<networkFaults>): "
              + e.getMessage(), e);
        }
      }
      placement = place(layout, engines, subnet);
      for (int i = 0; i < config.nodes(); i++) {
        layout.create(ClusterLayout.nodeName(i));
      }
    } catch (IOException e) {
      engines.close();
      throw new ClusterException("Cannot prepare the cluster directory " + dir + ": " + e, e);
    } catch (ClusterException e) {
      engines.close();
      throw e;
    }
    List<Map<String, Integer>> ports = placement.ports();
    // <files>: written into each node's directory before anything of the node runs (staged here
    // for a node on another host, then copied there with its directory).
    for (int i = 0; i < config.nodes(); i++) {
      try {
        NodeFiles.write(config.files(), placement, clusterId, i);
      } catch (ClusterException e) {
        engines.close();
        throw e;
      }
    }
    List<Node> planned = new ArrayList<>();
    for (int i = 0; i < config.nodes(); i++) {
      planned.add(NodePlan.plan(config, placement, clusterId, i));
    }
    planned = contained(clusterId, planned);
    // The lifeline is forked on a thread of its own while the state is written: both must be done
    // before anything of a node runs, neither needs the other.
    Path clusterGroup = planned.get(0).containmentGroup().map(Path::getParent).orElse(null);
    FutureTask<Lifeline> starting =
        new FutureTask<>(
            () ->
                Lifeline.start(
                    clusterId, Math.min(config.stopTimeout().getSeconds(), 5), platform, clusterGroup, networks));
    Thread forking = new Thread(starting, "cluster-lifeline-start");
    forking.setDaemon(true);
    forking.start();
    // Recorded before the first launch: the marks find every process even if no pid is recorded.
    Cluster cluster =
        new Cluster(
            layout, clusterId, started, config.stopTimeout(), config.stopInput(), config.stopOrder(), planned);
    if (config.afterStart().isEmpty()) {
      cluster.hasNoAfterStartCommands(); // its stop need not look for what they left
    }
    cluster.ssh(config.ssh());
    if (networks != null) {
      cluster.inNetworkNamespaces(); // recorded before any is made: whoever stops it deletes them
    }
    engines.register(cluster);
    try {
      cluster.write();
    } catch (ClusterException e) {
      Engines.release(cluster);
      try {
        started(starting, dir).release(); // nothing to watch: no node was launched
      } catch (ClusterException alsoFailed) {
        e.addSuppressed(alsoFailed);
      }
      throw e;
    }
    Lifeline lifeline = started(starting, dir);
    guard.guard(cluster, lifeline, confirmedStop);
    if (networks != null) {
      try {
        networks.create(subnet, planned.size());
        log.debug("Nodes in network namespaces " + networks.namespace(0) + "… on bridge " + networks.bridge()
            + " (" + NodeNetworks.bridgeAddress(subnet) + "/24)");
      } catch (IOException e) {
        throw failStart(cluster, planned.get(0), "its network namespace could not be made: " + e.getMessage());
      }
    }
    try {
      engines.prepare(planned, dir);
    } catch (IOException e) {
      throw failStart(cluster, planned.get(0), "its directory could not be made on its host: " + e.getMessage());
    }
    runBeforeStart(cluster, planned, placement, engines);

    Map<String, List<Probe>> probes = new LinkedHashMap<>();
    for (Node node : planned) {
      probes.put(node.name(), probes(placement, clusterId, node));
    }
    ReadinessWaiter.Listener ready =
        (name, took) -> {
          Node node = cluster.node(name).orElseThrow();
          log.info(
              String.format(
                  "%s ready in %d ms (pid %d, %s)",
                  name, took.toMillis(), node.pid(), node.describePorts()));
        };
    // Issue 12: the control endpoint the tests use to break the cluster, exported with the rest;
    // started on a thread of its own before the launch (a JVM's first HTTP server takes a while),
    // used once the nodes are ready.
    FutureTask<ControlServer> control = startControl(cluster);
    // Every node is watched from the moment it is launched, while the next ones are launched.
    try (ReadinessWaiter waiter = new ReadinessWaiter(config.readiness().timeout(), ready)) {
      launchAll(cluster, planned, engines, waiter, probes);
      // While the nodes get ready: the classes the exit hook needs, and what stop needs warm (the
      // XML parser, the scan).
      guard.preloadInBackground(
          () -> {
            FailsafeSummaries.warmUp();
            // One scan of the process table, so that stop's scans run compiled code.
            platform.scan(FamilyMark.VARIABLE, FamilyMark.clusterPrefix(cluster.id()));
          });
      try {
        // The marks recorded before the launch find every process already; now the pids too.
        cluster.write();
      } catch (ClusterException e) {
        throw failStart(cluster, planned.get(0), "the cluster state could not be recorded: " + e.getMessage());
      }
      waiter.await();
      cluster.control(control.get());
      control = null;
      cluster.write();
    } catch (ReadinessWaiter.NotReadyException e) {
      throw failStart(cluster, cluster.node(e.node()).orElseThrow(), e.getMessage());
    } catch (ExecutionException e) {
      throw failStart(cluster, planned.get(0), "its control endpoint could not be started: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failStart(cluster, planned.get(0), "start was interrupted");
    } finally {
      if (control != null) { // the start failed: the endpoint ends with it
        closeWhenStarted(control);
      }
    }

    try {
      exportProperties(cluster);
    } catch (IOException e) {
      throw failStart(cluster, planned.get(0), "cluster.properties could not be written: " + e);
    }
    runAfterStart(cluster, planned, placement);
    // Begun while the nodes got ready, the preload is usually done; a build that fails in its next
    // plugin must not leave an exit hook whose classes Maven's closed loader can no longer give.
    guard.awaitPreload(java.time.Duration.ofSeconds(10));
    return cluster;
  }

  /** Writes {@code cluster.properties} of {@code cluster} as it is now (its nodes' pids). */
  void exportProperties(Cluster cluster) throws IOException {
    ExportedProperties.write(
        cluster.layout().propertiesFile(), ExportedProperties.of(cluster, config.propertyPrefix()));
  }

  /**
   * Launches every node, from up to {@value #LAUNCH_THREADS} threads at once: a fork from Maven's
   * JVM takes a few milliseconds, many more once the first nodes boot and take the CPU, and every
   * millisecond a node waits for its fork comes on top of its own start. Each node is watched from
   * its own launch. Returns once every launch is done; the first failure fails the start.
   */
  /** The lifeline that {@code starting} forked, once it has; a start that failed fails the build. */
  private static Lifeline started(FutureTask<Lifeline> starting, Path dir) throws ClusterException {
    try {
      return starting.get();
    } catch (ExecutionException e) {
      throw new ClusterException(
          "Cannot start the lifeline of the cluster in " + dir + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("Interrupted while starting the lifeline of the cluster in " + dir);
    }
  }

  private void launchAll(
      Cluster cluster,
      List<Node> planned,
      Engines engines,
      ReadinessWaiter waiter,
      Map<String, List<Probe>> probes)
      throws ClusterException {
    // The first failure: the node and why, or null when the build is exiting (the cluster stopped).
    AtomicReference<Map.Entry<Node, String>> failure = new AtomicReference<>();
    AtomicInteger next = new AtomicInteger();
    Runnable launching =
        () -> {
          for (int i = next.getAndIncrement(); i < planned.size() && failure.get() == null; i = next.getAndIncrement()) {
            Node node = planned.get(i);
            String why = launch(cluster, node, engines.of(node.place()), waiter, probes.get(node.name()));
            if (why != null) {
              failure.compareAndSet(null, Map.entry(node, why));
            }
          }
        };
    int threads = Math.min(LAUNCH_THREADS, planned.size());
    List<Thread> helpers = new ArrayList<>();
    for (int t = 1; t < threads; t++) {
      Thread helper = new Thread(launching, "cluster-launch-" + t);
      helper.setDaemon(true);
      helper.start();
      helpers.add(helper);
    }
    launching.run();
    try {
      for (Thread helper : helpers) {
        helper.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.compareAndSet(null, Map.entry(planned.get(0), "start was interrupted"));
    }
    Map.Entry<Node, String> failed = failure.get();
    if (failed == null) {
      return;
    }
    if (cluster.stopped()) {
      throw new ClusterException(
          "The build is exiting; the cluster in " + config.clusterDirectory() + " was stopped.");
    }
    throw failStart(cluster, failed.getKey(), failed.getValue());
  }

  /** Launches one node and watches it; returns why it could not be, or null. */
  private static String launch(
      Cluster cluster, Node node, Engine engine, ReadinessWaiter waiter, List<Probe> probes) {
    Process process;
    long launched = System.nanoTime(); // "ready in" counts from here, not from the watch
    try {
      Engine.Launched started = engine.launch(node, cluster.layout().consoleLog(node.name()));
      process = started.process();
      if (!cluster.launched(node.name(), process, started.pid())) {
        process.destroyForcibly();
        return "was not launched: the build is exiting";
      }
    } catch (IOException e) {
      return "could not be launched: " + e.getMessage();
    }
    waiter.watch(new ReadinessWaiter.Target(node.name(), process, probes, launched));
    return null;
  }

  private FutureTask<ControlServer> startControl(Cluster cluster) {
    FutureTask<ControlServer> task =
        new FutureTask<>(
            () ->
                ControlServer.start(
                    new NodeControl(
                        cluster, platform, new NodeRestarter(this, config.readiness().timeout(), platform), log),
                    log));
    Thread thread = new Thread(task, "cluster-control-start");
    thread.setDaemon(true);
    thread.start();
    return task;
  }

  private static void closeWhenStarted(FutureTask<ControlServer> control) {
    try {
      control.get().close();
    } catch (ExecutionException e) {
      // It never started: nothing to close.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // --- Forming a real cluster (0.2): the beforeStart and afterStart commands. ---

  /** A command that failed: what it was, where its output is, and why. */
  private static final class CommandFailure {
    final String who;
    final List<String> commandLine;
    final Path log;
    final String why;

    CommandFailure(String who, List<String> commandLine, Path log, String why) {
      this.who = who;
      this.commandLine = commandLine;
      this.log = log;
      this.why = why;
    }
  }

  /**
   * Runs the {@code beforeStart} commands of every node: the nodes in parallel, each node's
   * commands in order, with the node's environment (and mark), working directory and containment
   * group. The first failure cancels the others, then every family is stopped.
   */
  private void runBeforeStart(Cluster cluster, List<Node> planned, Placement placement, Engines engines)
      throws ClusterException {
    List<ClusterCommand> commands = config.beforeStart();
    if (commands.isEmpty()) {
      return;
    }
    CommandRunner runner = new CommandRunner(platform);
    ClusterLayout layout = cluster.layout();
    AtomicReference<CommandFailure> failure = new AtomicReference<>();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            planned.size(),
            r -> {
              Thread t = new Thread(r, "cluster-before-start");
              t.setDaemon(true);
              return t;
            });
    List<Future<?>> runs = new ArrayList<>();
    for (Node node : planned) {
      runs.add(
          pool.submit(
              () -> {
                Placeholders values = NodeValues.of(placement, cluster.id(), node.index());
                Engine engine = engines.of(node.place());
                long begin = System.nanoTime();
                String last = null;
                for (int i = 0; i < commands.size(); i++) {
                  ClusterCommand command = commands.get(i);
                  List<String> line = new ArrayList<>();
                  for (String word : commandLine(command, values)) {
                    line.add(placement.onPlace(node.index(), word));
                  }
                  last = command.shortForm(line);
                  Path output = layout.beforeStartLog(node.name(), i + 1);
                  Map<String, String> env = environment(command, node.environment(), values, node.mark());
                  try {
                    runner.run(
                        command,
                        line,
                        output,
                        () -> engine.start(node, line, env, output),
                        () -> failure.get() == null && !cluster.stopped());
                  } catch (CommandRunner.Failed e) {
                    String who = "beforeStart command " + (i + 1) + " of node " + node.name();
                    if (failure.compareAndSet(null, new CommandFailure(who, line, output, e.getMessage()))) {
                      pool.shutdownNow(); // the other nodes' commands end too
                    }
                    return null;
                  } catch (InterruptedException e) {
                    return null;
                  }
                }
                log.info(
                    String.format(
                        "beforeStart of %s succeeded in %d ms: %s",
                        node.name(),
                        (System.nanoTime() - begin) / 1_000_000,
                        commands.size() == 1
                            ? last
                            : ClusterCommand.shorten(commands.size() + " commands, the last " + last)));
                return null;
              }));
    }
    pool.shutdown();
    try {
      for (Future<?> run : runs) {
        try {
          run.get();
        } catch (CancellationException | ExecutionException e) {
          failure.compareAndSet(
              null, new CommandFailure("beforeStart", List.of(), null, "failed: " + e.getCause()));
        }
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
      throw failStart(cluster, planned.get(0), "start was interrupted");
    }
    if (failure.get() != null) {
      throw failCommand(cluster, failure.get());
    }
    if (cluster.stopped()) {
      throw new ClusterException(
          "The build is exiting; the cluster in " + config.clusterDirectory() + " was stopped.");
    }
  }

  /**
   * Runs the {@code afterStart} commands once, in order, in the cluster directory, with the
   * cluster's placeholders and the cluster's own mark ({@link FamilyMark#ofCluster}), so that what
   * they leave running is stopped with the nodes.
   */
  private void runAfterStart(Cluster cluster, List<Node> planned, Placement placement)
      throws ClusterException {
    List<ClusterCommand> commands = config.afterStart();
    if (commands.isEmpty()) {
      return;
    }
    ClusterLayout layout = cluster.layout();
    Placeholders values = NodeValues.of(placement, cluster.id(), 0).forCluster();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CLUSTER_DIR", layout.directory().toString());
    env.put("CLUSTER_HOSTS", placement.hosts());
    CommandRunner runner = new CommandRunner(platform);
    for (int i = 0; i < commands.size(); i++) {
      ClusterCommand command = commands.get(i);
      List<String> line = commandLine(command, values);
      Path output = layout.afterStartLog(i + 1);
      Map<String, String> commandEnv = environment(command, env, values, FamilyMark.ofCluster(cluster.id()));
      long begin = System.nanoTime();
      try {
        runner.run(
            command, line, commandEnv, layout.directory(), output, Optional.empty(), () -> !cluster.stopped());
      } catch (CommandRunner.Failed e) {
        throw failCommand(
            cluster, new CommandFailure("afterStart command " + (i + 1), line, output, e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failStart(cluster, planned.get(0), "start was interrupted");
      }
      log.info(
          String.format(
              "afterStart command %d succeeded in %d ms: %s",
              i + 1, (System.nanoTime() - begin) / 1_000_000, command.shortForm(line)));
    }
  }

  private static List<String> commandLine(ClusterCommand command, Placeholders values) {
    List<String> line = new ArrayList<>();
    line.add(command.program().toString());
    for (String argument : command.arguments()) {
      line.add(values.resolve(argument));
    }
    return line;
  }

  /** Stops every node (keeping the directories) and builds the error for a command that failed. */
  private ClusterException failCommand(Cluster cluster, CommandFailure failure) {
    LogTail.Mark mark = failure.log == null ? null : LogTail.mark(failure.log);
    String tail = mark == null ? null : mark.tail(FAILURE_TAIL_LINES);
    String header = "  | " + CommandRunner.header(failure.commandLine) + "\n";
    if (tail != null && tail.startsWith(header)) { // the build error shows the command already
      tail = tail.length() == header.length() ? "  (it printed nothing)\n" : tail.substring(header.length());
    }
    String message =
        "Cluster start failed: "
            + failure.who
            + " "
            + failure.why
            + "\nCommand: "
            + String.join(" ", failure.commandLine)
            + (tail == null ? "\n" : "\nLast lines of " + failure.log + ":\n" + tail)
            + stopEverything(cluster);
    return new ClusterException(message);
  }

  /**
   * A command's environment: {@code base}, its own {@code <environment>} resolved over it, and the
   * family mark last, so that no command can take its processes out of the family.
   */
  private static Map<String, String> environment(
      ClusterCommand command, Map<String, String> base, Placeholders values, String mark) {
    Map<String, String> env = new LinkedHashMap<>(base);
    command.environment().forEach((name, value) -> env.put(name, values.resolve(value)));
    env.put(FamilyMark.VARIABLE, mark);
    return env;
  }

  // --- end of forming a real cluster ---

  /**
   * The nodes, each in a group of its own where the platform contains families (a cgroup): then
   * every process a node starts is found, frozen and killed by the kernel, however fast it forks.
   */
  private List<Node> contained(String clusterId, List<Node> planned) {
    Optional<Containment> containment = platform.containment();
    List<Node> nodes = new ArrayList<>();
    for (Node node : planned) {
      Optional<Path> group = containment.flatMap(c -> c.create(clusterId, node.name()));
      if (group.isEmpty()) {
        // Not allowed here (no cgroup, or not this user's): every node runs uncontained.
        log.debug(
            "Node families are not contained ("
                + containment.map(Containment::describe).orElse("no containment on " + platform.describe())
                + " refused or missing): a forced stop freezes them with SIGSTOP first");
        nodes.forEach(n -> n.containmentGroup().ifPresent(g -> containment.get().remove(g)));
        return planned;
      }
      nodes.add(node.containedIn(group.get()));
    }
    log.debug("Node families are contained: " + containment.get().describe());
    return nodes;
  }

  /** Where each node runs and its ports: on this machine, or node i on host i mod H. */
  private Placement place(ClusterLayout layout, Engines engines, String subnet) throws IOException, ClusterException {
    if (config.sshHosts().isEmpty() && subnet != null) {
      List<String> addresses = new ArrayList<>();
      for (int i = 0; i < config.nodes(); i++) {
        addresses.add(NodeNetworks.address(subnet, i));
      }
      return Placement.local(layout, allocatePorts(), addresses);
    }
    if (config.sshHosts().isEmpty()) {
      return Placement.local(layout, allocatePorts());
    }
    List<Place> places = new ArrayList<>();
    for (int i = 0; i < config.nodes(); i++) {
      places.add(engines.hostOf(i));
    }
    Placement placement =
        new Placement(layout, config.ssh(), places, engines.ports(config.nodes(), config.ports(), config.basePort()));
    if (config.classpath().isEmpty()) {
      return placement;
    }
    String local = String.join(java.io.File.pathSeparator, config.classpath());
    return placement.withClasspaths(local, engines.classpaths(local));
  }

  private List<Map<String, Integer>> allocatePorts() throws IOException, ClusterException {
    if (config.basePort() == null) {
      return PortAllocator.allocate(config.nodes(), config.ports(), platform.ephemeralRange());
    }
    PortAllocator.ephemeralRangeWarning(config.basePort(), config.nodes(), config.ports(), platform)
        .ifPresent(log::warn);
    return PortAllocator.fixed(config.basePort(), config.nodes(), config.ports(), platform);
  }

  List<Probe> probes(Placement placement, String clusterId, Node node) {
    Readiness readiness = config.readiness();
    ClusterLayout layout = placement.layout(); // the console log is followed here for a remote node
    Placeholders values = NodeValues.of(placement, clusterId, node.index());
    List<Probe> probes = new ArrayList<>();
    if (readiness.tcp() != null) {
      // Checked when the configuration was built; a bare port is the node's, at its address.
      probes.add(
          new TcpProbe(HostPort.parse(values.resolve(readiness.tcp()), node.place().address()).orElseThrow()));
    }
    if (readiness.log() != null) {
      probes.add(
          new LogProbe(layout.consoleLog(node.name()), Pattern.compile(values.resolveInRegex(readiness.log()))));
    }
    if (readiness.http() != null) {
      probes.add(new HttpProbe(values.resolve(readiness.http())));
    }
    return probes;
  }

  /** Stops every node (keeping the directories) and builds the error for a node that failed. */
  private ClusterException failStart(Cluster cluster, Node node, String why) {
    // The evidence is the log as it was when the start failed, not what the stop made it print.
    Path console = cluster.layout().consoleLog(node.name());
    LogTail.Mark mark = LogTail.mark(console);
    String stopped = stopEverything(cluster);
    String message =
        "Cluster start failed: "
            + (why.startsWith("node ") ? why : "node " + node.name() + " " + why)
            + "\nCommand: "
            + node.describeCommand()
            + "\nLast lines of "
            + console
            + ":\n"
            + mark.tail(FAILURE_TAIL_LINES)
            + stopped;
    return new ClusterException(message);
  }

  /** Stops every node, confirmed, keeping the directories; says how it went. */
  private String stopEverything(Cluster cluster) {
    List<String> launched = new ArrayList<>();
    List<String> notLaunched = new ArrayList<>();
    for (Node node : cluster.nodes()) {
      (node.pid() == 0 ? notLaunched : launched).add(node.name());
    }
    try {
      StopReport report = confirmedStop.stop(cluster, log);
      return report.confirmed()
          ? stopped(launched, notLaunched) + "; the directories are kept in " + config.clusterDirectory() + "."
          : "Still alive after SIGKILL: " + String.join("; ", report.survivors());
    } catch (ClusterException e) {
      return "Stopping the other nodes failed: " + e.getMessage();
    }
  }

  /** What a failed start stopped: every node, some of them, or none (none was launched). */
  static String stopped(List<String> launched, List<String> notLaunched) {
    if (notLaunched.isEmpty()) {
      return "Every node was stopped";
    }
    if (launched.isEmpty()) {
      return "No node was launched";
    }
    return names(launched) + (launched.size() == 1 ? " was" : " were") + " stopped; "
        + names(notLaunched) + (notLaunched.size() == 1 ? " was" : " were") + " never launched";
  }

  /** {@code n_0}, {@code n_0 and n_1}, {@code n_0, n_1 and n_2}. */
  private static String names(List<String> names) {
    int last = names.size() - 1;
    return last == 0 ? names.get(0) : String.join(", ", names.subList(0, last)) + " and " + names.get(last);
  }

  private static String newClusterId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      sb.append(String.format("%02x", b));
    }
    return sb.toString();
  }
}
