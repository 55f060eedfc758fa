package io.github.clusterrun.cluster.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log probe sees a matching line of the console log, however and whenever it is written. */
class LogProbeTest {
  @TempDir Path dir;

  private void append(Path file, String text) throws Exception {
    Files.write(
        file,
        text.getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  @Test
  void seesALineAppendedLater() throws Exception {
    Path log = dir.resolve("console.log");
    LogProbe probe = new LogProbe(log, Pattern.compile("Started in \\d+ ms"));

    assertThat(probe.check()).isFalse();
    assertThat(probe.lastFailure()).isEqualTo("no console log yet");

    append(log, "booting\nloading config\n");
    assertThat(probe.check()).isFalse();
    assertThat(probe.lastFailure()).isEqualTo("no line matched yet");

    append(log, "Started in 42 ms\n");
    assertThat(probe.check()).isTrue();
    assertThat(probe.describe()).contains("Started in \\d+ ms").contains(log.toString());
  }

  @Test
  void aLineWrittenInPiecesAcrossChecksMatchesOnceComplete() throws Exception {
    Path log = dir.resolve("console.log");
    LogProbe probe = new LogProbe(log, Pattern.compile("^Started in \\d+ ms$"));

    append(log, "noise\nSta");
    assertThat(probe.check()).isFalse();
    append(log, "rted in ");
    assertThat(probe.check()).isFalse();
    append(log, "17 ms\r\n");
    assertThat(probe.check()).isTrue();
  }

  @Test
  void aPartialLastLineCounts() throws Exception {
    Path log = dir.resolve("console.log");
    append(log, "welcome\nready> ");
    assertThat(new LogProbe(log, Pattern.compile("ready>")).check()).isTrue();
  }

  @Test
  void doesNotMatchAcrossLines() throws Exception {
    Path log = dir.resolve("console.log");
    LogProbe probe = new LogProbe(log, Pattern.compile("foobar"));
    append(log, "foo\n");
    assertThat(probe.check()).isFalse();
    append(log, "bar\n");
    assertThat(probe.check()).isFalse();
  }

  @Test
  void aLineAlreadyReadIsNotMatchedByTheRestOfTheLog() throws Exception {
    // Incremental: each check reads only what was appended. A line that did not match stays
    // unmatched, and a large log before the ready line is read once.
    Path log = dir.resolve("console.log");
    LogProbe probe = new LogProbe(log, Pattern.compile("READY"));
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      big.append("log line number ").append(i).append('\n');
    }
    append(log, big.toString());
    assertThat(probe.check()).isFalse();
    append(log, "still not\n");
    assertThat(probe.check()).isFalse();
    append(log, "now READY\n");
    assertThat(probe.check()).isTrue();
  }

  @Test
  void aTruncatedLogIsReadAgainFromTheStart() throws Exception {
    Path log = dir.resolve("console.log");
    LogProbe probe = new LogProbe(log, Pattern.compile("READY"));
    append(log, "a long first life of the log that did not say it\n");
    assertThat(probe.check()).isFalse();
    Files.writeString(log, "READY\n");
    assertThat(probe.check()).isTrue();
  }

  @Test
  void aLineIsMatchedWithoutItsTerminalEscapes() throws Exception {
    // redis-cli leaves ESC[0m (reset colours) at the start of the line that follows its output.
    Path log = dir.resolve("console.log");
    LogProbe probe = new LogProbe(log, Pattern.compile("^Ready to accept connections$"));
    append(log, "\u001B[0mReady to accept connections\n");
    assertThat(probe.check()).isTrue();
  }

  @Test
  void everyKindOfEscapeSequenceIsIgnored() throws Exception {
    Path log = dir.resolve("console.log");
    LogProbe probe = new LogProbe(log, Pattern.compile("^node n_0 is up$"));
    // CSI with parameters, OSC window titles ended by BEL and by ST, charset selection, keypad
    // mode, and a colour split across two writes (and two checks).
    append(log, "\u001B]0;title\u0007\u001B[1;32mnode\u001B[0m n_0\u001B]2;t\u001B\\ \u001B(Bis\u001B= \u001B[3");
    assertThat(probe.check()).isFalse();
    append(log, "8;5;10mup\u001B[m\n");
    assertThat(probe.check()).isTrue();
  }

  @Test
  void textAroundAnEscapeIsNotJoinedIntoAMatchThatIsNotThere() throws Exception {
    Path log = dir.resolve("console.log");
    LogProbe probe = new LogProbe(log, Pattern.compile("Ready"));
    append(log, "Rea\u001B[0m\n");
    append(log, "dy\n");
    assertThat(probe.check()).isFalse();
  }
}
