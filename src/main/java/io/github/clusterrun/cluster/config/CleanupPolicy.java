package io.github.clusterrun.cluster.config;

import java.util.Locale;

/** What {@code stop} does with the cluster directories once every node is confirmed gone. */
public enum CleanupPolicy {
  /** Delete only when the Failsafe results prove the tests passed. */
  ON_SUCCESS("onSuccess"),
  /** Delete whatever the tests did. */
  ALWAYS("always"),
  /** Keep whatever the tests did. */
  NEVER("never");

  private final String pomValue;

  CleanupPolicy(String pomValue) {
    this.pomValue = pomValue;
  }

  public String pomValue() {
    return pomValue;
  }

  /** Parses the POM value {@code onSuccess}, {@code always} or {@code never} (any case). */
  public static CleanupPolicy parse(String value) throws ConfigException {
    if (value == null || value.isBlank()) {
      return ON_SUCCESS;
    }
    for (CleanupPolicy policy : values()) {
      if (policy.pomValue.toLowerCase(Locale.ROOT).equals(value.trim().toLowerCase(Locale.ROOT))) {
        return policy;
      }
    }
    throw new ConfigException(
        "cleanup",
        "is '" + value + "'",
        "use onSuccess, always or never (or -Dcluster.cleanup=onSuccess)");
  }

  @Override
  public String toString() {
    return pomValue;
  }
}
