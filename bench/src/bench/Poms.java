package bench;

import java.util.ArrayList;
import java.util.List;

/** The POMs of the generated benchmark projects. */
final class Poms {
  /** JVM options of every node, the same for every plugin: a small, quick-starting JVM. */
  static final List<String> NODE_JVM =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m", "-Xss512k", "-XX:-UsePerfData");

  private final String version;
  private final String nodeClasspath;
  private final String tag;

  Poms(String version, String nodeClasspath, String tag) {
    this.version = version;
    this.nodeClasspath = nodeClasspath;
    this.tag = tag;
  }

  /** The arguments of a BenchNode JVM (after the java executable). */
  List<String> node(String port, String name, long delayMs, long lingerMs, String stampDir) {
    return node(port, name, delayMs, 0, lingerMs, stampDir);
  }

  /** The same for a node that answers 503 for {@code busyMs} after its port opens. */
  List<String> node(String port, String name, long delayMs, long busyMs, long lingerMs, String stampDir) {
    List<String> a = new ArrayList<>(NODE_JVM);
    a.addAll(List.of("-cp", nodeClasspath, "BenchNode", "--port=" + port, "--delay-ms=" + delayMs, "--busy-ms=" + busyMs, "--linger-ms=" + lingerMs,
        "--stamp-file=" + stampDir + "/" + name + ".txt", "--tag=" + tag));
    return a;
  }

