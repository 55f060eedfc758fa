package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.config.Placeholders;
import io.github.clusterrun.cluster.model.ClusterLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of the {@code @{…}} placeholders for one node. They are built from the ports of every
 * node: {@code @{cluster.hosts.NAME}} and the repeat construct {@code @{nodes[SEP]:TEMPLATE}} need
 * them all.
 */
public final class NodeValues {
  private NodeValues() {}

  /** The values for node {@code index} of a cluster whose nodes all run here, with {@code portsOfNodes}. */
  public static Placeholders of(
      ClusterLayout layout, String clusterId, int index, List<Map<String, Integer>> portsOfNodes) {
    return of(Placement.local(layout, portsOfNodes), clusterId, index);
  }

  /** The values for node {@code index} of cluster {@code clusterId} placed as {@code placement}. */
  public static Placeholders of(Placement placement, String clusterId, int index) {
    String hosts = placement.hosts();
    Map<String, String> hostsByName = new LinkedHashMap<>();
    for (String name : placement.ports(0).keySet()) {
      hostsByName.put(Placeholders.CLUSTER_HOSTS_PREFIX + name, placement.hosts(name));
    }
    List<Map<String, String>> nodes = new ArrayList<>();
    for (int i = 0; i < placement.size(); i++) {
      Map<String, String> values = values(placement.layoutOf(i), i, placement.ports(i), hosts);
      values.put(Placeholders.NODE_HOST, placement.place(i).address());
      values.put(Placeholders.NODE_NUMBER, Integer.toString(i + 1));
      values.put(Placeholders.CLUSTER_SIZE, Integer.toString(placement.size()));
      values.put(Placeholders.CLUSTER_ID, clusterId);
      values.putAll(hostsByName);
      nodes.add(values);
    }
    return Placeholders.forNode(index, nodes);
  }

  private static Map<String, String> values(
      ClusterLayout layout, int index, Map<String, Integer> ports, String clusterHosts) {
    String name = ClusterLayout.nodeName(index);
    Map<String, String> values = new LinkedHashMap<>();
    values.put("node.index", Integer.toString(index));
    values.put("node.name", name);
    values.put("node.dir", layout.nodeDir(name).toString());
    values.put("node.dataDir", layout.dataDir(name).toString());
    values.put("node.logDir", layout.logDir(name).toString());
    values.put("node.tmpDir", layout.tmpDir(name).toString());
    values.put("node.port", ports.values().iterator().next().toString());
    for (Map.Entry<String, Integer> port : ports.entrySet()) {
      values.put("node.port." + port.getKey(), port.getValue().toString());
    }
    values.put("cluster.dir", layout.directory().toString());
    values.put("cluster.hosts", clusterHosts);
    return values;
  }

  /** {@code 127.0.0.1:<port NAME>} of every node, comma-separated, in index order. */
  public static String hosts(List<Map<String, Integer>> portsOfNodes, String portName) {
    return Placement.local(new ClusterLayout(java.nio.file.Paths.get("/")), portsOfNodes).hosts(portName);
  }
}
