package io.github.clusterrun.cluster.mojo;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.config.ConfigException;
import io.github.clusterrun.cluster.stop.ClusterStopper;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Stops the cluster after the integration tests: every process of every node (graceful, then
 * forced), confirms they are gone, then reads the Failsafe results and deletes the directories when
 * the tests passed, or keeps them and says where. Works from the recorded state too ({@code mvn
 * cluster:stop} in another invocation). Calling it again is a no-op.
 *
 * @since 0.1.0
 */
@Mojo(name = "stop", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, threadSafe = true)
public class StopMojo extends AbstractClusterMojo {
  @Override
  void run(ClusterLog log) throws ClusterException {
    if (isExternal()) {
      log.info("The cluster is external (cluster.external): nothing to stop or delete.");
      return;
    }
    if (attach) {
      log.info(
          "Attached to the cluster of cluster:run (cluster.attach): nothing to stop or delete; it runs"
              + " until its cluster:run ends.");
      return;
    }
    new ClusterStopper(stopConfig(), confirmedStop(), log).stop();
  }
}
