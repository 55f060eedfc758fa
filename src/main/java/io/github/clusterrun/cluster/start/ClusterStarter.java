package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.cleanup.SafeDelete;
import io.github.clusterrun.cluster.config.ClusterConfig;
import io.github.clusterrun.cluster.config.Placeholders;
import io.github.clusterrun.cluster.config.Readiness;
import io.github.clusterrun.cluster.evidence.LogTail;
import io.github.clusterrun.cluster.lifeline.Lifeline;
import io.github.clusterrun.cluster.process.FamilyMark;
import io.github.clusterrun.cluster.process.NodeProcess;
import io.github.clusterrun.cluster.process.StopReport;
import io.github.clusterrun.cluster.readiness.HttpProbe;
import io.github.clusterrun.cluster.readiness.LogProbe;
import io.github.clusterrun.cluster.readiness.Probe;
import io.github.clusterrun.cluster.readiness.ReadinessWaiter;
import io.github.clusterrun.cluster.readiness.TcpProbe;
import io.github.clusterrun.cluster.state.ClusterState;
import io.github.clusterrun.cluster.state.LiveCluster;
import io.github.clusterrun.cluster.stop.Reaper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Starts a cluster: reaps a stale cluster left in the directory, wipes it, lays out every node,
 * allocates ports, launches all nodes, waits until every one is ready, then exports the properties.
 * If a node exits or is not ready in time, every node is stopped (the directories are kept) and a
 * {@link ClusterException} says which node, why, and what its console log said last.
 */
public final class ClusterStarter {
  /** Lines of a failed node's console log shown in the build error. */
  static final int FAILURE_TAIL_LINES = 20;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ClusterConfig config;
  private final ClusterLog log;

  public ClusterStarter(ClusterConfig config, ClusterLog log) {
    this.config = config;
    this.log = log;
  }

  public StartedCluster start() throws ClusterException {
    Path dir = config.clusterDirectory();
    Reaper.reap(dir, log);
    Instant started = Instant.now();
    String clusterId = newClusterId();
    List<NodeLayout> nodes;
    try {
      SafeDelete.deleteTree(dir);
      nodes = layOut();
    } catch (PortsUnavailable e) {
      throw new ClusterException(e.getMessage(), e);
    } catch (IOException e) {
      throw new ClusterException("Cannot prepare the cluster directory " + dir + ": " + e, e);
    }
    String hosts = NodeLayout.hosts(nodes);
    NodeLauncher launcher = new NodeLauncher(config, clusterId, hosts);

    LiveCluster live;
    try {
      List<ClusterState.RecordedNode> planned = new ArrayList<>();
      for (NodeLayout node : nodes) {
        planned.add(new ClusterState.RecordedNode(node.name(), FamilyMark.of(clusterId, node.name()), 0, null));
      }
      ClusterState state =
          new ClusterState(clusterId, started, planned, false, config.stopTimeout(), config.stopInput());
      state.write(dir);
      Lifeline lifeline = Lifeline.start(clusterId, Math.min(config.stopTimeout().getSeconds(), 5));
      live = LiveCluster.launching(dir, state, lifeline);
    } catch (IOException e) {
      throw new ClusterException("Cannot record the cluster state in " + dir + ": " + e, e);
    }

    Map<String, NodeLayout> byName = new LinkedHashMap<>();
    Map<String, List<Probe>> probes = new LinkedHashMap<>();
    for (NodeLayout node : nodes) {
      byName.put(node.name(), node);
      probes.put(node.name(), probes(node, hosts));
    }
    Map<String, Process> processes = new ConcurrentHashMap<>();
    ReadinessWaiter.Listener ready =
        (name, took) ->
            log.info(
                String.format(
                    "%s ready in %d ms (pid %d, %s)",
                    name, took.toMillis(), processes.get(name).pid(), byName.get(name).describePorts()));
    // Every node is watched from the moment it is launched, while the next ones are launched.
    try (ReadinessWaiter waiter = new ReadinessWaiter(config.readiness().timeout(), ready)) {
      for (NodeLayout node : nodes) {
        Process process;
        try {
          process = launcher.launch(node);
        } catch (IOException e) {
          throw failStart(live, node, "could not be launched: " + e.getMessage(), launcher);
        }
        if (!live.add(NodeProcess.launched(node.name(), FamilyMark.of(clusterId, node.name()), process))) {
          process.destroyForcibly();
          throw new ClusterException("The build is exiting; the cluster in " + dir + " was stopped.");
        }
        processes.put(node.name(), process);
        waiter.watch(new ReadinessWaiter.Target(node.name(), process, probes.get(node.name())));
      }
      try {
        // The marks recorded before the launch find every process already; now the pids too.
        live.writeState();
      } catch (IOException e) {
        throw failStart(live, nodes.get(0), "the cluster state could not be recorded: " + e.getMessage(), launcher);
      }
      waiter.await();
    } catch (ReadinessWaiter.NotReadyException e) {
      throw failStart(live, byName.get(e.node()), e.getMessage(), launcher);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failStart(live, nodes.get(0), "start was interrupted", launcher);
    }

    Map<String, String> properties = exportedProperties(nodes, processes, hosts);
    try {
      writeProperties(dir.resolve("cluster.properties"), properties);
    } catch (IOException e) {
      throw failStart(live, nodes.get(0), "cluster.properties could not be written: " + e, launcher);
    }
    return new StartedCluster(live, nodes, properties);
  }

