package io.github.clusterrun.cluster.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An inline {@code <content>} loses the POM's indentation as a Java text block loses its source's;
 * a filtered {@code <source>} gets the {@code ${…}} the build knows. The inputs are what Maven hands
 * the plugin: the element's text trimmed, or as written with {@code xml:space="preserve"}.
 */
class FileTemplateTest {
  @Test
  void aTrimmedContentLosesTheIndentationOfItsLaterLinesAndKeepsTheirNesting() {
    // <content>
    //   server:
    //     port: 2181
    //   peers:
    //     - a
    // </content>, as Maven trims it: the first line without indentation, the others with the POM's.
    String trimmed = "server:\n            port: 2181\n          peers:\n            - a";
    assertThat(FileTemplate.stripIndent(trimmed)).isEqualTo("server:\n  port: 2181\npeers:\n  - a");
  }

  @Test
  void preservedContentLosesItsFirstAndLastLineBreaksAndTheSharedIndentation() {
    // <content xml:space="preserve">, whose later lines are all deeper than the first.
    String preserved = "\n          server:\n            port: 2181\n            host: a\n        ";
    assertThat(FileTemplate.stripIndent(preserved)).isEqualTo("server:\n  port: 2181\n  host: a");
  }

  @Test
  void anIndentedFirstLineCountsLikeTheOthers() {
    // A Maven that does not trim, or a content that starts with its indentation.
    assertThat(FileTemplate.stripIndent("    a:\n      b: 1\n    c: 2")).isEqualTo("a:\n  b: 1\nc: 2");
  }

  @Test
  void blankLinesBecomeEmptyAndTrailingWhitespaceStays() {
    String trimmed = "a=1 \n      \n      b=2\n\n      c=3";
    assertThat(FileTemplate.stripIndent(trimmed)).isEqualTo("a=1 \n\nb=2\n\nc=3");
  }

  @Test
  void aTabCountsAsOneCharacterAndCrLfBecomesLf() {
    assertThat(FileTemplate.stripIndent("a\r\n\t\tb\r\n\t\t\tc")).isEqualTo("a\nb\n\tc");
  }

  @Test
  void oneLineAndTextWithoutIndentationStayAsTheyAre() {
    assertThat(FileTemplate.stripIndent("@{node.number}")).isEqualTo("@{node.number}");
    assertThat(FileTemplate.stripIndent("a=1\nb=2")).isEqualTo("a=1\nb=2");
    assertThat(FileTemplate.stripIndent("<a>\n  <b/>\n</a>")).isEqualTo("<a>\n  <b/>\n</a>");
  }

  @Test
  void filteringReplacesTheKnownPropertiesAndLeavesTheOthers() {
    Map<String, String> build = Map.of("cluster.name", "ci-42", "project.version", "1.0", "dollar", "$1\\");
    assertThat(
            FileTemplate.filter(
                "name=${cluster.name}-${project.version}\nhome=${HOME} ${ unknown} ${dollar} @{node.name}", build))
        .isEqualTo("name=ci-42-1.0\nhome=${HOME} ${ unknown} $1\\ @{node.name}");
  }
}
