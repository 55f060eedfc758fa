package io.github.clusterrun.cluster.family;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The result of stopping a cluster: one {@link NodeStop} per node and whatever survived. */
public final class StopReport {
  private final List<NodeStop> nodes;
  private final List<String> survivors;

  StopReport(List<NodeStop> nodes, List<String> survivors) {
    this.nodes = Collections.unmodifiableList(new ArrayList<>(nodes));
    this.survivors = Collections.unmodifiableList(new ArrayList<>(survivors));
  }

  /** The report of {@code nodes} stopped, with the processes that {@code survived} ("pid command (node)"). */
  public static StopReport of(List<NodeStop> nodes, List<String> survived) {
    return new StopReport(nodes, survived);
  }

  /** The report of a cluster with nothing left to stop. */
  public static StopReport nothingRunning() {
    return new StopReport(List.of(), List.of());
  }

  /** One report of several stops. */
  public static StopReport merge(List<StopReport> reports) {
    List<NodeStop> nodes = new ArrayList<>();
    List<String> survivors = new ArrayList<>();
    for (StopReport report : reports) {
      nodes.addAll(report.nodes);
      survivors.addAll(report.survivors);
    }
    return new StopReport(nodes, survivors);
  }

  public List<NodeStop> nodes() {
    return nodes;
  }

  /** Processes still alive after the forced kill, as "pid command (node)". */
  public List<String> survivors() {
    return survivors;
  }

  /** True when every process of every node is confirmed gone. */
  public boolean confirmed() {
    return survivors.isEmpty();
  }
}
