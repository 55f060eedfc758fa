package io.github.clusterrun.cluster.outcome;

/** What the Failsafe summaries prove about the integration tests of this cluster. */
public final class TestOutcome {
  private final boolean passed;
  private final String reason;

  private TestOutcome(boolean passed, String reason) {
    this.passed = passed;
    this.reason = reason;
  }

  /** The tests ran after the cluster started and every one of them passed. */
  public static TestOutcome passed(String reason) {
    return new TestOutcome(true, reason);
  }

  /** Something failed, or nothing proves a pass. */
  public static TestOutcome notProven(String reason) {
    return new TestOutcome(false, reason);
  }

  public boolean passed() {
    return passed;
  }

  /** Why, in a few words for the decision line: "12 integration tests passed". */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return (passed ? "passed: " : "not proven: ") + reason;
  }
}
