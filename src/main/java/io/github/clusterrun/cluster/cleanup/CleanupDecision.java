package io.github.clusterrun.cluster.cleanup;

import io.github.clusterrun.cluster.config.CleanupPolicy;
import io.github.clusterrun.cluster.outcome.TestOutcome;

/** The stop decision of the contract: delete the cluster directories, or keep them and say why. */
public final class CleanupDecision {
  private final boolean delete;
  private final String reason;

  private CleanupDecision(boolean delete, String reason) {
    this.delete = delete;
    this.reason = reason;
  }

  /**
   * Decides, given that every node's kill was confirmed (an unconfirmed kill keeps everything and is
   * decided by the caller before this).
   */
  public static CleanupDecision decide(TestOutcome outcome, boolean skipCleanup, CleanupPolicy policy) {
    return decide(outcome, skipCleanup, policy, null);
  }

  /**
   * As {@link #decide(TestOutcome, boolean, CleanupPolicy)}, where {@code crashArtefact} (a path
   * relative to the cluster directory, or null) keeps the directories under {@code onSuccess} even
   * when the tests passed.
   */
  public static CleanupDecision decide(
      TestOutcome outcome, boolean skipCleanup, CleanupPolicy policy, String crashArtefact) {
    if (skipCleanup) {
      return new CleanupDecision(false, "cluster.skipCleanup is set");
    }
    switch (policy) {
      case ALWAYS:
        return new CleanupDecision(true, "cleanup is 'always' (" + outcome.reason() + ")");
      case NEVER:
        return new CleanupDecision(false, "cleanup is 'never' (" + outcome.reason() + ")");
      default:
        if (outcome.passed() && crashArtefact != null) {
          return new CleanupDecision(
              false, "a node left " + crashArtefact + " (keepWhen), although " + outcome.reason());
        }
        return new CleanupDecision(outcome.passed(), outcome.reason());
    }
  }

  public boolean delete() {
    return delete;
  }

  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return (delete ? "delete: " : "keep: ") + reason;
  }
}
