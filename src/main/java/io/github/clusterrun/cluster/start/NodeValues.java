package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.config.Placeholders;
import io.github.clusterrun.cluster.model.Cluster;
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

  /**
   * The values for node {@code index} of cluster {@code clusterId} whose nodes have {@code
   * portsOfNodes}, in index order.
   */
  public static Placeholders of(
      ClusterLayout layout, String clusterId, int index, List<Map<String, Integer>> portsOfNodes) {
    String hosts = Cluster.hosts(portsOfNodes);
    Map<String, String> hostsByName = new LinkedHashMap<>();
    for (String name : portsOfNodes.get(0).keySet()) {
      hostsByName.put(Placeholders.CLUSTER_HOSTS_PREFIX + name, hosts(portsOfNodes, name));
    }
    List<Map<String, String>> nodes = new ArrayList<>();
    for (int i = 0; i < portsOfNodes.size(); i++) {
      Map<String, String> values = values(layout, i, portsOfNodes.get(i), hosts);
      values.put(Placeholders.NODE_NUMBER, Integer.toString(i + 1));
      values.put(Placeholders.CLUSTER_SIZE, Integer.toString(portsOfNodes.size()));
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
    StringBuilder sb = new StringBuilder();
    for (Map<String, Integer> ports : portsOfNodes) {
      sb.append(sb.length() == 0 ? "" : ",").append("127.0.0.1:").append(ports.get(portName));
    }
    return sb.toString();
  }
}
