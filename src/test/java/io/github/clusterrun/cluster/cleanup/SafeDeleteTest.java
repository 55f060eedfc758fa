package io.github.clusterrun.cluster.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting a cluster directory never leaves it, and read-only parts do not stop it.
 *
 * <p>Root ignores permission bits, so the read-only cases prove something only when run by an
 * ordinary user: {@code .ci/run} runs this class again as one when CI runs as root.
 */
class SafeDeleteTest {
  @TempDir Path temp;

  private static Path file(Path path, String content) throws IOException {
    Files.createDirectories(path.getParent());
    return Files.writeString(path, content);
  }

  private static void chmod(String mode, Path... paths) throws IOException {
    for (Path path : paths) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }

  private boolean runAsRoot() throws IOException {
    return ((Integer) Files.getAttribute(temp, "unix:uid", LinkOption.NOFOLLOW_LINKS)) == 0;
  }

  @Test
  void theNodesDirectoriesAreDeletedSideBySideWithEveryCornerCaseInSeveralOfThem() throws Exception {
    // Six node directories, deleted on several threads: each one read-only, inaccessible or holding
    // links out of the tree, and plain ones among them.
    Path outside = temp.resolve("outside");
    Path precious = file(outside.resolve("precious.txt"), "keep me");
    Path root = temp.resolve("cluster");
    file(root.resolve("cluster.state"), "state");
    for (int i = 0; i < 5; i++) {
      for (int f = 0; f < 50; f++) {
        file(root.resolve("n_" + i + "/data/d" + (f % 5) + "/f" + f), "n_" + i);
      }
    }
    chmod("r-xr-xr-x", root.resolve("n_1/data/d0"), root.resolve("n_1"));
    chmod("---------", root.resolve("n_2/data/d1"), root.resolve("n_2"));
    Files.createSymbolicLink(root.resolve("n_3/data/link-to-outside"), outside);
    Files.createSymbolicLink(root.resolve("n_4/link-to-precious"), precious);
    Files.createSymbolicLink(root.resolve("n_5"), outside); // a node directory that is a link
    chmod("r-x------", outside);

    SafeDelete.deleteTree(root);

    assertThat(root).doesNotExist();
    assertThat(mode(outside)).isEqualTo("r-x------");
    assertThat(precious).hasContent("keep me");
  }

  @Test
  void aReadOnlyDirectoryWithFilesIsDeleted() throws Exception {
    Path root = temp.resolve("cluster");
    Path readOnly = root.resolve("n_0/data/read-only");
    file(readOnly.resolve("a.txt"), "a");
    file(readOnly.resolve("b.txt"), "b");
    file(readOnly.resolve("inner/c.txt"), "c");
    chmod("r-xr-xr-x", readOnly.resolve("inner"), readOnly);

    SafeDelete.deleteTree(root);

    assertThat(temp).isEmptyDirectory();
  }

  @Test
  void anInaccessibleDirectoryWithFilesIsDeleted() throws Exception {
    Path root = temp.resolve("cluster");
    Path noAccess = root.resolve("n_0/data/no-access");
    file(noAccess.resolve("a.txt"), "a");
    file(noAccess.resolve("sub/b.txt"), "b");
    chmod("---------", noAccess.resolve("sub"), noAccess);

    SafeDelete.deleteTree(root);

    assertThat(temp).isEmptyDirectory();
  }

  @Test
  void nestedReadOnlyAndInaccessibleDirectoriesAreDeleted() throws Exception {
    Path root = temp.resolve("cluster");
    Path data = root.resolve("n_0/data");
    // 0000 in 0555 in 0000, 0555 in 0000 in 0555, files at every level, and a read-only root
    Path a = data.resolve("a");
    Path ab = a.resolve("b");
    Path abc = ab.resolve("c");
    Path x = data.resolve("x");
    Path xy = x.resolve("y");
    Path xyz = xy.resolve("z");
    for (Path dir : new Path[] {a, ab, abc, x, xy, xyz}) {
      file(dir.resolve("f.txt"), dir.getFileName().toString());
    }
    // deepest first: an inaccessible directory's entries can no longer be changed
    chmod("---------", abc);
    chmod("r-xr-xr-x", xyz, ab);
    chmod("---------", xy, a);
    chmod("r-xr-xr-x", x);
    chmod("---------", root.resolve("n_0"));
    chmod("r-xr-xr-x", root);

    SafeDelete.deleteTree(root);

    assertThat(temp).isEmptyDirectory();
  }

  @Test
  void linksInAnInaccessibleDirectoryAreDeletedAndTheirTargetsKeepTheirModesAndContents()
      throws Exception {
    Path outside = temp.resolve("outside");
    Path precious = file(outside.resolve("precious.txt"), "keep me");
    Path outsideFile = file(temp.resolve("outside-file.txt"), "keep me too");
    Path root = temp.resolve("cluster");
    Path noAccess = Files.createDirectories(root.resolve("n_0/data/no-access"));
    Files.createSymbolicLink(noAccess.resolve("link-to-dir"), outside);
    Files.createSymbolicLink(noAccess.resolve("link-to-file"), outsideFile);
    file(noAccess.resolve("own.txt"), "own");
    chmod("r--r--r--", precious, outsideFile);
    chmod("r-x------", outside);
    chmod("---------", noAccess);

    SafeDelete.deleteTree(root);

    assertThat(root).doesNotExist();
    assertThat(mode(outside)).isEqualTo("r-x------");
    assertThat(mode(precious)).isEqualTo("r--r--r--");
    assertThat(mode(outsideFile)).isEqualTo("r--r--r--");
    assertThat(precious).hasContent("keep me");
    assertThat(outsideFile).hasContent("keep me too");
    chmod("rwx------", outside);
  }

  @Test
  void theRootsReadOnlyParentIsLeftAsItIs() throws Exception {
    assumeFalse(
        runAsRoot(),
        "root deletes from a read-only parent without asking: only an ordinary user's deletion"
            + " meets the parent's mode (.ci/run runs this test as one)");
    Path parent = Files.createDirectories(temp.resolve("target"));
    Path root = parent.resolve("cluster");
    file(root.resolve("n_0/data/x.txt"), "x");
    chmod("r-xr-xr-x", parent);
    try {
      // The contents go; the root itself cannot, and its parent, outside it, is not the cluster's
      // to change.
      Throwable thrown = catchThrowable(() -> SafeDelete.deleteTree(root));
      assertThat(mode(parent)).isEqualTo("r-xr-xr-x");
      assertThat(thrown).isInstanceOf(AccessDeniedException.class);
      assertThat(root).isEmptyDirectory();
    } finally {
      chmod("rwx------", parent);
    }
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
