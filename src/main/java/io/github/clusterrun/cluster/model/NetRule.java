package io.github.clusterrun.cluster.model;

import java.util.List;
import java.util.Objects;

/**
 * One network fault rule at a node's place, about the traffic between that node and the node at
 * {@link #address}: dropped both ways, a share of its packets lost, or delayed (on the way there).
 * What the tests ask for ({@link NetworkFaults}) becomes these rules, node by node; an engine puts
 * them in force where the node runs. Immutable.
 */
public final class NetRule {
  /** What the rule does to the traffic with {@link #address}. */
  public enum Kind {
    /** Dropped both ways. */
    DROP,
    /** {@link #percent} of the packets to the address lost. */
    LOSS,
    /** The packets to the address delayed by {@link #ms} (± {@link #jitterMs}). */
    DELAY
  }

  private final Kind kind;
  private final String address;
  private final int percent;
  private final int ms;
  private final int jitterMs;

  private NetRule(Kind kind, String address, int percent, int ms, int jitterMs) {
    this.kind = kind;
    this.address = Objects.requireNonNull(address, "address");
    this.percent = percent;
    this.ms = ms;
    this.jitterMs = jitterMs;
  }

  public static NetRule drop(String address) {
    return new NetRule(Kind.DROP, address, 0, 0, 0);
  }

  public static NetRule loss(int percent, String address) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("not a percent: " + percent);
    }
    return new NetRule(Kind.LOSS, address, percent, 0, 0);
  }

  public static NetRule delay(int ms, int jitterMs, String address) {
    if (ms < 0 || jitterMs < 0) {
      throw new IllegalArgumentException("a delay is not negative: " + ms + " ms, jitter " + jitterMs + " ms");
    }
    return new NetRule(Kind.DELAY, address, 0, ms, jitterMs);
  }

  public Kind kind() {
    return kind;
  }

  /** The other end: the address of the node whose traffic with this one the rule touches. */
  public String address() {
    return address;
  }

  public int percent() {
    return percent;
  }

  public int ms() {
    return ms;
  }

  public int jitterMs() {
    return jitterMs;
  }

  /**
   * The rule as the hosts' script takes it ({@code remote.sh net <table> apply <spec>...}): {@code
   * drop <address>}, {@code loss <percent> <address>} or {@code delay <ms> <jitterMs> <address>}.
   */
  public List<String> spec() {
    switch (kind) {
      case DROP:
        return List.of("drop", address);
      case LOSS:
        return List.of("loss", Integer.toString(percent), address);
      default:
        return List.of("delay", Integer.toString(ms), Integer.toString(jitterMs), address);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetRule && ((NetRule) o).spec().equals(spec());
  }

  @Override
  public int hashCode() {
    return spec().hashCode();
  }

  @Override
  public String toString() {
    return String.join(" ", spec());
  }
}
