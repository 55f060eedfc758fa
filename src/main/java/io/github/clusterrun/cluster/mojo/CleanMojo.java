package io.github.clusterrun.cluster.mojo;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.config.ConfigException;
import io.github.clusterrun.cluster.stop.ClusterStopper;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Stops whatever a recorded (possibly crashed) cluster left running, then deletes {@code
 * clusterDirectory}, so that {@code mvn clean} never meets a live node's files. Only {@code
 * cluster.skip} skips it: skipping tests does not skip cleaning.
 *
 * @since 0.1.0
 */
@Mojo(name = "clean", defaultPhase = LifecyclePhase.PRE_CLEAN, threadSafe = true)
public class CleanMojo extends AbstractClusterMojo {
  @Override
  String skipReason() {
    return clusterSkipReason();
  }

  @Override
  void run(ClusterLog log) throws ClusterException {
    if (isExternal()) {
      log.info("The cluster is external (cluster.external): nothing to clean.");
      return;
    }
    if (attach) {
      log.info(
          "cluster.attach is set: clean does not run, the cluster that cluster:run holds in "
              + stopConfig().displayDirectory()
              + " is left alone.");
      return;
    }
    new ClusterStopper(stopConfig(), confirmedStop(), log).clean();
  }
}
