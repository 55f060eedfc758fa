package io.github.clusterrun.cluster.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which zombies a scan may skip: only those whose pid the kernel cannot have handed out since the
 * scan that saw them. The kernel's counters are files here, written as the kernel would.
 */
class KnownZombiesTest {
  @TempDir Path proc;
  KnownZombies zombies;

  @BeforeEach
  void kernel() throws IOException {
    Files.createDirectories(proc.resolve("sys/kernel"));
    Files.writeString(proc.resolve("sys/kernel/pid_max"), "32768\n");
    lastPid(1000);
    zombies = new KnownZombies(proc);
  }

  private void lastPid(long pid) throws IOException {
    Files.writeString(proc.resolve("sys/kernel/ns_last_pid"), pid + "\n");
  }

  private void scanSeeing(long... zombiePids) {
    long token = zombies.begin();
    for (long pid : zombiePids) {
      zombies.saw(pid);
    }
    zombies.end(token);
  }

  @Test
  void aZombieWhosePidWasNotHandedOutSinceIsStillKnown() throws IOException {
    scanSeeing(500, 900);
    lastPid(1200); // 200 processes created since: pids 1001..1200

    zombies.begin();

    assertThat(zombies.isKnown(500)).isTrue();
    assertThat(zombies.isKnown(900)).isTrue();
  }

  @Test
  void aZombieWhosePidMayHaveBeenHandedOutAgainIsReadAgain() throws IOException {
    lastPid(32000);
    scanSeeing(32500, 350, 1500, 31000);
    lastPid(400); // wrapped: pids 32001..32767 and up to 400 may be new

    zombies.begin();

    assertThat(zombies.isKnown(32500)).isFalse();
    assertThat(zombies.isKnown(350)).isFalse();
    assertThat(zombies.isKnown(1500)).isTrue();
    assertThat(zombies.isKnown(31000)).isTrue();
  }

  @Test
  void nothingIsKnownAfterHalfThePidSpaceWasHandedOut() throws IOException {
    scanSeeing(500);
    lastPid(1000 + 20000);

    zombies.begin();

    assertThat(zombies.isKnown(500)).isFalse();
  }

  @Test
  void nothingIsKnownWhenTheLastScanIsTooOld() throws Exception {
    scanSeeing(500);
    long until = System.nanoTime() + KnownZombies.MAX_AGE_NANOS;
    while (System.nanoTime() - until <= 0) {
      Thread.onSpinWait(); // the clock, not a sleep: the age is what is tested
    }

    zombies.begin();

    assertThat(zombies.isKnown(500)).isFalse();
  }

  @Test
  void nothingIsKnownWhereTheKernelDoesNotSayTheLastPid() throws IOException {
    scanSeeing(500);
    Files.delete(proc.resolve("sys/kernel/ns_last_pid"));

    long token = zombies.begin();

    assertThat(zombies.isKnown(500)).isFalse();
    zombies.saw(600);
    zombies.end(token);
    zombies.begin();
    assertThat(zombies.isKnown(600)).isFalse();
  }

  @Test
  void theIntervalOfNewPidsIsCyclic() {
    assertThat(KnownZombies.mayBeNew(1001, 1000, 1200)).isTrue();
    assertThat(KnownZombies.mayBeNew(1000, 1000, 1200)).isFalse();
    assertThat(KnownZombies.mayBeNew(1201, 1000, 1200)).isFalse();
    assertThat(KnownZombies.mayBeNew(32767, 32000, 400)).isTrue();
    assertThat(KnownZombies.mayBeNew(300, 32000, 400)).isTrue();
    assertThat(KnownZombies.mayBeNew(401, 32000, 400)).isFalse();
  }
}
