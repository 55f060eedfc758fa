package io.github.clusterrun.cluster.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The codec of {@code cluster.state}: what {@code stop}, {@code clean}, {@code status} and the next
 * {@code start} need to find every process of a cluster after any crash, and to describe or relaunch
 * its nodes. A properties file, written before the first node is launched and again as nodes change,
 * always by an atomic rename of a file that was flushed to disk. Every way it can be damaged reads
 * as one {@link StateException} naming the file and the fix.
 */
public final class StateFile {
  /** The version of the format; a file of another version is refused as damaged. */
  static final int FORMAT = 2;

  private StateFile() {}

  /** Writes the cluster's record atomically (a temporary file renamed over the old one). */
  static void write(Cluster cluster) throws StateException {
    Properties p = new Properties();
    p.setProperty("format", Integer.toString(FORMAT));
    p.setProperty("id", cluster.id());
    p.setProperty("started", Long.toString(cluster.started().toEpochMilli()));
    p.setProperty("stopTimeout", Long.toString(cluster.stopTimeout().toMillis()));
    // For people reading the file; derived from the nodes' states, not read back.
    p.setProperty("stopped", Boolean.toString(cluster.stopped()));
    if (cluster.stopInput() != null) {
      p.setProperty("stopInput", cluster.stopInput());
    }
    // Absent in files written before 0.2: parallel.
    p.setProperty("stopOrder", cluster.stopOrder().value());
    // Absent in files written before 0.2: unknown, so stop looks for what afterStart left.
    p.setProperty("afterStart", cluster.mayHaveOwnFamily() ? "some" : "none");
    List<Node> nodes = cluster.nodes();
    p.setProperty("nodes", Integer.toString(nodes.size()));
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      String key = "node." + i + ".";
      p.setProperty(key + "name", node.name());
      p.setProperty(key + "index", Integer.toString(node.index()));
      p.setProperty(key + "mark", node.mark());
      p.setProperty(key + "state", node.state().name());
      p.setProperty(key + "pid", Long.toString(node.pid()));
      if (node.startInstant() != null) {
        p.setProperty(key + "startInstant", node.startInstant().toString());
      }
      putList(p, key + "port", new ArrayList<>(node.ports().keySet()));
      node.ports().forEach((name, port) -> p.setProperty(key + "port." + name, port.toString()));
      putList(p, key + "command", node.command());
      putList(p, key + "env", new ArrayList<>(node.environment().keySet()));
      node.environment().forEach((name, value) -> p.setProperty(key + "env." + name, value));
      if (node.workingDirectory() != null) {
        p.setProperty(key + "workingDirectory", node.workingDirectory().toString());
      }
      node.containmentGroup().ifPresent(g -> p.setProperty(key + "containmentGroup", g.toString()));
      // 0.3: where the node runs (absent: on the build machine, at 127.0.0.1).
      if (!node.place().isLocal()) {
        p.setProperty(key + "sshHost", node.place().sshHost());
      }
      p.setProperty(key + "address", node.place().address());
      // Issue 12: what the tests did to the node through the control endpoint.
      TestActions actions = cluster.testActions(node.name());
      for (TestActions.Action action : TestActions.Action.values()) {
        if (actions.count(action) > 0) {
          p.setProperty(key + "tests." + action.path(), Integer.toString(actions.count(action)));
        }
      }
    }
    // 0.3: how the hosts of remote nodes are reached.
    cluster.ssh().ifPresent(ssh -> {
      p.setProperty("ssh.remoteDirectory", ssh.remoteDirectory());
      ssh.sshConfig().ifPresent(f -> p.setProperty("ssh.config", f.toString()));
      p.setProperty("ssh.acceptNewHostKeys", Boolean.toString(ssh.acceptNewHostKeys()));
    });
    // Issue 19: the network faults in force, whether any ever was (absent: none), what the tests
    // did to the network as a whole.
    if (cluster.networkTouched()) {
      p.setProperty("network.faults", cluster.network().describe());
      p.setProperty("network.touched", "true");
    }
    TestActions network = cluster.testActions(TestActions.NETWORK);
    for (TestActions.Action action : TestActions.Action.values()) {
      if (network.count(action) > 0) {
        p.setProperty("network.tests." + action.path(), Integer.toString(network.count(action)));
      }
    }
    // Issue 19: the local nodes' network namespaces and bridge, named after the id (absent: none).
    if (cluster.networkNamespaces()) {
      p.setProperty("network.namespaces", "true");
    }
    // Issue 12: where the control endpoint listens (its token is only in cluster.properties).
    cluster.control().ifPresent(c -> p.setProperty("control.url", c.url()));
    Path dir = cluster.directory();
    Path file = cluster.layout().stateFile();
    Path tmp = dir.resolve(ClusterLayout.STATE_FILE + ".tmp");
    try {
      Files.createDirectories(dir);
      try (FileChannel channel = OwnerOnly.open(tmp);
          OutputStream out = Channels.newOutputStream(channel)) {
        p.store(out, "cluster-maven-plugin state: what stop and clean need to find every process");
        // No fsync: the file must survive the JVM's death (the page cache does), not the machine's,
        // which ends every node with it; a record that a power cut lost has no process to find.
        out.flush();
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StateException(
          file,
          "Cannot record the cluster state in " + file + ": " + e,
          "make " + dir + " writable (and check the disk has room), then run the build again",
          e);
    }
  }

