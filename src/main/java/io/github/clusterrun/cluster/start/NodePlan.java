package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.config.ClusterConfig;
import io.github.clusterrun.cluster.config.Placeholders;
import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves, once, everything a node is launched with: its program and arguments, the environment
 * added to the one it runs in (the configured variables, the node's identity and its {@link
 * FamilyMark}), its working directory and its place. The {@link
 * io.github.clusterrun.cluster.engine.Engine engine} of that place launches the record.
 */
final class NodePlan {
  private NodePlan() {}

  /** The record of node {@code index} of a cluster placed as {@code placement}, before its launch. */
  static Node plan(ClusterConfig config, Placement placement, String clusterId, int index) {
    String name = ClusterLayout.nodeName(index);
    ClusterLayout layout = placement.layoutOf(index);
    Placeholders values = NodeValues.of(placement, clusterId, index);
    List<String> command = new ArrayList<>();
    command.add(config.executable().toString());
    for (String argument : config.arguments()) {
      command.add(placement.onPlace(index, values.resolve(argument)));
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : config.environment().entrySet()) {
      env.put(e.getKey(), e.getValue() == null ? "" : values.resolve(e.getValue()));
    }
    env.put("CLUSTER_NODE_INDEX", Integer.toString(index));
    env.put("CLUSTER_NODE_NAME", name);
    env.put("CLUSTER_DIR", layout.directory().toString());
    env.put("CLUSTER_HOSTS", placement.hosts());
    String mark = FamilyMark.of(clusterId, name);
    env.put(FamilyMark.VARIABLE, mark);
    Path workDir = layout.nodeDir(name).resolve(values.resolve(config.workingDirectory()));
    return Node.planned(index, mark, placement.ports(index), command, env, workDir, placement.place(index));
  }
}
