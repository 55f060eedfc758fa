package io.github.clusterrun.cluster.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.config.ClusterConfig;
import io.github.clusterrun.cluster.config.Readiness;
import io.github.clusterrun.cluster.guard.ExitGuard;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.start.ClusterStarter;
import io.github.clusterrun.cluster.stop.ConfirmedStop;
import io.github.clusterrun.cluster.testing.Procs;
import io.github.clusterrun.cluster.testing.RecordingLog;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curl examples of the README's "Failure injection" section are this test's resource {@code
 * curl-examples.sh}, run here against a real cluster, and the README must quote it verbatim: the
 * examples cannot rot.
 */
class CurlExamplesTest {
  static final String RESOURCE = "curl-examples.sh";

  @TempDir Path base;
  final RecordingLog log = new RecordingLog();
  final ExitGuard guard = new ExitGuard();

  @AfterEach
  void stopEverything() throws Exception {
    guard.find(base.resolve("target/cluster")).ifPresent(c -> {
      try {
        new ConfirmedStop(guard, Platform.current()).stop(c, log);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Procs.killNodesOf(base.resolve("target/cluster"));
  }

  static String examples() throws Exception {
    try (InputStream in = CurlExamplesTest.class.getResourceAsStream(RESOURCE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theReadmeQuotesTheExamplesVerbatim() throws Exception {
    String readme = Files.readString(Paths.get("README.md"));
    assertThat(readme).contains("```sh\n" + examples() + "```\n");
  }

  @Test
  void theExamplesWorkAgainstARealCluster() throws Exception {
    Cluster cluster =
        new ClusterStarter(
                ClusterConfig.builder()
                    .baseDirectory(base)
                    .clusterDirectory(Paths.get("target/cluster"))
                    .nodes(2)
                    .executable("/bin/sh")
                    .ports(List.of("port"))
                    .arguments(List.of("-c", "exec " + Procs.PYTHON3 + " -m http.server @{node.port} --bind 127.0.0.1"))
                    .readiness(new Readiness(null, "127.0.0.1:@{node.port}", null, Duration.ofSeconds(30)))
                    .stopTimeoutSeconds(5)
                    .build(),
                guard,
                Platform.current(),
                log)
            .start();
    Path script = base.resolve("examples.sh");
    Files.writeString(script, "set -e\n" + examples());

    Process sh = new ProcessBuilder("/bin/sh", script.toString()).directory(base.toFile()).redirectErrorStream(true).start();
    String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(sh.waitFor(120, TimeUnit.SECONDS)).isTrue();

    assertThat(sh.exitValue()).as(out).isZero();
    List<String> lines = out.lines().collect(java.util.stream.Collectors.toList());
    assertThat(lines).as(out).hasSize(8);
    assertThat(lines.get(0)).startsWith("[{\"name\":\"n_0\",\"index\":0,").contains("\"state\":\"RUNNING\"");
    assertThat(lines.get(1)).startsWith("{\"name\":\"n_1\"").contains("\"state\":\"STOPPED_BY_TESTS\"");
    assertThat(lines.get(2)).contains("\"state\":\"RUNNING\"");
    assertThat(lines.get(3)).startsWith("{\"name\":\"n_0\"").contains("\"state\":\"PAUSED\"");
    assertThat(lines.get(4)).contains("\"state\":\"RUNNING\"");
    assertThat(lines.get(5)).contains("\"state\":\"RUNNING\"").contains("\"restart\":1");
    assertThat(lines.subList(6, 8)).containsExactly("401", "409");
    assertThat(cluster.testActions("n_1").describe("n_1")).isEqualTo("killed n_1 once and started it");
  }
}
