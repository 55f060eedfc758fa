package io.github.clusterrun.cluster.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.config.CleanupPolicy;
import io.github.clusterrun.cluster.outcome.TestOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract's stop-decision table, once the kill is confirmed for every node (the first row, an
 * unconfirmed kill, is decided before this: see ClusterStopper).
 */
class CleanupDecisionTest {
  private static final TestOutcome PASSED = TestOutcome.passed("12 integration tests passed");
  private static final TestOutcome FAILED = TestOutcome.notProven("2 failures in failsafe-summary.xml");
  private static final TestOutcome UNKNOWN = TestOutcome.notProven("no failsafe-summary.xml: no test results");

  /** Row: skipCleanup true, any outcome, any cleanup: kept. */
  @ParameterizedTest
  @EnumSource(CleanupPolicy.class)
  void skipCleanupKeepsWhateverHappened(CleanupPolicy policy) {
    for (TestOutcome outcome : new TestOutcome[] {PASSED, FAILED, UNKNOWN}) {
      CleanupDecision decision = CleanupDecision.decide(outcome, true, policy);
      assertThat(decision.delete()).as(policy + " " + outcome).isFalse();
      assertThat(decision.reason()).contains("skipCleanup");
    }
  }

  /** Row: tests passed, onSuccess: deleted. */
  @Test
  void passedOnSuccessDeletes() {
    CleanupDecision decision = CleanupDecision.decide(PASSED, false, CleanupPolicy.ON_SUCCESS);
    assertThat(decision.delete()).isTrue();
    assertThat(decision.reason()).isEqualTo("12 integration tests passed");
  }

  /** Row: tests failed or unknown, onSuccess: kept. */
  @Test
  void failedOrUnknownOnSuccessKeeps() {
    CleanupDecision failed = CleanupDecision.decide(FAILED, false, CleanupPolicy.ON_SUCCESS);
    assertThat(failed.delete()).isFalse();
    assertThat(failed.reason()).isEqualTo("2 failures in failsafe-summary.xml");

    CleanupDecision unknown = CleanupDecision.decide(UNKNOWN, false, CleanupPolicy.ON_SUCCESS);
    assertThat(unknown.delete()).isFalse();
    assertThat(unknown.reason()).contains("no test results");
  }

  /** Row: any outcome, always: deleted. */
  @Test
  void alwaysDeletes() {
    for (TestOutcome outcome : new TestOutcome[] {PASSED, FAILED, UNKNOWN}) {
      CleanupDecision decision = CleanupDecision.decide(outcome, false, CleanupPolicy.ALWAYS);
      assertThat(decision.delete()).as(outcome.toString()).isTrue();
      assertThat(decision.reason()).contains("always").contains(outcome.reason());
    }
  }

  /** Row: any outcome, never: kept. */
  @Test
  void neverKeeps() {
    for (TestOutcome outcome : new TestOutcome[] {PASSED, FAILED, UNKNOWN}) {
      CleanupDecision decision = CleanupDecision.decide(outcome, false, CleanupPolicy.NEVER);
      assertThat(decision.delete()).as(outcome.toString()).isFalse();
      assertThat(decision.reason()).contains("never").contains(outcome.reason());
    }
  }
}
