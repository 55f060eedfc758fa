package io.github.clusterrun.cluster.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every configuration mistake is reported before anything starts, naming the POM element and the
 * fix; a valid configuration resolves the program and fills in the defaults.
 */
class ClusterConfigBuilderTest {
  @TempDir Path temp;
  Path base;
  Path node;

  @BeforeEach
  void project() throws IOException {
    base = Files.createDirectories(temp.resolve("project"));
    node = Files.createDirectories(base.resolve("bin")).resolve("node.sh");
    Files.writeString(node, "#!/bin/sh\nexec sleep 600\n");
    Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /**
   * A valid configuration: every test breaks one thing. It names its port explicitly, so that the
   * checks run even though the default port list cannot be built (see {@link
   * #withoutPortsTheDefaultIsOnePortNamedPort}).
   */
  private ClusterConfigBuilder valid() {
    return minimal().ports(List.of("port"));
  }

  /** Only what the contract requires: no <ports>, no <waitFor>, no <cleanup>. */
  private ClusterConfigBuilder minimal() {
    return ClusterConfig.builder()
        .baseDirectory(base)
        .clusterDirectory(Paths.get("target/cluster"))
        .executable("bin/node.sh");
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
      ClusterConfigBuilder builder, String element) {
    return assertThatThrownBy(builder::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("<" + element + ">")
        .hasMessageContaining("Fix:");
  }

  @Test
  void withoutPortsTheDefaultIsOnePortNamedPort() throws Exception {
    // The contract: <ports> defaults to one port named "port". A POM without <ports> must build.
    ClusterConfig config = minimal().build();
    assertThat(config.ports()).containsExactly("port");
  }

  @Test
  void validConfigurationResolvesARelativeExecutableAgainstBasedirAndFillsTheDefaults() throws Exception {
    ClusterConfig config = valid().build();

    assertThat(config.executable()).isEqualTo(node);
    assertThat(config.clusterDirectory()).isEqualTo(base.resolve("target/cluster"));
    assertThat(config.baseDirectory()).isEqualTo(base);
    assertThat(config.nodes()).isEqualTo(1);
    assertThat(config.ports()).containsExactly("port");
    assertThat(config.workingDirectory()).isEqualTo("@{node.dir}");
    assertThat(config.stopTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.cleanup()).isEqualTo(CleanupPolicy.ON_SUCCESS);
    assertThat(config.skipCleanup()).isFalse();
    assertThat(config.stopInput()).isNull();
    assertThat(config.readiness().isEmpty()).isTrue();
  }

  @Test
  void aBareExecutableNameIsFoundOnPath() throws Exception {
    Path pathDir = Files.createDirectories(temp.resolve("path-bin"));
    Path program = pathDir.resolve("my-node");
    Files.writeString(program, "#!/bin/sh\n");
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));

    ClusterConfig config =
        valid()
            .executable("my-node")
            .pathEnvironment(Map.of("PATH", temp.resolve("empty") + ":" + pathDir))
            .build();

    assertThat(config.executable()).isEqualTo(program);
  }

  @Test
  void aBareNameOnTheRealPathResolvesToo() throws Exception {
    ClusterConfig config = valid().executable("sh").build();
    assertThat(config.executable().getFileName().toString()).isEqualTo("sh");
    assertThat(Files.isExecutable(config.executable())).isTrue();
  }

  @Test
  void aBareNameIsNotFoundOnPathWhenPathLacksIt() {
    assertRejected(valid().executable("sh").pathEnvironment(Map.of("PATH", temp.toString())), "executable")
        .hasMessageContaining("'sh'")
        .hasMessageContaining("nor a program on PATH");
  }

  @Test
  void relativePathsAndDefaultsResolveAgainstBasedir() throws Exception {
    ClusterConfig config =
        minimal()
            .summaryFiles(List.of(Paths.get("target/failsafe-reports/failsafe-summary.xml")))
            .nodes(3)
            .ports(List.of(" http ", "admin"))
            .cleanup("ALWAYS")
            .stopTimeoutSeconds(0)
            .stopInput("")
            .build();

    assertThat(config.summaryFiles())
        .containsExactly(base.resolve("target/failsafe-reports/failsafe-summary.xml"));
    assertThat(config.ports()).containsExactly("http", "admin");
    assertThat(config.cleanup()).isEqualTo(CleanupPolicy.ALWAYS);
    assertThat(config.stopTimeout()).isZero();
    assertThat(config.stopInput()).isNull();
  }

  @Test
  void nodesBelowOne() {
    assertRejected(valid().nodes(0), "nodes").hasMessageContaining("is 0").hasMessageContaining("<nodes>");
    assertRejected(valid().nodes(-2), "nodes").hasMessageContaining("is -2");
  }

  @Test
  void missingExecutable() {
    assertRejected(valid().executable(null), "executable").hasMessageContaining("is missing");
    assertRejected(valid().executable("  "), "executable").hasMessageContaining("is missing");
  }

  @Test
  void executableNotFound() {
    assertRejected(valid().executable("bin/missing.sh"), "executable")
        .hasMessageContaining("'bin/missing.sh'")
        .hasMessageContaining("not a file in " + base);
  }

