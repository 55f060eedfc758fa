package io.github.clusterrun.cluster.engine.ssh;

/**
 * The refusals of the script's {@code net} ({@code privileges not-root-no-sudo bob}, {@code delay
 * netem-missing ...}) as the phrases the user reads: the host, what is missing there, and what to
 * do about it. The script says what it found in words a program can tell apart; the user needs
 * the fix, which differs for each.
 */
final class NetRefusals {
  /** The refusal of a user who is neither root nor allowed password-less sudo (then the user). */
  static final String PRIVILEGES = "privileges not-root-no-sudo";

  private static final String WITHOUT_DELAY = " or leave delay out; partitions and loss work without it";

  private NetRefusals() {}

  /** The phrase for {@code refusal} (the script's words after {@code refused}) on {@code host}. */
  static String phrase(String host, String refusal) {
    String[] w = refusal.split(" ", 3);
    String what = w[0];
    String why = w.length > 1 ? w[1] : "";
    String rest = w.length > 2 ? w[2].trim() : "";
    switch (what + " " + why) {
      case "privileges not-root-no-sudo":
        return "host " + host + ": user " + (rest.isEmpty() ? "of the connection" : rest)
            + " is neither root nor allowed password-less sudo, which network faults need (nftables rules):"
            + " run the nodes as root there, or allow that user `sudo -n` (NOPASSWD in sudoers)";
      case "nft missing":
        return "nft is missing on host " + host + ", which network faults need: install nftables there";
      case "delay netem-missing":
        return "delay needs the kernel's netem queueing discipline, which host " + host + " lacks (tc qdisc add …"
            + " netem: " + (rest.isEmpty() ? "refused" : rest) + "): load sch_netem there (modprobe sch_netem;"
            + " Debian and Ubuntu ship it in linux-modules-extra)" + WITHOUT_DELAY;
      case "delay tc-missing":
      case "delay ip-missing":
        return "delay needs " + why.replace("-missing", "") + " (iproute2), which host " + host + " lacks:"
            + " install iproute2 there" + WITHOUT_DELAY;
      case "delay unshare-missing":
        return "delay needs unshare (util-linux), which host " + host + " lacks: install util-linux there"
            + WITHOUT_DELAY;
      case "delay tc-unsupported":
        return "delay needs the prio queueing discipline and the u32 filter next to netem, which the kernel of host "
            + host + " lacks: load sch_prio and cls_u32 there" + WITHOUT_DELAY;
      case "delay netem-unprobed":
        return "whether host " + host + " can delay could not be found out (" + rest + ")" + WITHOUT_DELAY;
      case "delay no-route":
        return "host " + host + " has no route to " + rest + ", whose traffic was to be delayed";
      case "delay address-is-local":
        return rest + " is an address of host " + host + " itself: delay between nodes of one host is not"
            + " possible (their traffic stays on its loopback interface); leave delay out";
      case "delay qdisc-in-use":
        return "host " + host + " has a queueing discipline of its own at the root of " + rest
            + ", which delay would replace: it is left alone; remove it there" + WITHOUT_DELAY;
      case "delay too-many":
        return "host " + host + ": too many delayed addresses through " + rest + " (13 at most)";
      case "delay tc":
        return "host " + host + ": tc refused the delays, nothing was left in force: " + rest;
      default:
        if (what.equals("nft")) {
          return "host " + host + ": nft refused the rules, nothing was changed: " + refusal.substring(4);
        }
        if (what.equals("heal")) {
          return "host " + host + ": the cluster's firewall rules could not all be removed: " + refusal.substring(5);
        }
        return "host " + host + " refused network faults: " + refusal;
    }
  }
}
