package bench;

import java.util.ArrayList;
import java.util.List;

/** The POMs of the generated benchmark projects. */
final class Poms {
  /** JVM options of every node, the same for every plugin: a small, quick-starting JVM. */
  static final List<String> NODE_JVM =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m", "-Xss512k", "-XX:-UsePerfData");

  static final String EXEC_VERSION = "3.5.0";
  static final String PROCESS_EXEC_VERSION = "0.9";

  private final String pluginVersion;
  private final String nodeClasspath;
  private final String tag;

  Poms(String pluginVersion, String nodeClasspath, String tag) {
    this.pluginVersion = pluginVersion;
    this.nodeClasspath = nodeClasspath;
    this.tag = tag;
  }

  /** How the nodes of a project behave. */
  static final class Node {
    final long delayMs;
    final long lingerMs;
    final String stampDir;

    Node(long delayMs, long lingerMs, String stampDir) {
      this.delayMs = delayMs;
      this.lingerMs = lingerMs;
      this.stampDir = stampDir;
    }
  }

  private List<String> nodeArgs(Node node, String port, String name) {
    List<String> a = new ArrayList<>(NODE_JVM);
    a.add("-cp");
    a.add(nodeClasspath);
    a.add("BenchNode");
    a.add("--port=" + port);
    a.add("--delay-ms=" + node.delayMs);
    a.add("--linger-ms=" + node.lingerMs);
    a.add("--stamp-file=" + node.stampDir + "/" + name + ".txt");
    a.add("--tag=" + tag);
    return a;
  }

