package io.github.clusterrun.cluster.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One checked {@code <command>} of {@code <beforeStart>} or {@code <afterStart>}: a program (an
 * {@code <executable>}, or the {@code java} of a {@code <mainClass>}), its arguments (templates,
 * resolved per node for {@code beforeStart}, for the cluster for {@code afterStart}; for a {@code
 * mainClass} they begin with {@code -cp <classpath> <mainClass>}), how long it may take, and whether
 * it is retried until it succeeds within that time.
 */
public final class ClusterCommand {
  private final String element;
  private final Path program;
  private final List<String> arguments;
  private final Duration timeout;
  private final boolean retryUntilSuccess;

  ClusterCommand(
      String element, Path program, List<String> arguments, Duration timeout, boolean retryUntilSuccess) {
    this.element = element;
    this.program = program;
    this.arguments = Collections.unmodifiableList(new ArrayList<>(arguments));
    this.timeout = timeout;
    this.retryUntilSuccess = retryUntilSuccess;
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
        + ", timeout="
        + timeout.getSeconds()
        + "s"
        + (retryUntilSuccess ? ", retryUntilSuccess" : "")
        + "}";
  }
}