  /**
   * Reads the cluster recorded in {@code layout}'s directory; empty when there is none.
   *
   * @throws StateException when the file exists but cannot be read or is damaged in any way
   */
  public static Optional<Cluster> read(ClusterLayout layout) throws StateException {
    Path file = layout.stateFile();
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (NoSuchFileException e) {
      return Optional.empty(); // deleted meanwhile
    } catch (IOException | RuntimeException e) {
      // Properties.load throws IllegalArgumentException for a cut \\uXXXX escape.
      throw damaged(layout, "it cannot be parsed: " + describe(e), e);
    }
    try {
      int format = Integer.parseInt(require(p, "format"));
      if (format != FORMAT) {
        throw new IllegalArgumentException("format " + format + ", this plugin reads format " + FORMAT);
      }
      int count = Integer.parseInt(require(p, "nodes"));
      if (count < 0) {
        throw new IllegalArgumentException("nodes=" + count);
      }
      List<Node> nodes = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        nodes.add(readNode(p, "node." + i + "."));
      }
      Cluster cluster =
          new Cluster(
              layout,
              require(p, "id"),
              Instant.ofEpochMilli(Long.parseLong(require(p, "started"))),
              Duration.ofMillis(Long.parseLong(require(p, "stopTimeout"))),
              p.getProperty("stopInput"),
              stopOrder(p.getProperty("stopOrder")),
              nodes);
      String remoteDirectory = p.getProperty("ssh.remoteDirectory");
      if (remoteDirectory != null) {
        String config = p.getProperty("ssh.config");
        cluster.ssh(
            new SshSettings(
                remoteDirectory,
                config == null ? null : Paths.get(config),
                Boolean.parseBoolean(p.getProperty("ssh.acceptNewHostKeys"))));
      }
      if ("none".equals(p.getProperty("afterStart"))) {
        cluster.hasNoAfterStartCommands();
      }
      if (Boolean.parseBoolean(p.getProperty("network.namespaces"))) {
        cluster.inNetworkNamespaces();
      }
      // Issue 12: what the tests did to each node.
      for (int i = 0; i < count; i++) {
        cluster.testActions(nodes.get(i).name(), readTestActions(p, "node." + i + "."));
      }
      if (p.getProperty("network.touched") != null) {
        cluster.network(NetworkFaults.parse(require(p, "network.faults")), true);
      }
      cluster.testActions(TestActions.NETWORK, readTestActions(p, "network."));
      return Optional.of(cluster);
    } catch (RuntimeException e) {
      throw damaged(layout, "it is damaged (" + describe(e) + ")", e);
    }
  }

  private static StopOrder stopOrder(String value) {
    if (value == null) {
      return StopOrder.PARALLEL;
    }
    return StopOrder.parse(value)
        .orElseThrow(() -> new IllegalArgumentException("stopOrder=" + value));
  }

  private static Node readNode(Properties p, String key) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String name : getList(p, key + "port")) {
      ports.put(name, Integer.parseInt(require(p, key + "port." + name)));
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : getList(p, key + "env")) {
      env.put(name, require(p, key + "env." + name));
    }
    String start = p.getProperty(key + "startInstant");
    String workDir = p.getProperty(key + "workingDirectory");
    String group = p.getProperty(key + "containmentGroup");
    String sshHost = p.getProperty(key + "sshHost");
    String address = p.getProperty(key + "address", Place.LOCAL.address());
    Place place = sshHost == null ? Place.local(address) : Place.ssh(sshHost, address);
    return new Node(
        require(p, key + "name"),
        Integer.parseInt(require(p, key + "index")),
        require(p, key + "mark"),
        ports,
        getList(p, key + "command"),
        env,
        workDir == null ? null : Paths.get(workDir),
        group == null ? null : Paths.get(group),
        Long.parseLong(require(p, key + "pid")),
        start == null ? null : Instant.parse(start),
        NodeState.valueOf(require(p, key + "state")),
        place);
  }

  private static TestActions readTestActions(Properties p, String key) {
    TestActions actions = TestActions.NONE;
    for (TestActions.Action action : TestActions.Action.values()) {
      String count = p.getProperty(key + "tests." + action.path());
      if (count != null) {
        actions = actions.plus(action, Integer.parseInt(count));
      }
    }
    return actions;
  }

  private static void putList(Properties p, String key, List<String> values) {
    p.setProperty(key + "s", Integer.toString(values.size()));
    for (int i = 0; i < values.size(); i++) {
      p.setProperty(key + "s." + i, values.get(i));
    }
  }

  private static List<String> getList(Properties p, String key) {
    int size = Integer.parseInt(require(p, key + "s"));
    List<String> values = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      values.add(require(p, key + "s." + i));
    }
    return values;
  }

  private static String require(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return value;
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static StateException damaged(ClusterLayout layout, String why, Exception cause) {
    Path file = layout.stateFile();
    return new StateException(
        file,
        "The cluster state " + file + " cannot be read: " + why,
        "run mvn cluster:clean, which stops the processes of that cluster (they carry CLUSTER_DIR="
            + layout.directory()
            + " in their environment) and deletes "
            + layout.directory()
            + "; or make sure none runs and delete "
            + file,
        cause);
  }
}
