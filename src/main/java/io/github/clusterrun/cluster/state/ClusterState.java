package io.github.clusterrun.cluster.state;

import io.github.clusterrun.cluster.process.NodeProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code stop}, {@code clean} and the next {@code start} need to find every process of a
 * cluster after any crash: the cluster's id (the prefix of its {@link
 * io.github.clusterrun.cluster.process.FamilyMark marks}), when it started, and each node's pid and
 * start time. Written to {@value #FILE_NAME} in the cluster directory before the first node is
 * launched and again as nodes start, always by an atomic rename.
 */
public final class ClusterState {
  public static final String FILE_NAME = "cluster.state";

  private final String clusterId;
  private final Instant started;
  private final List<RecordedNode> nodes;
  private final boolean stopped;
  private final Duration stopTimeout;
  private final String stopInput;

  public ClusterState(
      String clusterId,
      Instant started,
      List<RecordedNode> nodes,
      boolean stopped,
      Duration stopTimeout,
      String stopInput) {
    this.clusterId = clusterId;
    this.started = started;
    this.nodes = Collections.unmodifiableList(new ArrayList<>(nodes));
    this.stopped = stopped;
    this.stopTimeout = stopTimeout;
    this.stopInput = stopInput;
  }

  public String clusterId() {
    return clusterId;
  }

  /** When {@code start} began: Failsafe summaries older than this prove nothing. */
  public Instant started() {
    return started;
  }

  public List<RecordedNode> nodes() {
    return nodes;
  }

  /** True once a stop confirmed that every process is gone. */
  public boolean stopped() {
    return stopped;
  }

  public Duration stopTimeout() {
    return stopTimeout;
  }

  public String stopInput() {
    return stopInput;
  }

  public ClusterState withNodes(List<RecordedNode> newNodes) {
    return new ClusterState(clusterId, started, newNodes, stopped, stopTimeout, stopInput);
  }

  public ClusterState markStopped() {
    return new ClusterState(clusterId, started, nodes, true, stopTimeout, stopInput);
  }

  /** The recorded nodes as processes to stop. */
  public List<NodeProcess> processes() {
    List<NodeProcess> list = new ArrayList<>();
    for (RecordedNode node : nodes) {
      list.add(NodeProcess.recorded(node.name(), node.mark(), node.pid(), node.startInstant()));
    }
    return list;
  }

  public static Path file(Path clusterDirectory) {
    return clusterDirectory.resolve(FILE_NAME);
  }

  /** Writes the state atomically (a temporary file renamed over the old one). */
  public void write(Path clusterDirectory) throws IOException {
    Properties p = new Properties();
    p.setProperty("id", clusterId);
    p.setProperty("started", Long.toString(started.toEpochMilli()));
    p.setProperty("stopped", Boolean.toString(stopped));
    p.setProperty("stopTimeout", Long.toString(stopTimeout.getSeconds()));
    if (stopInput != null) {
      p.setProperty("stopInput", stopInput);
    }
    p.setProperty("nodes", Integer.toString(nodes.size()));
    for (int i = 0; i < nodes.size(); i++) {
      RecordedNode node = nodes.get(i);
      p.setProperty("node." + i + ".name", node.name());
      p.setProperty("node." + i + ".mark", node.mark());
      if (node.pid() > 0) {
        p.setProperty("node." + i + ".pid", Long.toString(node.pid()));
      }
      if (node.startInstant() != null) {
        p.setProperty("node." + i + ".startInstant", Long.toString(node.startInstant().toEpochMilli()));
      }
    }
    Files.createDirectories(clusterDirectory);
    Path tmp = clusterDirectory.resolve(FILE_NAME + ".tmp");
    try (FileChannel channel =
            FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        OutputStream out = Channels.newOutputStream(channel)) {
      p.store(out, "cluster-maven-plugin state: what stop and clean need to find every process");
      out.flush();
      channel.force(true); // a crash right after the rename must not leave an empty state
    }
    Files.move(tmp, file(clusterDirectory), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Reads the recorded state, if the directory holds one that parses. */
  public static Optional<ClusterState> read(Path clusterDirectory) throws IOException {
    Path file = file(clusterDirectory);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    try {
      int count = Integer.parseInt(p.getProperty("nodes", "0"));
      List<RecordedNode> nodes = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String pid = p.getProperty("node." + i + ".pid", "0"); // 0: not launched yet
        String startInstant = p.getProperty("node." + i + ".startInstant");
        nodes.add(
            new RecordedNode(
                p.getProperty("node." + i + ".name"),
                p.getProperty("node." + i + ".mark"),
                Long.parseLong(pid),
                startInstant == null ? null : Instant.ofEpochMilli(Long.parseLong(startInstant))));
      }
      return Optional.of(
          new ClusterState(
              require(p, "id"),
              Instant.ofEpochMilli(Long.parseLong(require(p, "started"))),
              nodes,
              Boolean.parseBoolean(p.getProperty("stopped")),
              Duration.ofSeconds(Long.parseLong(p.getProperty("stopTimeout", "10"))),
              p.getProperty("stopInput")));
    } catch (RuntimeException e) {
      throw new IOException(
          "The cluster state "
              + file
              + " is damaged ("
              + e.getMessage()
              + "). Fix: make sure no node of that cluster still runs (its processes carry "
              + "CLUSTER_DIR="
              + clusterDirectory
              + " in their environment), then delete "
              + file,
          e);
    }
  }

  private static String require(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return value;
  }

  /** One node as recorded. */
  public static final class RecordedNode {
    private final String name;
    private final String mark;
    private final long pid;
    private final Instant startInstant;

    public RecordedNode(String name, String mark, long pid, Instant startInstant) {
      this.name = name;
      this.mark = mark;
      this.pid = pid;
      this.startInstant = startInstant;
    }

    public static RecordedNode of(NodeProcess process) {
      return new RecordedNode(process.name(), process.mark(), process.pid(), process.startInstant());
    }

    public String name() {
      return name;
    }

    public String mark() {
      return mark;
    }

    /** The root process's pid; 0 when the node was not launched yet. */
    public long pid() {
      return pid;
    }

    public Instant startInstant() {
      return startInstant;
    }
  }
}
