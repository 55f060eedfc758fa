package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.HostAddress;
import io.github.clusterrun.cluster.model.Place;
import io.github.clusterrun.cluster.model.SshSettings;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Where every node of a cluster runs and on which ports: what the placeholders and the exported
 * properties are made of. A local node's directories are under the cluster directory; a remote
 * node's under the cluster's remote directory on its host.
 */
public final class Placement {
  private final ClusterLayout layout;
  private final SshSettings ssh;
  private final List<Place> places;
  private final List<Map<String, Integer>> ports;
  private final String localClasspath;
  private final Map<String, String> classpaths;

  /**
   * @param ssh how remote nodes are reached, or null when every place is local
   * @param places the place of each node, in index order
   * @param ports the ports of each node, in index order
   */
  public Placement(
      ClusterLayout layout, SshSettings ssh, List<Place> places, List<Map<String, Integer>> ports) {
    this(layout, ssh, places, ports, null, Map.of());
  }

  private Placement(
      ClusterLayout layout,
      SshSettings ssh,
      List<Place> places,
      List<Map<String, Integer>> ports,
      String localClasspath,
      Map<String, String> classpaths) {
    if (places.size() != ports.size()) {
      throw new IllegalArgumentException(places.size() + " places for " + ports.size() + " nodes");
    }
    this.layout = layout;
    this.ssh = ssh;
    this.places = List.copyOf(places);
    this.ports = Collections.unmodifiableList(new ArrayList<>(ports));
    this.localClasspath = localClasspath;
    this.classpaths = Map.copyOf(classpaths);
  }

  /** Every node on the build machine, at 127.0.0.1. */
  public static Placement local(ClusterLayout layout, List<Map<String, Integer>> ports) {
    return new Placement(layout, null, Collections.nCopies(ports.size(), Place.LOCAL), ports);
  }

  /**
   * Every node on the build machine, each at an address of its own ({@code addresses}, in index
   * order): in a network namespace of its own ({@code <networkFaults>}).
   */
  public static Placement local(ClusterLayout layout, List<Map<String, Integer>> ports, List<String> addresses) {
    List<Place> places = new ArrayList<>();
    addresses.forEach(a -> places.add(Place.local(a)));
    return new Placement(layout, null, places, ports);
  }

  /** The placement of a running (or recorded) cluster, from its nodes' records. */
  public static Placement of(Cluster cluster) {
    List<Place> places = new ArrayList<>();
    List<Map<String, Integer>> ports = new ArrayList<>();
    for (io.github.clusterrun.cluster.model.Node node : cluster.nodes()) {
      places.add(node.place());
      ports.add(node.ports());
    }
    return new Placement(cluster.layout(), cluster.ssh().orElse(null), places, ports);
  }

  /**
   * With the project's classpath as each host's java takes it ({@code local} → the host's copy, by
   * host; "" for the build machine): {@link #onPlace} then rewrites {@code -cp}.
   */
  public Placement withClasspaths(String local, Map<String, String> byHost) {
    return new Placement(layout, ssh, places, ports, local, byHost);
  }

  /** {@code argument} of node {@code index}'s command, as where it runs takes it (its classpath there). */
  public String onPlace(int index, String argument) {
    if (localClasspath == null || !argument.equals(localClasspath)) {
      return argument;
    }
    return classpaths.getOrDefault(places.get(index).sshHost(), argument);
  }

  public int size() {
    return ports.size();
  }

  public Place place(int index) {
    return places.get(index);
  }

  public Map<String, Integer> ports(int index) {
    return ports.get(index);
  }

  public List<Map<String, Integer>> ports() {
    return ports;
  }

  /** The cluster directory on the build machine. */
  public ClusterLayout layout() {
    return layout;
  }

  /** The layout of node {@code index}'s directories where it runs. */
  public ClusterLayout layoutOf(int index) {
    return places.get(index).isLocal() ? layout : new ClusterLayout(Paths.get(ssh.remoteDirectory()));
  }

  /** {@code <node.host>:<first port>} of every node, in index order. */
  public String hosts() {
    List<String> addresses = new ArrayList<>();
    places.forEach(p -> addresses.add(p.address()));
    return Cluster.hosts(addresses, ports);
  }

  /** {@code <node.host>:<port NAME>} of every node, in index order. */
  public String hosts(String portName) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ports.size(); i++) {
      sb.append(sb.length() == 0 ? "" : ",")
          .append(HostAddress.withPort(places.get(i).address(), ports.get(i).get(portName)));
    }
    return sb.toString();
  }
}
