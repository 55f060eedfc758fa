package io.github.clusterrun.cluster.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What this machine's network holds, for tests that must leave it as they found it: the network
 * namespaces ({@code ip netns list}), the interfaces ({@code ip link}) and the nftables tables
 * ({@code nft list tables}), by name. Other test runs on the same machine make and remove their own
 * at the same time (the hosts of {@link TestHosts}, named {@code cmp<5 hex>…}; tables of other
 * clusters): {@link #addedSince} leaves those out, and nothing else.
 */
public final class HostNetwork {
  private static final Duration T = Duration.ofSeconds(20);
  private static final Pattern TEST_HOSTS = Pattern.compile("cmp[0-9a-f]{5}(h|br|v|p)[0-9]*");

  private final TreeSet<String> names;

  private HostNetwork(TreeSet<String> names) {
    this.names = names;
  }

  /** The names now. */
  public static HostNetwork now() {
    TreeSet<String> names = new TreeSet<>();
    for (String line : TestHosts.run(T, "ip", "netns", "list").out.split("\n")) {
      if (!line.isBlank()) {
        names.add("netns " + line.trim().split("\\s+")[0]);
      }
    }
    for (String line : TestHosts.run(T, "ip", "-o", "link", "show").out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 1) {
        names.add("link " + f[1].replaceAll("(@.*)?:$", ""));
      }
    }
    for (String line : TestHosts.run(T, "nft", "list", "tables").out.split("\n")) {
      if (!line.isBlank()) {
        names.add("nft " + line.trim());
      }
    }
    return new HostNetwork(names);
  }

  /**
   * What is here now and was not in this snapshot, but for what other runs make meanwhile (test
   * hosts, and tables {@code cmp_<id>} of ids other than {@code ours}).
   */
  public List<String> addedSince(String... ours) {
    List<String> added = new ArrayList<>();
    for (String name : now().names) {
      if (names.contains(name)) {
        continue;
      }
      String bare = name.substring(name.indexOf(' ') + 1);
      if (TEST_HOSTS.matcher(bare).matches()) {
        continue;
      }
      if (name.startsWith("nft ") && bare.contains("cmp_") && !mentions(bare, ours)) {
        continue;
      }
      added.add(name);
    }
    return added;
  }

  private static boolean mentions(String name, String... ours) {
    for (String id : ours) {
      if (name.contains(id)) {
        return true;
      }
    }
    return false;
  }
}
