package io.github.clusterrun.cluster.platform;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The private /24 of a cluster's node namespaces ({@link NodeNetworks}): a {@code 10.x.y.0/24}
 * that overlaps no route nor address of this machine, so that the build machine reaches the nodes
 * through their bridge alone and nothing else it reaches is shadowed. Chosen at random among the
 * free ones, so that two clusters started at once rarely pick the same; {@link NodeNetworks} checks
 * again once its bridge holds it.
 */
final class PrivateSubnet {
  private static final SecureRandom RANDOM = new SecureRandom();

  private PrivateSubnet() {}

  /** A private 10.x.y /24 that overlaps no route nor address on this machine, as "10.x.y". */
  static String free() throws IOException {
    List<long[]> taken = taken();
    for (int attempt = 0; attempt < 1000; attempt++) {
      int second = 64 + RANDOM.nextInt(190);
      int third = 1 + RANDOM.nextInt(254);
      String subnet = "10." + second + "." + third;
      if (isFree(subnet, taken)) {
        return subnet;
      }
    }
    throw new IOException("no free 10.x.y.0/24 on this machine (" + taken.size() + " routes and addresses)");
  }

  /** Whether {@code subnet}'s /24 overlaps none of {@code taken} (address and prefix length each). */
  static boolean isFree(String subnet, List<long[]> taken) {
    long candidate = parse(subnet + ".0/24")[0];
    for (long[] other : taken) {
      int bits = (int) Math.min(24, other[1]);
      long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
      if ((candidate & mask) == (other[0] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** Every IPv4 route and address of this machine, as address and prefix length. */
  static List<long[]> taken() throws IOException {
    List<long[]> taken = new ArrayList<>();
    String ip = SystemCommand.tool("ip");
    for (List<String> cmd :
        List.of(List.of(ip, "-4", "route", "show", "table", "all"), List.of(ip, "-4", "-o", "addr", "show"))) {
      SystemCommand.Result result = SystemCommand.run(cmd);
      if (result.exit != 0) {
        throw new IOException(String.join(" ", cmd) + ": " + result.out.trim());
      }
      for (String word : result.out.split("\\s+")) {
        long[] prefix = parse(word);
        if (prefix != null) {
          taken.add(prefix);
        }
      }
    }
    return taken;
  }

  /** The addresses of every interface of this machine but {@code bridge}. */
  static List<long[]> takenBesides(String bridge) throws IOException {
    List<long[]> taken = new ArrayList<>();
    SystemCommand.Result result = SystemCommand.run(List.of(SystemCommand.tool("ip"), "-4", "-o", "addr", "show"));
    for (String line : result.out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 3 && !f[1].equals(bridge)) {
        long[] prefix = parse(f[3]);
        if (prefix != null) {
          taken.add(prefix);
        }
      }
    }
    return taken;
  }

  private static long[] parse(String word) {
    String[] parts = word.split("/");
    String[] octets = parts[0].split("\\.");
    if (octets.length != 4 || parts.length > 2) {
      return null;
    }
    long address = 0;
    try {
      for (String octet : octets) {
        int value = Integer.parseInt(octet);
        if (value < 0 || value > 255) {
          return null;
        }
        address = (address << 8) | value;
      }
      long bits = parts.length == 2 ? Integer.parseInt(parts[1]) : 32;
      return new long[] {address, bits};
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
