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
 * here, so the examples cannot rot. The IT POMs say {@code @project.version@} and {@code
 * @surefire.version@}, which the invoker fills in; the README has the versions themselves. A recipe
 * is complete: pasted into an empty project, its goals run without anything from the IT's parent.
 */
class ReadmeRecipesTest {
  private static final Path ITS = Paths.get("src/it");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"zookeeper", "kafka", "redis", "etcd", "postgresql"})
  void theRecipeIsTheTestedItsConfiguration(String recipe) throws Exception {
    String snippet = withVersions(snippet(recipe));
    assertThat(snippet)
        .as("the recipe " + recipe + " declares the plugin with its version and its three goals")
        .contains(
            "<artifactId>cluster-maven-plugin</artifactId>\n  <version>" + pomProperty("version") + "</version>\n"
                + "  <executions>\n")
        .contains("<goal>start</goal>", "<goal>stop</goal>", "<goal>clean</goal>");
    assertThat(snippet)
        .as("the recipe " + recipe + " declares Failsafe with its version and its two goals")
        .contains(
            "<artifactId>maven-failsafe-plugin</artifactId>\n  <version>" + pomProperty("surefire.version")
                + "</version>\n  <executions>\n    <execution>\n"
                + "      <goals><goal>integration-test</goal><goal>verify</goal></goals>\n");
    assertThat(Files.readString(Paths.get("README.md"))).contains(snippet);
  }

  /** The per-node files example is the {@code <files>} of the IT that writes them, word for word. */
  @org.junit.jupiter.api.Test
  void theFilesExampleIsTheTestedItsConfiguration() throws Exception {
    assertThat(Files.readString(Paths.get("README.md"))).contains(snippet("files"));
  }

  /** The one IT POM text between the START and END SNIPPET comments named {@code name}, dedented. */
  private static String snippet(String name) throws Exception {
    List<String> snippets = new ArrayList<>();
    Pattern marked =
        Pattern.compile(
            "<!-- START SNIPPET: " + name + " -->\\n(.*?)\\n[ \\t]*<!-- END SNIPPET: " + name + " -->",
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
    assertThat(snippets).as("IT POMs with the snippet " + name).hasSize(1);
    return snippets.get(0);
  }

  /** The snippet as the README shows it: the invoker's {@code @…@} tokens are the build's versions. */
  private static String withVersions(String snippet) throws Exception {
    return snippet
        .replace("@project.version@", pomProperty("version"))
        .replace("@surefire.version@", pomProperty("surefire.version"));
  }

  /** The project's own {@code <version>} or a property of the build's POM. */
  private static String pomProperty(String name) throws Exception {
    String pom = Files.readString(Paths.get("pom.xml"));
    Pattern pattern =
        name.equals("version")
            ? Pattern.compile("<artifactId>cluster-maven-plugin</artifactId>\\s*<version>([^<]+)</version>")
            : Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">");
    Matcher m = pattern.matcher(pom);
    assertThat(m.find()).as(name + " in pom.xml").isTrue();
    return m.group(1);
  }

  /** The README's client example is KillAndStartIT's imports, a blank line, and its test's code. */
  @org.junit.jupiter.api.Test
  void theClientExampleIsTheTestedItsCode() throws Exception {
    String test = Files.readString(ITS.resolve("_tests/control-kill/it/KillAndStartIT.java"));
    String example = snippet(test, "client-imports") + "\n\n" + snippet(test, "client");
    assertThat(Files.readString(Paths.get("README.md"))).contains("```java\n" + example + "\n```");
  }

  /** The README's network example is EtcdLeaderIsolatedIT's isolate and heal, word for word. */
  @org.junit.jupiter.api.Test
  void theNetworkExampleIsTheTestedItsCode() throws Exception {
    String test =
        Files.readString(Paths.get("src/test/resources/hosts/etcd-partition/it/EtcdLeaderIsolatedIT.java"));
    String readme = Files.readString(Paths.get("README.md"));
    assertThat(readme).contains("```java\n" + snippet(test, "network-isolate") + "\n```");
    assertThat(readme).contains("```java\n" + snippet(test, "network-heal") + "\n```");
  }

  private static String snippet(String code, String name) {
    Matcher m =
        Pattern.compile(
                "// START SNIPPET: " + name + "\\n(.*?)\\n[ \\t]*// END SNIPPET: " + name, Pattern.DOTALL)
            .matcher(code);
    assertThat(m.find()).as("the snippet " + name + " in the IT's code").isTrue();
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
