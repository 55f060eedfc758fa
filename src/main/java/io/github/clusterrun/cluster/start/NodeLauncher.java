package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.config.ClusterConfig;
import io.github.clusterrun.cluster.config.Placeholders;
import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.platform.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans and launches nodes. {@link #plan} resolves, once, everything a node is launched with: its
 * program and arguments, the environment added to Maven's (the configured variables, the node's
 * identity and its {@link FamilyMark}), its working directory; {@link #launch} runs that record.
 * The node's stdin is a pipe the plugin owns (never the console), its stdout and stderr go,
 * interleaved, to its console log, and it runs {@link Platform#detached detached} from the
 * terminal, so that Ctrl-C reaches Maven, whose exit hook stops the node, and no node can touch
 * the terminal.
 */
final class NodeLauncher {
  private final Platform platform;

  NodeLauncher(Platform platform) {
    this.platform = platform;
  }

  /** The record of node {@code index} of nodes with {@code portsOfNodes}, before its launch. */
  static Node plan(
      ClusterConfig config,
      ClusterLayout layout,
      String clusterId,
      int index,
      List<Map<String, Integer>> portsOfNodes) {
    String name = ClusterLayout.nodeName(index);
    Map<String, Integer> ports = portsOfNodes.get(index);
    String hosts = Cluster.hosts(portsOfNodes);
    Placeholders values = NodeValues.of(layout, clusterId, index, portsOfNodes);
    List<String> command = new ArrayList<>();
    command.add(config.executable().toString());
    for (String argument : config.arguments()) {
      command.add(values.resolve(argument));
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : config.environment().entrySet()) {
      env.put(e.getKey(), e.getValue() == null ? "" : values.resolve(e.getValue()));
    }
    env.put("CLUSTER_NODE_INDEX", Integer.toString(index));
    env.put("CLUSTER_NODE_NAME", name);
    env.put("CLUSTER_DIR", layout.directory().toString());
    env.put("CLUSTER_HOSTS", hosts);
    String mark = FamilyMark.of(clusterId, name);
    env.put(FamilyMark.VARIABLE, mark);
    Path workDir = layout.nodeDir(name).resolve(values.resolve(config.workingDirectory()));
    return Node.planned(index, mark, ports, command, env, workDir);
  }

  /** Launches {@code node} as recorded, its output appended to {@code consoleLog}. */
  Process launch(Node node, Path consoleLog) throws IOException {
    List<String> command = node.command();
    if (node.containmentGroup().isPresent() && platform.containment().isPresent()) {
      command = platform.containment().get().enter(node.containmentGroup().get(), command);
    }
    ProcessBuilder builder = new ProcessBuilder(platform.detached(command));
    builder.environment().putAll(node.environment());
    Files.createDirectories(node.workingDirectory());
    builder.directory(node.workingDirectory().toFile());
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()));
    return builder.start();
  }
}
