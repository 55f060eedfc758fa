package io.github.clusterrun.cluster.model;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One cluster: its id (the prefix of every node's mark), when it started, how its nodes are asked
 * to stop, and the record of every node ({@link Node}). It is what {@code start} builds and writes,
 * and what {@code stop}, {@code clean}, {@code status}, the reaper and the exit guard read back
 * ({@link StateFile}). A cluster launched by this JVM also holds its nodes' {@link Process} objects,
 * so that exit codes are known; one read from the state file has none.
 *
 * <p>Thread-safe: the launcher, the readiness threads, the exit hook and the control of the tests
 * may change it concurrently; every change replaces a node's record under the cluster's lock.
 */
public final class Cluster {
  private final ClusterLayout layout;
  private final String id;
  private final Instant started;
  private final Duration stopTimeout;
  private final String stopInput;
  private final StopOrder stopOrder;
  private final List<Node> nodes;
  private final Map<String, Process> processes = new HashMap<>();

  /**
   * @param stopInput a line written to each node's stdin to ask it to stop, instead of SIGTERM; or
   *     null
   */
  public Cluster(
      ClusterLayout layout,
      String id,
      Instant started,
      Duration stopTimeout,
      String stopInput,
      List<Node> nodes) {
    this(layout, id, started, stopTimeout, stopInput, StopOrder.PARALLEL, nodes);
  }

  /**
   * @param stopInput a line written to each node's stdin to ask it to stop, instead of SIGTERM; or
   *     null
   * @param stopOrder in which order the nodes are stopped
   */
  public Cluster(
      ClusterLayout layout,
      String id,
      Instant started,
      Duration stopTimeout,
      String stopInput,
      StopOrder stopOrder,
      List<Node> nodes) {
    this.layout = layout;
    this.id = id;
    this.started = started;
    this.stopTimeout = stopTimeout;
    this.stopInput = stopInput;
    this.stopOrder = stopOrder == null ? StopOrder.PARALLEL : stopOrder;
    this.nodes = new ArrayList<>(nodes);
  }

  private SshSettings ssh;

  /** How the cluster reaches its nodes on other hosts; empty when every node is local. */
  public synchronized Optional<SshSettings> ssh() {
    return Optional.ofNullable(ssh);
  }

  /** Records how the cluster reaches its nodes on other hosts. */
  public synchronized void ssh(SshSettings settings) {
    this.ssh = settings;
  }

  /**
   * Whether processes of the cluster's own family (what {@code afterStart} commands left running)
   * may exist: true unless the cluster is known to have no {@code afterStart} command.
   */
  private boolean mayHaveOwnFamily = true;

  public synchronized boolean mayHaveOwnFamily() {
    return mayHaveOwnFamily;
  }

  /** Records that the cluster runs no {@code afterStart} command: no process carries its own mark. */
  public synchronized void hasNoAfterStartCommands() {
    mayHaveOwnFamily = false;
  }

  /** Whether the local nodes run in network namespaces of their own ({@code <networkFaults>}). */
  private boolean networkNamespaces;

  /**
   * Whether the cluster's local nodes have network namespaces of their own, on a bridge of the
   * cluster ({@code <networkFaults>}), which the confirmed stop deletes.
   */
  public synchronized boolean networkNamespaces() {
    return networkNamespaces;
  }

  /** Records that the local nodes have network namespaces of their own (before any is made). */
  public synchronized void inNetworkNamespaces() {
    networkNamespaces = true;
  }

  /** In which order the nodes are stopped. */
  public StopOrder stopOrder() {
    return stopOrder;
  }

  public ClusterLayout layout() {
    return layout;
  }

  public Path directory() {
    return layout.directory();
  }

  /** The cluster's id: every node's mark starts with it. */
  public String id() {
    return id;
  }

  /** When {@code start} began: Failsafe summaries older than this prove nothing. */
  public Instant started() {
    return started;
  }

  public Duration stopTimeout() {
    return stopTimeout;
  }

  /** The line written to each node's stdin to ask it to stop, or null for SIGTERM. */
  public String stopInput() {
    return stopInput;
  }

  /** Every node, in index order. */
  public synchronized List<Node> nodes() {
    return List.copyOf(nodes);
  }

  public synchronized Optional<Node> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }

  /**
   * Records that a node was launched as {@code process}. Returns false, and records nothing, when
   * the cluster was stopped meanwhile (the JVM is exiting): the caller must end that process itself.
   * The record changes to {@link NodeState#EXITED} when the process exits unasked.
   */
  public boolean launched(String name, Process process) {
    return launched(name, process, process.pid());
  }

  /**
   * As {@link #launched(String, Process)}, for a node whose pid where it runs is {@code pid}: a node
   * on another host is watched through the local process of its SSH channel, which ends with it.
   */
  public boolean launched(String name, Process process, long pid) {
    // Read before taking the lock: nodes are launched from several threads at once.
    Instant start = pid == process.pid() ? process.toHandle().info().startInstant().orElse(null) : null;
    return launched(name, process, pid, start);
  }

  private synchronized boolean launched(String name, Process process, long pid, Instant start) {
    if (stopped()) {
      return false;
    }
    replace(name, node(name).orElseThrow().launched(pid, start));
    processes.put(name, process);
    // Async: the tests' actions hold this cluster's lock while they wait for a relaunched node, and
    // the reaper thread that runs this callback runs the readiness waiter's exit callback next.
    process.onExit().thenRunAsync(() -> exited(name, pid));
    return true;
  }

  private synchronized void exited(String name, long pid) {
    node(name)
        .filter(n -> n.pid() == pid && (n.state() == NodeState.RUNNING || n.state() == NodeState.PAUSED))
        .ifPresent(n -> {
          replace(name, n.withState(NodeState.EXITED));
          exitedOnItsOwn.add(name); // issue 12: even if the tests start it again
        });
  }

  /** The node's process, when this JVM launched it. */
  public synchronized Optional<Process> process(String name) {
    return Optional.ofNullable(processes.get(name));
  }

  /** Records that a stop confirmed every family gone. */
  public synchronized void markStopped() {
    nodes.replaceAll(n -> n.withState(NodeState.STOPPED));
  }

  /** Whether a stop confirmed that every process of every node is gone. */
  public synchronized boolean stopped() {
    return !nodes.isEmpty() && nodes.stream().allMatch(n -> n.state() == NodeState.STOPPED);
  }

  /** Writes the record to the state file. */
  public synchronized void write() throws StateException {
    StateFile.write(this);
  }

  /** {@code <node.host>:<first port>} of every node, comma-separated, in index order. */
  public synchronized String hosts() {
    List<String> addresses = new ArrayList<>();
    List<Map<String, Integer>> ports = new ArrayList<>();
    nodes.forEach(n -> {
      addresses.add(n.place().address());
      ports.add(n.ports());
    });
    return hosts(addresses, ports);
  }

  /** {@code 127.0.0.1:<first port>} of each node of the build machine, comma-separated, in order. */
  public static String hosts(List<Map<String, Integer>> portsOfNodes) {
    return hosts(java.util.Collections.nCopies(portsOfNodes.size(), Place.LOCAL.address()), portsOfNodes);
  }

  /**
   * {@code <address>:<first port>} of each node, comma-separated, in the given order: {@code
   * addresses} and {@code portsOfNodes} hold one entry per node.
   */
  public static String hosts(List<String> addresses, List<Map<String, Integer>> portsOfNodes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < portsOfNodes.size(); i++) {
      sb.append(sb.length() == 0 ? "" : ",")
          .append(HostAddress.withPort(addresses.get(i), portsOfNodes.get(i).values().iterator().next()));
    }
    return sb.toString();
  }

  // --- Tests can break the cluster (issue 12): the control endpoint, the tests' actions, one-node views.

  private final Map<String, TestActions> testActions = new HashMap<>();
  private final java.util.Set<String> exitedOnItsOwn = new java.util.LinkedHashSet<>();
  private ControlEndpoint control;

  /** What the tests did to each node (nodes they did nothing to are absent). */
  public synchronized Map<String, TestActions> testActions() {
    return Map.copyOf(testActions);
  }

  /** What the tests did to {@code name}. */
  public synchronized TestActions testActions(String name) {
    return testActions.getOrDefault(name, TestActions.NONE);
  }

  /** Records that the tests did {@code action} to {@code name}. */
  public synchronized void recordTestAction(String name, TestActions.Action action) {
    testActions.put(name, testActions(name).plus(action));
  }

  /** Sets what the tests did to {@code name}, as recorded in the state file. */
  synchronized void testActions(String name, TestActions actions) {
    if (!actions.isEmpty()) {
      testActions.put(name, actions);
    }
  }

  /**
   * The nodes whose root process this JVM saw exit unasked (not stopped by the plugin or the tests),
   * even if the tests started them again since.
   */
  public synchronized java.util.Set<String> exitedOnItsOwn() {
    return java.util.Set.copyOf(exitedOnItsOwn);
  }

  /** Changes a node's state (the tests paused, resumed, stopped it). */
  public synchronized void state(String name, NodeState state) {
    replace(name, node(name).orElseThrow().withState(state));
  }

  /** The control endpoint this JVM serves for the cluster, while it runs. */
  public synchronized java.util.Optional<ControlEndpoint> control() {
    return java.util.Optional.ofNullable(control);
  }

  public synchronized void control(ControlEndpoint endpoint) {
    this.control = endpoint;
  }

  /** Closes the control endpoint, if any: the cluster is stopped. */
  public void closeControl() {
    ControlEndpoint endpoint;
    synchronized (this) {
      endpoint = control;
    }
    if (endpoint != null) {
      endpoint.close();
    }
  }

  /**
   * A cluster of just node {@code name}, with its process, for stopping one node's family with the
   * same code (and the same proof) as the whole cluster's.
   */
  public synchronized Cluster only(String name) {
    Node node = node(name).orElseThrow();
    return view(List.of(node), false);
  }

  /**
   * A cluster of the nodes that run at {@code place}, with their processes; the local one also holds
   * the cluster's own family (what {@code afterStart} commands left, which run on the build machine).
   */
  public synchronized Cluster at(Place place) {
    List<Node> here = new ArrayList<>();
    for (Node node : nodes) {
      if (node.place().sshHost().equals(place.sshHost())) {
        here.add(node);
      }
    }
    return view(here, place.isLocal());
  }

  private Cluster view(List<Node> some, boolean withOwnFamily) {
    Cluster view = new Cluster(layout, id, started, stopTimeout, stopInput, stopOrder, some);
    view.view = !withOwnFamily;
    view.mayHaveOwnFamily = mayHaveOwnFamily;
    view.ssh = ssh;
    view.network = network;
    view.networkTouched = networkTouched;
    view.networkNamespaces = networkNamespaces;
    for (Node node : some) {
      Process process = processes.get(node.name());
      if (process != null) {
        view.processes.put(node.name(), process);
      }
    }
    return view;
  }

  /** The places of the nodes, each once, in index order. */
  public synchronized List<Place> places() {
    List<Place> places = new ArrayList<>();
    for (Node node : nodes) {
      if (places.stream().noneMatch(p -> p.sshHost().equals(node.place().sshHost()))) {
        places.add(node.place());
      }
    }
    return places;
  }

  // --- end of issue 12's block

  // --- Tests can break the network (issue 19).

  private NetworkFaults network = NetworkFaults.NONE;
  private boolean networkTouched;

  /** The network faults in force (as the tests last asked; {@link NetworkFaults#NONE} when healed). */
  public synchronized NetworkFaults network() {
    return network;
  }

  /**
   * Records the faults about to be put in force (or just healed). Once any fault was asked for, the
   * cluster is recorded as one whose rules {@code stop}, {@code clean} and the exit hook remove,
   * even when a crash came between the record and the rules.
   */
  public synchronized void network(NetworkFaults faults) {
    this.network = faults;
    this.networkTouched |= !faults.isEmpty();
  }

  /** Whether the tests ever put a network fault in force: its rules are to be removed at the stop. */
  public synchronized boolean networkTouched() {
    return networkTouched;
  }

  /** As recorded in the state file. */
  synchronized void network(NetworkFaults faults, boolean touched) {
    this.network = faults;
    this.networkTouched = touched;
  }

  private boolean view;

  /** Whether this is a view of some nodes of a cluster ({@link #only}), not the whole cluster. */
  public synchronized boolean isView() {
    return view;
  }

  private void replace(String name, Node node) {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).name().equals(name)) {
        nodes.set(i, node);
        return;
      }
    }
    throw new IllegalArgumentException("no node " + name);
  }

  @Override
  public String toString() {
    return "Cluster " + id + " in " + layout.directory() + " " + nodes();
  }
}
