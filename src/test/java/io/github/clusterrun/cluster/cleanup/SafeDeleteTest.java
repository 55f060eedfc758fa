package io.github.clusterrun.cluster.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deleting a cluster directory never leaves it, and read-only parts do not stop it. */
class SafeDeleteTest {
  @TempDir Path temp;

  private static Path file(Path path, String content) throws IOException {
    Files.createDirectories(path.getParent());
    return Files.writeString(path, content);
  }

  @Test
  void deletesANestedTreeWithReadOnlyFilesAndDirectories() throws Exception {
    Path root = temp.resolve("cluster");
    file(root.resolve("n_0/data/a/b/c/deep.txt"), "deep");
    Path readOnlyFile = file(root.resolve("n_0/data/readonly.txt"), "ro");
    Files.setPosixFilePermissions(readOnlyFile, PosixFilePermissions.fromString("r--r--r--"));
    Path readOnlyDir = root.resolve("n_1/data/locked");
    file(readOnlyDir.resolve("inner/x.txt"), "x");
    Files.setPosixFilePermissions(readOnlyDir.resolve("inner"), PosixFilePermissions.fromString("r-xr-xr-x"));
    Files.setPosixFilePermissions(readOnlyDir, PosixFilePermissions.fromString("r-xr-xr-x"));
    Path noAccessDir = Files.createDirectories(root.resolve("n_1/tmp/noaccess"));
    file(noAccessDir.resolve("secret"), "s");
    Files.setPosixFilePermissions(noAccessDir, PosixFilePermissions.fromString("---------"));
    Files.createDirectories(root.resolve("n_2/logs"));

    SafeDelete.deleteTree(root);

    assertThat(root).doesNotExist();
    assertThat(temp).isEmptyDirectory();
  }

  @Test
  void aSymlinkInsidePointingOutsideIsRemovedButItsTargetSurvives() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Path precious = file(outside.resolve("sub/precious.txt"), "keep me");
    Path outsideFile = file(temp.resolve("outside-file.txt"), "keep me too");
    Path root = temp.resolve("cluster");
    Files.createDirectories(root.resolve("n_0/data"));
    Path dirLink = Files.createSymbolicLink(root.resolve("n_0/data/link-to-outside"), outside);
    Path fileLink = Files.createSymbolicLink(root.resolve("n_0/data/link-to-file"), outsideFile);
    Path dangling = Files.createSymbolicLink(root.resolve("n_0/dangling"), temp.resolve("no-such"));
    Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("r-xr-xr-x"));

    SafeDelete.deleteTree(root);

    assertThat(root).doesNotExist();
    assertThat(Files.exists(dirLink, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.exists(fileLink, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.exists(dangling, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(precious).hasContent("keep me");
    assertThat(outsideFile).hasContent("keep me too");
    // Not even made writable: nothing outside was touched.
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outside))).isEqualTo("r-xr-xr-x");
  }

  @Test
  void refusesARootThatIsASymlink() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Path precious = file(outside.resolve("precious.txt"), "keep me");
    Path link = Files.createSymbolicLink(temp.resolve("cluster"), outside);

    assertThatThrownBy(() -> SafeDelete.deleteTree(link))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("symbolic link");

    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(precious).hasContent("keep me");
  }

  @Test
  void aMissingRootIsFine() throws Exception {
    SafeDelete.deleteTree(temp.resolve("never-created"));
    SafeDelete.deleteContents(temp.resolve("never-created"));
    assertThat(temp.resolve("never-created")).doesNotExist();
  }

  @Test
  void deletesASingleFileRoot() throws Exception {
    Path f = file(temp.resolve("cluster"), "x");
    SafeDelete.deleteTree(f);
    assertThat(f).doesNotExist();
  }

  @Test
  void deleteContentsKeepsTheRootAndSparesLinkTargets() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Path precious = file(outside.resolve("precious.txt"), "keep me");
    Path root = Files.createDirectories(temp.resolve("cluster"));
    file(root.resolve("n_0/data/x"), "x");
    Files.createSymbolicLink(root.resolve("link"), outside);
    Files.setPosixFilePermissions(root.resolve("n_0"), PosixFilePermissions.fromString("r-xr-xr-x"));

    SafeDelete.deleteContents(root);

    assertThat(root).isEmptyDirectory();
    assertThat(precious).hasContent("keep me");
  }

  @Test
  void aRelativeRootWithDotsIsNormalised() throws Exception {
    Path root = temp.resolve("cluster");
    file(root.resolve("n_0/x"), "x");
    Path sibling = file(temp.resolve("sibling/y"), "y");

    SafeDelete.deleteTree(temp.resolve("sibling/../cluster"));

    assertThat(root).doesNotExist();
    assertThat(sibling).hasContent("y");
  }
}
