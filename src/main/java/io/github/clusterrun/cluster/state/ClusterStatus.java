package io.github.clusterrun.cluster.state;

import io.github.clusterrun.cluster.process.NodeProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;

/** Whether a recorded cluster is running: each node's pid, ports and uptime, for {@code cluster:status}. */
public final class ClusterStatus {
  private ClusterStatus() {}

  /** One line per node, after a first line about the cluster; empty when nothing is recorded. */
  public static List<String> describe(Path clusterDirectory, String shownAs) throws IOException {
    List<String> lines = new ArrayList<>();
    Optional<ClusterState> recorded = ClusterState.read(clusterDirectory);
    if (recorded.isEmpty()) {
      return lines;
    }
    ClusterState state = recorded.get();
    Properties exported = exported(clusterDirectory);
    int running = 0;
    List<String> nodeLines = new ArrayList<>();
    for (int i = 0; i < state.nodes().size(); i++) {
      ClusterState.RecordedNode node = state.nodes().get(i);
      NodeProcess process = NodeProcess.recorded(node.name(), node.mark(), node.pid(), node.startInstant());
      String ports = ports(exported, i);
      if (process.liveRoot().isPresent()) {
        running++;
        Duration up = node.startInstant() == null ? null : Duration.between(node.startInstant(), Instant.now());
        nodeLines.add(
            "  " + node.name() + ": running, pid " + node.pid() + (ports.isEmpty() ? "" : ", " + ports)
                + (up == null ? "" : ", up " + human(up)));
      } else {
        nodeLines.add("  " + node.name() + ": not running" + (node.pid() > 0 ? " (was pid " + node.pid() + ")" : ""));
      }
    }
    lines.add(
        "Cluster in " + shownAs + ": " + running + " of " + state.nodes().size() + " nodes running"
            + (state.stopped() ? " (stopped by the plugin)" : "")
            + ", started " + state.started());
    lines.addAll(nodeLines);
    return lines;
  }

  private static Properties exported(Path dir) {
    Properties p = new Properties();
    Path file = dir.resolve("cluster.properties");
    if (Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException ignored) {
        // Ports are a nicety here.
      }
    }
    return p;
  }

  private static String ports(Properties exported, int index) {
    StringBuilder sb = new StringBuilder();
    String marker = ".node." + index + ".port.";
    for (String key : new TreeSet<>(exported.stringPropertyNames())) {
      int at = key.indexOf(marker);
      if (at >= 0) {
        sb.append(sb.length() == 0 ? "ports " : " ")
            .append(key.substring(at + marker.length()))
            .append('=')
            .append(exported.getProperty(key));
      }
    }
    return sb.toString();
  }

  private static String human(Duration d) {
    long s = d.getSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + (s % 60) + "s";
    }
    return s / 3600 + "h" + (s % 3600) / 60 + "m";
  }
}
