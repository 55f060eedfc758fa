package io.github.clusterrun.cluster.testing;

import io.github.clusterrun.cluster.config.ClusterConfig;
import io.github.clusterrun.cluster.config.ClusterConfigBuilder;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** The tests' usual cluster: {@code nodes} shells running {@code script}, in base/target/cluster. */
public final class ShNodes {
  private ShNodes() {}

  public static ClusterConfigBuilder of(Path base, int nodes, String script) {
    return ClusterConfig.builder()
        .baseDirectory(base)
        .clusterDirectory(Paths.get("target/cluster"))
        .nodes(nodes)
        .executable("/bin/sh")
        // Named explicitly: the default port list cannot be built (ClusterConfigBuilderTest).
        .ports(List.of("port"))
        .arguments(List.of("-c", script))
        .stopTimeoutSeconds(5);
  }
}
