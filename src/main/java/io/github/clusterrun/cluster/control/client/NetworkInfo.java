package io.github.clusterrun.cluster.control.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network faults in force between the nodes, as the control endpoint describes them at the
 * time of the request: the groups of the partition (empty when there is none), and each delayed
 * and each lossy node.
 */
public final class NetworkInfo {
  private final List<List<String>> partition;
  private final Map<String, Integer> delayMs;
  private final Map<String, Integer> jitterMs;
  private final Map<String, Integer> lossPercent;

  private NetworkInfo(
      List<List<String>> partition,
      Map<String, Integer> delayMs,
      Map<String, Integer> jitterMs,
      Map<String, Integer> lossPercent) {
    this.partition = Collections.unmodifiableList(partition);
    this.delayMs = Collections.unmodifiableMap(delayMs);
    this.jitterMs = Collections.unmodifiableMap(jitterMs);
    this.lossPercent = Collections.unmodifiableMap(lossPercent);
  }

  static NetworkInfo of(Map<?, ?> json) {
    List<List<String>> groups = new ArrayList<>();
    Object partition = json.get("partition");
    if (partition instanceof List) {
      ((List<?>) partition).forEach(g -> groups.add(strings(g)));
    }
    Map<String, Integer> delay = new LinkedHashMap<>();
    Map<String, Integer> jitter = new LinkedHashMap<>();
    Object delays = json.get("delay");
    if (delays instanceof Map) {
      ((Map<?, ?>) delays).forEach((node, d) -> {
        delay.put(node.toString(), ((Number) ((Map<?, ?>) d).get("ms")).intValue());
        jitter.put(node.toString(), ((Number) ((Map<?, ?>) d).get("jitterMs")).intValue());
      });
    }
    Map<String, Integer> loss = new LinkedHashMap<>();
    Object losses = json.get("loss");
    if (losses instanceof Map) {
      ((Map<?, ?>) losses).forEach((node, p) -> loss.put(node.toString(), ((Number) p).intValue()));
    }
    return new NetworkInfo(groups, delay, jitter, loss);
  }

  /** A JSON list of strings as a list (absent: empty). */
  static List<String> strings(Object json) {
    List<String> strings = new ArrayList<>();
    if (json instanceof List) {
      ((List<?>) json).forEach(s -> strings.add(s.toString()));
    }
    return Collections.unmodifiableList(strings);
  }

  /** The groups of the partition in force, node names in each; empty when there is none. */
  public List<List<String>> partition() {
    return partition;
  }

  /** The delay in milliseconds of each delayed node's traffic to the other nodes. */
  public Map<String, Integer> delayMs() {
    return delayMs;
  }

  /** The jitter in milliseconds of each delayed node's delay. */
  public Map<String, Integer> jitterMs() {
    return jitterMs;
  }

  /** The percent of lost packets of each lossy node's traffic to the other nodes. */
  public Map<String, Integer> lossPercent() {
    return lossPercent;
  }

  /** Whether no fault is in force. */
  public boolean healed() {
    return partition.isEmpty() && delayMs.isEmpty() && lossPercent.isEmpty();
  }

  @Override
  public String toString() {
    return healed() ? "healed" : "partition " + partition + ", delay " + delayMs + ", loss " + lossPercent;
  }
}
