package io.github.clusterrun.cluster.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.control.client.ClusterControl;
import io.github.clusterrun.cluster.control.client.NodeInfo;
import io.github.clusterrun.cluster.testing.TestHosts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The network of the three nodes of a running build, seen from inside it (issue 19): which node
 * opens a TCP connection to which ({@code n_i->n_j}, to node j's {@code http} port), and how long
 * it takes; from inside node i's network means in its host's network namespace, or (local nodes
 * with {@code <networkFaults>}) in the network namespace of the node's process. What a fault does is
 * seen here, not read back from the rules.
 */
final class NodesNetwork {
  private static final Duration CONNECT = Duration.ofSeconds(3);

  private final Properties exported;
  private final List<List<String>> inside = new ArrayList<>();

  private NodesNetwork(Properties exported) {
    this.exported = exported;
  }

  /** The nodes of {@code project}'s build, node i on {@code hosts}[i]. */
  static NodesNetwork onHosts(Path project, List<TestHosts.Host> hosts) throws IOException {
    NodesNetwork n = new NodesNetwork(HostsBuilds.exported(project));
    for (TestHosts.Host host : hosts) {
      n.inside.add(List.of("ip", "netns", "exec", host.name()));
    }
    return n;
  }

  /** The local nodes of {@code project}'s build, each in the network namespace of its process. */
  static NodesNetwork local(Path project) throws IOException {
    Properties exported = HostsBuilds.exported(project);
    NodesNetwork n = new NodesNetwork(exported);
    ClusterControl control =
        ClusterControl.of(exported.getProperty("cluster.control.url"), exported.getProperty("cluster.control.token"));
    for (NodeInfo node : control.nodes()) {
      n.inside.add(List.of("nsenter", "-t", Long.toString(node.pid()), "-n"));
    }
    return n;
  }

  String host(int node) {
    return exported.getProperty("cluster.node." + node + ".host");
  }

  int port(int node) {
    return Integer.parseInt(exported.getProperty("cluster.node." + node + ".port.http"));
  }

  /** Runs {@code script} with bash inside node {@code node}'s network, for at most {@code CONNECT}. */
  TestHosts.Result run(int node, String script) {
    List<String> argv = new ArrayList<>(inside.get(node));
    argv.addAll(List.of("timeout", Long.toString(CONNECT.toSeconds()), "bash", "-c", script));
    return TestHosts.run(CONNECT.plusSeconds(5), argv.toArray(new String[0]));
  }

  /** Which node reaches which ({@code n_i->n_j}): a TCP connection from inside node i's network to node j. */
  List<String> connections() {
    List<String> connect = new ArrayList<>();
    for (int from = 0; from < 3; from++) {
      for (int to = 0; to < 3; to++) {
        if (from != to && connects(from, to)) {
          connect.add("n_" + from + "->n_" + to);
        }
      }
    }
    return connect;
  }

  static List<String> allConnect() {
    return connectsOnly("n_0->n_1", "n_0->n_2", "n_1->n_0", "n_1->n_2", "n_2->n_0", "n_2->n_1");
  }

  static List<String> connectsOnly(String... pairs) {
    return new ArrayList<>(new TreeSet<>(List.of(pairs)));
  }

  boolean connects(int from, int to) {
    return run(from, "exec 3<>/dev/tcp/" + host(to) + "/" + port(to)).exit == 0;
  }

  /** How long a TCP connection from inside node i's network to node j takes to be made, in ms (one round trip). */
  long connectMillis(int from, int to) {
    TestHosts.Result r =
        run(from, "s=$(date +%s%N); exec 3<>/dev/tcp/" + host(to) + "/" + port(to)
            + " && echo $(( ($(date +%s%N) - s) / 1000000 ))");
    assertThat(r.exit).as(r.toString()).isZero();
    return Long.parseLong(r.out.trim());
  }

  void assertTheBuildMachineReachesEveryNode() {
    for (int i = 0; i < 3; i++) {
      String host = host(i);
      int port = port(i);
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), (int) CONNECT.toMillis());
      } catch (IOException e) {
        throw new AssertionError("the build machine reaches n_" + i + " at " + host + ":" + port, e);
      }
    }
  }
}
