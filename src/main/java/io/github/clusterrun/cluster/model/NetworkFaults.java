package io.github.clusterrun.cluster.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The network faults the tests have put in force between the nodes of a cluster (issue 19): at most
 * one partition (groups of nodes; traffic between two groups is dropped both ways, each group stays
 * whole, a node named in no group keeps reaching every node), a delay and a share of lost packets
 * per node (on its traffic to the other nodes). A new partition replaces the old one, a node's new
 * delay or loss its old one, and {@link #NONE} is the healed network. Immutable.
 *
 * <p>It knows how faults become {@linkplain NetRule rules} at each node's place, by address: that
 * only works where the nodes concerned have addresses of their own, which {@link #sharedAddress}
 * checks before anything is applied.
 */
public final class NetworkFaults {
  /** A delay of a node's traffic to the other nodes. */
  public static final class Delay {
    private final int ms;
    private final int jitterMs;

    public Delay(int ms, int jitterMs) {
      this.ms = ms;
      this.jitterMs = jitterMs;
    }

    public int ms() {
      return ms;
    }

    public int jitterMs() {
      return jitterMs;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Delay && ((Delay) o).ms == ms && ((Delay) o).jitterMs == jitterMs;
    }

    @Override
    public int hashCode() {
      return ms * 31 + jitterMs;
    }

    @Override
    public String toString() {
      return ms + " ms" + (jitterMs == 0 ? "" : " ± " + jitterMs + " ms");
    }
  }

  /** The healed network: nothing in force. */
  public static final NetworkFaults NONE = new NetworkFaults(List.of(), Map.of(), Map.of());

  private final List<List<String>> partition;
  private final Map<String, Delay> delays;
  private final Map<String, Integer> losses;

  private NetworkFaults(List<List<String>> partition, Map<String, Delay> delays, Map<String, Integer> losses) {
    List<List<String>> groups = new ArrayList<>();
    partition.forEach(g -> groups.add(List.copyOf(g)));
    this.partition = List.copyOf(groups);
    this.delays = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(delays));
    this.losses = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(losses));
  }

  /**
   * These faults with {@code groups} as the partition (replacing any); the caller has checked that
   * every name is a node's, named once, in at least two non-empty groups.
   */
  public NetworkFaults withPartition(List<List<String>> groups) {
    return new NetworkFaults(groups, delays, losses);
  }

  /** These faults with {@code node}'s traffic to the other nodes delayed (replacing its delay). */
  public NetworkFaults withDelay(String node, int ms, int jitterMs) {
    Map<String, Delay> more = new LinkedHashMap<>(delays);
    more.put(node, new Delay(ms, jitterMs));
    return new NetworkFaults(partition, more, losses);
  }

  /** These faults with {@code percent} of {@code node}'s packets to the other nodes lost. */
  public NetworkFaults withLoss(String node, int percent) {
    Map<String, Integer> more = new LinkedHashMap<>(losses);
    more.put(node, percent);
    return new NetworkFaults(partition, delays, more);
  }

  /** The groups of the partition in force; empty when there is none. */
  public List<List<String>> partition() {
    return partition;
  }

  /** The delay of each delayed node, in the order they were asked. */
  public Map<String, Delay> delays() {
    return delays;
  }

  /** The percent of lost packets of each lossy node. */
  public Map<String, Integer> losses() {
    return losses;
  }

  public boolean isEmpty() {
    return partition.isEmpty() && delays.isEmpty() && losses.isEmpty();
  }

  /** Whether a delay is among the faults (which needs the kernel's netem). */
  public boolean hasDelay() {
    return !delays.isEmpty();
  }

  /**
   * The rules at each node's place that put these faults in force, by node name (every node of
   * {@code nodes} is a key; most have no rule): the partition as drops at both ends, a node's delay
   * and loss towards each other node's address.
   */
  public Map<String, List<NetRule>> rules(List<Node> nodes) {
    Map<String, String> address = new LinkedHashMap<>();
    nodes.forEach(n -> address.put(n.name(), n.place().address()));
    Map<String, Set<NetRule>> rules = new LinkedHashMap<>();
    nodes.forEach(n -> rules.put(n.name(), new LinkedHashSet<>()));
    for (List<String> group : partition) {
      for (String node : group) {
        for (List<String> other : partition) {
          if (other != group) {
            other.forEach(peer -> rules.get(node).add(NetRule.drop(address.get(peer))));
          }
        }
      }
    }
    delays.forEach((node, d) -> towardsOthers(node, address, a -> NetRule.delay(d.ms(), d.jitterMs(), a), rules));
    losses.forEach((node, percent) -> towardsOthers(node, address, a -> NetRule.loss(percent, a), rules));
    Map<String, List<NetRule>> result = new LinkedHashMap<>();
    rules.forEach((node, some) -> result.put(node, List.copyOf(some)));
    return result;
  }

  private static void towardsOthers(
      String node,
      Map<String, String> address,
      java.util.function.Function<String, NetRule> rule,
      Map<String, Set<NetRule>> rules) {
    address.forEach((peer, a) -> {
      if (!peer.equals(node) && !a.equals(address.get(node))) {
        rules.get(node).add(rule.apply(a));
      }
    });
  }

  /**
   * Two nodes that these faults would have to tell apart but that share an address (nodes on one
   * host, or on this machine's loopback), as "n_0 and n_2 (both 10.0.0.2)"; empty when there is
   * none. Rules go by address: traffic between such nodes cannot be cut, and the delay or loss of
   * one would be the other's too.
   */
  public java.util.Optional<String> sharedAddress(List<Node> nodes) {
    Map<String, String> address = new LinkedHashMap<>();
    nodes.forEach(n -> address.put(n.name(), n.place().address()));
    Set<String> separate = new LinkedHashSet<>(delays.keySet());
    separate.addAll(losses.keySet());
    for (String node : separate) {
      for (Node other : nodes) {
        if (!other.name().equals(node) && other.place().address().equals(address.get(node))) {
          return java.util.Optional.of(pair(node, other.name(), address.get(node)));
        }
      }
    }
    for (int g = 0; g < partition.size(); g++) {
      for (String node : partition.get(g)) {
        for (int h = g + 1; h < partition.size(); h++) {
          for (String peer : partition.get(h)) {
            if (address.get(node).equals(address.get(peer))) {
              return java.util.Optional.of(pair(node, peer, address.get(node)));
            }
          }
        }
      }
    }
    return java.util.Optional.empty();
  }

  private static String pair(String a, String b, String address) {
    return a + " and " + b + " (both " + address + ")";
  }

  /**
   * What is in force for {@code node}, a phrase each: "cut off from n_1, n_2", "delay 200 ms to the
   * other nodes", "loss 10% to the other nodes"; empty when nothing.
   */
  public List<String> describe(String node) {
    List<String> phrases = new ArrayList<>();
    for (List<String> group : partition) {
      if (group.contains(node)) {
        List<String> others = new ArrayList<>();
        partition.stream().filter(g -> g != group).forEach(others::addAll);
        phrases.add("cut off from " + String.join(", ", others));
      }
    }
    if (delays.containsKey(node)) {
      phrases.add("delay " + delays.get(node) + " to the other nodes");
    }
    if (losses.containsKey(node)) {
      phrases.add("loss " + losses.get(node) + "% to the other nodes");
    }
    return phrases;
  }

  /**
   * One line: "partition n_0 | n_1, n_2; delay n_1 200 ms; loss n_2 10%", or "healed"; also the
   * form of the state file ({@link #parse}).
   */
  public String describe() {
    if (isEmpty()) {
      return "healed";
    }
    List<String> parts = new ArrayList<>();
    if (!partition.isEmpty()) {
      List<String> groups = new ArrayList<>();
      partition.forEach(g -> groups.add(String.join(", ", g)));
      parts.add("partition " + String.join(" | ", groups));
    }
    delays.forEach((n, d) -> parts.add("delay " + n + " " + d.ms() + " ms" + (d.jitterMs() == 0 ? "" : " ± " + d.jitterMs() + " ms")));
    losses.forEach((n, p) -> parts.add("loss " + n + " " + p + "%"));
    return String.join("; ", parts);
  }

  /** The faults {@link #describe()} printed; throws IllegalArgumentException for anything else. */
  public static NetworkFaults parse(String line) {
    NetworkFaults faults = NONE;
    if (line.equals("healed")) {
      return faults;
    }
    for (String part : line.split("; ")) {
      String[] f = part.split(" ", 2);
      if (f.length != 2) {
        throw new IllegalArgumentException("not a network fault: '" + part + "'");
      }
      switch (f[0]) {
        case "partition":
          List<List<String>> groups = new ArrayList<>();
          for (String g : f[1].split(" \\| ")) {
            groups.add(List.of(g.split(", ")));
          }
          faults = faults.withPartition(groups);
          break;
        case "delay":
          String[] d = f[1].split(" ");
          if (d.length != 3 && d.length != 6) {
            throw new IllegalArgumentException("not a delay: '" + part + "'");
          }
          faults = faults.withDelay(d[0], Integer.parseInt(d[1]), d.length == 6 ? Integer.parseInt(d[4]) : 0);
          break;
        case "loss":
          String[] l = f[1].split(" ");
          if (l.length != 2 || !l[1].endsWith("%")) {
            throw new IllegalArgumentException("not a loss: '" + part + "'");
          }
          faults = faults.withLoss(l[0], Integer.parseInt(l[1].substring(0, l[1].length() - 1)));
          break;
        default:
          throw new IllegalArgumentException("not a network fault: '" + part + "'");
      }
    }
    return faults;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetworkFaults
        && ((NetworkFaults) o).partition.equals(partition)
        && ((NetworkFaults) o).delays.equals(delays)
        && ((NetworkFaults) o).losses.equals(losses);
  }

  @Override
  public int hashCode() {
    return partition.hashCode() * 31 + delays.hashCode() * 7 + losses.hashCode();
  }

  @Override
  public String toString() {
    return describe();
  }
}
