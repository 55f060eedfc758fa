package io.github.clusterrun.cluster.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Maven build of a test project, with the Maven that runs this build ({@code maven.home})
 * and the plugin as this build installed it for the ITs ({@code target/local-repo}); everything else
 * comes from the user's local repository, as the invoker ITs do (src/it/settings.xml). Its output
 * goes to {@code build.log} in the project.
 */
public final class MavenBuild {
  private static final String POLICIES =
      "<releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>"
          + "<snapshots><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></snapshots>";

  private final Path project;
  private final List<String> args;
  private Process process;

  private MavenBuild(Path project, List<String> args) {
    this.project = project;
    this.args = args;
  }

  /** {@code mvn -B <args>} in {@code project}. */
  public static MavenBuild of(Path project, String... args) {
    return new MavenBuild(project, Arrays.asList(args));
  }

  /** Why real builds cannot run here, or null. */
  public static String unavailableReason() {
    if (System.getProperty("maven.home") == null || System.getProperty("it.localRepo") == null) {
      return "maven.home and it.localRepo are not set (run as part of mvn verify)";
    }
    return null;
  }

  /** Starts the build; its output goes to {@code build.log}. */
  public MavenBuild start() throws IOException {
    Path settings = project.resolve("it-settings.xml");
    String userRepo = Paths.get(System.getProperty("user.home"), ".m2", "repository").toUri().toString();
    Files.writeString(
        settings,
        "<settings><profiles><profile><id>it-repo</id><activation><activeByDefault>true</activeByDefault></activation>"
            + "<repositories><repository><id>local.central</id><url>" + userRepo + "</url>" + POLICIES
            + "</repository></repositories><pluginRepositories><pluginRepository><id>local.central</id><url>"
            + userRepo + "</url>" + POLICIES + "</pluginRepository></pluginRepositories></profile></profiles></settings>\n");
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("maven.home"), "bin", "mvn").toString());
    command.add("-B");
    command.add("-s");
    command.add(settings.toString());
    command.add("-Dmaven.repo.local=" + System.getProperty("it.localRepo"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile());
    builder.redirectErrorStream(true);
    builder.redirectOutput(project.resolve("build.log").toFile());
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().remove("MAVEN_OPTS");
    process = builder.start();
    process.getOutputStream().close();
    return this;
  }

  /** Runs the build to its end; its exit code. */
  public int run() throws IOException, InterruptedException {
    start();
    return await();
  }

  /** Waits for the build's end (5 minutes at most); its exit code. */
  public int await() throws InterruptedException {
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the build in " + project + " did not end within 5 minutes:\n" + log());
    }
    return process.exitValue();
  }

  /** The build's JVM (the process {@code mvn} runs is the JVM itself: the script execs it). */
  public Process process() {
    return process;
  }

  /** What the build printed so far. */
  public String log() {
    try {
      return Files.readString(project.resolve("build.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no build.log: " + e + ")";
    }
  }

  public Path project() {
    return project;
  }
}
