package io.github.clusterrun.cluster.mojo;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.HostAddress;
import io.github.clusterrun.cluster.model.Node;
import java.util.concurrent.CountDownLatch;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Starts the configured cluster and holds it, for manual exploration, until Ctrl-C; then stops it
 * with the same confirmed kill as {@code stop} and keeps its directories.
 *
 * <p>Like {@code jetty:run} and {@code spring-boot:run}, it first runs the project's lifecycle up
 * to {@code test-compile}, so that nodes that run the project's own classes ({@code <mainClass>},
 * or {@code java -cp ${project.build.outputDirectory}}) find them compiled, on a fresh clone too.
 *
 * @since 0.1.0
 */
@Mojo(name = "run", requiresDependencyResolution = ResolutionScope.TEST, threadSafe = true)
@Execute(phase = LifecyclePhase.TEST_COMPILE)
public class RunMojo extends StartMojo {
  @Override
  String skipReason() {
    return clusterSkipReason();
  }

  @Override
  void run(ClusterLog log) throws ClusterException {
    if (attach) { // issue 12
      throw new io.github.clusterrun.cluster.config.ConfigException(
          "attach",
          "is set, but cluster:run starts a cluster of its own",
          "run cluster:run without -Dcluster.attach, and mvn verify -Dcluster.attach in another terminal");
    }
    Cluster cluster = start(log);
    for (Node node : cluster.nodes()) {
      log.info(
          "  " + node.name() + ": " + HostAddress.withPort(node.place().address(), node.firstPort())
              + " (" + node.describePorts() + "), "
              + (node.place().isLocal()
                  ? cluster.layout().nodeDir(node.name()).toString()
                  : cluster.ssh().map(s -> s.nodeDirectory(node.name())).orElse("") + " on " + node.place().sshHost()));
    }
    cluster.control().ifPresent(c -> log.info("  control endpoint: " + c.url() + " (token in " + cluster.layout().propertiesFile() + ")"));
    log.info("The cluster runs until Ctrl-C; its directories are kept afterwards.");
    guard().reportExitTo(cluster, log);
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
