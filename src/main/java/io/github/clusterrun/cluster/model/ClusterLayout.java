package io.github.clusterrun.cluster.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place that knows the on-disk layout of a cluster:
 *
 * <pre>
 * &lt;clusterDirectory&gt;/
 *   cluster.properties   the exported properties, for tests to read
 *   cluster.state        the record of every node ({@link StateFile})
 *   logs/after-start-1.log  the output of each afterStart command, numbered from 1
 *   n_0/data/  n_0/logs/console.log  n_0/tmp/
 *   n_0/logs/before-start-1.log  the output of each beforeStart command of the node
 *   n_1/…
 * </pre>
 */
public final class ClusterLayout {
  static final String STATE_FILE = "cluster.state";
  static final String PROPERTIES_FILE = "cluster.properties";

  private final Path directory;

  public ClusterLayout(Path directory) {
    this.directory = directory;
  }

  /** The name of node {@code index}: {@code n_0}, {@code n_1}, … */
  public static String nodeName(int index) {
    return "n_" + index;
  }

  public Path directory() {
    return directory;
  }

  public Path stateFile() {
    return directory.resolve(STATE_FILE);
  }

  public Path propertiesFile() {
    return directory.resolve(PROPERTIES_FILE);
  }

  public Path nodeDir(String node) {
    return directory.resolve(node);
  }

  public Path dataDir(String node) {
    return nodeDir(node).resolve("data");
  }

  public Path logDir(String node) {
    return nodeDir(node).resolve("logs");
  }

  public Path tmpDir(String node) {
    return nodeDir(node).resolve("tmp");
  }

  /** The node's stdout and stderr, interleaved. */
  public Path consoleLog(String node) {
    return logDir(node).resolve("console.log");
  }

  /** The output of the node's {@code beforeStart} command {@code number} (from 1). */
  public Path beforeStartLog(String node, int number) {
    return logDir(node).resolve("before-start-" + number + ".log");
  }

  /** The cluster's own logs: the output of the {@code afterStart} commands. */
  public Path clusterLogDir() {
    return directory.resolve("logs");
  }

  /** The output of {@code afterStart} command {@code number} (from 1). */
  public Path afterStartLog(int number) {
    return clusterLogDir().resolve("after-start-" + number + ".log");
  }

  /** Where the node logs are, relative to the cluster directory, for messages: {@code n_*}{@code /logs}. */
  public static String logsPattern() {
    return "n_*/logs";
  }

  /** Where the console logs are, relative to the cluster directory, for messages. */
  public static String consoleLogPattern() {
    return logsPattern() + "/console.log";
  }

  /** Creates a node's directories and its empty console log. */
  public void create(String node) throws IOException {
    Files.createDirectories(dataDir(node));
    Files.createDirectories(logDir(node));
    Files.createDirectories(tmpDir(node));
    Files.createFile(consoleLog(node));
  }
}
