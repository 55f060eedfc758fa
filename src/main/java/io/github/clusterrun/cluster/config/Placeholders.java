package io.github.clusterrun.cluster.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code @{name}} placeholders of the configuration, resolved per node. Maven resolves its own
 * {@code ${…}} expressions before the plugin sees the values; these are the ones only the plugin
 * knows (ports, directories, the node's index).
 *
 * <p>One construct repeats a template for every node: {@code @{nodes[SEP]:TEMPLATE}} resolves
 * {@code TEMPLATE} once per node, in index order, and joins the results with {@code SEP}. Inside
 * {@code TEMPLATE}, {@code @{node.*}} are the values of the repeated node; outside, of the current
 * node. {@code SEP} may be empty and understands {@code \n}, {@code \t}, {@code \r}, {@code \\} and
 * {@code \]}; {@code TEMPLATE} ends at the {@code }} that closes the construct (placeholders and
 * balanced braces inside it are skipped). The construct does not nest.
 */
public final class Placeholders {
  /** The word that opens the repeat construct: {@code @{nodes[}. */
  static final String REPEAT = "nodes";

  /** How the repeat construct is written, for error messages. */
  static final String REPEAT_SYNTAX = "@{" + REPEAT + "[SEP]:TEMPLATE}";

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

  // ---- Forming a real cluster (0.2): node numbers, the cluster's size, hosts per port name ----
  /** {@code @{node.number}}: the node's index + 1 (ZooKeeper's myid, Kafka's node.id). */
  public static final String NODE_NUMBER = "node.number";

  /** {@code @{cluster.size}}: the number of nodes. */
  public static final String CLUSTER_SIZE = "cluster.size";

  /** {@code @{cluster.hosts.NAME}}: {@code 127.0.0.1:<port NAME>} of every node. */
  public static final String CLUSTER_HOSTS_PREFIX = "cluster.hosts.";

  /**
   * {@code @{cluster.id}}: the cluster's id, 16 hex digits drawn at random by each {@code start}, the
   * same for the whole life of the cluster (the tests' restarts included): a name no other cluster
   * has (Hazelcast's cluster name, a Kafka cluster id, a temporary topic).
   */
  public static final String CLUSTER_ID = "cluster.id";

  /**
   * {@code @{node.host}} (0.3): the address the node binds and advertises; its host's address for a
   * node on another host, {@code 127.0.0.1} for a local node.
   */
  public static final String NODE_HOST = "node.host";

  /** The values of the current node. */
  private final Map<String, String> values;

  /** The values of every node, in index order, for the repeat construct. */
  private final List<Map<String, String>> nodes;

  private Placeholders(Map<String, String> values, List<Map<String, String>> nodes) {
    this.values = values;
    this.nodes = nodes;
  }

  /** The names known to a configuration with these port names, in the order users read them. */
  public static List<String> knownNames(Collection<String> portNames) {
    List<String> names = new ArrayList<>(FIXED_NAMES);
    for (String port : portNames) {
      names.add("node.port." + port);
    }
    names.add(EMPTY);
    names.add(NODE_NUMBER);
    names.add(CLUSTER_SIZE);
    for (String port : portNames) {
      names.add(CLUSTER_HOSTS_PREFIX + port);
    }
    names.add(NODE_HOST);
    names.add(CLUSTER_ID);
    return names;
  }

  /**
   * Checks that {@code template} uses only known placeholders and that every repeat construct is
   * well formed.
   *
   * @param element the POM element the template comes from, for the error message
   */
  public static void check(String element, String template, Collection<String> portNames)
      throws ConfigException {
    check(element, template, portNames, null);
  }

  /**
   * Checks a text of several lines (a file's content): the error quotes the line with the mistake
   * rather than the whole text.
   *
   * @param where what the text is, for the error message (e.g. {@code the file src/zoo.cfg}); null
   *     to quote the whole template
   */
  public static void check(String element, String template, Collection<String> portNames, String where)
      throws ConfigException {
    if (template == null) {
      return;
    }
    List<String> known = knownNames(portNames);
    List<Part> parts;
    try {
      parts = parse(template);
    } catch (Malformed e) {
      throw new ConfigException(
          element,
          "has a malformed " + REPEAT_SYNTAX + ": " + e.getMessage() + " " + quote(template, e.at, where),
          "write " + REPEAT_SYNTAX + ", e.g. @{nodes[,]:127.0.0.1:@{node.port}} or"
              + " @{nodes[\\n]:server.@{node.number}=127.0.0.1:@{node.port}}");
    }
    checkNames(element, template, parts, known, where);
  }

