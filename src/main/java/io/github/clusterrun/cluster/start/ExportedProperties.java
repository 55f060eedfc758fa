package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.config.PropertyPrefix;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.Node;
import java.io.IOException;
import java.io.OutputStream;
import io.github.clusterrun.cluster.model.OwnerOnly;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The properties handed to the tests: set on the Maven project (Failsafe passes them on) and
 * written to {@code cluster.properties}, which is written again when the tests start a node again
 * (its new pid): the project's properties are read once, when the tests' JVM forks; the file is
 * the one that follows the cluster.
 */
public final class ExportedProperties {
  /** The control endpoint's URL and token, under the prefix (issue 12). */
  public static final String CONTROL_URL = "control.url";

  public static final String CONTROL_TOKEN = "control.token";

  private ExportedProperties() {}

  /** The properties of a started cluster, in a stable order. */
  public static Map<String, String> of(Cluster cluster, PropertyPrefix prefix) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(prefix.key("hosts"), cluster.hosts());
    // <prefix>.hosts.NAME (0.2): 127.0.0.1:<port NAME> of every node, for every port name.
    if (!cluster.nodes().isEmpty()) {
      Placement placement = Placement.of(cluster);
      for (String name : placement.ports(0).keySet()) {
        p.put(prefix.key("hosts." + name), placement.hosts(name));
      }
    }
    p.put(prefix.key("dir"), cluster.directory().toString());
    p.put(prefix.key("id"), cluster.id()); // @{cluster.id}
    for (Node node : cluster.nodes()) {
      String key = "node." + node.index() + ".";
      p.put(prefix.key(key + "port"), Integer.toString(node.firstPort()));
      for (Map.Entry<String, Integer> port : node.ports().entrySet()) {
        p.put(prefix.key(key + "port." + port.getKey()), port.getValue().toString());
      }
      p.put(prefix.key(key + "dir"), nodeDir(cluster, node));
      p.put(prefix.key(key + "host"), node.place().address()); // 0.3
      p.put(prefix.key(key + "pid"), Long.toString(node.pid()));
    }
    // Issue 12: the control endpoint the tests use to stop, kill, pause, resume, start nodes.
    cluster.control().ifPresent(control -> {
      p.put(prefix.key(CONTROL_URL), control.url());
      p.put(prefix.key(CONTROL_TOKEN), control.token());
    });
    return p;
  }

  /** The node's directory where it runs. */
  private static String nodeDir(Cluster cluster, Node node) {
    if (node.place().isLocal() || cluster.ssh().isEmpty()) {
      return cluster.layout().nodeDir(node.name()).toString();
    }
    return cluster.ssh().get().nodeDirectory(node.name());
  }

  /**
   * Writes {@code properties} to {@code file} whole or not at all: into a file beside it, then
   * renamed over it, so that tests reading it while a control action rewrites it never see it half
   * written.
   */
  static void write(Path file, Map<String, String> properties) throws IOException {
    Properties p = new Properties();
    p.putAll(properties);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    // Readable by its owner only: it holds the control endpoint's token (issue 12).
    try (OutputStream out = Channels.newOutputStream(OwnerOnly.open(tmp))) {
      p.store(out, "Exported by cluster-maven-plugin for the integration tests");
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
