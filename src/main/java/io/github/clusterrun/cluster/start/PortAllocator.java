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
 * Allocates free ports on 127.0.0.1: the system picks each one (bind to port 0), and every socket is
 * held open until all are picked, so no two nodes get the same port.
 */
public final class PortAllocator {
  private PortAllocator() {}

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
