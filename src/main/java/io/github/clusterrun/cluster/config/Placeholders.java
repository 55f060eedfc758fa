package io.github.clusterrun.cluster.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code @{name}} placeholders of the configuration, resolved per node. Maven resolves its own
 * {@code ${…}} expressions before the plugin sees the values; these are the ones only the plugin
 * knows (ports, directories, the node's index).
 */
public final class Placeholders {
  private static final Pattern PLACEHOLDER = Pattern.compile("@\\{([^}]*)}");

  /** The names every configuration knows, port names aside. */
  static final List<String> FIXED_NAMES =
      List.of(
          "node.index",
          "node.name",
          "node.dir",
          "node.dataDir",
          "node.logDir",
          "node.tmpDir",
          "node.port",
          "cluster.dir",
          "cluster.hosts");

  /**
   * {@code @{empty}}: the empty string. Maven gives null for an empty element, so {@code
   * <argument></argument>} cannot say "an empty argument" ({@code redis-server --save ""}); {@code
   * <argument>@{empty}</argument>} does.
   */
  public static final String EMPTY = "empty";

  private final Map<String, String> values;

  private Placeholders(Map<String, String> values) {
    this.values = values;
  }

  /** The names known to a configuration with these port names, in the order users read them. */
  public static List<String> knownNames(Collection<String> portNames) {
    List<String> names = new ArrayList<>(FIXED_NAMES);
    for (String port : portNames) {
      names.add("node.port." + port);
    }
    names.add(EMPTY);
    return names;
  }

  /**
   * Checks that {@code template} uses only known placeholders.
   *
   * @param element the POM element the template comes from, for the error message
   */
  public static void check(String element, String template, Collection<String> portNames)
      throws ConfigException {
    if (template == null) {
      return;
    }
    List<String> known = knownNames(portNames);
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!known.contains(m.group(1))) {
        throw new ConfigException(
            element,
            "uses the unknown placeholder @{" + m.group(1) + "} in '" + template + "'",
            "use one of " + describe(known) + possiblePortHint(m.group(1)));
      }
    }
  }

  /**
   * Checks a template of a step that runs once for the whole cluster ({@code afterStart}): only the
   * cluster's placeholders ({@code @{cluster.*}}, {@code @{empty}}) have a value there.
   */
  public static void checkCluster(String element, String template, Collection<String> portNames)
      throws ConfigException {
    if (template == null) {
      return;
    }
    List<String> known = clusterNames(portNames);
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      String name = m.group(1);
      if (known.contains(name)) {
        continue;
      }
      if (knownNames(portNames).contains(name)) {
        throw new ConfigException(
            element,
            "uses @{" + name + "}, a value of one node, in '" + template + "', but it runs once for the"
                + " whole cluster",
            "use the cluster's placeholders (" + describe(known) + "), or run it for every node in"
                + " <beforeStart>");
      }
      throw new ConfigException(
          element,
          "uses the unknown placeholder @{" + name + "} in '" + template + "'",
          "use one of " + describe(known));
    }
  }

  /** The names that have a value for the whole cluster: every known name but the node's own. */
  public static List<String> clusterNames(Collection<String> portNames) {
    List<String> names = new ArrayList<>();
    for (String name : knownNames(portNames)) {
      if (!name.startsWith("node.")) {
        names.add(name);
      }
    }
    return names;
  }

  /** The cluster's values among one node's {@code values}: those of {@link #clusterNames}. */
  public static Placeholders forCluster(Map<String, String> nodeValues) {
    Map<String, String> values = new LinkedHashMap<>();
    nodeValues.forEach(
        (name, value) -> {
          if (!name.startsWith("node.")) {
            values.put(name, value);
          }
        });
    return forNode(values);
  }

  /** The values, by name. */
  public Map<String, String> values() {
    return java.util.Collections.unmodifiableMap(values);
  }

  private static String possiblePortHint(String name) {
    if (name.startsWith("node.port.")) {
      return ", or add <port>" + name.substring("node.port.".length()) + "</port> to <ports>";
    }
    return "";
  }

  private static String describe(List<String> known) {
    StringBuilder sb = new StringBuilder();
    for (String name : known) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append("@{").append(name).append('}');
    }
    return sb.toString();
  }

  /** The values for one node. */
  public static Placeholders forNode(Map<String, String> values) {
    Map<String, String> all = new LinkedHashMap<>(values);
    all.put(EMPTY, "");
    return new Placeholders(all);
  }

  /** Replaces every placeholder of {@code template}; names were checked when the config was built. */
  public String resolve(String template) {
    return resolve(template, false);
  }

  /**
   * Resolves a regular expression: each value is quoted, so that a directory such as {@code
   * /tmp/a.b} matches itself and nothing else.
   */
  public String resolveInRegex(String template) {
    return resolve(template, true);
  }

  private String resolve(String template, boolean quote) {
    if (template == null) {
      return null;
    }
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalStateException("unchecked placeholder @{" + m.group(1) + "}");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(quote ? Pattern.quote(value) : value));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
