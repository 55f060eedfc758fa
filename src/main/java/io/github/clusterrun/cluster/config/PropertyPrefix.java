package io.github.clusterrun.cluster.config;

/** The prefix of every exported property: {@code cluster} gives {@code cluster.hosts}. */
public final class PropertyPrefix {
  /** The prefix when none is configured. */
  public static final PropertyPrefix DEFAULT = new PropertyPrefix("cluster");

  private final String value;

  private PropertyPrefix(String value) {
    this.value = value;
  }

  /** Checks a configured prefix; null or blank gives {@link #DEFAULT}. */
  public static PropertyPrefix of(String configured) throws ConfigException {
    if (configured == null || configured.isBlank()) {
      return DEFAULT;
    }
    String prefix = configured.trim();
    if (!prefix.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
      throw new ConfigException(
          "propertyPrefix",
          "is '" + configured + "'",
          "use letters, digits, '-' and '_', with dots between parts, e.g. db.cluster");
    }
    return new PropertyPrefix(prefix);
  }

  /** The full name of a property: {@code key("hosts")} is {@code cluster.hosts}. */
  public String key(String suffix) {
    return value + "." + suffix;
  }

  @Override
  public String toString() {
    return value;
  }
}
