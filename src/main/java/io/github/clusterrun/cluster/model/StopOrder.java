package io.github.clusterrun.cluster.model;

import java.util.Locale;
import java.util.Optional;

/**
 * In which order the nodes of a cluster are stopped: all at once ({@link #PARALLEL}), or one after
 * the other, each confirmed gone before the next is asked to stop, in index order ({@link
 * #SEQUENTIAL}) or the reverse ({@link #REVERSE}). Recorded in the state, so that every stop of the
 * cluster ({@code stop}, {@code clean}, the exit hook, the reaper) honours it.
 */
public enum StopOrder {
  PARALLEL,
  SEQUENTIAL,
  REVERSE;

  /** The value as the POM writes it: {@code parallel}, {@code sequential}, {@code reverse}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The order a POM value names (case-insensitive), if any. */
  public static Optional<StopOrder> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    for (StopOrder order : values()) {
      if (order.value().equalsIgnoreCase(value.trim())) {
        return Optional.of(order);
      }
    }
    return Optional.empty();
  }
}