  private List<NodeLayout> layOut() throws IOException {
    Path dir = config.clusterDirectory();
    List<Map<String, Integer>> ports;
    if (config.basePort() == null) {
      ports = PortAllocator.allocate(config.nodes(), config.ports());
    } else {
      PortAllocator.ephemeralRangeWarning(config.basePort(), config.nodes(), config.ports())
          .ifPresent(log::warn);
      try {
        ports = PortAllocator.fixed(config.basePort(), config.nodes(), config.ports());
      } catch (PortAllocator.PortInUseException e) {
        throw new PortsUnavailable(e.getMessage());
      }
    }
    List<NodeLayout> nodes = new ArrayList<>();
    for (int i = 0; i < config.nodes(); i++) {
      NodeLayout node = new NodeLayout(i, dir, ports.get(i));
      Files.createDirectories(node.dataDir());
      Files.createDirectories(node.logDir());
      Files.createDirectories(node.tmpDir());
      Files.createFile(node.consoleLog());
      nodes.add(node);
    }
    return nodes;
  }

  /** Fixed ports that another process holds: nothing was started. */
  private static final class PortsUnavailable extends IOException {
    private static final long serialVersionUID = 1L;

    PortsUnavailable(String message) {
      super(message);
    }
  }

  private List<Probe> probes(NodeLayout node, String hosts) {
    Readiness readiness = config.readiness();
    Placeholders values = node.placeholders(hosts);
    List<Probe> probes = new ArrayList<>();
    if (readiness.tcp() != null) {
      probes.add(TcpProbe.parse(values.resolve(readiness.tcp())));
    }
    if (readiness.log() != null) {
      probes.add(new LogProbe(node.consoleLog(), Pattern.compile(values.resolveInRegex(readiness.log()))));
    }
    if (readiness.http() != null) {
      probes.add(new HttpProbe(values.resolve(readiness.http())));
    }
    return probes;
  }

  /** Stops every node (keeping the directories) and builds the error for a node that failed. */
  private ClusterException failStart(LiveCluster live, NodeLayout node, String why, NodeLauncher launcher) {
    StopReport report;
    String stopped;
    try {
      report = live.stop(log);
      stopped =
          report.confirmed()
              ? "Every node was stopped; the directories are kept in " + config.clusterDirectory() + "."
              : "Still alive after SIGKILL: " + String.join("; ", report.survivors());
    } catch (IOException e) {
      stopped = "Stopping the other nodes failed: " + e;
    }
    String message =
        "Cluster start failed: "
            + (why.startsWith("node ") ? why : "node " + node.name() + " " + why)
            + "\nCommand: "
            + launcher.describe(node)
            + "\nLast lines of "
            + node.consoleLog()
            + ":\n"
            + LogTail.of(node.consoleLog(), FAILURE_TAIL_LINES)
            + stopped;
    return new ClusterException(message);
  }

  private Map<String, String> exportedProperties(
      List<NodeLayout> nodes, Map<String, Process> processes, String hosts) {
    String base = config.propertyPrefix() + ".";
    Map<String, String> p = new LinkedHashMap<>();
    p.put(base + "hosts", hosts);
    p.put(base + "dir", config.clusterDirectory().toString());
    for (NodeLayout node : nodes) {
      String prefix = base + "node." + node.index() + ".";
      p.put(prefix + "port", Integer.toString(node.firstPort()));
      for (Map.Entry<String, Integer> port : node.ports().entrySet()) {
        p.put(prefix + "port." + port.getKey(), port.getValue().toString());
      }
      p.put(prefix + "dir", node.dir().toString());
      p.put(prefix + "pid", Long.toString(processes.get(node.name()).pid()));
    }
    return p;
  }

  private static void writeProperties(Path file, Map<String, String> properties) throws IOException {
    Properties p = new Properties();
    p.putAll(properties);
    try (OutputStream out = Files.newOutputStream(file)) {
      p.store(out, "Exported by cluster-maven-plugin for the integration tests");
    }
  }

  private static String newClusterId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      sb.append(String.format("%02x", b));
    }
    return sb.toString();
  }
}
