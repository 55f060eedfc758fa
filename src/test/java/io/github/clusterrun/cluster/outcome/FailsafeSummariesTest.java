package io.github.clusterrun.cluster.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tests passed only if every summary exists, is newer than the cluster, parses, records a
 * completed test and no failure, error, timeout or failure message. The XML is what Failsafe writes.
 */
class FailsafeSummariesTest {
  private static final String HEAD =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          + "<failsafe-summary xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
          + " xsi:noNamespaceSchemaLocation=\"https://maven.apache.org/surefire/maven-surefire-plugin/xsd/failsafe-summary.xsd\"";

  @TempDir Path dir;
  Instant clusterStarted;

  @BeforeEach
  void started() {
    // A second ago, so that files written now are unambiguously newer whatever the mtime resolution.
    clusterStarted = Instant.now().minusSeconds(1);
  }

  static String summary(String result, boolean timeout, int completed, int errors, int failures, int skipped, String failureMessage) {
    return HEAD
        + " result=\"" + result + "\" timeout=\"" + timeout + "\">\n"
        + "    <completed>" + completed + "</completed>\n"
        + "    <errors>" + errors + "</errors>\n"
        + "    <failures>" + failures + "</failures>\n"
        + "    <skipped>" + skipped + "</skipped>\n"
        + (failureMessage == null
            ? "    <failureMessage xsi:nil=\"true\" />\n"
            : "    <failureMessage>" + failureMessage + "</failureMessage>\n")
        + "</failsafe-summary>\n";
  }

  static String passing(int completed) {
    return summary("null", false, completed, 0, 0, 0, null);
  }

