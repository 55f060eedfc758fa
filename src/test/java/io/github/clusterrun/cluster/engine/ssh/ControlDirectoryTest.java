package io.github.clusterrun.cluster.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlDirectoryTest {
  @TempDir Path parent;

  @Test
  void freshOwnerOnlyAndDeletedWithItsFiles() throws Exception {
    Path dir = ControlDirectory.make(parent);
    assertThat(dir.getParent()).isEqualTo(parent);
    assertThat(dir.getFileName().toString()).startsWith("cmp-ssh");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    Files.write(dir.resolve("askpass"), new byte[] {1});
    ControlDirectory.delete(dir);
    assertThat(dir).doesNotExist();
    ControlDirectory.delete(dir);
  }

  @Test
  void emptyDirectoriesLeftOverAnHourAgoAreDeletedOthersKept() throws Exception {
    FileTime old = FileTime.from(Instant.now().minus(Duration.ofMinutes(61)));
    Path staleEmpty = Files.createDirectory(parent.resolve("cmp-ssh1"));
    Path staleInUse = Files.createDirectory(parent.resolve("cmp-ssh2"));
    Files.write(staleInUse.resolve("m"), new byte[0]);
    Path recentEmpty = Files.createDirectory(parent.resolve("cmp-ssh3"));
    Path notOurs = Files.createDirectory(parent.resolve("other"));
    for (Path dir : new Path[] {staleEmpty, staleInUse, notOurs}) {
      Files.setLastModifiedTime(dir, old);
    }
    Path made = ControlDirectory.make(parent);
    assertThat(staleEmpty).doesNotExist();
    assertThat(staleInUse).exists();
    assertThat(recentEmpty).exists();
    assertThat(notOurs).exists();
    assertThat(made).exists();
  }
}
