package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.config.Placeholders;
import io.github.clusterrun.cluster.model.ClusterLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/** The values of the {@code @{…}} placeholders for one node. */
public final class NodeValues {
  private NodeValues() {}

  public static Placeholders of(
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
    return Placeholders.forNode(values);
  }
}
