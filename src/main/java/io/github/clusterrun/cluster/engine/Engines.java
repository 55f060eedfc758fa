package io.github.clusterrun.cluster.engine;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.config.ClusterConfig;
import io.github.clusterrun.cluster.engine.ssh.SshEngine;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.Place;
import io.github.clusterrun.cluster.model.SshSettings;
import io.github.clusterrun.cluster.platform.NodeNetworks;
import io.github.clusterrun.cluster.platform.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engines of one cluster: the build machine's, and one per SSH host, each host reached once per
 * build (one connection, whose session is the host's lifeline). The engines of a cluster this JVM
 * started are kept until its stop is confirmed ({@link #release}); a cluster recorded by another
 * build gets engines opened on demand, whose connections guard nothing (a {@code cluster:status}
 * that dies must not stop the cluster it looked at).
 */
public final class Engines implements AutoCloseable {
  private static final Map<String, Engines> LIVE = new ConcurrentHashMap<>();

  private final LocalEngine local;
  private final Map<String, SshEngine> hosts; // by the host as <sshHosts> gives it, in that order
  private final List<String> order;

  private Engines(LocalEngine local, Map<String, SshEngine> hosts, List<String> order) {
    this.local = local;
    this.hosts = hosts;
    this.order = List.copyOf(order);
  }

  /**
   * The engines of a cluster about to start: for nodes on {@code <sshHosts>}, every host reached and
   * checked in parallel, with a lifeline, before any node starts; a host that cannot be used fails
   * the build naming the host and the fix, and nothing is left on any host.
   */
  public static Engines forNewCluster(String clusterId, ClusterConfig config, Platform platform, ClusterLog log)
      throws ClusterException {
    LocalEngine local =
        new LocalEngine(platform, log, config.networkFaults() ? NodeNetworks.of(clusterId) : null);
    List<String> names = config.sshHosts();
    if (names.isEmpty()) {
      return new Engines(local, Map.of(), List.of());
    }
    SshSettings ssh = config.ssh();
    long grace = Math.min(config.stopTimeout().getSeconds(), 5);
    List<Integer> fixed = fixedPorts(config);
    AtOnce.Outcome<String, SshEngine> opening =
        AtOnce.run(new java.util.LinkedHashSet<>(names), name -> {
          SshEngine engine = SshEngine.open(name, ssh, clusterId, grace, true, platform, log);
          try {
            engine.check(fixed, config.javaNodes() ? config.executable().toString() : null);
            if (!config.classpath().isEmpty()) {
              engine.useClasspath(engine.shipClasspath(config.classpath()));
            }
          } catch (ClusterException e) {
            engine.removeEmptyDirectory();
            engine.close();
            throw e;
          }
          return engine;
        });
    Map<String, SshEngine> opened = opening.results();
    if (!opening.failures().isEmpty()) {
      List<String> problems = new ArrayList<>();
      opening.failures().values().forEach(e -> problems.add(e.getMessage()));
      opened.values().parallelStream().forEach(e -> {
        e.removeEmptyDirectory();
        e.close();
      });
      throw new ClusterException(
          "Cannot run nodes on <sshHosts> (no node was started):\n  " + String.join("\n  ", problems));
    }
    return new Engines(local, opened, names);
  }

  private static List<Integer> fixedPorts(ClusterConfig config) {
    List<Integer> ports = new ArrayList<>();
    if (config.basePort() != null) {
      for (int p = 0; p < config.nodes() * config.ports().size(); p++) {
        ports.add(config.basePort() + p);
      }
    }
    return ports;
  }

  /**
   * The engines of {@code cluster}: those this JVM keeps for it, else engines opened now for the
   * hosts its nodes are recorded on (connections without a lifeline).
   */
  public static Engines of(Cluster cluster, Platform platform, ClusterLog log) throws ClusterException {
    // The build machine's engine is the caller's (its platform, its log); the hosts' connections are
    // the ones this JVM keeps, if it keeps any.
    LocalEngine local =
        new LocalEngine(platform, log, cluster.networkNamespaces() ? NodeNetworks.of(cluster.id()) : null);
    Engines live = LIVE.get(cluster.id());
    if (live != null) {
      return new Engines(local, live.hosts, live.order);
    }
    List<String> names = new ArrayList<>();
    for (Place place : cluster.places()) {
      if (!place.isLocal()) {
        names.add(place.sshHost());
      }
    }
    if (names.isEmpty() || cluster.ssh().isEmpty()) {
      return new Engines(local, Map.of(), List.of());
    }
    // Every host at once; connections that guard nothing (this build does not run the cluster). What
    // the threads need of the cluster is read here: the caller may hold its lock.
    SshSettings settings = cluster.ssh().get();
    String id = cluster.id();
    AtOnce.Outcome<String, SshEngine> opening =
        AtOnce.run(names, name -> SshEngine.open(name, settings, id, 0, false, platform, log));
    Map<String, SshEngine> opened = opening.results();
    if (!opening.failures().isEmpty()) {
      opened.values().forEach(SshEngine::close);
      opening.throwFirst();
    }
    Engines engines = new Engines(local, opened, names);
    LIVE.put(cluster.id(), engines);
    return engines;
  }

  /** Whether this JVM keeps engines for {@code cluster} (it runs it, or is stopping it). */
  public static boolean kept(Cluster cluster) {
    return LIVE.containsKey(cluster.id());
  }

  /** Keeps these engines for {@code cluster} until its stop is confirmed. */
  public void register(Cluster cluster) {
    LIVE.put(cluster.id(), this);
  }

  /**
   * After the confirmed stop of {@code cluster}: tells each host's lifeline that all is well and
   * closes the connections. Nothing if this JVM keeps no engines for it.
   */
  public static void release(Cluster cluster) {
    Engines engines = LIVE.remove(cluster.id());
    if (engines != null) {
      engines.close();
    }
  }

  /** The project's classpath as the java of each place takes it, by host ("" for the build machine). */
  public Map<String, String> classpaths(String local) {
    Map<String, String> byHost = new LinkedHashMap<>();
    byHost.put("", local);
    hosts.forEach((name, engine) -> byHost.put(name, engine.classpath(local)));
    return byHost;
  }

  /** The place of node {@code index}: host {@code index mod H}. */
  public Place hostOf(int index) {
    return hosts.get(order.get(index % order.size())).place();
  }

  /**
   * The ports of {@code nodes} nodes placed by {@link #hostOf}: {@code basePort + i * names + k} when
   * a base port is set (checked free on each host already), else ports free on each node's host.
   */
  public List<Map<String, Integer>> ports(int nodes, List<String> names, Integer basePort) throws ClusterException {
    Map<String, List<Integer>> free = new LinkedHashMap<>();
    if (basePort == null) {
      Map<String, Integer> count = new LinkedHashMap<>();
      for (int i = 0; i < nodes; i++) {
        count.merge(order.get(i % order.size()), names.size(), Integer::sum);
      }
      for (Map.Entry<String, Integer> e : count.entrySet()) {
        free.put(e.getKey(), new ArrayList<>(hosts.get(e.getKey()).freePorts(e.getValue())));
      }
    }
    List<Map<String, Integer>> result = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      Map<String, Integer> ports = new LinkedHashMap<>();
      for (int k = 0; k < names.size(); k++) {
        ports.put(
            names.get(k),
            basePort != null ? basePort + i * names.size() + k : free.get(order.get(i % order.size())).remove(0));
      }
      result.add(ports);
    }
    return result;
  }

  /** Makes the directories of {@code nodes} where they run, hosts in parallel. */
  public void prepare(List<Node> nodes, java.nio.file.Path staged) throws IOException {
    Map<Place, List<Node>> byPlace = new LinkedHashMap<>();
    for (Node node : nodes) {
      byPlace.computeIfAbsent(node.place(), p -> new ArrayList<>()).add(node);
    }
    AtOnce.Outcome<Place, Place> prepared = AtOnce.run(byPlace.keySet(), place -> {
      try {
        of(place).prepare(byPlace.get(place), staged);
        return place;
      } catch (IOException e) {
        throw new ClusterException(e.getMessage(), e);
      }
    });
    for (ClusterException failed : prepared.failures().values()) {
      throw failed.getCause() instanceof IOException ? (IOException) failed.getCause() : new IOException(failed);
    }
  }

  /** The engine of {@code place}. */
  public Engine of(Place place) {
    if (place.isLocal()) {
      return local;
    }
    SshEngine engine = hosts.get(place.sshHost());
    if (engine == null) {
      throw new IllegalStateException("no connection to " + place.sshHost());
    }
    return engine;
  }

  /** Work done at one place of a cluster, on the view of its nodes there. */
  public interface PlaceWork {
    void run(Engine engine, Cluster here) throws ClusterException;
  }

  /**
   * Does {@code work} at every place of {@code cluster} at once and waits for all; returns what
   * failed, a line per place ("host h1: why"), empty when nothing did. The views are taken before
   * the threads start: the caller may hold the cluster's lock, which they could not take.
   */
  public List<String> atEveryPlace(Cluster cluster, PlaceWork work) {
    Map<Place, Cluster> views = new LinkedHashMap<>();
    cluster.places().forEach(place -> views.put(place, cluster.at(place)));
    List<String> failed = new ArrayList<>();
    AtOnce.run(views.keySet(), place -> {
          work.run(of(place), views.get(place));
          return place;
        })
        .failures()
        .forEach((place, e) -> failed.add(place.describe() + ": " + e.getMessage()));
    return failed;
  }

  /** Whether some node runs on another host. */
  public boolean anyRemote() {
    return !hosts.isEmpty();
  }

  @Override
  public void close() {
    hosts.values().parallelStream().forEach(SshEngine::close);
  }
}
