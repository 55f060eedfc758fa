package io.github.clusterrun.cluster.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clusterrun.cluster.config.Readiness;
import io.github.clusterrun.cluster.control.client.ClusterControl;
import io.github.clusterrun.cluster.control.client.ClusterControlException;
import io.github.clusterrun.cluster.control.client.NetworkInfo;
import io.github.clusterrun.cluster.guard.ExitGuard;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.ClusterLayout;
import io.github.clusterrun.cluster.model.StateFile;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.start.ClusterStarter;
import io.github.clusterrun.cluster.testing.Procs;
import io.github.clusterrun.cluster.testing.RecordingLog;
import io.github.clusterrun.cluster.testing.ShNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network routes of the control endpoint on a real cluster of this machine without {@code
 * <networkFaults>} (issue 19): every refusal is a clear error that changes nothing, records nothing
 * and prints no "The tests" line; a heal is counted in the decision line. (Faults put in force are
 * tested on real hosts and namespaces: NetworkFaultsIT, the engines' tests.)
 */
class NetworkRoutesTest {
  @TempDir Path temp;
  Path base;
  Path clusterDir;
  final RecordingLog log = new RecordingLog();
  final ExitGuard guard = new ExitGuard();
  final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

  @BeforeEach
  void project() throws Exception {
    base = Files.createDirectories(temp.resolve("project"));
    clusterDir = base.resolve("target/cluster");
  }

  @AfterEach
  void stopEverything() throws Exception {
    Procs.stopClusterIn(guard, clusterDir, log);
  }

  private Cluster start(int nodes) throws Exception {
    return new ClusterStarter(
            ShNodes.of(base, nodes, "echo \"$CLUSTER_NODE_NAME up\"; exec sleep 600")
                .readiness(new Readiness(null, null, "^@{node.name} up$", Duration.ofSeconds(30)))
                .build(),
            guard,
            Platform.current(),
            log)
        .start();
  }

  private static ClusterControl client(Cluster cluster) {
    return ClusterControl.of(cluster.control().orElseThrow().url(), cluster.control().orElseThrow().token());
  }

  private HttpResponse<String> post(Cluster cluster, String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(cluster.control().orElseThrow().url() + path))
            .header("Authorization", "Bearer " + cluster.control().orElseThrow().token())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static int status(Runnable call) {
    try {
      call.run();
    } catch (ClusterControlException e) {
      return e.status();
    }
    throw new AssertionError("the call was not refused");
  }

  @Test
  void everyRefusalSaysWhyAndNothingIsAppliedOrRecorded() throws Exception {
    Cluster cluster = start(3);
    ClusterControl control = client(cluster);

    assertThat(status(() -> control.node("n_9").isolate())).isEqualTo(404);
    assertThat(status(() -> control.partition(List.of(List.of("n_0", "n_9"), List.of("n_1"))))).isEqualTo(404);
    assertThatThrownBy(() -> control.partition(List.of(List.of("n_0", "n_1"), List.of("n_1", "n_2"))))
        .hasMessageContaining("n_1 is named twice")
        .satisfies(e -> assertThat(((ClusterControlException) e).status()).isEqualTo(400));
    assertThat(status(() -> control.partition(List.of(List.of("n_0", "n_1", "n_2"))))).isEqualTo(400);
    assertThat(status(() -> control.partition(List.of(List.of("n_0"), List.of())))).isEqualTo(400);
    assertThat(status(() -> control.node("n_0").delay(100, 200))).isEqualTo(400);
    assertThat(status(() -> control.node("n_0").loss(0))).isEqualTo(400);
    assertThat(post(cluster, "network/partition", "{\"groups\": \"n_0\"}").statusCode()).isEqualTo(400);
    assertThat(post(cluster, "network/partition", "not json").body()).contains("not JSON").contains("groups");
    assertThat(post(cluster, "nodes/n_0/loss", "{\"percent\": 12.5}").body()).contains("whole number");
    assertThat(post(cluster, "network/cut", "{}").statusCode()).isEqualTo(404);
    assertThat(post(cluster, "nodes/n_0/partition", "{}").statusCode()).isEqualTo(400);

    // Local nodes share 127.0.0.1: refused, naming what is missing.
    assertThatThrownBy(() -> control.node("n_1").isolate())
        .hasMessageContaining("<networkFaults>true</networkFaults>")
        .hasMessageContaining("no rule was applied")
        .satisfies(e -> assertThat(((ClusterControlException) e).status()).isEqualTo(409));
    assertThat(status(() -> control.node("n_1").loss(10))).isEqualTo(409);

    assertThat(control.network().healed()).isTrue();
    assertThat(control.nodes()).allSatisfy(n -> assertThat(n.network()).isEmpty());
    assertThat(log.text()).doesNotContain("INFO The tests"); // a refusal is a warning, nothing done
    assertThat(log.lines())
        .contains("WARN The tests' isolate of n_9 was refused (404): no node n_9 in this cluster")
        .anyMatch(l -> l.startsWith("WARN The tests' POST /network/partition was refused (400): n_1 is named twice"));
    Cluster recorded = StateFile.read(new ClusterLayout(clusterDir)).orElseThrow();
    assertThat(recorded.networkTouched()).isFalse();
    assertThat(recorded.testActions()).isEmpty();
    assertThat(Files.readString(new ClusterLayout(clusterDir).stateFile())).doesNotContain("network.");
  }

  @Test
  void aHealWithNothingInForceAnswersTheHealedNetworkAndIsTold() throws Exception {
    Cluster cluster = start(2);

    NetworkInfo healed = client(cluster).heal();

    assertThat(healed.healed()).isTrue();
    assertThat(healed.partition()).isEmpty();
    assertThat(log.text()).contains("INFO The tests healed the network (no fault was in force) in ");
    assertThat(StateFile.read(new ClusterLayout(clusterDir)).orElseThrow().testActions()).containsOnlyKeys("the network");
  }
}
