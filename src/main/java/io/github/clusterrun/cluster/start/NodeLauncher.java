package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.config.ClusterConfig;
import io.github.clusterrun.cluster.config.Placeholders;
import io.github.clusterrun.cluster.process.FamilyMark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Launches one node: its program with the resolved arguments, in its working directory, with the
 * configured environment plus its identity and its {@link FamilyMark}. Its stdin is a pipe the plugin
 * owns (never the console), its stdout and stderr go, interleaved, to {@code logs/console.log}. On
 * Linux the node runs in a session of its own ({@code setsid}), so that Ctrl-C in the terminal
 * reaches Maven, whose exit hook stops the node, and no node can touch the terminal.
 */
final class NodeLauncher {
  private static final Path SETSID = Paths.get("/usr/bin/setsid");

  private final ClusterConfig config;
  private final String clusterId;
  private final String hosts;

  NodeLauncher(ClusterConfig config, String clusterId, String hosts) {
    this.config = config;
    this.clusterId = clusterId;
    this.hosts = hosts;
  }

  Process launch(NodeLayout node) throws IOException {
    Placeholders values = node.placeholders(hosts);
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      command.add(SETSID.toString());
    }
    command.add(config.executable().toString());
    for (String argument : config.arguments()) {
      command.add(values.resolve(argument));
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    for (Map.Entry<String, String> e : config.environment().entrySet()) {
      env.put(e.getKey(), e.getValue() == null ? "" : values.resolve(e.getValue()));
    }
    env.put("CLUSTER_NODE_INDEX", Integer.toString(node.index()));
    env.put("CLUSTER_NODE_NAME", node.name());
    env.put("CLUSTER_DIR", config.clusterDirectory().toString());
    env.put("CLUSTER_HOSTS", hosts);
    env.put(FamilyMark.VARIABLE, FamilyMark.of(clusterId, node.name()));

    Path workDir = node.dir().resolve(values.resolve(config.workingDirectory()));
    Files.createDirectories(workDir);
    builder.directory(workDir.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(node.consoleLog().toFile()));
    return builder.start();
  }

  /** The command a node runs, for messages (without the setsid wrapper). */
  String describe(NodeLayout node) {
    Placeholders values = node.placeholders(hosts);
    StringBuilder sb = new StringBuilder(config.executable().toString());
    for (String argument : config.arguments()) {
      sb.append(' ').append(values.resolve(argument));
    }
    return sb.toString();
  }
}