  @Test
  void executableThatIsADirectory() {
    assertRejected(valid().executable("bin/"), "executable").hasMessageContaining("not a file");
  }

  @Test
  void executableNotExecutable() throws IOException {
    Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rw-r--r--"));
    assertRejected(valid(), "executable")
        .hasMessageContaining("exists but is not executable")
        .hasMessageContaining("chmod +x " + node);
  }

  @Test
  void unknownPlaceholderInArgumentsListsTheKnownOnes() {
    assertRejected(minimal().ports(List.of("http")).arguments(List.of("--x=@{node.colour}")), "arguments")
        .hasMessageContaining("@{node.colour}")
        .hasMessageContaining("--x=@{node.colour}")
        .hasMessageContaining(
            "@{node.index}, @{node.name}, @{node.dir}, @{node.dataDir}, @{node.logDir},"
                + " @{node.tmpDir}, @{node.port}, @{cluster.dir}, @{cluster.hosts},"
                + " @{node.port.http}, @{empty}");
  }

  @Test
  void unknownPortPlaceholderSuggestsAddingThePort() {
    assertRejected(minimal().ports(List.of("http")).arguments(List.of("--admin=@{node.port.admin}")), "arguments")
        .hasMessageContaining("@{node.port.admin}")
        .hasMessageContaining("add <port>admin</port> to <ports>");
  }

  @Test
  void unknownPlaceholderInEnvironmentNamesTheVariable() {
    assertRejected(valid().environment(Map.of("NODE_NAME", "@{node.nickname}")), "environment/NODE_NAME")
        .hasMessageContaining("@{node.nickname}")
        .hasMessageContaining("@{node.name}");
  }

  @Test
  void unknownPlaceholderInWorkingDirectoryAndWaitFor() {
    assertRejected(valid().workingDirectory("@{node.home}"), "workingDirectory")
        .hasMessageContaining("@{node.home}");
    assertRejected(
            valid().readiness(new Readiness("http://127.0.0.1:@{node.port.web}/", null, null, Duration.ofSeconds(5))),
            "waitFor/http")
        .hasMessageContaining("@{node.port.web}");
    assertRejected(
            valid().readiness(new Readiness(null, "@{port}", null, Duration.ofSeconds(5))), "waitFor/tcp")
        .hasMessageContaining("@{port}");
    assertRejected(
            valid().readiness(new Readiness(null, null, "@{node}", Duration.ofSeconds(5))), "waitFor/log")
        .hasMessageContaining("@{node}");
  }

  @Test
  void badEnvironmentVariableName() {
    assertRejected(valid().environment(Map.of("BAD NAME", "x")), "environment")
        .hasMessageContaining("'BAD NAME'");
  }

  @Test
  void nullArgument() {
    List<String> arguments = new java.util.ArrayList<>();
    arguments.add(null);
    assertRejected(valid().arguments(arguments), "arguments")
        .hasMessageContaining("empty <argument>")
        .hasMessageContaining("write <argument>@{empty}</argument> for an empty argument");
  }

  @Test
  void theEmptyPlaceholderIsAnEmptyArgument() throws Exception {
    // redis-server --save "": Maven gives null for <argument></argument>, so @{empty} says it.
    ClusterConfig config = valid().arguments(List.of("--save", "@{empty}", "--dir=@{empty}x")).build();
    Placeholders values = Placeholders.forNode(Map.of("node.name", "n_0"));
    assertThat(config.arguments()).containsExactly("--save", "@{empty}", "--dir=@{empty}x");
    assertThat(config.arguments()).extracting(values::resolve).containsExactly("--save", "", "--dir=x");
    assertThat("ab").matches(values.resolveInRegex("a@{empty}b"));
  }

  @Test
  void duplicatePortNames() {
    assertRejected(minimal().ports(List.of("http", "admin", "http")), "ports")
        .hasMessageContaining("'http' twice");
    assertRejected(minimal().ports(List.of("http", " http ")), "ports").hasMessageContaining("twice");
  }

  @Test
  void invalidPortNames() {
    assertRejected(minimal().ports(List.of("my port")), "ports").hasMessageContaining("'my port'");
    assertRejected(minimal().ports(List.of("a.b")), "ports").hasMessageContaining("'a.b'");
    assertRejected(minimal().ports(List.of("")), "ports").hasMessageContaining("''");
  }

  @Test
  void badWaitForHttpUrl() {
    assertRejected(
            valid().readiness(new Readiness("ftp://127.0.0.1:@{node.port}/", null, null, Duration.ofSeconds(5))),
            "waitFor/http")
        .hasMessageContaining("ftp://127.0.0.1:@{node.port}/")
        .hasMessageContaining("not an http URL");
    assertRejected(
            valid().readiness(new Readiness("127.0.0.1:@{node.port}/health", null, null, Duration.ofSeconds(5))),
            "waitFor/http")
        .hasMessageContaining("not an http URL");
    assertRejected(
            valid().readiness(new Readiness("http://local host:@{node.port}/", null, null, Duration.ofSeconds(5))),
            "waitFor/http")
        .hasMessageContaining("not an http URL");
  }

