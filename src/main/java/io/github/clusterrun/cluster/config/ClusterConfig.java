package io.github.clusterrun.cluster.config;

import io.github.clusterrun.cluster.model.SshSettings;
import io.github.clusterrun.cluster.model.StopOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the core needs to run one cluster, checked and immutable. Built by {@link
 * ClusterConfigBuilder}, which reports every mistake as a {@link ConfigException} before anything is
 * created or started.
 */
public final class ClusterConfig {
  private final StopConfig stop;
  private final int nodes;
  private final Path executable;
  private final List<String> arguments;
  private final Map<String, String> environment;
  private final String workingDirectory;
  private final List<String> ports;
  private final Readiness readiness;
  private final Duration stopTimeout;
  private final String stopInput;
  private final Integer basePort;
  private final PropertyPrefix propertyPrefix;
  // ---- <files> (0.2) ----
  private final List<FileTemplate> files;

  ClusterConfig(
      StopConfig stop,
      int nodes,
      Path executable,
      List<String> arguments,
      Map<String, String> environment,
      String workingDirectory,
      List<String> ports,
      Readiness readiness,
      Duration stopTimeout,
      String stopInput,
      Integer basePort,
      PropertyPrefix propertyPrefix,
      List<FileTemplate> files) {
    this.stop = stop;
    this.nodes = nodes;
    this.executable = executable;
    this.arguments = Collections.unmodifiableList(new ArrayList<>(arguments));
    this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    this.workingDirectory = workingDirectory;
    this.ports = Collections.unmodifiableList(new ArrayList<>(ports));
    this.readiness = readiness;
    this.stopTimeout = stopTimeout;
    this.stopInput = stopInput;
    this.basePort = basePort;
    this.propertyPrefix = propertyPrefix;
    this.files = List.copyOf(files);
  }

  // --- Forming a real cluster (0.2): steps before and after start, stop order. ---
  // Set once by the builder, before the configuration is handed out.
  private List<ClusterCommand> beforeStart = List.of();
  private List<ClusterCommand> afterStart = List.of();
  private StopOrder stopOrder = StopOrder.PARALLEL;

  ClusterConfig formation(
      List<ClusterCommand> beforeStart, List<ClusterCommand> afterStart, StopOrder stopOrder) {
    this.beforeStart = List.copyOf(beforeStart);
    this.afterStart = List.copyOf(afterStart);
    this.stopOrder = stopOrder;
    return this;
  }

  // --- Nodes on other hosts (0.3). Set once by the builder, before the configuration is handed out.
  private List<String> sshHosts = List.of();
  private SshSettings ssh;

  ClusterConfig hosts(List<String> hosts, SshSettings settings) {
    this.sshHosts = List.copyOf(hosts);
    this.ssh = settings;
    return this;
  }

  private boolean networkFaults;

  ClusterConfig networkFaults(boolean networkFaults) {
    this.networkFaults = networkFaults;
    return this;
  }

  /**
   * Whether every local node runs in a network namespace of its own, with an address of its own
   * ({@code <networkFaults>}), so that the tests can break the network between local nodes.
   */
  public boolean networkFaults() {
    return networkFaults;
  }

  private List<String> classpath = List.of();
  private boolean javaNodes;

  ClusterConfig java(List<String> entries, boolean nodes) {
    this.classpath = List.copyOf(entries);
    this.javaNodes = nodes;
    return this;
  }

  /**
   * The project's classpath, as given to {@code <mainClass>} nodes and commands ({@code -cp}, its
   * entries joined by the path separator); empty when none is a {@code <mainClass>}.
   */
  public List<String> classpath() {
    return classpath;
  }

  /** Whether the nodes are {@code <mainClass>} nodes, which need {@code java} where they run. */
  public boolean javaNodes() {
    return javaNodes;
  }

  /** The hosts the nodes run on, node i on host i mod H; empty when every node is local. */
  public List<String> sshHosts() {
    return sshHosts;
  }

  /** How the hosts are reached; null when every node is local. */
  public SshSettings ssh() {
    return ssh;
  }

  /** Commands run for every node, in order, before it launches. */
  public List<ClusterCommand> beforeStart() {
    return beforeStart;
  }

  /** Commands run once, in order, after every node is ready. */
  public List<ClusterCommand> afterStart() {
    return afterStart;
  }

  /** In which order the nodes are stopped. */
  public StopOrder stopOrder() {
    return stopOrder;
  }
  // --- end of forming a real cluster ---

  public static ClusterConfigBuilder builder() {
    return new ClusterConfigBuilder();
  }

  /** What {@code stop} will do with this cluster, checked when the cluster is configured. */
  public StopConfig stopConfig() {
    return stop;
  }

  /** Root of all node directories and of the recorded state; absolute and normalised. */
  public Path clusterDirectory() {
    return stop.clusterDirectory();
  }

  /** The project's base directory, which the cluster directory must never be or contain. */
  public Path baseDirectory() {
    return stop.baseDirectory();
  }

  public int nodes() {
    return nodes;
  }

  /** The node program, resolved to an existing file. */
  public Path executable() {
    return executable;
  }

  public List<String> arguments() {
    return arguments;
  }

  public Map<String, String> environment() {
    return environment;
  }

  public String workingDirectory() {
    return workingDirectory;
  }

  /** Names of the ports allocated to each node, first one first. */
  public List<String> ports() {
    return ports;
  }

  public Readiness readiness() {
    return readiness;
  }

  public Duration stopTimeout() {
    return stopTimeout;
  }

  /** A line written to each node's stdin to ask it to stop, instead of SIGTERM; or null. */
  public String stopInput() {
    return stopInput;
  }

  public CleanupPolicy cleanup() {
    return stop.cleanup();
  }

  public boolean skipCleanup() {
    return stop.skipCleanup();
  }

  public List<Path> summaryFiles() {
    return stop.summaryFiles();
  }

  /** The first of the fixed ports, or null for free ports. */
  public Integer basePort() {
    return basePort;
  }

  /** The prefix of every exported property ({@code cluster} gives {@code cluster.hosts}). */
  public PropertyPrefix propertyPrefix() {
    return propertyPrefix;
  }

  // ---- <files> (0.2) ----

  /** The files written into every node's directory before it runs, in POM order. */
  public List<FileTemplate> files() {
    return files;
  }

  @Override
  public String toString() {
    return "ClusterConfig{nodes="
        + nodes
        + ", executable="
        + executable
        + ", arguments="
        + arguments
        + ", environment="
        + environment.keySet()
        + ", workingDirectory="
        + workingDirectory
        + ", ports="
        + ports
        + ", readiness="
        + readiness
        + ", stopTimeout="
        + stopTimeout
        + ", stopInput="
        + stopInput
        + ", basePort="
        + basePort
        + ", propertyPrefix="
        + propertyPrefix
        + ", files="
        + files
        + ", beforeStart="
        + beforeStart
        + ", afterStart="
        + afterStart
        + ", stopOrder="
        + stopOrder.value()
        + (networkFaults ? ", networkFaults" : "")
        + ", "
        + stop
        + "}";
  }
}