  private static String arguments(String element, List<String> args, String indent) {
    StringBuilder sb = new StringBuilder(indent).append("<arguments>\n");
    for (String a : args) {
      sb.append(indent).append("  <").append(element).append('>').append(xml(a)).append("</").append(element).append(">\n");
    }
    return sb.append(indent).append("</arguments>\n").toString();
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /**
   * cluster-maven-plugin: {@code start} and {@code stop} of {@code nodes} nodes; {@code http} waits
   * for /health, otherwise a node is ready once started.
   */
  String clusterPlugin(int nodes, Node node, boolean http, String cleanup) {
    return "      <plugin>\n"
        + "        <groupId>io.github.clusterrun</groupId>\n"
        + "        <artifactId>cluster-maven-plugin</artifactId>\n"
        + "        <version>" + pluginVersion + "</version>\n"
        + "        <executions><execution><goals><goal>start</goal><goal>stop</goal></goals></execution></executions>\n"
        + "        <configuration>\n"
        + "          <nodes>" + nodes + "</nodes>\n"
        // the bench projects are of packaging pom, which the plugin skips unless told otherwise
        + "          <skipPomPackaging>false</skipPomPackaging>\n"
        + "          <executable>${java.home}/bin/java</executable>\n"
        + arguments("argument", nodeArgs(node, "@{node.port}", "@{node.name}"), "          ")
        + (http
            ? "          <waitFor><http>http://127.0.0.1:@{node.port}/health</http><timeout>300</timeout></waitFor>\n"
            : "")
        + "          <stopTimeout>10</stopTimeout>\n"
        + "          <cleanup>" + cleanup + "</cleanup>\n"
        + "        </configuration>\n"
        + "      </plugin>\n";
  }

  /**
   * process-exec-maven-plugin: one {@code start} execution a node (in order), then {@code stop-all};
   * with {@code http} each start waits for /health, otherwise it moves on at once.
   */
  String processExecPlugin(int[] ports, Node node, boolean http) {
    StringBuilder sb = new StringBuilder();
    sb.append("      <plugin>\n")
        .append("        <groupId>com.bazaarvoice.maven.plugins</groupId>\n")
        .append("        <artifactId>process-exec-maven-plugin</artifactId>\n")
        .append("        <version>" + PROCESS_EXEC_VERSION + "</version>\n")
        .append("        <executions>\n");
    for (int i = 0; i < ports.length; i++) {
      String name = "n_" + i;
      List<String> args = new ArrayList<>();
      args.add("${java.home}/bin/java");
      args.addAll(nodeArgs(node, Integer.toString(ports[i]), name));
      sb.append("          <execution>\n")
          .append("            <id>" + name + "</id>\n")
          .append("            <phase>pre-integration-test</phase>\n")
          .append("            <goals><goal>start</goal></goals>\n")
          .append("            <configuration>\n")
          .append("              <name>" + name + "</name>\n")
          .append("              <workingDir>" + name + "</workingDir>\n")
          .append("              <waitForInterrupt>false</waitForInterrupt>\n")
          .append(http
              ? "              <healthcheckUrl>http://127.0.0.1:" + ports[i] + "/health</healthcheckUrl>\n"
                  + "              <waitAfterLaunch>300</waitAfterLaunch>\n"
              : "              <waitAfterLaunch>0</waitAfterLaunch>\n")
          .append("              <processLogFile>${project.build.directory}/" + name + ".log</processLogFile>\n")
          .append(arguments("argument", args, "              "))
          .append("            </configuration>\n")
          .append("          </execution>\n");
    }
    sb.append("          <execution>\n")
        .append("            <id>stop-all</id>\n")
        .append("            <phase>post-integration-test</phase>\n")
        .append("            <goals><goal>stop-all</goal></goals>\n")
        .append("          </execution>\n")
        .append("        </executions>\n")
        .append("      </plugin>\n");
    return sb.toString();
  }

  /**
   * exec-maven-plugin: one {@code exec} execution a node with {@code <async>true</async>}. It waits
   * for nothing and has no stop goal: the nodes get SIGTERM when the Maven JVM exits.
   */
  String execPlugin(int[] ports, Node node) {
    StringBuilder sb = new StringBuilder();
    sb.append("      <plugin>\n")
        .append("        <groupId>org.codehaus.mojo</groupId>\n")
        .append("        <artifactId>exec-maven-plugin</artifactId>\n")
        .append("        <version>" + EXEC_VERSION + "</version>\n")
        .append("        <executions>\n");
    for (int i = 0; i < ports.length; i++) {
      String name = "n_" + i;
      sb.append("          <execution>\n")
          .append("            <id>" + name + "</id>\n")
          .append("            <phase>pre-integration-test</phase>\n")
          .append("            <goals><goal>exec</goal></goals>\n")
          .append("            <configuration>\n")
          .append("              <executable>${java.home}/bin/java</executable>\n")
          .append("              <async>true</async>\n")
          .append("              <asyncDestroyOnShutdown>true</asyncDestroyOnShutdown>\n")
          .append("              <outputFile>${project.build.directory}/" + name + ".log</outputFile>\n")
          .append(arguments("argument", nodeArgs(node, Integer.toString(ports[i]), name), "              "))
          .append("            </configuration>\n")
          .append("          </execution>\n");
    }
    sb.append("        </executions>\n").append("      </plugin>\n");
    return sb.toString();
  }

  /** A project of packaging pom: only the given plugins run in {@code mvn verify}. */
  static String pomProject(String artifactId, String plugins) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
        + "  <modelVersion>4.0.0</modelVersion>\n"
        + "  <groupId>bench</groupId>\n"
        + "  <artifactId>" + artifactId + "</artifactId>\n"
        + "  <version>1</version>\n"
        + "  <packaging>pom</packaging>\n"
        + "  <build>\n"
        + "    <plugins>\n"
        + plugins
        + "    </plugins>\n"
        + "  </build>\n"
        + "</project>\n";
  }

  /** A small jar project (one class, no tests) with pinned plugin versions, plus the given plugins. */
  static String jarProject(String artifactId, String plugins) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
        + "  <modelVersion>4.0.0</modelVersion>\n"
        + "  <groupId>bench</groupId>\n"
        + "  <artifactId>" + artifactId + "</artifactId>\n"
        + "  <version>1</version>\n"
        + "  <properties>\n"
        + "    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>\n"
        + "    <maven.compiler.release>11</maven.compiler.release>\n"
        + "  </properties>\n"
        + "  <build>\n"
        + "    <pluginManagement>\n"
        + "      <plugins>\n"
        + "        <plugin><artifactId>maven-clean-plugin</artifactId><version>3.4.0</version></plugin>\n"
        + "        <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>\n"
        + "        <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>\n"
        + "        <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version></plugin>\n"
        + "        <plugin><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>\n"
        + "        <plugin><artifactId>maven-install-plugin</artifactId><version>3.1.3</version></plugin>\n"
        + "      </plugins>\n"
        + "    </pluginManagement>\n"
        + "    <plugins>\n"
        + plugins
        + "    </plugins>\n"
        + "  </build>\n"
        + "</project>\n";
  }

  static final String APP =
      "package bench;\n\n/** The small project's only class. */\npublic final class App {\n"
          + "  public static void main(String[] args) {\n    System.out.println(\"hello\");\n  }\n}\n";
}