  private static void checkNames(
      String element, String template, List<Part> parts, List<String> known, String where)
      throws ConfigException {
    for (Part part : parts) {
      if (part.name != null && !known.contains(part.name)) {
        throw new ConfigException(
            element,
            "uses the unknown placeholder @{" + part.name + "} " + quote(template, part.at, where),
            "use one of " + describe(known) + possibleHint(part.name));
      }
      if (part.repeated != null) {
        checkNames(element, template, part.repeated, known, where);
      }
    }
  }

  /** Where a mistake is: the whole one-line template, or the line of a longer text. */
  private static String quote(String template, int at, String where) {
    if (where == null && template.indexOf('\n') < 0) {
      return "in '" + template + "'";
    }
    int start = template.lastIndexOf('\n', at - 1) + 1;
    int end = template.indexOf('\n', at);
    String line = template.substring(start, end < 0 ? template.length() : end).trim();
    int number = 1;
    for (int i = 0; i < start; i++) {
      if (template.charAt(i) == '\n') {
        number++;
      }
    }
    return "in line " + number + (where == null ? "" : " of " + where) + ": '" + line + "'";
  }

  /**
   * Checks a template of a step that runs once for the whole cluster ({@code afterStart}): only the
   * cluster's placeholders ({@code @{cluster.*}}, {@code @{empty}}) have a value there, and the
   * repeat construct, whose template has every node's values in turn.
   */
  public static void checkCluster(String element, String template, Collection<String> portNames)
      throws ConfigException {
    if (template == null) {
      return;
    }
    check(element, template, portNames);
    List<Part> parts;
    try {
      parts = parse(template);
    } catch (Malformed e) {
      throw new IllegalStateException(e); // check() reported it already
    }
    for (Part part : parts) {
      if (part.name != null && !clusterNames(portNames).contains(part.name)) {
        throw new ConfigException(
            element,
            "uses @{" + part.name + "}, a value of one node, " + quote(template, part.at, null)
                + ", but it runs once for the whole cluster",
            "use the cluster's placeholders (" + describe(clusterNames(portNames)) + "), repeat it for"
                + " every node with " + REPEAT_SYNTAX + ", or run it for every node in <beforeStart>");
      }
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

  /** These values without the node's own: what a step run once for the whole cluster sees. */
  public Placeholders forCluster() {
    Map<String, String> cluster = new LinkedHashMap<>();
    values.forEach(
        (name, value) -> {
          if (!name.startsWith("node.")) {
            cluster.put(name, value);
          }
        });
    return new Placeholders(cluster, nodes);
  }

  /** The values, by name. */
  public Map<String, String> values() {
    return java.util.Collections.unmodifiableMap(values);
  }

  private static String possibleHint(String name) {
    if (name.startsWith("node.port.")) {
      return ", or add <port>" + name.substring("node.port.".length()) + "</port> to <ports>";
    }
    if (name.startsWith(CLUSTER_HOSTS_PREFIX)) {
      return ", or add <port>" + name.substring(CLUSTER_HOSTS_PREFIX.length()) + "</port> to <ports>";
    }
    if (name.startsWith(REPEAT)) {
      return "; to repeat a template for every node write " + REPEAT_SYNTAX + ", e.g. @{nodes[,]:@{node.name}}";
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

  /** The values for one node, alone (a repeat construct repeats this node only). */
  public static Placeholders forNode(Map<String, String> values) {
    Map<String, String> all = withEmpty(values);
    return new Placeholders(all, List.of(all));
  }

  /**
   * The values for node {@code index} of a cluster whose nodes have {@code valuesOfNodes}, in index
   * order; the repeat construct goes through all of them.
   */
  public static Placeholders forNode(int index, List<Map<String, String>> valuesOfNodes) {
    List<Map<String, String>> nodes = new ArrayList<>();
    for (Map<String, String> values : valuesOfNodes) {
      nodes.add(withEmpty(values));
    }
    return new Placeholders(nodes.get(index), List.copyOf(nodes));
  }

  private static Map<String, String> withEmpty(Map<String, String> values) {
    Map<String, String> all = new LinkedHashMap<>(values);
    all.put(EMPTY, "");
    return all;
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
    List<Part> parts;
    try {
      parts = parse(template);
    } catch (Malformed e) {
      throw new IllegalStateException("unchecked template '" + template + "': " + e.getMessage(), e);
    }
    StringBuilder sb = new StringBuilder();
    append(sb, parts, values, quote);
    return sb.toString();
  }

  private void append(StringBuilder sb, List<Part> parts, Map<String, String> node, boolean quote) {
    for (Part part : parts) {
      if (part.text != null) {
        sb.append(part.text);
      } else if (part.name != null) {
        String value = node.get(part.name);
        if (value == null) {
          throw new IllegalStateException("unchecked placeholder @{" + part.name + "}");
        }
        sb.append(quote ? Pattern.quote(value) : value);
      } else {
        for (int i = 0; i < nodes.size(); i++) {
          if (i > 0) {
            sb.append(part.separator);
          }
          append(sb, part.repeated, nodes.get(i), quote);
        }
      }
    }
  }

  // ---- The parser: literal text, @{name}, and @{nodes[SEP]:TEMPLATE} ----

  /** One piece of a template: literal text, a placeholder, or the repeat construct. */
  private static final class Part {
    final String text;
    final String name;
    final String separator;
    final List<Part> repeated;
    /** Where the piece starts in the template, for error messages. */
    final int at;

    private Part(String text, String name, String separator, List<Part> repeated, int at) {
      this.text = text;
      this.name = name;
      this.separator = separator;
      this.repeated = repeated;
      this.at = at;
    }

    static Part text(String text, int at) {
      return new Part(text, null, null, null, at);
    }

    static Part name(String name, int at) {
      return new Part(null, name, null, null, at);
    }

    static Part repeat(String separator, List<Part> template, int at) {
      return new Part(null, null, separator, template, at);
    }
  }

  /** A repeat construct that is not well formed. */
  private static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;
    final int at;

    Malformed(String message, int at) {
      super(message);
      this.at = at;
    }
  }

  private static List<Part> parse(String template) throws Malformed {
    List<Part> parts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int textAt = 0;
    int i = 0;
    while (i < template.length()) {
      if (!template.startsWith("@{", i)) {
        text.append(template.charAt(i++));
        continue;
      }
      if (template.startsWith("@{" + REPEAT + "[", i)) {
        flush(parts, text, textAt);
        i = parseRepeat(template, i, parts);
        textAt = i;
        continue;
      }
      int close = template.indexOf('}', i + 2);
      if (close < 0) {
        // "@{" without a "}" is plain text, as it always was.
        text.append(template, i, template.length());
        break;
      }
      flush(parts, text, textAt);
      parts.add(Part.name(template.substring(i + 2, close), i));
      i = close + 1;
      textAt = i;
    }
    flush(parts, text, textAt);
    return parts;
  }

  private static void flush(List<Part> parts, StringBuilder text, int at) {
    if (text.length() > 0) {
      parts.add(Part.text(text.toString(), at));
      text.setLength(0);
    }
  }

  /** Parses the construct at {@code start}; returns the index after its closing brace. */
  private static int parseRepeat(String template, int start, List<Part> parts) throws Malformed {
    int i = start + ("@{" + REPEAT + "[").length();
    StringBuilder separator = new StringBuilder();
    while (true) {
      if (i >= template.length()) {
        throw new Malformed("the separator after @{" + REPEAT + "[ has no closing ]", start);
      }
      char c = template.charAt(i);
      if (c == ']') {
        i++;
        break;
      }
      if (c == '\\' && i + 1 < template.length()) {
        char e = template.charAt(i + 1);
        switch (e) {
          case 'n':
            separator.append('\n');
            break;
          case 't':
            separator.append('\t');
            break;
          case 'r':
            separator.append('\r');
            break;
          case '\\':
          case ']':
            separator.append(e);
            break;
          default:
            separator.append(c).append(e);
        }
        i += 2;
        continue;
      }
      separator.append(c);
      i++;
    }
    if (i >= template.length() || template.charAt(i) != ':') {
      throw new Malformed("the separator [" + separator + "] must be followed by ':' and the template", start);
    }
    i++;
    List<Part> repeated = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int textAt = i;
    int depth = 0;
    while (true) {
      if (i >= template.length()) {
        throw new Malformed("it has no closing }", start);
      }
      if (template.startsWith("@{", i)) {
        if (template.startsWith("@{" + REPEAT + "[", i)) {
          throw new Malformed("it cannot be nested in another one", i);
        }
        int close = template.indexOf('}', i + 2);
        if (close < 0) {
          throw new Malformed("it has no closing }", start);
        }
        flush(repeated, text, textAt);
        repeated.add(Part.name(template.substring(i + 2, close), i));
        i = close + 1;
        textAt = i;
        continue;
      }
      char c = template.charAt(i);
      if (c == '}' && depth == 0) {
        flush(repeated, text, textAt);
        parts.add(Part.repeat(separator.toString(), repeated, start));
        return i + 1;
      }
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
      }
      text.append(c);
      i++;
    }
  }
}
