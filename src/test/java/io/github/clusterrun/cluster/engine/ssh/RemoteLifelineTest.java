package io.github.clusterrun.cluster.engine.ssh;

import static io.github.clusterrun.cluster.engine.ssh.LocalRun.VAR;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.family.FamilyMark;
import io.github.clusterrun.cluster.testing.Await;
import io.github.clusterrun.cluster.testing.Procs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The script's lifeline, run locally as a host runs it under the build's SSH connection: its stdin
 * is the JVM's heartbeat. End-of-file, or silence for the bound, stops every process under the
 * cluster's prefix (a detached daemon and a process that ignores SIGTERM included); {@code
 * confirmed} ends it leaving every process alone; heartbeats keep it waiting. It never outlives
 * itself: its checker is gone and its temporary directory removed when it ends.
 */
class RemoteLifelineTest {
  @TempDir Path dir;
  final String id = Procs.newClusterId();
  Bystanders bystanders;
  Process lifeline;
  long checker;
  Path tmp;
  List<Long> family;
  ScheduledExecutorService beats;

  @BeforeEach
  void startFamiliesAndBystanders() throws IOException {
    bystanders = Bystanders.start(dir, id);
    Procs.startMarked(id, "n_0", dir, "echo $$ > a.tmp && mv a.tmp a.pid; exec sleep 600");
    Procs.startMarked(id, "n_1", dir, "trap '' TERM; echo $$ > b.tmp && mv b.tmp b.pid; while :; do sleep 0.1; done");
    Procs.startMarked(
        id, "n_2", dir, "setsid sh -c 'sh -c \"echo \\$\\$ > d.tmp && mv d.tmp d.pid; exec sleep 600\" & exit 0'");
    family =
        List.of(
            Procs.awaitSleeping(dir.resolve("a.pid")),
            Procs.awaitPidFile(dir.resolve("b.pid")),
            Procs.awaitSleeping(dir.resolve("d.pid")));
    tmp = Files.createDirectory(dir.resolve("tmp"));
  }

  @AfterEach
  void endEverything() {
    try {
      if (beats != null) {
        beats.shutdownNow();
      }
      if (lifeline != null) {
        lifeline.destroyForcibly();
      }
      bystanders.assertAliveAndEnd();
    } finally {
      Procs.killMarked(id);
    }
  }

  /** Starts the lifeline and reads its first line; its checker is then running. */
  private void startLifeline(int graceSeconds, int boundSeconds) throws IOException {
    lifeline =
        LocalRun.start(
            dir.resolve("lifeline.err"),
            Map.of("TMPDIR", tmp.toString()),
            "lifeline",
            VAR,
            FamilyMark.clusterPrefix(id),
            Integer.toString(graceSeconds),
            Integer.toString(boundSeconds));
    String first =
        new BufferedReader(new InputStreamReader(lifeline.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertThat(RemoteScript.lifeline(first)).as("first line %s", first).hasValue(lifeline.pid());
    assertThat(Procs.env(lifeline.pid()).orElseThrow()).doesNotContainKey(VAR);
    List<Long> children = lifeline.toHandle().children().map(ProcessHandle::pid).collect(Collectors.toList());
    assertThat(children).as("the checker").hasSize(1);
    checker = children.get(0);
    assertThat(tmp.toFile().list()).as("the beat file's directory").hasSize(1);
  }

  private void write(String line) throws IOException {
    OutputStream in = lifeline.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** The lifeline has ended with status 0, its checker and its temporary directory with it. */
  private void assertEndedCleanly() throws Exception {
    assertThat(lifeline.waitFor(20, TimeUnit.SECONDS)).as("the lifeline ended").isTrue();
    assertThat(lifeline.exitValue()).as(Files.readString(dir.resolve("lifeline.err"))).isZero();
    Await.until("the checker to end", () -> Procs.isGone(checker), Duration.ofSeconds(5));
    assertThat(tmp.toFile().list()).as("what the lifeline left in TMPDIR").isEmpty();
  }

  private void awaitFamilyGone() {
    Await.until("every marked process to be gone", () -> Procs.markedPids(id).isEmpty(), Duration.ofSeconds(20));
    assertThat(family).allMatch(Procs::isGone);
  }

  @Test
  void endOfFileStopsEveryProcessOfTheClusterAndTheLifelineEnds() throws Exception {
    startLifeline(1, 60);
    assertThat(family).allMatch(Procs::isAlive);

    lifeline.getOutputStream().close(); // what the SSH connection's end does to its session

    awaitFamilyGone();
    assertEndedCleanly();
  }

  @Test
  void confirmedEndsTheLifelineAtOnceAndLeavesEveryProcessAlone() throws Exception {
    startLifeline(1, 60);

    write("beat");
    write("confirmed");

    assertEndedCleanly();
    assertThat(family).allMatch(Procs::isAlive);
  }

  @Test
  void noHeartbeatForTheBoundStopsEveryProcessOfTheCluster() throws Exception {
    long start = System.nanoTime();
    startLifeline(1, 2);

    // Its stdin stays open: only the silence can end it.
    awaitFamilyGone();

    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not before the bound").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    assertEndedCleanly();
  }

  @Test
  void heartbeatsKeepItWaitingPastTheBound() throws Exception {
    startLifeline(1, 2);
    AtomicInteger written = new AtomicInteger();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    beats = Executors.newSingleThreadScheduledExecutor();
    beats.scheduleAtFixedRate(
        () -> {
          try {
            write("beat");
            written.incrementAndGet();
          } catch (IOException e) {
            failures.add(e);
            throw new IllegalStateException(e);
          }
        },
        0,
        500,
        TimeUnit.MILLISECONDS);

    // Ten beats half a second apart: 4.5 s, more than twice the bound.
    Await.until(
        "ten heartbeats, or the lifeline's end",
        () -> written.get() >= 10 || !lifeline.isAlive() || !failures.isEmpty(),
        Duration.ofSeconds(30));

    assertThat(failures).isEmpty();
    assertThat(lifeline.isAlive()).isTrue();
    assertThat(family).allMatch(Procs::isAlive);
    beats.shutdown();
    assertThat(beats.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    write("confirmed");
    assertEndedCleanly();
    assertThat(family).allMatch(Procs::isAlive);
  }
}