  static String arguments(List<String> args, String indent) {
    StringBuilder sb = new StringBuilder(indent).append("<arguments>\n");
    for (String a : args) {
      sb.append(indent).append("  <argument>").append(a.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
          .append("</argument>\n");
    }
    return sb.append(indent).append("</arguments>\n").toString();
  }

  /** cluster-maven-plugin's start and stop goals with this configuration (elements, indented). */
  String cluster(int nodes, String executable, List<String> args, String more) {
    return "      <plugin>\n"
        + "        <groupId>io.github.clusterrun</groupId>\n"
        + "        <artifactId>cluster-maven-plugin</artifactId>\n"
        + "        <version>" + version + "</version>\n"
        + "        <executions><execution><goals><goal>start</goal><goal>stop</goal></goals></execution></executions>\n"
        + "        <configuration>\n"
        + "          <nodes>" + nodes + "</nodes>\n"
        // the bench projects are of packaging pom, which the plugin skips unless told otherwise
        + "          <skipPomPackaging>false</skipPomPackaging>\n"
        + "          <executable>" + executable + "</executable>\n"
        + arguments(args, "          ")
        + "          <cleanup>always</cleanup>\n"
        + more
        + "        </configuration>\n"
        + "      </plugin>\n";
  }

  /** BenchNode JVMs under cluster-maven-plugin; {@code http}: ready once /health answers, else once started. */
  String clusterNodes(int nodes, boolean http, long delayMs, long lingerMs, String stampDir) {
    return clusterNodes(nodes, http, delayMs, 0, lingerMs, stampDir);
  }

  /**
   * The same with nodes that answer 503 for {@code busyMs} after their port opens. A node binds, and is probed
   * at, {@code @{node.host}}: 127.0.0.1 on the build machine, the host's address on another host.
   */
  String clusterNodes(int nodes, boolean http, long delayMs, long busyMs, long lingerMs, String stampDir) {
    List<String> args = new ArrayList<>(node("@{node.port}", "@{node.name}", delayMs, busyMs, lingerMs, stampDir));
    args.add("--host=@{node.host}");
    return cluster(nodes, "${java.home}/bin/java", args,
        (http ? "          <waitFor><http>http://@{node.host}:@{node.port}/health</http><timeout>300</timeout></waitFor>\n" : "")
            + "          <stopTimeout>10</stopTimeout>\n");
  }

  /**
   * process-exec-maven-plugin 0.9: one {@code start} execution a command (in order), then {@code stop-all};
   * {@code health[i]} is the URL each start waits for, or null to wait {@code waitS} seconds.
   */
  static String processExec(List<List<String>> commands, String[] health, int waitS) {
    StringBuilder sb = new StringBuilder("      <plugin>\n"
        + "        <groupId>com.bazaarvoice.maven.plugins</groupId>\n"
        + "        <artifactId>process-exec-maven-plugin</artifactId>\n"
        + "        <version>0.9</version>\n"
        + "        <executions>\n");
    for (int i = 0; i < commands.size(); i++) {
      sb.append("          <execution>\n            <id>n_" + i + "</id>\n            <phase>pre-integration-test</phase>\n"
          + "            <goals><goal>start</goal></goals>\n            <configuration>\n"
          + "              <name>n_" + i + "</name>\n              <workingDir>n_" + i + "</workingDir>\n"
          + "              <waitForInterrupt>false</waitForInterrupt>\n"
          + (health[i] != null
              ? "              <healthcheckUrl>" + health[i] + "</healthcheckUrl>\n              <waitAfterLaunch>300</waitAfterLaunch>\n"
              : "              <waitAfterLaunch>" + waitS + "</waitAfterLaunch>\n")
          + "              <processLogFile>${project.build.directory}/n_" + i + ".log</processLogFile>\n"
          + arguments(commands.get(i), "              ")
          + "            </configuration>\n          </execution>\n");
    }
    return sb.append("          <execution>\n            <id>stop-all</id>\n            <phase>post-integration-test</phase>\n"
        + "            <goals><goal>stop-all</goal></goals>\n          </execution>\n        </executions>\n      </plugin>\n").toString();
  }

  /** exec-maven-plugin 3.5.0: one async {@code exec} a command; it waits for nothing and stops nothing. */
  static String exec(List<List<String>> commands) {
    StringBuilder sb = new StringBuilder("      <plugin>\n        <groupId>org.codehaus.mojo</groupId>\n"
        + "        <artifactId>exec-maven-plugin</artifactId>\n        <version>3.5.0</version>\n        <executions>\n");
    for (int i = 0; i < commands.size(); i++) {
      sb.append("          <execution>\n            <id>n_" + i + "</id>\n            <phase>pre-integration-test</phase>\n"
          + "            <goals><goal>exec</goal></goals>\n            <configuration>\n"
          + "              <executable>" + commands.get(i).get(0) + "</executable>\n"
          + "              <async>true</async>\n              <asyncDestroyOnShutdown>true</asyncDestroyOnShutdown>\n"
          + "              <outputFile>${project.build.directory}/n_" + i + ".log</outputFile>\n"
          + arguments(commands.get(i).subList(1, commands.get(i).size()), "              ")
          + "            </configuration>\n          </execution>\n");
    }
    return sb.append("        </executions>\n      </plugin>\n").toString();
  }

  /** A project: packaging pom (only the given plugins run in {@code mvn verify}) or a one-class jar. */
  static String project(String artifactId, boolean jar, String plugins) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
        + "  <modelVersion>4.0.0</modelVersion>\n  <groupId>bench</groupId>\n  <artifactId>" + artifactId + "</artifactId>\n"
        + "  <version>1</version>\n"
        + (jar ? "  <properties>\n    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>\n"
            + "    <maven.compiler.release>11</maven.compiler.release>\n  </properties>\n"
            : "  <packaging>pom</packaging>\n")
        + "  <build>\n"
        + (jar ? "    <pluginManagement>\n      <plugins>\n"
            + "        <plugin><artifactId>maven-clean-plugin</artifactId><version>3.4.0</version></plugin>\n"
            + "        <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>\n"
            + "        <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>\n"
            + "        <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version></plugin>\n"
            + "        <plugin><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>\n"
            + "        <plugin><artifactId>maven-install-plugin</artifactId><version>3.1.3</version></plugin>\n"
            + "      </plugins>\n    </pluginManagement>\n" : "")
        + "    <plugins>\n" + plugins + "    </plugins>\n  </build>\n</project>\n";
  }

  static final String APP = "package bench;\n\n/** The small project's only class. */\npublic final class App {\n"
      + "  public static void main(String[] args) {\n    System.out.println(\"hello\");\n  }\n}\n";
}
