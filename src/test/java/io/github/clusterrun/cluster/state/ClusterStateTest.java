package io.github.clusterrun.cluster.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clusterrun.cluster.process.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorded state survives a write and a read by a later build. */
class ClusterStateTest {
  @TempDir Path dir;

  @Test
  void roundTripIncludingANodeNotLaunchedYet() throws Exception {
    Instant started = Instant.ofEpochMilli(1_764_000_000_123L);
    Instant n0Start = Instant.ofEpochMilli(1_764_000_001_456L);
    ClusterState state =
        new ClusterState(
            "c0ffee",
            started,
            List.of(
                new ClusterState.RecordedNode("n_0", "c0ffee/n_0", 4242, n0Start),
                new ClusterState.RecordedNode("n_1", "c0ffee/n_1", 0, null)),
            false,
            Duration.ofSeconds(7),
            "shutdown now");
    Path cluster = dir.resolve("cluster");

    state.write(cluster);
    assertThat(ClusterState.file(cluster)).isRegularFile();
    assertThat(cluster.resolve(ClusterState.FILE_NAME + ".tmp")).doesNotExist();

    ClusterState read = ClusterState.read(cluster).orElseThrow();
    assertThat(read.clusterId()).isEqualTo("c0ffee");
    assertThat(read.started()).isEqualTo(started);
    assertThat(read.stopped()).isFalse();
    assertThat(read.stopTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(read.stopInput()).isEqualTo("shutdown now");
    assertThat(read.nodes()).hasSize(2);
    ClusterState.RecordedNode n0 = read.nodes().get(0);
    assertThat(n0.name()).isEqualTo("n_0");
    assertThat(n0.mark()).isEqualTo("c0ffee/n_0");
    assertThat(n0.pid()).isEqualTo(4242);
    assertThat(n0.startInstant()).isEqualTo(n0Start);
    ClusterState.RecordedNode n1 = read.nodes().get(1);
    assertThat(n1.name()).isEqualTo("n_1");
    assertThat(n1.mark()).isEqualTo("c0ffee/n_1");
    assertThat(n1.pid()).isZero();
    assertThat(n1.startInstant()).isNull();

    List<NodeProcess> processes = read.processes();
    assertThat(processes).extracting(NodeProcess::name).containsExactly("n_0", "n_1");
    assertThat(processes.get(1).pid()).isZero();
    assertThat(processes.get(1).liveRoot()).isEmpty();
  }

  @Test
  void markStoppedAndNoStopInputRoundTrip() throws Exception {
    ClusterState state =
        new ClusterState("abc", Instant.ofEpochMilli(1000), List.of(), false, Duration.ofSeconds(10), null)
            .markStopped();
    state.write(dir);

    ClusterState read = ClusterState.read(dir).orElseThrow();
    assertThat(read.stopped()).isTrue();
    assertThat(read.stopInput()).isNull();
    assertThat(read.nodes()).isEmpty();
  }

  @Test
  void aRewriteReplacesTheOldState() throws Exception {
    ClusterState state =
        new ClusterState(
            "abc",
            Instant.ofEpochMilli(1000),
            List.of(new ClusterState.RecordedNode("n_0", "abc/n_0", 0, null)),
            false,
            Duration.ofSeconds(10),
            null);
    state.write(dir);
    state.withNodes(List.of(new ClusterState.RecordedNode("n_0", "abc/n_0", 77, null))).write(dir);

    assertThat(ClusterState.read(dir).orElseThrow().nodes().get(0).pid()).isEqualTo(77);
  }

  @Test
  void noStateFileMeansNothingRecorded() throws Exception {
    assertThat(ClusterState.read(dir)).isEqualTo(Optional.empty());
    assertThat(ClusterState.read(dir.resolve("missing"))).isEmpty();
  }

  @Test
  void aDamagedStateFileIsReportedNotIgnored() throws Exception {
    Files.writeString(ClusterState.file(dir), "nodes=1\nnode.0.name=n_0\nnode.0.pid=notanumber\nid=x\nstarted=1\n");
    assertThatThrownBy(() -> ClusterState.read(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is damaged");

    Files.writeString(ClusterState.file(dir), "nodes=0\n");
    assertThatThrownBy(() -> ClusterState.read(dir)).isInstanceOf(IOException.class).hasMessageContaining("no id");
  }
}
