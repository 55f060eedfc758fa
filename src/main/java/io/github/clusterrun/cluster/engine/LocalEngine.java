package io.github.clusterrun.cluster.engine;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.family.FamilyStopper;
import io.github.clusterrun.cluster.family.NodeRoot;
import io.github.clusterrun.cluster.family.StopReport;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.Place;
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

  public LocalEngine(Platform platform, ClusterLog log) {
    this.platform = platform;
    this.log = log;
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

  private List<String> contained(Node node, List<String> command) {
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

  @Override
  public java.util.Optional<String> networkRefusal(Cluster here, boolean delay) {
    // TODO(issue 19, local side): nodes in network namespaces of their own with <networkFaults>.
    return java.util.Optional.of(
        "nodes on this machine share its loopback interface, where rules cannot tell them apart: set"
            + " <networkFaults>true</networkFaults> (as root, on Linux) to give each node an address of its own");
  }

  @Override
  public void network(Cluster here, Map<String, List<io.github.clusterrun.cluster.model.NetRule>> rules)
      throws ClusterException {
    if (rules.values().stream().anyMatch(r -> !r.isEmpty())) {
      throw new ClusterException(networkRefusal(here, false).orElseThrow());
    }
    // Healing a cluster without namespaces: nothing was ever applied here.
  }

  @Override
  public void close() {
    // Nothing is held open.
  }
}
