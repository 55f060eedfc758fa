package io.github.clusterrun.cluster.mojo;

import java.util.List;

/**
 * A {@code <command>} of {@code <beforeStart>} or {@code <afterStart>}: a program run to its end,
 * which must exit 0 within its timeout.
 *
 * <pre>{@code
 * <command>
 *   <executable>redis-cli</executable>        <!-- or <mainClass>com.example.Form</mainClass> -->
 *   <arguments><argument>-p</argument><argument>@{node.port}</argument></arguments>
 *   <timeout>60</timeout>
 *   <retryUntilSuccess>true</retryUntilSuccess>
 * </command>
 * }</pre>
 */
public class Command {
  /**
   * The program: a relative path resolves against {@code ${project.basedir}}, a bare name also
   * against {@code PATH}.
   */
  String executable;

  /**
   * A Java class of this project to run instead of an {@code executable}, with the node's {@code
   * java} and the classpath of {@code classpathScope}.
   */
  String mainClass;

  /** Its arguments; placeholders allowed ({@code @{node.*}} only in {@code beforeStart}). */
  List<String> arguments;

  /** Seconds it may take, every attempt included; at least 1. */
  int timeout = 60;

  /**
   * Run it again (every half second) while it exits non-zero, until it succeeds or {@code timeout}
   * ends: how a readiness check of the whole cluster is written.
   */
  boolean retryUntilSuccess;

  @Override
  public String toString() {
    return "Command{executable="
        + executable
        + ", mainClass="
        + mainClass
        + ", arguments="
        + arguments
        + ", timeout="
        + timeout
        + ", retryUntilSuccess="
        + retryUntilSuccess
        + "}";
  }
}