  @Test
  void goodWaitForValuesAreAccepted() throws Exception {
    ClusterConfig config =
        minimal()
            .ports(List.of("http", "admin"))
            .readiness(
                new Readiness(
                    "http://127.0.0.1:@{node.port.http}/health",
                    "127.0.0.1:@{node.port.admin}",
                    "Started in \\d+ ms",
                    Duration.ofSeconds(7)))
            .build();
    assertThat(config.readiness().http()).isEqualTo("http://127.0.0.1:@{node.port.http}/health");
    assertThat(config.readiness().tcp()).isEqualTo("127.0.0.1:@{node.port.admin}");
    assertThat(config.readiness().timeout()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void badWaitForTcp() {
    assertRejected(valid().readiness(new Readiness(null, "localhost", null, Duration.ofSeconds(5))), "waitFor/tcp")
        .hasMessageContaining("'localhost'")
        .hasMessageContaining("neither a port nor host:port");
    assertRejected(
            valid().readiness(new Readiness(null, "127.0.0.1:@{node.port}x", null, Duration.ofSeconds(5))),
            "waitFor/tcp");
  }

  @Test
  void anUnescapedBraceInWaitForLogShowsThePatternWhereAndTheEscape() {
    assertRejected(valid().readiness(new Readiness(null, null, "Started {in} ms", Duration.ofSeconds(5))), "waitFor/log")
        .hasMessageContaining("is 'Started {in} ms', which is not a valid regular expression (Illegal repetition) at character 9:")
        .hasMessageContaining("\n  Started {in} ms\n          ^ here. Fix: ")
        .hasMessageContaining("escape '{' as '\\{' in <waitFor><log> where it is meant literally: <log>Started \\{in} ms</log>");
  }

  @Test
  void badWaitForLogRegex() {
    assertRejected(valid().readiness(new Readiness(null, null, "Started (in", Duration.ofSeconds(5))), "waitFor/log")
        .hasMessageContaining("not a valid regular expression");
  }

  @Test
  void badWaitForTimeout() {
    assertRejected(
            valid().readiness(new Readiness(null, "@{node.port}", null, Duration.ZERO)), "waitFor/timeout")
        .hasMessageContaining("is 0 seconds");
    assertRejected(
            valid().readiness(new Readiness(null, "@{node.port}", null, Duration.ofSeconds(-3))), "waitFor/timeout")
        .hasMessageContaining("is -3 seconds");
  }

  @Test
  void negativeStopTimeout() {
    assertRejected(valid().stopTimeoutSeconds(-1), "stopTimeout").hasMessageContaining("is -1 seconds");
  }

  @Test
  void multiLineStopInput() {
    assertRejected(valid().stopInput("stop\nnow"), "stopInput").hasMessageContaining("several lines");
  }

  @Test
  void badCleanupValue() {
    assertRejected(valid().cleanup("sometimes"), "cleanup")
        .hasMessageContaining("'sometimes'")
        .hasMessageContaining("onSuccess, always or never");
  }

  @Test
  void cleanupValuesParseInAnyCase() throws Exception {
    assertThat(valid().cleanup("onsuccess").build().cleanup()).isEqualTo(CleanupPolicy.ON_SUCCESS);
    assertThat(valid().cleanup(" Never ").build().cleanup()).isEqualTo(CleanupPolicy.NEVER);
    assertThat(valid().cleanup(null).build().cleanup()).isEqualTo(CleanupPolicy.ON_SUCCESS);
  }

  @Test
  void clusterDirectoryMissing() {
    assertRejected(valid().clusterDirectory(null), "clusterDirectory").hasMessageContaining("is empty");
  }

  @Test
  void clusterDirectoryThatIsTheFilesystemRoot() {
    assertRejected(valid().clusterDirectory(Paths.get("/")), "clusterDirectory")
        .hasMessageContaining("filesystem root");
    assertRejected(valid().clusterDirectory(Paths.get("/tmp/..")), "clusterDirectory")
        .hasMessageContaining("filesystem root");
  }

  @Test
  void clusterDirectoryThatIsTheUsersHome() {
    Path home = Paths.get(System.getProperty("user.home"));
    assertRejected(valid().clusterDirectory(home), "clusterDirectory")
        .hasMessageContaining("home directory");
    assertRejected(valid().clusterDirectory(home.resolve("x/..")), "clusterDirectory")
        .hasMessageContaining("home directory");
  }

  @Test
  void clusterDirectoryThatIsTheBaseDirectory() {
    assertRejected(valid().clusterDirectory(Paths.get(".")), "clusterDirectory")
        .hasMessageContaining("the project's base directory");
    assertRejected(valid().clusterDirectory(base), "clusterDirectory")
        .hasMessageContaining("the project's base directory");
  }

  @Test
  void clusterDirectoryThatIsAParentOfTheBaseDirectory() {
    assertRejected(valid().clusterDirectory(Paths.get("..")), "clusterDirectory")
        .hasMessageContaining("a parent of the project's base directory");
    assertRejected(valid().clusterDirectory(temp.getParent()), "clusterDirectory")
        .hasMessageContaining("a parent of the project's base directory");
  }

  @Test
  void clusterDirectoryThatIsASymbolicLink() throws IOException {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Path link = Files.createDirectories(base.resolve("target")).resolve("cluster");
    Files.createSymbolicLink(link, outside);
    assertRejected(valid(), "clusterDirectory").hasMessageContaining("symbolic link");
  }

  @Test
  void clusterDirectoryThatIsAFile() throws IOException {
    Files.createDirectories(base.resolve("target"));
    Files.writeString(base.resolve("target/cluster"), "x");
    assertRejected(valid(), "clusterDirectory").hasMessageContaining("a file, not a directory");
  }

  @Test
  void aSiblingOfTheBaseDirectoryIsAccepted() throws Exception {
    ClusterConfig config = valid().clusterDirectory(temp.resolve("elsewhere/cluster")).build();
    assertThat(config.clusterDirectory()).isEqualTo(temp.resolve("elsewhere/cluster"));
  }

  @Test
  void theDirectoryIsCheckedBeforeAnythingElse() {
    // Several mistakes at once: the report names one element, and it is not a crash.
    assertThatThrownBy(valid().clusterDirectory(Paths.get("/")).nodes(0).executable(null)::build)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Fix:");
  }

  // ---- Forming a real cluster (0.2): <files> ----

  @Test
  void filesFromContentAndFromSourceAreReadWhenTheConfigIsBuilt() throws Exception {
    Path source = Files.createDirectories(base.resolve("src/test/zk")).resolve("zoo.cfg");
    Files.writeString(source, "clientPort=@{node.port}\n@{nodes[\\n]:server.@{node.number}=x}\n");
    ClusterConfig config =
        valid()
            .file("data/myid", null, "@{node.number}")
            .file("conf/zoo.cfg", "src/test/zk/zoo.cfg", null)
            .build();
    assertThat(config.files()).hasSize(2);
    assertThat(config.files().get(0).path()).isEqualTo("data/myid");
    assertThat(config.files().get(0).text()).isEqualTo("@{node.number}");
    assertThat(config.files().get(0).source()).isEmpty();
    assertThat(config.files().get(1).text()).isEqualTo(Files.readString(source));
    assertThat(config.files().get(1).source()).contains(source);
    // A path inside the node's directory through a directory placeholder is fine too.
    assertThat(valid().file("@{node.dataDir}/myid", null, "1").build().files()).hasSize(1);
  }

  @Test
  void anInlineContentLosesThePomsIndentation() throws Exception {
    ClusterConfig config = valid().file("conf/node.yaml", null, "node:\n          id: @{node.index}\n        peers: 3").build();
    assertThat(config.files().get(0).text()).isEqualTo("node:\n  id: @{node.index}\npeers: 3");
  }

  @Test
  void aFilteredSourceGetsTheBuildsPropertiesAndAnUnfilteredOneKeepsThem() throws Exception {
    Files.writeString(base.resolve("node.sh"), "CLUSTER=${cluster.name}\necho ${HOME} @{node.name}\n");
    Map<String, String> build = Map.of("cluster.name", "ci-42", "HOME", "/nowhere-else");
    ClusterConfig config =
        valid()
            .filterProperties(Map.of("cluster.name", "ci-42"))
            .file("filtered.sh", "node.sh", null, true)
            .file("as-is.sh", "node.sh", null)
            .build();
    assertThat(config.files().get(0).text()).isEqualTo("CLUSTER=ci-42\necho ${HOME} @{node.name}\n");
    assertThat(config.files().get(1).text()).isEqualTo("CLUSTER=${cluster.name}\necho ${HOME} @{node.name}\n");
    assertRejected(valid().filterProperties(build).file("a", null, "x", true), "files><file><filtering")
        .hasMessageContaining("'a', which has a <content>")
        .hasMessageContaining("remove <filtering>");
  }

  @Test
  void aFileNeedsExactlyOneOfSourceAndContent() throws IOException {
    Files.writeString(base.resolve("zoo.cfg"), "x");
    assertRejected(valid().file("conf/zoo.cfg", "zoo.cfg", "x"), "files><file>")
        .hasMessageContaining("'conf/zoo.cfg' has both <source> and <content>")
        .hasMessageContaining("keep one");
    assertRejected(valid().file("conf/zoo.cfg", null, null), "files><file>")
        .hasMessageContaining("'conf/zoo.cfg' has neither <source> nor <content>")
        .hasMessageContaining("<content>@{empty}</content> for an empty file");
  }

  @Test
  void aMissingSourceIsNamedWithItsPath() {
    assertRejected(valid().file("conf/zoo.cfg", "src/test/zk/zoo.cfg", null), "files><file><source")
        .hasMessageContaining("is 'src/test/zk/zoo.cfg', but " + base.resolve("src/test/zk/zoo.cfg") + " does not exist")
        .hasMessageContaining("relative to ${project.basedir} (" + base + ")");
    assertRejected(valid().file("conf/zoo.cfg", "bin", null), "files><file><source")
        .hasMessageContaining("is a directory");
  }

  @Test
  void aPathMustStayInsideTheNodeDirectory() {
    for (String path :
        List.of("../n_1/data/myid", "data/../../x", "/etc/zoo.cfg", "@{cluster.dir}/x", ".", "@{node.dir}",
            "@{node.name}/../../x")) {
      assertRejected(valid().file(path, null, "x"), "files><file><path")
          .hasMessageContaining("is '" + path + "', which is not a file inside the node's directory @{node.dir}")
          .hasMessageContaining("no '..' leading out, no absolute path");
    }
    assertRejected(valid().file(null, null, "x"), "files><file><path").hasMessageContaining("is missing");
    assertRejected(valid().file("conf/@{node.colour}", null, "x"), "files><file><path")
        .hasMessageContaining("unknown placeholder @{node.colour}");
    assertRejected(valid().file("a", null, "x").file("a", null, "y"), "files><file><path")
        .hasMessageContaining("'a' twice");
  }

  @Test
  void anUnknownPlaceholderInContentOrSourceNamesTheElementTheLineAndTheKnownOnes() throws IOException {
    assertRejected(valid().file("zoo.cfg", null, "tickTime=2000\nclientPort=@{node.port.client}"), "files><file><content")
        .hasMessageContaining(
            "uses the unknown placeholder @{node.port.client} in line 2 of the <content> of 'zoo.cfg':"
                + " 'clientPort=@{node.port.client}'")
        .hasMessageContaining("use one of @{node.index}")
        .hasMessageContaining("add <port>client</port> to <ports>");
    Path source = base.resolve("zoo.cfg");
    Files.writeString(source, "a=1\n\n@{nodes[\\n]:server.@{node.id}=x}\n");
    assertRejected(valid().file("conf/zoo.cfg", "zoo.cfg", null), "files><file><source")
        .hasMessageContaining("uses the unknown placeholder @{node.id} in line 3 of " + source)
        .hasMessageContaining("use one of @{node.index}");
    assertRejected(valid().file("zoo.cfg", null, "@{nodes[\\n]:x"), "files><file><content")
        .hasMessageContaining("malformed @{nodes[SEP]:TEMPLATE}");
  }

  @Test
  void theNewPlaceholdersAreKnownEverywhere() throws Exception {
    ClusterConfig config =
        minimal()
            .ports(List.of("client", "quorum"))
            .arguments(List.of("--id=@{node.number}", "--of=@{cluster.size}", "--peers=@{cluster.hosts.quorum}",
                "--servers=@{nodes[,]:@{node.number}=127.0.0.1:@{node.port.quorum}}"))
            .readiness(new Readiness(null, "@{node.port.client}", "@{nodes[ ]:@{node.name}}", Duration.ofSeconds(5)))
            .build();
    assertThat(config.arguments()).contains("--id=@{node.number}");
  }

  // --- Forming a real cluster (0.2): beforeStart, afterStart, stopOrder. ---

  @Test
  void commandsAndTheStopOrderAreCheckedAndKept() throws Exception {
    ClusterConfig config =
        valid()
            .beforeStart("bin/node.sh", null, List.of("--format", "@{node.dataDir}", "@{empty}"), 30, false)
            .afterStart("/bin/sh", null, List.of("-c", "echo @{cluster.hosts} @{cluster.dir}"), 5, true)
            .stopOrder("Sequential")
            .build();

    assertThat(config.beforeStart()).hasSize(1);
    ClusterCommand before = config.beforeStart().get(0);
    assertThat(before.program()).isEqualTo(node);
    assertThat(before.arguments()).containsExactly("--format", "@{node.dataDir}", "@{empty}");
    assertThat(before.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(before.retryUntilSuccess()).isFalse();
    assertThat(before.element()).isEqualTo("beforeStart/command[1]");
    ClusterCommand after = config.afterStart().get(0);
    assertThat(after.program()).isEqualTo(Paths.get("/bin/sh"));
    assertThat(after.retryUntilSuccess()).isTrue();
    assertThat(config.stopOrder()).isEqualTo(io.github.clusterrun.cluster.model.StopOrder.SEQUENTIAL);
    assertThat(valid().build().stopOrder()).isEqualTo(io.github.clusterrun.cluster.model.StopOrder.PARALLEL);
    assertThat(valid().build().beforeStart()).isEmpty();
  }

  @Test
  void aCommandOfAMainClassRunsTheJavaOfTheNodeWithTheClasspath() throws Exception {
    ClusterConfig config =
        valid()
            .javaNode(null, List.of("/a.jar", "/b"), null, null)
            .afterStart(null, "com.example.Form", List.of("@{cluster.hosts}"), 5, false)
            .build();
    ClusterCommand after = config.afterStart().get(0);
    assertThat(after.program().toString()).endsWith("/bin/java");
    assertThat(after.arguments()).containsExactly("-cp", "/a.jar:/b", "com.example.Form", "@{cluster.hosts}");
  }

  @Test
  void aMainClassCommandTakesJvmArgsAndEveryCommandAnEnvironment() throws Exception {
    ClusterConfig config =
        valid()
            .javaNode(null, List.of("/a.jar"), null, null)
            .beforeStart(null, "com.example.Format", List.of("@{node.dir}"), List.of("-Xmx64m", "-Dn=@{node.name}"),
                Map.of("ID", "@{cluster.id}"), 5, false)
            .afterStart("/bin/sh", null, List.of("-c", "true"), null, Map.of("HOSTS", "@{cluster.hosts}"), 5, false)
            .build();
    ClusterCommand before = config.beforeStart().get(0);
    assertThat(before.arguments()).containsExactly("-Xmx64m", "-Dn=@{node.name}", "-cp", "/a.jar", "com.example.Format", "@{node.dir}");
    assertThat(before.environment()).containsExactly(Map.entry("ID", "@{cluster.id}"));
    assertThat(before.shortForm(List.of("/usr/bin/java", "-Xmx64m", "-Dn=n_0", "-cp", "/a.jar", "com.example.Format", "/c/n_0")))
        .isEqualTo("java \u2026 com.example.Format /c/n_0");
    assertThat(config.afterStart().get(0).environment()).containsExactly(Map.entry("HOSTS", "@{cluster.hosts}"));
  }

  @Test
  void jvmArgsOfAnExecutableAndBadCommandEnvironmentsAreRejected() {
    assertRejected(valid().beforeStart("/bin/sh", null, null, List.of("-Xmx1g"), null, 5, false), "beforeStart/command[1]/jvmArgs")
        .hasMessageContaining("with a <mainClass>");
    assertRejected(valid().afterStart("/bin/sh", null, null, null, Map.of("1X", "y"), 5, false), "afterStart/command[1]/environment")
        .hasMessageContaining("'1X'");
    assertRejected(
            valid().afterStart("/bin/sh", null, null, null, Map.of("PORT", "@{node.port}"), 5, false),
            "afterStart/command[1]/environment/PORT")
        .hasMessageContaining("runs once for the whole cluster");
  }

  @Test
  void aCommandWithoutProgramIsRejected() {
    assertRejected(valid().beforeStart(null, null, List.of("x"), 5, false), "beforeStart/command[1]")
        .hasMessageContaining("neither <executable> nor <mainClass>");
  }

  @Test
  void aCommandWithBothProgramsIsRejected() {
    assertRejected(
            valid()
                .afterStart("/bin/sh", null, null, 5, false)
                .afterStart("/bin/sh", "com.example.Form", null, 5, false),
            "afterStart/command[2]")
        .hasMessageContaining("both <executable> and <mainClass>");
  }

  @Test
  void aCommandWhoseExecutableIsMissingIsRejected() {
    assertRejected(valid().beforeStart("bin/format.sh", null, null, 5, false), "beforeStart/command[1]/executable")
        .hasMessageContaining("bin/format.sh");
  }

  @Test
  void aCommandTimeoutBelowOneSecondIsRejected() {
    assertRejected(valid().afterStart("/bin/sh", null, null, 0, true), "afterStart/command[1]/timeout")
        .hasMessageContaining("is 0 seconds");
  }

  @Test
  void anUnknownPlaceholderInACommandIsRejected() {
    assertRejected(valid().beforeStart("/bin/sh", null, List.of("@{node.colour}"), 5, false),
            "beforeStart/command[1]/arguments")
        .hasMessageContaining("@{node.colour}");
  }

  @Test
  void aNodePlaceholderInAnAfterStartCommandIsRejectedWithTheWayOut() {
    assertRejected(valid().afterStart("/bin/sh", null, List.of("-p", "@{node.port}"), 5, false),
            "afterStart/command[1]/arguments")
        .hasMessageContaining("@{node.port}, a value of one node")
        .hasMessageContaining("runs once for the whole cluster")
        .hasMessageContaining("@{cluster.hosts}")
        .hasMessageContaining("<beforeStart>");
  }

  @Test
  void anEmptyArgumentOfACommandIsRejected() {
    java.util.List<String> arguments = new java.util.ArrayList<>();
    arguments.add(null);
    assertRejected(valid().afterStart("/bin/sh", null, arguments, 5, false), "afterStart/command[1]/arguments")
        .hasMessageContaining("@{empty}");
  }

  @Test
  void anUnknownStopOrderIsRejectedWithTheChoices() {
    assertRejected(valid().stopOrder("random"), "stopOrder")
        .hasMessageContaining("'random'")
        .hasMessageContaining("parallel")
        .hasMessageContaining("sequential")
        .hasMessageContaining("reverse");
  }

  // --- Nodes on other hosts (0.3): <sshHosts>, <remoteDirectory>, <sshConfig>. ---

  private ClusterConfigBuilder onHosts(String... hosts) {
    return valid().sshHosts(List.of(hosts));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a b", "h:0", "h:99999", "@h", "u@", "h:", "[::1", "h/x", "u@@h"})
  void aHostThatIsNoHostIsRejected(String host) {
    assertRejected(onHosts("h1", host), "sshHosts")
        .hasMessageContaining("'" + host + "'")
        .hasMessageContaining("[user@]host[:port]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h", "u@h", "u@h:2222", "[::1]:22", "10.0.0.1", "h:65535", "node-1.example.com"})
  void hostsAsSshWritesThemAreAccepted(String host) throws Exception {
    ClusterConfig config = onHosts(" " + host + " ").build();
    assertThat(config.sshHosts()).containsExactly(host);
    assertThat(config.ssh()).isNotNull();
  }

  @Test
  void blankHostsAreLeftOutAndNoneLeftIsALocalCluster() throws Exception {
    java.util.List<String> hosts = new java.util.ArrayList<>(java.util.Arrays.asList("", " ", null));
    ClusterConfig config = valid().sshHosts(hosts).build();
    assertThat(config.sshHosts()).isEmpty();
    assertThat(config.ssh()).isNull();
    assertThat(valid().build().ssh()).isNull();
    assertThat(onHosts("h1", "", "h2").build().sshHosts()).containsExactly("h1", "h2");
  }

  @Test
  void aMainClassNodeOnHostsRunsTheJavaOfEachHostOnTheProjectsClasspath() throws Exception {
    ClusterConfig config =
        minimal().ports(List.of("port")).executable(null).javaNode("com.example.Node", List.of("/a.jar", "/classes"), null, null)
            .sshHosts(List.of("h1"))
            .build();
    assertThat(config.executable().toString()).isEqualTo("java"); // the PATH's java, there
    assertThat(config.javaNodes()).isTrue();
    assertThat(config.classpath()).containsExactly("/a.jar", "/classes");
    assertThat(config.arguments()).containsSubsequence("-cp", "/a.jar:/classes", "com.example.Node");

    ClusterConfig given =
        minimal().ports(List.of("port")).executable(null)
            .javaNode("com.example.Node", List.of("/a.jar"), null, "/opt/jdk/bin/java")
            .sshHosts(List.of("h1"))
            .build();
    assertThat(given.executable().toString()).isEqualTo("/opt/jdk/bin/java");
  }

  @Test
  void aMainClassBeforeStartCommandOnHostsRunsThereAnAfterStartOneRunsHere() throws Exception {
    ClusterConfig config =
        onHosts("h1").javaNode(null, List.of("/a.jar"), null, null)
            .beforeStart(null, "com.example.Format", List.of("@{node.dir}"), 5, false)
            .afterStart(null, "com.example.Form", List.of("@{cluster.hosts}"), 5, false)
            .build();
    assertThat(config.beforeStart().get(0).program().toString()).isEqualTo("java");
    assertThat(config.javaNodes()).as("the nodes are not Java classes").isFalse();
    assertThat(config.classpath()).containsExactly("/a.jar");
    // afterStart commands run on the build machine.
    assertThat(config.afterStart().get(0).program().toString()).endsWith("/bin/java");
  }

  @Test
  void stopInputOnHostsIsRejected() {
    assertRejected(onHosts("h1").stopInput("shutdown"), "stopInput").hasMessageContaining("<sshHosts>");
  }

  @ParameterizedTest
  @ValueSource(strings = {"relative/dir", "/", "//", "/a/../b", "/a/..", "~/cluster"})
  void aRemoteDirectoryThatIsNotAnAbsoluteDirectoryOtherThanTheRootIsRejected(String directory) {
    assertRejected(onHosts("h1").remoteDirectory(directory), "remoteDirectory")
        .hasMessageContaining("absolute directory");
  }

  @Test
  void theRemoteDirectoryHasADirectoryPerCheckoutBelowIt() throws Exception {
    String remote = onHosts("h1").remoteDirectory("/var/tmp/cluster/").build().ssh().remoteDirectory();
    assertThat(remote).matches("/var/tmp/cluster/c-[0-9a-f]{16}");

    String byDefault = onHosts("h1").build().ssh().remoteDirectory();
    assertThat(byDefault).matches("/tmp/cluster-maven-plugin/c-[0-9a-f]{16}");
    assertThat(byDefault.substring(byDefault.lastIndexOf('/'))).isEqualTo(remote.substring(remote.lastIndexOf('/')));
    // The same checkout has the same directory; another cluster directory another.
    assertThat(onHosts("h2").build().ssh().remoteDirectory()).isEqualTo(byDefault);
    assertThat(onHosts("h1").clusterDirectory(Paths.get("target/cluster2")).build().ssh().remoteDirectory())
        .isNotEqualTo(byDefault)
        .startsWith("/tmp/cluster-maven-plugin/c-");
  }

  @Test
  void theSshConfigMustBeAFileAndIsCarriedWithTheHostKeyChoice() throws Exception {
    assertRejected(onHosts("h1").sshConfig(temp.resolve("no-such-config")), "sshConfig")
        .hasMessageContaining("no-such-config")
        .hasMessageContaining("not a file");
    assertRejected(onHosts("h1").sshConfig(temp), "sshConfig");

    Path file = Files.writeString(temp.resolve("ssh_config"), "Host h1\n  User deploy\n");
    ClusterConfig config = onHosts("h1").sshConfig(file).acceptNewHostKeys(true).build();
    assertThat(config.ssh().sshConfig()).contains(file);
    assertThat(config.ssh().acceptNewHostKeys()).isTrue();
    assertThat(onHosts("h1").build().ssh().acceptNewHostKeys()).isFalse();
    // Without <sshHosts> the SSH settings are not looked at.
    assertThat(valid().sshConfig(temp.resolve("no-such-config")).build().ssh()).isNull();
  }

  @Test
  void onHostsTheNodesProgramIsAProgramOfTheHostsNotResolvedHere() throws Exception {
    ClusterConfig config =
        onHosts("h1")
            .executable("redis-server-that-does-not-exist-here")
            .beforeStart("/opt/kv/bin/format-that-does-not-exist-here", null, List.of("@{node.dir}"), 5, false)
            .build();
    assertThat(config.executable()).isEqualTo(Paths.get("redis-server-that-does-not-exist-here"));
    assertThat(config.beforeStart().get(0).program()).isEqualTo(Paths.get("/opt/kv/bin/format-that-does-not-exist-here"));
    // Here it is looked for, and so is an afterStart command's, which runs here.
    assertRejected(valid().executable("redis-server-that-does-not-exist-here"), "executable");
    assertRejected(
            onHosts("h1").afterStart("/opt/kv/bin/form-that-does-not-exist-here", null, null, 5, false),
            "afterStart/command[1]/executable");
  }

  @Test
  void nodeHostIsAPlaceholderOfANodeNotOfTheWholeCluster() throws Exception {
    ClusterConfig config = onHosts("h1").arguments(List.of("--bind=@{node.host}")).build();
    assertThat(config.arguments()).containsExactly("--bind=@{node.host}");
    assertRejected(valid().afterStart("/bin/sh", null, List.of("@{node.host}"), 5, false), "afterStart/command[1]/arguments")
        .hasMessageContaining("@{node.host}, a value of one node");
  }

  // --- Tests can break the network (0.3): <networkFaults>. ---

  /** A machine where local nodes can have network namespaces (Linux, root, the tools). */
  private ClusterConfigBuilder canHaveNamespaces() {
    return valid().networkNamespacesMissing(java.util.Optional::empty);
  }

  @Test
  void networkFaultsAreOffByDefaultAndOnWhenTheMachineCanGiveNodesNamespaces() throws Exception {
    assertThat(valid().build().networkFaults()).isFalse();
    assertThat(canHaveNamespaces().networkFaults(true).nodes(3).build().networkFaults()).isTrue();
    // Off: the machine is not asked at all.
    assertThat(valid().networkNamespacesMissing(() -> { throw new AssertionError("asked"); }).build().networkFaults())
        .isFalse();
  }

  @Test
  void networkFaultsWithSshHostsAreRefusedTheHostsNeedNoOptIn() {
    assertRejected(canHaveNamespaces().networkFaults(true).sshHosts(List.of("h1")), "networkFaults")
        .hasMessageContaining("<sshHosts>")
        .hasMessageContaining("need no opt-in")
        .hasMessageContaining("remove <networkFaults>");
  }

  @Test
  void networkFaultsNotAsRootNamesRootAndTheWaysOut() {
    java.util.Optional<String[]> notRoot = io.github.clusterrun.cluster.platform.NodeNetworks.missing("Linux", 1000, t -> true);
    assertRejected(valid().networkFaults(true).networkNamespacesMissing(() -> notRoot), "networkFaults")
        .hasMessageContaining("need root (network namespaces and nftables)")
        .hasMessageContaining("uid 1000")
        .hasMessageContaining("run Maven as root, or put the nodes on <sshHosts> whose user may change the firewall,"
            + " or remove <networkFaults>");
  }

  @Test
  void networkFaultsOffLinuxAreRefused() {
    java.util.Optional<String[]> mac = io.github.clusterrun.cluster.platform.NodeNetworks.missing("Mac OS X", 0, t -> true);
    assertRejected(valid().networkFaults(true).networkNamespacesMissing(() -> mac), "networkFaults")
        .hasMessageContaining("only on Linux (this is Mac OS X)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ip:iproute2", "nft:nftables", "nsenter:util-linux"})
  void networkFaultsWithoutAToolNameItsDebianPackage(String toolAndPackage) {
    String tool = toolAndPackage.split(":")[0];
    String debian = toolAndPackage.split(":")[1];
    java.util.Optional<String[]> lacking =
        io.github.clusterrun.cluster.platform.NodeNetworks.missing("Linux", 0, t -> !t.equals(tool));
    assertRejected(valid().networkFaults(true).networkNamespacesMissing(() -> lacking), "networkFaults")
        .hasMessageContaining("`" + tool + "` is missing")
        .hasMessageContaining("apt-get install " + debian);
  }

  @Test
  void networkFaultsForMoreNodesThanASlash24HoldsAreRefused() {
    assertRejected(canHaveNamespaces().networkFaults(true).nodes(254), "networkFaults").hasMessageContaining("254 nodes");
  }
}
