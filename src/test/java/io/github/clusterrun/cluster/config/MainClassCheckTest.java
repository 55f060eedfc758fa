package io.github.clusterrun.cluster.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code <mainClass>} of a project that is not compiled is refused before any node starts. */
class MainClassCheckTest {
  @TempDir Path project;

  @Test
  void aClassOfAnUncompiledProjectIsRefusedWithTheCommandToRun() {
    List<String> classpath =
        List.of(project.resolve("target/test-classes").toString(), project.resolve("target/classes").toString());
    assertThatThrownBy(() -> MainClassCheck.check("example.KvNode", classpath, "test"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("<mainClass> is 'example.KvNode', which is in none of the 2 entries of the test classpath")
        .hasMessageContaining(project.resolve("target/test-classes") + " does not exist: the project is not compiled")
        .hasMessageContaining("mvn test-compile cluster:start");
  }

  @Test
  void aClassInAJarOrAnExistingDirectoryIsFoundThoughADirectoryIsMissing() throws Exception {
    Path jar = project.resolve("zookeeper.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new ZipEntry("org/apache/zookeeper/server/quorum/QuorumPeerMain.class"));
      out.closeEntry();
    }
    Path testClasses = Files.createDirectories(project.resolve("target/test-classes/example"));
    Files.write(testClasses.resolve("Server.class"), new byte[] {0});
    List<String> classpath =
        List.of(project.resolve("target/test-classes").toString(), project.resolve("target/classes").toString(), jar.toString());
    assertThatCode(() -> MainClassCheck.check("org.apache.zookeeper.server.quorum.QuorumPeerMain", classpath, "test"))
        .doesNotThrowAnyException();
    assertThatCode(() -> MainClassCheck.check("example.Server", classpath, "test")).doesNotThrowAnyException();
  }

  @Test
  void whenEveryDirectoryExistsNothingIsLookedFor() throws Exception {
    Files.createDirectories(project.resolve("target/classes"));
    // A class that is nowhere, but the project is compiled: the JVM's own error will say it.
    assertThatCode(() -> MainClassCheck.check("example.Missing", List.of(project.resolve("target/classes").toString()), "test"))
        .doesNotThrowAnyException();
  }
}
