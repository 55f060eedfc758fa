package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.family.NodeRoot;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.StateFile;
import io.github.clusterrun.cluster.platform.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The cluster a {@code cluster:run} holds in the same {@code clusterDirectory}, for {@code mvn
 * verify -Dcluster.attach} (issue 12): its exported properties (the control endpoint's URL and token
 * among them) are handed to the tests; nothing is started, stopped or deleted.
 */
public final class AttachedCluster {
  private AttachedCluster() {}

  /** The properties of the cluster running in {@code directory}, as its {@code cluster.properties} says. */
  public static Map<String, String> properties(Path directory, Platform platform) throws ClusterException {
    ClusterLayout layout = new ClusterLayout(directory);
    Optional<Cluster> recorded = StateFile.read(layout);
    boolean running = false;
    if (recorded.isPresent() && !recorded.get().stopped()) {
      for (Node node : recorded.get().nodes()) {
        running |= NodeRoot.of(node, Optional.empty(), platform).isPresent();
      }
    }
    Path file = layout.propertiesFile();
    if (!running || !Files.isRegularFile(file)) {
      throw new ClusterException(
          "No cluster runs in "
              + directory
              + " to attach to (-Dcluster.attach): start one with mvn cluster:run in another terminal, with"
              + " the same clusterDirectory, wait until it says 'The cluster runs until Ctrl-C', then run"
              + " mvn verify -Dcluster.attach again (or leave -Dcluster.attach out to start a cluster for"
              + " this build).");
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException | RuntimeException e) {
      throw new ClusterException("Cannot read " + file + " of the running cluster (-Dcluster.attach): " + e, e);
    }
    Map<String, String> properties = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> properties.put(k, p.getProperty(k)));
    return properties;
  }
}
