package io.github.clusterrun.cluster.mojo;

import io.github.clusterrun.cluster.ClusterLog;
import org.apache.maven.plugin.logging.Log;

/** Maven's log as the core's {@link ClusterLog}. */
final class MavenClusterLog implements ClusterLog {
  private final Log log;

  MavenClusterLog(Log log) {
    this.log = log;
  }

  @Override
  public void info(String message) {
    log.info(message);
  }

  @Override
  public void warn(String message) {
    log.warn(message);
  }

  @Override
  public void debug(String message) {
    log.debug(message);
  }
}
