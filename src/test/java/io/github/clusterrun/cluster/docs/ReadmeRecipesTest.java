package io.github.clusterrun.cluster.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's recipes are the plugin configurations of the ITs that build them, and its client
 * example the code of an IT, word for word: a change to an IT that the README does not follow fails
 * here, so the examples cannot rot.
 */
class ReadmeRecipesTest {
  private static final Path ITS = Paths.get("src/it");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"zookeeper", "kafka", "redis", "etcd", "files"})
  void theRecipeIsTheTestedItsConfiguration(String recipe) throws Exception {
    List<String> snippets = new ArrayList<>();
    Pattern marked =
        Pattern.compile(
            "<!-- START SNIPPET: " + recipe + " -->\\n(.*?)\\n[ \\t]*<!-- END SNIPPET: " + recipe + " -->",
            Pattern.DOTALL);
    try (var dirs = Files.newDirectoryStream(ITS)) {
      for (Path dir : dirs) {
        Path pom = dir.resolve("pom.xml");
        if (Files.isRegularFile(pom)) {
          Matcher m = marked.matcher(Files.readString(pom));
          while (m.find()) {
            snippets.add(dedent(m.group(1)));
          }
        }
      }
    }
    assertThat(snippets).as("IT POMs with the snippet " + recipe).hasSize(1);
    assertThat(Files.readString(Paths.get("README.md"))).contains(snippets.get(0));
  }

  /** The README's client example is KillAndStartIT's imports, a blank line, and its test's code. */
  @org.junit.jupiter.api.Test
  void theClientExampleIsTheTestedItsCode() throws Exception {
    String test = Files.readString(ITS.resolve("_tests/control-kill/it/KillAndStartIT.java"));
    String example = snippet(test, "client-imports") + "\n\n" + snippet(test, "client");
    assertThat(Files.readString(Paths.get("README.md"))).contains("```java\n" + example + "\n```");
  }

  private static String snippet(String code, String name) {
    Matcher m =
        Pattern.compile(
                "// START SNIPPET: " + name + "\\n(.*?)\\n[ \\t]*// END SNIPPET: " + name, Pattern.DOTALL)
            .matcher(code);
    assertThat(m.find()).as("the snippet " + name + " in KillAndStartIT").isTrue();
    return dedent(m.group(1));
  }

  /** The lines less the indentation they all share, as the README shows them. */
  private static String dedent(String text) {
    String[] lines = text.split("\n", -1);
    int indent = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    List<String> dedented = new ArrayList<>();
    for (String line : lines) {
      dedented.add(line.isBlank() ? "" : line.substring(indent));
    }
    return String.join("\n", dedented);
  }
}
