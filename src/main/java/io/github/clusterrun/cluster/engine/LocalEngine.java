package io.github.clusterrun.cluster.engine;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.family.FamilyStopper;
import io.github.clusterrun.cluster.family.NodeRoot;
import io.github.clusterrun.cluster.family.StopReport;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.Place;
import io.github.clusterrun.cluster.engine.ssh.RemoteScript;
import io.github.clusterrun.cluster.model.NetRule;
import io.github.clusterrun.cluster.platform.NodeNetworks;
import io.github.clusterrun.cluster.platform.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Nodes on the build machine. A node runs {@link Platform#detached detached} from the terminal, so
 * that Ctrl-C reaches Maven, whose exit hook stops it, and no node can touch the terminal; its stdin
 * is a pipe the plugin owns, its stdout and stderr go, interleaved, to its console log; it runs in
 * its containment group (a cgroup) where it has one. Families are stopped, killed, paused and
 * resumed by the {@link FamilyStopper}, which finds every process by the family's mark.
 */
public final class LocalEngine implements Engine {
  private final Platform platform;
  private final ClusterLog log;
  private final NodeNetworks networks;

  public LocalEngine(Platform platform, ClusterLog log) {
    this(platform, log, null);
  }

  /**
   * @param networks the network namespaces of the cluster's local nodes ({@code <networkFaults>}),
   *     in which each node and its {@code beforeStart} commands run; null when they share this
   *     machine's network
   */
  public LocalEngine(Platform platform, ClusterLog log, NodeNetworks networks) {
    this.platform = platform;
    this.log = log;
    this.networks = networks;
  }

  @Override
  public Place place() {
    return Place.LOCAL;
  }

  @Override
  public void prepare(List<Node> nodes, Path staged) {
    // The staged node directories are the nodes' directories.
  }

  @Override
  public Process start(Node node, List<String> command, Map<String, String> environment, Path log)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(platform.detached(contained(node, command)));
    builder.environment().putAll(environment);
    Files.createDirectories(node.workingDirectory());
    builder.directory(node.workingDirectory().toFile());
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process = builder.start();
    process.getOutputStream().close(); // stdin: an empty pipe, never the console
    return process;
  }

  @Override
  public Launched launch(Node node, Path consoleLog) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(platform.detached(contained(node, node.command())));
    builder.environment().putAll(node.environment());
    Files.createDirectories(node.workingDirectory());
    builder.directory(node.workingDirectory().toFile());
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()));
    Process process = builder.start();
    return new Launched(process, process.pid());
  }

  /**
   * {@code command} in the node's containment group, if any, and in its network namespace, if any:
   * {@code nsenter} execs the command, so the pid stays the node's and the mark and group apply.
   */
  private List<String> contained(Node node, List<String> command) {
    if (networks != null) {
      command = networks.enter(node.index(), command);
    }
    if (node.containmentGroup().isPresent() && platform.containment().isPresent()) {
      return platform.containment().get().enter(node.containmentGroup().get(), command);
    }
    return command;
  }

  @Override
  public java.util.Set<String> running(Cluster here) {
    java.util.Set<String> running = new java.util.LinkedHashSet<>();
    for (Node node : here.nodes()) {
      if (NodeRoot.of(node, here.process(node.name()), platform).isPresent()) {
        running.add(node.name());
      }
    }
    return running;
  }

  @Override
  public StopReport stop(Cluster here, FamilyStopper.StepListener listener) {
    FamilyStopper stopper = new FamilyStopper(here, platform, log);
    return listener == null ? stopper.stop() : stopper.stop(listener);
  }

  @Override
  public StopReport kill(Cluster here) {
    return new FamilyStopper(here, platform, log).kill();
  }

  @Override
  public int pause(Cluster here) throws ClusterException {
    return new FamilyStopper(here, platform, log).pause();
  }

  @Override
  public int resume(Cluster here) {
    return new FamilyStopper(here, platform, log).resume();
  }

  @Override
  public String deleteNodeDirectories(Cluster here) {
    return ""; // they are under the cluster directory, which stop deletes
  }

  @Override
  public String bringBackLogs(Cluster here) {
    return ""; // they are where the user looks already
  }

  /**
   * Empty when the local nodes have network namespaces of their own ({@code <networkFaults>}), and,
   * for a delay, when the kernel has {@code netem}; else why not.
   */
  @Override
  public java.util.Optional<String> networkRefusal(Cluster here, boolean delay) {
    if (!inNamespaces(here)) {
      return java.util.Optional.of(
          "nodes on this machine share its loopback interface, where rules cannot tell them apart: set"
              + " <networkFaults>true</networkFaults> (as root, on Linux) to give each node an address of its own");
    }
    if (delay) {
      return NodeNetworks.delayMissing()
          .map(why -> "delay needs the kernel's netem queueing discipline, which this machine lacks ("
              + why + "); partitions and loss work without it");
    }
    return java.util.Optional.empty();
  }

  /**
   * Puts each node's rules in force inside its own network namespace, with the hosts' script ({@code
   * remote.sh net <table> apply <spec>... | heal}): one implementation of the rules for hosts and
   * local nodes. A node without rules is healed; so is every node for an empty map.
   */
  @Override
  public void network(Cluster here, Map<String, List<NetRule>> rules) throws ClusterException {
    if (!inNamespaces(here)) {
      if (rules.values().stream().anyMatch(r -> !r.isEmpty())) {
        throw new ClusterException(networkRefusal(here, false).orElseThrow());
      }
      return; // healing a cluster without namespaces: nothing was ever applied here
    }
    String table = RemoteScript.table(here.id());
    for (Node node : here.nodes()) {
      List<NetRule> own = rules.getOrDefault(node.name(), List.of());
      List<String> args = new java.util.ArrayList<>(List.of(table));
      if (own.isEmpty()) {
        args.add("heal");
      } else {
        args.add("apply");
        own.forEach(rule -> args.addAll(rule.spec()));
      }
      RemoteScript.Net answer =
          RemoteScript.net(inNamespace(node, RemoteScript.command("net", args.toArray(new String[0]))));
      if (answer.refused()) {
        throw new ClusterException(
            "The network rules of " + node.name() + " could not be put in force in its namespace: " + answer);
      }
    }
  }

  private boolean inNamespaces(Cluster here) {
    return networks != null && here.networkNamespaces();
  }

  /** Runs {@code command} in the network namespace of {@code node}, to its end; its output. */
  private String inNamespace(Node node, List<String> command) throws ClusterException {
    try {
      return networks.run(node.index(), command, io.github.clusterrun.cluster.family.FamilyMark.VARIABLE);
    } catch (IOException e) {
      throw new ClusterException("The network rules of " + node.name() + " failed in its namespace: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    // Nothing is held open.
  }
}
