package io.github.clusterrun.cluster.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One checked {@code <command>} of {@code <beforeStart>} or {@code <afterStart>}: a program (an
 * {@code <executable>}, or the {@code java} of a {@code <mainClass>}), its arguments (templates,
 * resolved per node for {@code beforeStart}, for the cluster for {@code afterStart}; for a {@code
 * mainClass} they begin with its {@code jvmArgs} and {@code -cp <classpath> <mainClass>}), the
 * environment variables it adds (templates too), how long it may take, and whether it is retried
 * until it succeeds within that time.
 */
public final class ClusterCommand {
  /** The longest {@link #shortForm} of a command, ellipsis included. */
  public static final int SHORT_FORM_LENGTH = 100;

  private final String element;
  private final Path program;
  private final String mainClass;
  private final List<String> arguments;
  private final int ownArgumentsFrom;
  private final Map<String, String> environment;
  private final Duration timeout;
  private final boolean retryUntilSuccess;

  /**
   * @param mainClass the class a {@code java} program runs, or null
   * @param ownArgumentsFrom where the POM's {@code <arguments>} begin in {@code arguments} (after
   *     the JVM's arguments, the classpath and the class of a {@code mainClass})
   */
  ClusterCommand(
      String element,
      Path program,
      String mainClass,
      List<String> arguments,
      int ownArgumentsFrom,
      Map<String, String> environment,
      Duration timeout,
      boolean retryUntilSuccess) {
    this.element = element;
    this.program = program;
    this.mainClass = mainClass;
    this.arguments = Collections.unmodifiableList(new ArrayList<>(arguments));
    this.ownArgumentsFrom = ownArgumentsFrom;
    this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    this.timeout = timeout;
    this.retryUntilSuccess = retryUntilSuccess;
  }

  /** The environment variables added to the ones the command runs with; placeholders unresolved. */
  public Map<String, String> environment() {
    return environment;
  }

  /**
   * The command in one short line, for the build log: the program's file name ({@code java …
   * com.example.Form} for a {@code mainClass}) and the POM's arguments of {@code commandLine} (the
   * program and its resolved arguments), every run of white space one space, cut at {@value
   * #SHORT_FORM_LENGTH} characters with {@code …}. The full line is in the command's log.
   */
  public String shortForm(List<String> commandLine) {
    StringBuilder sb = new StringBuilder(String.valueOf(program.getFileName()));
    if (mainClass != null) {
      sb.append(" \u2026 ").append(mainClass);
    }
    for (String argument : commandLine.subList(Math.min(commandLine.size(), 1 + ownArgumentsFrom), commandLine.size())) {
      sb.append(' ').append(argument);
    }
    return shorten(sb.toString());
  }

  /**
   * {@code text} on one line, every run of white space one space, cut at {@value
   * #SHORT_FORM_LENGTH} characters with {@code …}.
   */
  public static String shorten(String text) {
    String line = text.replaceAll("\\s+", " ").trim();
    return line.length() <= SHORT_FORM_LENGTH ? line : line.substring(0, SHORT_FORM_LENGTH - 1) + "\u2026";
  }

  /** Where the POM declares it, for messages: {@code beforeStart/command[1]}. */
  public String element() {
    return element;
  }

  /** The program, resolved to an existing file. */
  public Path program() {
    return program;
  }

  /** The arguments, placeholders unresolved. */
  public List<String> arguments() {
    return arguments;
  }

  /** How long the command may take, every attempt included. */
  public Duration timeout() {
    return timeout;
  }

  /** Whether a failed attempt is run again (after a pause) until one succeeds or the time is up. */
  public boolean retryUntilSuccess() {
    return retryUntilSuccess;
  }

  @Override
  public String toString() {
    return element
        + "{"
        + program
        + " "
        + arguments
        + (environment.isEmpty() ? "" : ", environment=" + environment)
        + ", timeout="
        + timeout.getSeconds()
        + "s"
        + (retryUntilSuccess ? ", retryUntilSuccess" : "")
        + "}";
  }
}
