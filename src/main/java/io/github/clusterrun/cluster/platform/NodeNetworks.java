package io.github.clusterrun.cluster.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Network namespaces of their own for the nodes of a cluster on the build machine, when the cluster
 * sets {@code <networkFaults>}: rules on the loopback interface cannot tell local nodes apart (etcd's
 * peers dial each other from {@code 127.0.0.1} whatever address they listen on), so each node gets a
 * namespace, joined by a veth pair to a bridge of the cluster, and an address of its own in a
 * private /24 that collides with no route or address of this machine (nor another cluster's). The
 * bridge holds {@code .1}, the build machine's address there, through which the plugin's probes and
 * the tests' clients reach every node; node <i>i</i> has {@code .(i+2)}. A rule inside a node's
 * namespace touches that node's traffic alone, and dies with the namespace.
 *
 * <p>Every name derives from the cluster id alone, so {@code stop}, {@code clean} and the lifeline of
 * another process find and delete them from the id: namespace {@code cmp_<id>_<i>}, bridge {@code
 * cmp<last 8 characters of the id>}, veths {@code <bridge>v<i>} (their ends in the namespaces are
 * called {@code eth0}). Deleting touches nothing else, and is idempotent.
 */
public final class NodeNetworks {
  /** Where {@code ip netns} keeps its namespaces. */
  static final Path NETNS = Paths.get("/run/netns");
  /** The network interfaces of this machine's namespace. */
  static final Path LINKS = Paths.get("/sys/class/net");
  /** How many nodes fit: addresses .2 to .254. */
  public static final int MAX_NODES = 253;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{8,40}");

  private final String clusterId;
  private final String bridge;

  private NodeNetworks(String clusterId) {
    if (!ID.matcher(clusterId).matches()) {
      throw new IllegalArgumentException("not a cluster id for network names: '" + clusterId + "'");
    }
    this.clusterId = clusterId;
    this.bridge = "cmp" + clusterId.substring(clusterId.length() - 8);
  }

  /** The networks of cluster {@code clusterId} (8 to 40 letters and digits), by name only. */
  public static NodeNetworks of(String clusterId) {
    return new NodeNetworks(clusterId);
  }

  /** The bridge: {@code cmp} and the last 8 characters of the id (a name has at most 15). */
  public String bridge() {
    return bridge;
  }

  /** The network namespace of node {@code index}: {@code cmp_<id>_<index>}. */
  public String namespace(int index) {
    return "cmp_" + clusterId + "_" + index;
  }

  /** The build machine's end of node {@code index}'s veth pair. */
  public String veth(int index) {
    return bridge + "v" + index;
  }

  /** The name of the namespace's end of the pair until it moves there (then {@code eth0}). */
  private String peer(int index) {
    return bridge + "p" + index;
  }

  /** The address of node {@code index} in {@code subnet} ("10.x.y"). */
  public static String address(String subnet, int index) {
    return subnet + "." + (index + 2);
  }

  /** The build machine's address in {@code subnet}, on the bridge. */
  public static String bridgeAddress(String subnet) {
    return subnet + ".1";
  }

  /**
   * Runs {@code command} inside node {@code index}'s namespace to its end (at most 30 s), without
   * the variable {@code unset} (a node's mark: the command is the plugin's, not the node's); its
   * output.
   *
   * @throws IOException with its exit code and output when it fails
   */
  public String run(int index, List<String> command, String unset) throws IOException {
    SystemCommand.Result result = SystemCommand.run(enter(index, command), unset);
    if (result.exit != 0) {
      throw new IOException("exit " + result.exit + ": " + result.out.trim());
    }
    return result.out;
  }

  /** {@code command} run inside node {@code index}'s namespace ({@code nsenter} execs it). */
  public List<String> enter(int index, List<String> command) {
    List<String> entered = new ArrayList<>();
    entered.add(SystemCommand.tool("nsenter"));
    entered.add("--net=" + NETNS.resolve(namespace(index)));
    entered.add("--");
    entered.addAll(command);
    return entered;
  }

  /**
   * Why the nodes of this machine cannot have namespaces here, as {problem, fix}, or empty when they
   * can: Linux, root, and {@code ip}, {@code nft} and {@code nsenter} installed.
   */
  public static Optional<String[]> missing() {
    long uid;
    try {
      uid = ((Number) Files.getAttribute(Paths.get("/proc/self"), "unix:uid")).longValue();
    } catch (IOException | RuntimeException e) {
      uid = -1;
    }
    return missing(System.getProperty("os.name"), uid, name -> SystemCommand.find(name).isPresent());
  }

  /** As {@link #missing()}, for a machine of {@code osName} where Maven runs as {@code uid}. */
  public static Optional<String[]> missing(String osName, long uid, Predicate<String> installed) {
    String others = "put the nodes on <sshHosts> whose user may change the firewall, or remove <networkFaults>";
    if (!"Linux".equals(osName)) {
      return Optional.of(new String[] {
          "is true, but network namespaces for nodes on this machine exist only on Linux (this is " + osName + ")",
          "run the build on Linux as root, or " + others});
    }
    if (uid != 0) {
      return Optional.of(new String[] {
          "is true, but network faults for nodes on this machine need root (network namespaces and nftables),"
              + " and Maven runs as uid " + uid,
          "run Maven as root, or " + others});
    }
    String[][] tools = {{"ip", "iproute2"}, {"nft", "nftables"}, {"nsenter", "util-linux"}};
    for (String[] tool : tools) {
      if (!installed.test(tool[0])) {
        return Optional.of(new String[] {
            "is true, but `" + tool[0] + "` is missing on this machine",
            "install it (Debian: apt-get install " + tool[1] + "), or " + others});
      }
    }
    return Optional.empty();
  }

  /**
   * Why a delay cannot be put in force here, or empty when it can: the kernel's {@code netem}
   * queueing discipline, probed in a namespace made for the probe alone ({@code unshare -n}).
   */
  public static Optional<String> delayMissing() {
    SystemCommand.Result probe;
    try {
      probe = SystemCommand.run(List.of(SystemCommand.tool("unshare"), "-n", SystemCommand.tool("tc"), "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms"));
    } catch (IOException e) {
      return Optional.of("the probe of netem could not run: " + e.getMessage());
    }
    return probe.exit == 0 ? Optional.empty() : Optional.of("tc qdisc add ... netem: " + probe.out.trim());
  }

  /** A private 10.x.y /24 that overlaps no route nor address on this machine, as "10.x.y". */
  public static String freeSubnet() throws IOException {
    return PrivateSubnet.free();
  }

  /**
   * Makes the bridge at {@code .1} of {@code subnet}, and for each of {@code nodes} nodes its
   * namespace ({@code lo} up, {@code eth0} at its {@link #address}, a default route through the
   * bridge). On a failure deletes what it made and throws.
   */
  public void create(String subnet, int nodes) throws IOException {
    if (nodes < 1 || nodes > MAX_NODES) {
      throw new IOException(nodes + " nodes: network namespaces hold 1 to " + MAX_NODES + " nodes");
    }
    if (Files.exists(LINKS.resolve(bridge))) {
      throw new IOException("a network interface " + bridge + " exists already (a cluster whose id ends alike?)");
    }
    try {
      SystemCommand.exec(SystemCommand.tool("ip"), "link", "add", bridge, "type", "bridge");
      SystemCommand.exec(SystemCommand.tool("ip"), "addr", "add", bridgeAddress(subnet) + "/24", "dev", bridge);
      SystemCommand.exec(SystemCommand.tool("ip"), "link", "set", bridge, "up");
      if (!PrivateSubnet.isFree(subnet, PrivateSubnet.takenBesides(bridge))) {
        throw new IOException(subnet + ".0/24 was taken meanwhile by another interface of this machine");
      }
      for (int i = 0; i < nodes; i++) {
        String ns = namespace(i);
        SystemCommand.exec(SystemCommand.tool("ip"), "netns", "add", ns);
        SystemCommand.exec(SystemCommand.tool("ip"), "link", "add", veth(i), "type", "veth", "peer", "name", peer(i));
        SystemCommand.exec(SystemCommand.tool("ip"), "link", "set", veth(i), "master", bridge);
        SystemCommand.exec(SystemCommand.tool("ip"), "link", "set", veth(i), "up");
        SystemCommand.exec(SystemCommand.tool("ip"), "link", "set", peer(i), "netns", ns);
        SystemCommand.exec(SystemCommand.tool("ip"), "-n", ns, "link", "set", peer(i), "name", "eth0");
        SystemCommand.exec(SystemCommand.tool("ip"), "-n", ns, "addr", "add", address(subnet, i) + "/24", "dev", "eth0");
        SystemCommand.exec(SystemCommand.tool("ip"), "-n", ns, "link", "set", "eth0", "up");
        SystemCommand.exec(SystemCommand.tool("ip"), "-n", ns, "link", "set", "lo", "up");
        SystemCommand.exec(SystemCommand.tool("ip"), "-n", ns, "route", "add", "default", "via", bridgeAddress(subnet));
      }
    } catch (IOException | RuntimeException e) {
      try {
        delete();
      } catch (IOException alsoFailed) {
        e.addSuppressed(alsoFailed);
      }
      throw e;
    }
  }

  /**
   * What of this cluster's networks exists here: its namespaces, veths and bridge, by name. Reads
   * {@code /run/netns} and {@code /sys/class/net}; runs nothing.
   */
  public List<String> existing() {
    List<String> found = new ArrayList<>();
    Pattern own = Pattern.compile(Pattern.quote(namespacePrefix()) + "[0-9]+");
    Pattern veths = Pattern.compile(Pattern.quote(bridge) + "v[0-9]+");
    found.addAll(names(NETNS, own));
    found.addAll(names(LINKS, veths));
    if (Files.exists(LINKS.resolve(bridge))) {
      found.add(bridge);
    }
    return found;
  }

  /**
   * Deletes this cluster's namespaces, veths and bridge, and nothing else; nothing to do when none
   * exists (it runs nothing then). Once the nodes are gone: a namespace still holding a process
   * would outlive its name.
   *
   * @throws IOException when one of them is still there afterwards
   */
  public void delete() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      List<String> left = existing();
      if (left.isEmpty()) {
        return;
      }
      // The veths first: deleting one end deletes its pair at once, wherever the other end is.
      for (String name : left) {
        if (!name.startsWith("cmp_") && !name.equals(bridge)) {
          SystemCommand.run(List.of(SystemCommand.tool("ip"), "link", "del", name));
        }
      }
      for (String name : left) {
        if (name.startsWith("cmp_")) {
          SystemCommand.run(List.of(SystemCommand.tool("ip"), "netns", "del", name));
        }
      }
      if (left.contains(bridge)) {
        SystemCommand.run(List.of(SystemCommand.tool("ip"), "link", "del", bridge));
      }
      if (existing().isEmpty()) {
        return;
      }
      try {
        Thread.sleep(100); // a lifeline deleting them at the same time: look again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    List<String> left = existing();
    if (!left.isEmpty()) {
      throw new IOException("still there after deleting them: " + String.join(", ", left));
    }
  }

  /**
   * The part of the watchdog's shell script that deletes the networks of the cluster whose bridge
   * is {@code $br} and whose namespaces start with {@code $ns} (both empty: none); errors silenced.
   */
  static final String WATCHDOG_TEARDOWN =
      "nets() { [ -n \"$br\" ] && [ -n \"$ns\" ] || return 0; PATH=$PATH:/usr/sbin:/sbin;"
          + " for l in /sys/class/net/\"$br\"v*; do [ -e \"$l\" ] && ip link del \"${l##*/}\"; done;"
          + " for n in /run/netns/\"$ns\"*; do [ -e \"$n\" ] && ip netns del \"${n##*/}\"; done;"
          + " [ -e /sys/class/net/\"$br\" ] && ip link del \"$br\"; return 0; } 2>/dev/null";

  /** The prefix of this cluster's namespaces, the watchdog's {@code $ns}. */
  String namespacePrefix() {
    return "cmp_" + clusterId + "_";
  }

  private static List<String> names(Path dir, Pattern pattern) {
    List<String> found = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return found;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      entries.map(p -> p.getFileName().toString()).filter(n -> pattern.matcher(n).matches()).sorted().forEach(found::add);
    } catch (IOException e) {
      // Unreadable: nothing found.
    }
    return found;
  }
}
