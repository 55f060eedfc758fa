package io.github.clusterrun.cluster.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tail of a failed node's console log, as shown in the build error. */
class LogTailTest {
  @TempDir Path dir;

  @Test
  void lastLinesPrefixed() throws Exception {
    Path log = dir.resolve("console.log");
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      sb.append("line ").append(i).append('\n');
    }
    Files.writeString(log, sb.toString());

    String tail = LogTail.of(log, 3);
    assertThat(tail).isEqualTo("  | line 28\n  | line 29\n  | line 30\n");
  }

  @Test
  void aLastLineWithoutNewlineIsShown() throws Exception {
    Path log = dir.resolve("console.log");
    Files.writeString(log, "a\r\nb\nprompt> ");
    assertThat(LogTail.of(log, 5)).isEqualTo("  | a\n  | b\n  | prompt> \n");
  }

  @Test
  void aHugeLogIsReadFromItsEnd() throws Exception {
    Path log = dir.resolve("console.log");
    Files.writeString(log, "x".repeat(200_000) + "\nthe end\n");
    assertThat(LogTail.of(log, 1)).isEqualTo("  | the end\n");
  }

  @Test
  void missingAndEmptyLogsSaySo() throws Exception {
    assertThat(LogTail.of(dir.resolve("nope.log"), 5)).contains("no console log at");
    Path empty = Files.createFile(dir.resolve("empty.log"));
    assertThat(LogTail.of(empty, 5)).contains("the console log is empty");
  }

  @Test
  void controlCharactersAreShownVisibly() throws Exception {
    // redis-cli leaves ESC[0m at the start of the next line: the tail must not look like plain text.
    Path log = dir.resolve("console.log");
    Files.writeString(log, "\u001B[0mReady to accept connections\nbell\u0007\tand tab\u007F\n");
    assertThat(LogTail.of(log, 5))
        .isEqualTo("  | ^[[0mReady to accept connections\n  | bell^G\tand tab^?\n");
  }
}
