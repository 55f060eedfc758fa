package io.github.clusterrun.cluster.config;

import java.time.Duration;
import java.util.Objects;

/**
 * When a node counts as ready: every probe given must hold. The values are templates, resolved per
 * node. No probe at all means a node is ready once its process runs.
 */
public final class Readiness {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final String http;
  private final String tcp;
  private final String log;
  private final Duration timeout;

  public Readiness(String http, String tcp, String log, Duration timeout) {
    this.http = blankToNull(http);
    this.tcp = blankToNull(tcp);
    this.log = blankToNull(log);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  public static Readiness none() {
    return new Readiness(null, null, null, DEFAULT_TIMEOUT);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** A URL that must answer 2xx, or null. */
  public String http() {
    return http;
  }

  /** A port ({@code 8080}) or {@code host:port} that must accept connections, or null. */
  public String tcp() {
    return tcp;
  }

  /** A regular expression that a line of the node's console log must match, or null. */
  public String log() {
    return log;
  }

  public Duration timeout() {
    return timeout;
  }

  public boolean isEmpty() {
    return http == null && tcp == null && log == null;
  }

  @Override
  public String toString() {
    return "Readiness{http=" + http + ", tcp=" + tcp + ", log=" + log + ", timeout=" + timeout + "}";
  }
}
