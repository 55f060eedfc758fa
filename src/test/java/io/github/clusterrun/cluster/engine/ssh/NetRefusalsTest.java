package io.github.clusterrun.cluster.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The script's refusals as the user reads them: each names the host, what is missing and the fix
 * (the script's own words come from {@link RemoteNetTest}, run on hosts).
 */
class NetRefusalsTest {
  private static final String HOST = "bob@h1";

  @Test
  void aUserWithoutPrivilegesIsToldToRunAsRootOrAllowSudo() {
    assertThat(NetRefusals.phrase(HOST, "privileges not-root-no-sudo bob"))
        .isEqualTo("host bob@h1: user bob is neither root nor allowed password-less sudo, which network faults"
            + " need (nftables rules): run the nodes as root there, or allow that user `sudo -n` (NOPASSWD in sudoers)");
  }

  @Test
  void missingProgramsAreNamedWithThePackageToInstall() {
    assertThat(NetRefusals.phrase(HOST, "nft missing"))
        .isEqualTo("nft is missing on host bob@h1, which network faults need: install nftables there");
    assertThat(NetRefusals.phrase(HOST, "delay tc-missing")).contains("delay needs tc (iproute2)", HOST, "leave delay out");
    assertThat(NetRefusals.phrase(HOST, "delay unshare-missing")).contains("util-linux", HOST);
  }

  @Test
  void aKernelWithoutNetemIsToldWithTcsWordsAndThatPartitionsAndLossStillWork() {
    assertThat(NetRefusals.phrase(HOST, "delay netem-missing Error: Specified qdisc kind is unknown."))
        .isEqualTo("delay needs the kernel's netem queueing discipline, which host bob@h1 lacks (tc qdisc add …"
            + " netem: Error: Specified qdisc kind is unknown.): load sch_netem there (modprobe sch_netem; Debian and"
            + " Ubuntu ship it in linux-modules-extra) or leave delay out; partitions and loss work without it");
  }

  @Test
  void errorsOfNftAndTcAndUnknownRefusalsKeepTheScriptsWords() {
    assertThat(NetRefusals.phrase(HOST, "nft /dev/stdin:3:1-4: Error: x"))
        .isEqualTo("host bob@h1: nft refused the rules, nothing was changed: /dev/stdin:3:1-4: Error: x");
    assertThat(NetRefusals.phrase(HOST, "delay tc RTNETLINK answers: busy")).endsWith(": RTNETLINK answers: busy");
    assertThat(NetRefusals.phrase(HOST, "delay qdisc-in-use eth0 fq_codel 8001:")).contains("eth0 fq_codel 8001:");
    assertThat(NetRefusals.phrase(HOST, "something new")).isEqualTo("host bob@h1 refused network faults: something new");
  }
}
