package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.state.LiveCluster;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A cluster whose every node is ready: its nodes and the properties handed to the tests. */
public final class StartedCluster {
  private final LiveCluster live;
  private final List<NodeLayout> nodes;
  private final Map<String, String> properties;

  StartedCluster(LiveCluster live, List<NodeLayout> nodes, Map<String, String> properties) {
    this.live = live;
    this.nodes = List.copyOf(nodes);
    this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }

  public LiveCluster live() {
    return live;
  }

  public List<NodeLayout> nodes() {
    return nodes;
  }

  /** The exported properties, in a stable order: also written to {@code cluster.properties}. */
  public Map<String, String> properties() {
    return properties;
  }
}
