package io.github.clusterrun.cluster.control.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The client jar (classifier {@code client}) holds this package alone: its classes must use nothing
 * of the plugin outside it, and nothing but the JDK's {@code java.*}.
 */
class ClientIsolationTest {
  @Test
  void theClientUsesOnlyItsOwnPackageAndTheJdk() throws Exception {
    Path dir = Paths.get("src/main/java/io/github/clusterrun/cluster/control/client");
    List<Path> sources;
    try (Stream<Path> files = Files.list(dir)) {
      sources = files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList());
    }
    assertThat(sources).isNotEmpty();
    Pattern imports = Pattern.compile("(?m)^import\\s+(static\\s+)?([\\w.]+)");
    Pattern qualified = Pattern.compile("io\\.github\\.clusterrun\\.cluster\\.(?!control\\.client\\b)\\w+");
    for (Path source : sources) {
      String text = Files.readString(source);
      Matcher m = imports.matcher(text);
      while (m.find()) {
        assertThat(m.group(2)).as(source + " imports").matches("java\\..*|io\\.github\\.clusterrun\\.cluster\\.control\\.client\\..*");
      }
      assertThat(qualified.matcher(text.replaceAll("(?m)^package .*$", "")).find()).as(source + " names a plugin class").isFalse();
    }
  }
}
