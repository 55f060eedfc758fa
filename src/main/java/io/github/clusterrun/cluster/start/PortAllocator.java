package io.github.clusterrun.cluster.start;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Allocates the nodes' ports on 127.0.0.1: free ones that the system picks (bind to port 0, every
 * socket held open until all are picked, so no two nodes get the same port), or fixed ones from a
 * base port (node i's port k = base + i * number of ports + k), each checked to be free.
 */
public final class PortAllocator {
  private PortAllocator() {}

  /**
   * For each node, its port names mapped to {@code basePort + i * names.size() + k}.
   *
   * @throws PortInUseException naming the first port in use and, where the system says, its holder
   */
  public static List<Map<String, Integer>> fixed(int basePort, int nodes, List<String> names)
      throws PortInUseException {
    List<Map<String, Integer>> result = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      Map<String, Integer> ports = new LinkedHashMap<>();
      for (int k = 0; k < names.size(); k++) {
        int port = basePort + i * names.size() + k;
        try (ServerSocket socket = new ServerSocket()) {
          socket.setReuseAddress(true);
          socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        } catch (IOException e) {
          throw new PortInUseException(
              "n_" + i, names.get(k), port, PortHolder.find(port).orElse(null));
        }
        ports.put(names.get(k), port);
      }
      result.add(ports);
    }
    return result;
  }

  /** A fixed port that another process, or a connection on its way out, holds. */
  public static final class PortInUseException extends Exception {
    private static final long serialVersionUID = 1L;

    PortInUseException(String node, String name, int port, PortHolder.Holder holder) {
      super(
          "<basePort> gives "
              + node
              + " its port '"
              + name
              + "' = "
              + port
              + ", which is in use"
              + (holder == null ? "" : " by " + holder.description())
              + ". Fix: "
              + (holder == null
                  ? "stop the program that holds it"
                  : holder.isProcess() ? "stop that process" : "build again once it is released")
              + ", or choose another <basePort> (-Dcluster.basePort=...)"
              + " or leave it out for free ports");
    }
  }

  /** For each node, its port names mapped to free ports. */
  public static List<Map<String, Integer>> allocate(int nodes, List<String> names) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    List<Map<String, Integer>> result = new ArrayList<>();
    try {
      for (int i = 0; i < nodes; i++) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String name : names) {
          ServerSocket socket = new ServerSocket();
          held.add(socket);
          socket.setReuseAddress(false);
          socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
          ports.put(name, socket.getLocalPort());
        }
        result.add(ports);
      }
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // The port is free either way.
        }
      }
    }
    return result;
  }
}
