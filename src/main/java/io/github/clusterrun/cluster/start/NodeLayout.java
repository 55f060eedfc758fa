package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.config.Placeholders;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where one node lives: its directories, its console log and its ports. */
public final class NodeLayout {
  private final int index;
  private final Path clusterDirectory;
  private final Map<String, Integer> ports;

  public NodeLayout(int index, Path clusterDirectory, Map<String, Integer> ports) {
    this.index = index;
    this.clusterDirectory = clusterDirectory;
    this.ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
  }

  public int index() {
    return index;
  }

  public String name() {
    return "n_" + index;
  }

  public Path dir() {
    return clusterDirectory.resolve(name());
  }

  public Path dataDir() {
    return dir().resolve("data");
  }

  public Path logDir() {
    return dir().resolve("logs");
  }

  public Path tmpDir() {
    return dir().resolve("tmp");
  }

  /** The node's stdout and stderr, interleaved. */
  public Path consoleLog() {
    return logDir().resolve("console.log");
  }

  /** Port name to port number, in the configured order. */
  public Map<String, Integer> ports() {
    return ports;
  }

  public int firstPort() {
    return ports.values().iterator().next();
  }

  /** The placeholder values of this node. */
  public Placeholders placeholders(String clusterHosts) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("node.index", Integer.toString(index));
    values.put("node.name", name());
    values.put("node.dir", dir().toString());
    values.put("node.dataDir", dataDir().toString());
    values.put("node.logDir", logDir().toString());
    values.put("node.tmpDir", tmpDir().toString());
    values.put("node.port", Integer.toString(firstPort()));
    for (Map.Entry<String, Integer> port : ports.entrySet()) {
      values.put("node.port." + port.getKey(), port.getValue().toString());
    }
    values.put("cluster.dir", clusterDirectory.toString());
    values.put("cluster.hosts", clusterHosts);
    return Placeholders.forNode(values);
  }

  /** {@code 127.0.0.1:<first port>} of every node, comma-separated, in index order. */
  public static String hosts(Iterable<NodeLayout> nodes) {
    StringBuilder sb = new StringBuilder();
    for (NodeLayout node : nodes) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append("127.0.0.1:").append(node.firstPort());
    }
    return sb.toString();
  }

  /** "http=4001 admin=4002", for the build log. */
  public String describePorts() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Integer> port : ports.entrySet()) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(port.getKey()).append('=').append(port.getValue());
    }
    return sb.toString();
  }
}