  private Path write(String name, String xml) throws Exception {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, xml);
    return file;
  }

  private TestOutcome read(Path... files) {
    return FailsafeSummaries.read(List.of(files), clusterStarted);
  }

  @Test
  void passWithResultNullIgnored() throws Exception {
    TestOutcome outcome = read(write("failsafe-summary.xml", passing(3)));
    assertThat(outcome.passed()).isTrue();
    assertThat(outcome.reason()).isEqualTo("3 integration tests passed");
  }

  @Test
  void passOfOneTestSaysTestInTheSingular() throws Exception {
    assertThat(read(write("failsafe-summary.xml", passing(1))).reason()).isEqualTo("1 integration test passed");
  }

  @Test
  void skippedTestsAreNotCountedAsPassed() throws Exception {
    TestOutcome outcome = read(write("failsafe-summary.xml", summary("null", false, 5, 0, 0, 2, null)));
    assertThat(outcome.passed()).isTrue();
    assertThat(outcome.reason()).isEqualTo("3 integration tests passed (2 skipped)");
  }

  @Test
  void everyTestSkippedProvesNothing() throws Exception {
    TestOutcome outcome = read(write("failsafe-summary.xml", summary("null", false, 2, 0, 0, 2, null)));
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.reason()).isEqualTo("every integration test was skipped (2 in failsafe-summary.xml)");
  }

  @Test
  void failures() throws Exception {
    TestOutcome outcome =
        read(write("failsafe-summary.xml", summary("255", false, 3, 0, 2, 0, null)));
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.reason()).isEqualTo("2 failures in failsafe-summary.xml");
  }

  @Test
  void errors() throws Exception {
    TestOutcome outcome =
        read(write("failsafe-summary.xml", summary("255", false, 3, 1, 0, 0, null)));
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.reason()).isEqualTo("1 error in failsafe-summary.xml");
  }

  @Test
  void failuresAndErrors() throws Exception {
    TestOutcome outcome =
        read(write("failsafe-summary.xml", summary("255", false, 4, 2, 1, 0, null)));
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.reason()).isEqualTo("1 failure and 2 errors in failsafe-summary.xml");
  }

  @Test
  void aResultOf255AloneDoesNotMakeAPassAFailureButTheCountsDo() throws Exception {
    // result is not trusted either way: only counts, timeout and failure message are.
    TestOutcome outcome = read(write("failsafe-summary.xml", summary("255", false, 3, 0, 0, 0, null)));
    assertThat(outcome.passed()).isTrue();
  }

  @Test
  void timeout() throws Exception {
    TestOutcome outcome =
        read(write("failsafe-summary.xml", summary("null", true, 3, 0, 0, 0, null)));
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.reason()).contains("timed out").contains("failsafe-summary.xml");
  }

  @Test
  void failureMessage() throws Exception {
    TestOutcome outcome =
        read(
            write(
                "failsafe-summary.xml",
                summary(
                    "null",
                    false,
                    3,
                    0,
                    0,
                    0,
                    "There was an error in the forked process\n  java.lang.OutOfMemoryError")));
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.reason())
        .contains("There was an error in the forked process")
        .doesNotContain("OutOfMemoryError")
        .contains("failsafe-summary.xml");
  }

  @Test
  void anEmptyFailureMessageElementIsNoFailure() throws Exception {
    String xml = passing(2).replace("<failureMessage xsi:nil=\"true\" />", "<failureMessage></failureMessage>");
    assertThat(read(write("failsafe-summary.xml", xml)).passed()).isTrue();
  }

  @Test
  void zeroCompleted() throws Exception {
    TestOutcome outcome = read(write("failsafe-summary.xml", passing(0)));
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.reason()).contains("no integration test completed");
  }

  @Test
  void missingFile() {
    TestOutcome outcome = read(dir.resolve("failsafe-reports/failsafe-summary.xml"));
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.reason()).contains("no failsafe-summary.xml").contains("no test results");
  }

  @Test
  void noSummaryFilesAtAll() {
    TestOutcome outcome = FailsafeSummaries.read(List.of(), clusterStarted);
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.reason()).contains("<summaryFiles>");
  }

  @Test
  void aDirectoryInsteadOfAFile() throws Exception {
    Path d = Files.createDirectories(dir.resolve("failsafe-summary.xml"));
    assertThat(read(d).passed()).isFalse();
  }

  @Test
  void aFileOlderThanTheClusterProvesNothing() throws Exception {
    Path file = write("failsafe-summary.xml", passing(3));
    Files.setLastModifiedTime(file, FileTime.from(clusterStarted.minus(1, ChronoUnit.HOURS)));

    TestOutcome outcome = read(file);
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.reason()).contains("written before this cluster started");
  }

  @Test
  void aFileWrittenInTheSecondTheClusterStartedCounts() throws Exception {
    Path file = write("failsafe-summary.xml", passing(3));
    Instant start = Instant.ofEpochSecond(clusterStarted.getEpochSecond(), 900_000_000);
    Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(start.getEpochSecond(), 100_000_000)));
    assertThat(FailsafeSummaries.read(List.of(file), start).passed()).isTrue();
    Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(start.getEpochSecond() - 1, 999_000_000)));
    assertThat(FailsafeSummaries.read(List.of(file), start).passed()).isFalse();
  }

  @Test
  void unparsableFile() throws Exception {
    TestOutcome outcome = read(write("failsafe-summary.xml", "<failsafe-summary><completed>3</compl"));
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.reason()).contains("failsafe-summary.xml cannot be read");
  }

  @Test
  void aCountThatIsNotANumber() throws Exception {
    TestOutcome outcome = read(write("failsafe-summary.xml", passing(3).replace("<completed>3<", "<completed>three<")));
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.reason()).contains("cannot be read");
  }

  @Test
  void anEmptyFile() throws Exception {
    TestOutcome outcome = read(write("failsafe-summary.xml", ""));
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.reason()).contains("cannot be read");
  }

  @Test
  void aDoctypeIsRefused() throws Exception {
    String xml =
        "<?xml version=\"1.0\"?><!DOCTYPE failsafe-summary [<!ENTITY n \"3\">]>"
            + "<failsafe-summary><completed>&n;</completed><errors>0</errors><failures>0</failures></failsafe-summary>";
    assertThat(read(write("failsafe-summary.xml", xml)).passed()).isFalse();
  }

  @Test
  void wrongRootElement() throws Exception {
    String xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuite name=\"it.ClusterIT\" tests=\"3\" errors=\"0\" failures=\"0\"><completed>3</completed></testsuite>";
    TestOutcome outcome = read(write("TEST-it.ClusterIT.xml", xml));
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.reason()).contains("not a Failsafe summary").contains("<testsuite>");
  }

  @Test
  void severalFilesPassTogether() throws Exception {
    TestOutcome outcome =
        read(write("a/failsafe-summary.xml", passing(3)), write("b/failsafe-summary.xml", passing(4)));
    assertThat(outcome.passed()).isTrue();
    assertThat(outcome.reason()).isEqualTo("7 integration tests passed");
  }

  @Test
  void severalFilesWhereOneFails() throws Exception {
    TestOutcome outcome =
        read(
            write("a/failsafe-summary.xml", passing(3)),
            write("b/failsafe-summary.xml", summary("255", false, 2, 0, 1, 0, null)),
            write("c/failsafe-summary.xml", passing(3)));
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.reason()).isEqualTo("1 failure in failsafe-summary.xml");
  }

  @Test
  void severalFilesWhereOneIsMissing() throws Exception {
    TestOutcome outcome =
        read(write("a/failsafe-summary.xml", passing(3)), dir.resolve("b/failsafe-summary.xml"));
    assertThat(outcome.passed()).isFalse();
    assertThat(outcome.reason()).contains("no failsafe-summary.xml (" + dir.resolve("b/failsafe-summary.xml"));
  }
}
