package io.github.clusterrun.cluster.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stop and clean check the directory and the cleanup value by the same rules as start. */
class StopConfigTest {
  @TempDir Path temp;

  @Test
  void resolvesAgainstTheBaseDirectory() throws Exception {
    Path base = Files.createDirectories(temp.resolve("project"));
    StopConfig config =
        StopConfig.of(
            Paths.get("target/cluster"),
            base,
            List.of(Paths.get("target/failsafe-reports/failsafe-summary.xml")),
            "never",
            true);

    assertThat(config.clusterDirectory()).isEqualTo(base.resolve("target/cluster"));
    assertThat(config.summaryFiles()).containsExactly(base.resolve("target/failsafe-reports/failsafe-summary.xml"));
    assertThat(config.cleanup()).isEqualTo(CleanupPolicy.NEVER);
    assertThat(config.skipCleanup()).isTrue();
    assertThat(config.displayDirectory()).isEqualTo("target/cluster");
  }

  @Test
  void displaysAnOutsideDirectoryInFull() throws Exception {
    Path base = Files.createDirectories(temp.resolve("project"));
    StopConfig config = StopConfig.of(temp.resolve("other"), base, List.of(), null, false);
    assertThat(config.displayDirectory()).isEqualTo(temp.resolve("other").toString());
  }

  @Test
  void refusesUnsafeDirectoriesAndBadCleanup() throws Exception {
    Path base = Files.createDirectories(temp.resolve("project"));
    assertThatThrownBy(() -> StopConfig.of(Paths.get("/"), base, List.of(), null, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("<clusterDirectory>")
        .hasMessageContaining("Fix:");
    assertThatThrownBy(() -> StopConfig.of(Paths.get(".."), base, List.of(), null, false))
        .hasMessageStartingWith("<clusterDirectory>")
        .hasMessageContaining("parent");
    assertThatThrownBy(() -> StopConfig.of(null, base, List.of(), null, false))
        .hasMessageStartingWith("<clusterDirectory>");
    assertThatThrownBy(() -> StopConfig.of(Paths.get("target/cluster"), base, List.of(), "maybe", false))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("<cleanup>")
        .hasMessageContaining("Fix:");
  }
}
