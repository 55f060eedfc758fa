package io.github.clusterrun.cluster.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.testing.TestHosts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Quoted words come out of a real {@code sh -c} as the same argument vector, whatever is in them:
 * what ssh does with a remote command is exactly that (it joins its arguments for the remote shell).
 */
class ShellQuoteTest {
  static final List<String> NASTY = Arrays.asList(
      "plain", "two words", "it's", "'", "''", "\"double\"", "$HOME", "${HOME}", "`id`", "$(id)",
      "back\\slash", "line\nbreak", "", " ", "*", "?", "[a]", ";", "&&", "|", ">out", "<in", "~",
      "~root", "#comment", "-n", "--", "A=b", "tab\there", "ünïcödé", "!event", "%s", "{a,b}");

  @Test
  void nastyWordsRoundTripThroughARealShell() {
    List<String> words = new ArrayList<>(List.of("printf", "%s\\0"));
    words.addAll(NASTY);
    TestHosts.Result result = TestHosts.run(Duration.ofSeconds(10), "sh", "-c", ShellQuote.join(words));
    assertThat(result.exit).as("%s", result).isZero();
    assertThat(Arrays.asList(result.out.split("\0", -1))).containsExactlyElementsOf(withEnd(NASTY));
  }

  @Test
  void anAssignmentLikeFirstWordIsRunNotAssigned() {
    TestHosts.Result result = TestHosts.run(Duration.ofSeconds(10), "sh", "-c",
        ShellQuote.join(List.of("A=b", "x")) + " 2>&1; echo \" rc=$?\"");
    assertThat(result.out).contains("A=b").contains("rc=127");
  }

  @Test
  void plainWordsStayReadableAndOthersAreSingleQuoted() {
    assertThat(ShellQuote.join(List.of("ls", "-la", "/tmp/a.b", "user@host:22")))
        .isEqualTo("ls -la /tmp/a.b user@host:22");
    assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\\''s'");
    assertThat(ShellQuote.quote("")).isEqualTo("''");
    assertThat(ShellQuote.quote("-rf")).isEqualTo("-rf");
    assertThat(ShellQuote.join(List.of("-rf", "-x"))).isEqualTo("'-rf' -x");
    assertThat(ShellQuote.quote("A=b")).isEqualTo("'A=b'");
  }

  /** The words as printf prints them, one NUL after each: splitting leaves one empty string last. */
  static List<String> withEnd(List<String> words) {
    List<String> expected = new ArrayList<>(words);
    expected.add("");
    return expected;
  }
}
