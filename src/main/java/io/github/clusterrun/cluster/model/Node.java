package io.github.clusterrun.cluster.model;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One node as the plugin knows it, the single record that {@code start} writes and {@code stop},
 * {@code clean}, {@code status}, the reaper and the exit guard read: its identity (name, index, the
 * mark its whole family carries), its root process (pid and start time, once launched), its ports,
 * and how it is launched (command, the environment added to Maven's, working directory), so that
 * it can be found, described and relaunched. Immutable: a change gives a new record.
 */
public final class Node {
  private final String name;
  private final int index;
  private final String mark;
  private final Map<String, Integer> ports;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path workingDirectory;
  private final Path containmentGroup;
  private final long pid;
  private final Instant startInstant;
  private final NodeState state;
  private final Place place;

  /** Every field, as the state file records it ({@link StateFile}); the factories below name the cases. */
  Node(
      String name,
      int index,
      String mark,
      Map<String, Integer> ports,
      List<String> command,
      Map<String, String> environment,
      Path workingDirectory,
      Path containmentGroup,
      long pid,
      Instant startInstant,
      NodeState state,
      Place place) {
    this.name = Objects.requireNonNull(name, "name");
    this.index = index;
    this.mark = Objects.requireNonNull(mark, "mark");
    this.ports = Collections.unmodifiableMap(new LinkedHashMap<>(ports));
    this.command = List.copyOf(command);
    this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    this.workingDirectory = workingDirectory;
    this.containmentGroup = containmentGroup;
    this.pid = pid;
    this.startInstant = startInstant;
    this.state = Objects.requireNonNull(state, "state");
    this.place = Objects.requireNonNull(place, "place");
  }

  /** A node of the build machine about to be launched: no pid yet. */
  public static Node planned(
      int index,
      String mark,
      Map<String, Integer> ports,
      List<String> command,
      Map<String, String> environment,
      Path workingDirectory) {
    return planned(index, mark, ports, command, environment, workingDirectory, Place.LOCAL);
  }

  /** A node about to be launched at {@code place}: no pid yet. */
  public static Node planned(
      int index,
      String mark,
      Map<String, Integer> ports,
      List<String> command,
      Map<String, String> environment,
      Path workingDirectory,
      Place place) {
    return new Node(
        ClusterLayout.nodeName(index), index, mark, ports, command, environment, workingDirectory, null, 0,
        null, NodeState.PLANNED, place);
  }

  /**
   * A node known only by the mark its processes carry (its state file was damaged): it is found
   * and stopped by that mark alone.
   */
  public static Node found(int index, String mark) {
    return found(index, mark, Place.LOCAL);
  }

  /** As {@link #found(int, String)}, for a node whose processes run at {@code place}. */
  public static Node found(int index, String mark, Place place) {
    String name = mark.substring(mark.lastIndexOf('/') + 1);
    return new Node(
        name, index, mark, Map.of(), List.of(), Map.of(), null, null, 0, null, NodeState.PLANNED, place);
  }

  /** This node, launched as {@code pid}. */
  public Node launched(long newPid, Instant started) {
    return new Node(
        name, index, mark, ports, command, environment, workingDirectory, containmentGroup, newPid, started,
        NodeState.RUNNING, place);
  }

  public Node withState(NodeState newState) {
    return new Node(
        name, index, mark, ports, command, environment, workingDirectory, containmentGroup, pid, startInstant,
        newState, place);
  }

  /** This node, contained in {@code group} (a {@code Containment} group, e.g. a cgroup). */
  public Node containedIn(Path group) {
    return new Node(
        name, index, mark, ports, command, environment, workingDirectory, group, pid, startInstant, state, place);
  }

  /** {@code n_0}, {@code n_1}, … */
  public String name() {
    return name;
  }

  public int index() {
    return index;
  }

  /** The mark every process of this node's family carries. */
  public String mark() {
    return mark;
  }

  /** Port name to port number, in the configured order. */
  public Map<String, Integer> ports() {
    return ports;
  }

  /** The first port, or 0 for a node without ports. */
  public int firstPort() {
    return ports.isEmpty() ? 0 : ports.values().iterator().next();
  }

  /** The program and its arguments, placeholders resolved. */
  public List<String> command() {
    return command;
  }

  /** The variables added to the environment Maven runs in, the mark among them. */
  public Map<String, String> environment() {
    return environment;
  }

  public Path workingDirectory() {
    return workingDirectory;
  }

  /**
   * The kernel group (a cgroup) that holds every process of the node's family, if the platform
   * contains families.
   */
  public Optional<Path> containmentGroup() {
    return Optional.ofNullable(containmentGroup);
  }

  /** The root process's pid; 0 while the node is not launched. */
  public long pid() {
    return pid;
  }

  /** When the root process started, as the system reports it; null if unknown. */
  public Instant startInstant() {
    return startInstant;
  }

  public NodeState state() {
    return state;
  }

  /** Where the node runs: its pid, working directory and files are there. */
  public Place place() {
    return place;
  }

  /** "http=4001 admin=4002", for the build log. */
  public String describePorts() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Integer> port : ports.entrySet()) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(port.getKey()).append('=').append(port.getValue());
    }
    return sb.toString();
  }

  /** The command line, for messages. */
  public String describeCommand() {
    return String.join(" ", command);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Node)) {
      return false;
    }
    Node n = (Node) o;
    return index == n.index
        && pid == n.pid
        && name.equals(n.name)
        && mark.equals(n.mark)
        && ports.equals(n.ports)
        && command.equals(n.command)
        && environment.equals(n.environment)
        && Objects.equals(workingDirectory, n.workingDirectory)
        && Objects.equals(containmentGroup, n.containmentGroup)
        && Objects.equals(startInstant, n.startInstant)
        && state == n.state
        && place.equals(n.place);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, index, mark, pid, state);
  }

  @Override
  public String toString() {
    return name + "(pid " + pid + ", " + state + ")";
  }
}
