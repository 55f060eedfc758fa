package io.github.clusterrun.cluster.stop;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.engine.Engines;
import io.github.clusterrun.cluster.model.Place;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.StateException;
import io.github.clusterrun.cluster.platform.Platform;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Whether a recorded cluster is running: each node's pid, ports and uptime, for {@code cluster:status}. */
public final class ClusterStatus {
  private final ConfirmedStop clusters;
  private final Platform platform;

  public ClusterStatus(ConfirmedStop clusters, Platform platform) {
    this.clusters = clusters;
    this.platform = platform;
  }

  /** One line per node, after a first line about the cluster; empty when nothing is recorded. */
  public List<String> describe(Path clusterDirectory, String shownAs) throws StateException {
    List<String> lines = new ArrayList<>();
    Optional<Cluster> recorded = clusters.find(clusterDirectory);
    if (recorded.isEmpty()) {
      return lines;
    }
    Cluster cluster = recorded.get();
    int running = 0;
    List<String> nodeLines = new ArrayList<>();
    java.util.Set<String> alive = new java.util.HashSet<>();
    boolean kept = Engines.kept(cluster);
    try {
      Engines engines = Engines.of(cluster, platform, ClusterLog.SILENT);
      for (Place place : cluster.places()) {
        alive.addAll(engines.of(place).running(cluster.at(place)));
      }
    } catch (ClusterException e) {
      lines.add("Cluster in " + shownAs + ": its hosts cannot be asked: " + e.getMessage());
    } finally {
      if (!kept) {
        Engines.release(cluster); // the connections this status opened
      }
    }
    for (Node node : cluster.nodes()) {
      String ports = node.ports().isEmpty() ? "" : ", ports " + node.describePorts();
      if (!node.place().isLocal()) {
        ports += ", on " + node.place().sshHost() + " (" + node.place().address() + ")";
      }
      List<String> faults = cluster.network().describe(node.name()); // issue 19
      if (!faults.isEmpty()) {
        ports += "; network: " + String.join(", ", faults);
      }
      if (alive.contains(node.name())) {
        running++;
        Duration up =
            node.startInstant() == null ? null : Duration.between(node.startInstant(), Instant.now());
        nodeLines.add(
            "  " + node.name() + ": running, pid " + node.pid() + ports
                + (up == null ? "" : ", up " + human(up)));
      } else {
        nodeLines.add(
            "  " + node.name() + ": not running" + (node.pid() > 0 ? " (was pid " + node.pid() + ")" : ""));
      }
    }
    lines.add(
        "Cluster in " + shownAs + ": " + running + " of " + cluster.nodes().size() + " nodes running"
            + (cluster.stopped() ? " (stopped by the plugin)" : "")
            + ", started " + cluster.started());
    lines.addAll(nodeLines);
    return lines;
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
