package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster someone else runs ({@code -Dcluster.external=host:port,host:port}): the plugin starts,
 * stops and deletes nothing, and exports the same properties for the given nodes, so that the same
 * integration tests run against it.
 */
public final class ExternalCluster {
  private final List<String> hosts;

  private ExternalCluster(List<String> hosts) {
    this.hosts = List.copyOf(hosts);
  }

  /** Parses {@code host:port,host:port}; every entry needs a host and a port from 1 to 65535. */
  public static ExternalCluster parse(String spec) throws ConfigException {
    List<String> hosts = new ArrayList<>();
    for (String entry : spec.split(",")) {
      String hostPort = entry.trim();
      int colon = hostPort.lastIndexOf(':');
      boolean ok = colon > 0 && colon < hostPort.length() - 1;
      if (ok) {
        try {
          int port = Integer.parseInt(hostPort.substring(colon + 1));
          ok = port >= 1 && port <= 65535;
        } catch (NumberFormatException e) {
          ok = false;
        }
      }
      if (!ok) {
        throw new ConfigException(
            "external",
            "has the entry '" + hostPort + "', which is not host:port",
            "list the nodes as host:port,host:port, e.g. -Dcluster.external=127.0.0.1:9200,127.0.0.1:9201");
      }
      hosts.add(hostPort);
    }
    return new ExternalCluster(hosts);
  }

  public List<String> hosts() {
    return hosts;
  }

  /** The exported properties: hosts, and per node its port and host (no directory, no pid). */
  public Map<String, String> properties(String propertyPrefix) {
    String base = propertyPrefix + ".";
    Map<String, String> p = new LinkedHashMap<>();
    p.put(base + "hosts", String.join(",", hosts));
    for (int i = 0; i < hosts.size(); i++) {
      String hostPort = hosts.get(i);
      int colon = hostPort.lastIndexOf(':');
      p.put(base + "node." + i + ".host", hostPort.substring(0, colon));
      p.put(base + "node." + i + ".port", hostPort.substring(colon + 1));
    }
    return p;
  }
}
