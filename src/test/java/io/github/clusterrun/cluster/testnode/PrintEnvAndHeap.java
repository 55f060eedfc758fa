package io.github.clusterrun.cluster.testnode;

import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * A {@code mainClass} command for the plugin's tests: writes to the file {@code args[0]} its
 * {@code FORMAT_ID} variable, its JVM's max heap in bytes, its {@code node} system property and its
 * family mark, one a line.
 */
public final class PrintEnvAndHeap {
  private PrintEnvAndHeap() {}

  public static void main(String[] args) throws Exception {
    Files.writeString(
        Paths.get(args[0]),
        System.getenv("FORMAT_ID") + "\n"
            + Runtime.getRuntime().maxMemory() + "\n"
            + System.getProperty("node") + "\n"
            + System.getenv("CLUSTER_MAVEN_PLUGIN_MARK") + "\n");
  }
}
