package io.github.clusterrun.cluster.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
  void theTailAtAMarkIgnoresWhatWasAppendedAfterIt() throws Exception {
    Path log = dir.resolve("console.log");
    Files.writeString(log, "during-tests 1\nduring-tests 2\nduring-tests 3\n");
    LogTail.Mark mark = LogTail.mark(log);
    StringBuilder chatter = new StringBuilder();
    for (int i = 1; i <= 40; i++) {
      chatter.append("shutdown chatter ").append(i).append('\n');
    }
    Files.writeString(log, chatter.toString(), StandardOpenOption.APPEND);

    assertThat(mark.tail(2)).isEqualTo("  | during-tests 2\n  | during-tests 3\n");
    assertThat(LogTail.upTo(log, mark.offset(), 2)).isEqualTo(mark.tail(2));
    assertThat(LogTail.of(log, 1)).isEqualTo("  | shutdown chatter 40\n");
  }

  @Test
  void aMarkOfAMissingOrEmptyLogSaysNothingWasThere() throws Exception {
    Path log = dir.resolve("console.log");
    LogTail.Mark mark = LogTail.mark(log);
    assertThat(mark.offset()).isZero();
    Files.writeString(log, "printed while stopping\n");
    assertThat(mark.tail(5)).isEqualTo("  (the console log was empty when the stop began)\n");
  }

  @Test
  void shutdownProblemsAreTheWarningsAndErrorsAfterTheMarkOnly() throws Exception {
    Path log = dir.resolve("console.log");
    Files.writeString(log, "ERROR during the tests, shown in the tail\n");
    LogTail.Mark mark = LogTail.mark(log);
    Files.writeString(
        log,
        "[2024-05-01 10:00:00,001] INFO shutting down\n"
            + "[2024-05-01 10:00:00,002] WARN Connection to node 2 could not be established\n"
            + "a warning, in lower case, is chatter\n"
            + "{\"level\":\"warn\",\"msg\":\"leader changed\"}\n"
            + "java.lang.IllegalStateException: closed\n"
            + "\u001B[31mERROR\u001B[0m coloured\n"
            + "ERRORS are not a level word\n"
            + "FATAL last words",
        StandardOpenOption.APPEND);

    assertThat(mark.problemsSince(10))
        .isEqualTo(
            "  | [2024-05-01 10:00:00,002] WARN Connection to node 2 could not be established\n"
                + "  | {\"level\":\"warn\",\"msg\":\"leader changed\"}\n"
                + "  | java.lang.IllegalStateException: closed\n"
                + "  | ^[[31mERROR^[[0m coloured\n"
                + "  | FATAL last words\n");
    assertThat(LogTail.shutdownProblems(log, mark.offset(), 2))
        .isEqualTo(
            "  | [2024-05-01 10:00:00,002] WARN Connection to node 2 could not be established\n"
                + "  | {\"level\":\"warn\",\"msg\":\"leader changed\"}\n"
                + "  (3 more such lines)\n");
  }

  @Test
  void anInfoLineThatMentionsAnExceptionIsNotAProblemAStackTraceHeaderIs() throws Exception {
    Path log = dir.resolve("console.log");
    LogTail.Mark mark = LogTail.mark(log);
    Files.writeString(
        log,
        "2024-05-01 10:00:00 INFO  [main] Closing: java.io.IOException: Broken pipe (expected)\n"
            + "{\"level\":\"info\",\"msg\":\"closed\",\"error\":\"EOFException\"}\n"
            + "level=debug msg=\"retrying after WARN from peer\"\n"
            + "2024-05-01 10:00:00.123 UTC [42] FATAL:  terminating connection due to administrator command\n"
            + "Exception in thread \"main\" java.lang.IllegalStateException: closed\n"
            + "\tat com.example.Main.run(Main.java:12)\n"
            + "Caused by: java.io.IOException: gone\n");

    assertThat(mark.problemsSince(10))
        .isEqualTo(
            "  | 2024-05-01 10:00:00.123 UTC [42] FATAL:  terminating connection due to administrator command\n"
                + "  | Exception in thread \"main\" java.lang.IllegalStateException: closed\n"
                + "  | Caused by: java.io.IOException: gone\n");
  }

  @Test
  void noShutdownProblemsIsEmpty() throws Exception {
    Path log = dir.resolve("console.log");
    Files.writeString(log, "ERROR before the mark\n");
    LogTail.Mark mark = LogTail.mark(log);
    assertThat(mark.problemsSince(5)).isEmpty();
    Files.writeString(log, "stopping\nstopped\n", StandardOpenOption.APPEND);
    assertThat(mark.problemsSince(5)).isEmpty();
    assertThat(LogTail.shutdownProblems(dir.resolve("nope.log"), 0, 5)).isEmpty();
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
