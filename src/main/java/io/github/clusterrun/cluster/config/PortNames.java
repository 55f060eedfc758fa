package io.github.clusterrun.cluster.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The names of the ports every node gets, checked: first one first, each named once. */
public final class PortNames {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

  private final List<String> names;

  private PortNames(List<String> names) {
    this.names = Collections.unmodifiableList(names);
  }

  /** Checks the configured names; none gives one port named {@code port}. */
  public static PortNames of(List<String> configured) throws ConfigException {
    List<String> raw = configured == null || configured.isEmpty() ? List.of("port") : configured;
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String port : raw) {
      if (port == null || !NAME.matcher(port.trim()).matches()) {
        throw new ConfigException(
            "ports",
            "has the port name '" + port + "'",
            "name each <port> with letters, digits, '-' or '_', e.g. <port>http</port>");
      }
      if (!seen.add(port.trim())) {
        throw new ConfigException(
            "ports", "names the port '" + port + "' twice", "give every <port> its own name");
      }
      names.add(port.trim());
    }
    return new PortNames(names);
  }

  public List<String> names() {
    return names;
  }

  public int size() {
    return names.size();
  }

  @Override
  public String toString() {
    return names.toString();
  }
}
