package io.github.clusterrun.cluster.mojo;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.config.ConfigException;
import io.github.clusterrun.cluster.config.StopConfig;
import io.github.clusterrun.cluster.stop.ClusterStatus;
import java.util.List;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Says whether a recorded cluster is running: each node's pid, ports and uptime.
 *
 * @since 0.1.0
 */
@Mojo(name = "status", threadSafe = true, aggregator = false)
public class StatusMojo extends AbstractClusterMojo {
  @Override
  String skipReason() {
    return clusterSkipReason();
  }

  @Override
  void run(ClusterLog log) throws ClusterException {
    StopConfig config = stopConfig();
    List<String> lines =
        new ClusterStatus(confirmedStop(), platform())
            .describe(config.clusterDirectory(), config.displayDirectory());
    if (lines.isEmpty()) {
      log.info("No cluster is recorded in " + config.displayDirectory() + ".");
    }
    lines.forEach(log::info);
  }
}
