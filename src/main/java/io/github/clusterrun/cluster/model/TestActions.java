package io.github.clusterrun.cluster.model;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the tests did to one node through the control endpoint, counted per action: recorded in the
 * state file, so that {@code stop} (in this build or another invocation) can tell a node the tests
 * stopped or killed from one that exited on its own, and say what the tests did in its decision
 * line. Immutable.
 */
public final class TestActions {
  /** The actions of the control endpoint, in the order they are told. */
  public enum Action {
    STOP("stopped"),
    KILL("killed"),
    PAUSE("paused"),
    RESUME("resumed"),
    START("started"),
    RESTART("restarted"),
    /** Issue 19: the node cut off from every other node. */
    ISOLATE("isolated"),
    /** Issue 19: its traffic to the other nodes delayed. */
    DELAY("delayed"),
    /** Issue 19: a share of its packets to the other nodes lost. */
    LOSS("dropped packets of"),
    /** Issue 19, of the whole network ({@link TestActions#NETWORK}): a partition into groups. */
    PARTITION("partitioned"),
    /** Issue 19, of the whole network: every fault removed. */
    HEAL("healed");

    private final String past;

    Action(String past) {
      this.past = past;
    }

    /** {@code stop}, {@code kill}, … as in {@code POST /nodes/{name}/{action}}. */
    public String path() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** "stopped", "killed", … */
    public String past() {
      return past;
    }
  }

  /**
   * The name under which what the tests did to the network as a whole (partition, heal) is
   * recorded, and told: "partitioned the network twice and healed it once".
   */
  public static final String NETWORK = "the network";

  /** No action. */
  public static final TestActions NONE = new TestActions(new EnumMap<>(Action.class));

  private final Map<Action, Integer> counts;

  private TestActions(Map<Action, Integer> counts) {
    this.counts = counts;
  }

  /** These actions and one more {@code action}. */
  public TestActions plus(Action action) {
    return plus(action, 1);
  }

  TestActions plus(Action action, int times) {
    Map<Action, Integer> more = new EnumMap<>(Action.class);
    more.putAll(counts);
    more.merge(action, times, Integer::sum);
    return new TestActions(more);
  }

  public int count(Action action) {
    return counts.getOrDefault(action, 0);
  }

  public boolean isEmpty() {
    return counts.isEmpty();
  }

  /**
   * "killed n_1 once and started it", "paused n_0 twice, resumed it twice": what the tests did to
   * the node, for the decision line; empty when they did nothing.
   */
  public String describe(String node) {
    List<String> phrases = new ArrayList<>();
    for (Action action : Action.values()) {
      int n = count(action);
      if (n > 0) {
        // "killed n_1 once and started it": "once" only for the first.
        phrases.add(
            action.past() + " " + (phrases.isEmpty() ? node + " " + times(n) : n == 1 ? "it" : "it " + times(n)));
      }
    }
    return join(phrases);
  }

  /** "once", "twice", "3 times". */
  static String times(int n) {
    return n == 1 ? "once" : n == 2 ? "twice" : n + " times";
  }

  /** "a", "a and b", "a, b and c". */
  public static String join(List<String> phrases) {
    if (phrases.isEmpty()) {
      return "";
    }
    if (phrases.size() == 1) {
      return phrases.get(0);
    }
    return String.join(", ", phrases.subList(0, phrases.size() - 1)) + " and " + phrases.get(phrases.size() - 1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TestActions && counts.equals(((TestActions) o).counts);
  }

  @Override
  public int hashCode() {
    return counts.hashCode();
  }

  @Override
  public String toString() {
    return counts.toString();
  }
}
