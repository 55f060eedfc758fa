package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.config.ConfigException;
import io.github.clusterrun.cluster.config.HostPort;
import io.github.clusterrun.cluster.config.PropertyPrefix;
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
  private final List<HostPort> hosts;

  private ExternalCluster(List<HostPort> hosts) {
    this.hosts = List.copyOf(hosts);
  }

  /** Parses {@code host:port,host:port}; every entry needs a host and a port from 1 to 65535. */
  public static ExternalCluster parse(String spec) throws ConfigException {
    List<HostPort> hosts = new ArrayList<>();
    for (String entry : spec.split(",")) {
      String hostPort = entry.trim();
      hosts.add(
          HostPort.parse(hostPort)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          "external",
                          "has the entry '" + hostPort + "', which is not host:port",
                          "list the nodes as host:port,host:port, e.g."
                              + " -Dcluster.external=127.0.0.1:9200,127.0.0.1:9201")));
    }
    return new ExternalCluster(hosts);
  }

  public List<HostPort> hosts() {
    return hosts;
  }

  /** The exported properties: hosts, and per node its port and host (no directory, no pid). */
  public Map<String, String> properties(PropertyPrefix prefix) {
    Map<String, String> p = new LinkedHashMap<>();
    StringBuilder all = new StringBuilder();
    for (HostPort host : hosts) {
      all.append(all.length() == 0 ? "" : ",").append(host);
    }
    p.put(prefix.key("hosts"), all.toString());
    for (int i = 0; i < hosts.size(); i++) {
      p.put(prefix.key("node." + i + ".host"), hosts.get(i).host());
      p.put(prefix.key("node." + i + ".port"), Integer.toString(hosts.get(i).port()));
    }
    return p;
  }
}
