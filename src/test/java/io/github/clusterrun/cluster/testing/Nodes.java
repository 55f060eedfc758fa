package io.github.clusterrun.cluster.testing;

import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Node records and clusters for the tests, as the starter would record them. */
public final class Nodes {
  private Nodes() {}

  /** Node {@code n_<i>} of a cluster, recorded with {@code pid} (0: never launched). */
  public static Node recorded(String clusterId, String name, long pid, Instant start) {
    int index = Integer.parseInt(name.substring(name.indexOf('_') + 1));
    Node planned = Node.planned(index, FamilyMark.of(clusterId, name), Map.of(), List.of(), Map.of(), null);
    return pid > 0 ? planned.launched(pid, start) : planned;
  }

  /** A node launched by this JVM as {@code process}. */
  public static Node launched(String clusterId, String name, Process process) {
    return recorded(clusterId, name, process.pid(), process.toHandle().info().startInstant().orElse(null));
  }

  /**
   * A cluster of {@code nodes} in {@code dir}; {@code launched} are the processes, by node name,
   * that this JVM launched (their exit codes are known).
   */
  public static Cluster cluster(
      Path dir,
      String clusterId,
      Duration stopTimeout,
      String stopInput,
      List<Node> nodes,
      Map<String, Process> launched) {
    Cluster cluster =
        new Cluster(new ClusterLayout(dir), clusterId, Instant.now(), stopTimeout, stopInput, nodes);
    launched.forEach(cluster::launched);
    return cluster;
  }
}
