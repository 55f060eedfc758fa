package io.github.clusterrun.cluster.testing;

import io.github.clusterrun.cluster.ClusterLog;
import java.util.ArrayList;
import java.util.List;

/** A {@link ClusterLog} that keeps every line, so tests can assert on what users would read. */
public final class RecordingLog implements ClusterLog {
  private final List<String> lines = new ArrayList<>();

  @Override
  public synchronized void info(String message) {
    lines.add("INFO " + message);
  }

  @Override
  public synchronized void warn(String message) {
    lines.add("WARN " + message);
  }

  @Override
  public synchronized void debug(String message) {
    lines.add("DEBUG " + message);
  }

  public synchronized List<String> lines() {
    return new ArrayList<>(lines);
  }

  public synchronized String text() {
    return String.join("\n", lines);
  }
}
