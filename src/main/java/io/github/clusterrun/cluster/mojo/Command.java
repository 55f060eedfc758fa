package io.github.clusterrun.cluster.mojo;

import java.util.List;
import java.util.Map;

/**
 * A {@code <command>} of {@code <beforeStart>} or {@code <afterStart>}: a program run to its end,
 * which must exit 0 within its timeout.
 *
 * <pre>{@code
 * <command>
 *   <executable>redis-cli</executable>        <!-- or <mainClass>com.example.Form</mainClass> -->
 *   <arguments><argument>-p</argument><argument>@{node.port}</argument></arguments>
 *   <jvmArgs><jvmArg>-Xmx64m</jvmArg></jvmArgs>    <!-- with a mainClass only -->
 *   <environment><REDISCLI_AUTH>secret</REDISCLI_AUTH></environment>
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

  /**
   * JVM arguments of a {@code mainClass} command, before the class name, as the node's {@code
   * jvmArgs}; placeholders allowed as in {@code arguments}.
   */
  List<String> jvmArgs;

  /**
   * Environment variables added to the ones the command runs with (the node's for {@code
   * beforeStart}, Maven's and {@code CLUSTER_*} for {@code afterStart}); placeholders allowed as in
   * {@code arguments}.
   */
  Map<String, String> environment;

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
        + ", jvmArgs="
        + jvmArgs
        + ", environment="
        + environment
        + ", timeout="
        + timeout
        + ", retryUntilSuccess="
        + retryUntilSuccess
        + "}";
  }
}
