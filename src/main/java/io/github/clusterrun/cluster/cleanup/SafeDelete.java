package io.github.clusterrun.cluster.cleanup;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Deletes a cluster directory without ever leaving it: symbolic links are deleted, never followed;
 * read-only files and directories are made writable first; every path is checked to lie under the
 * root. Call it only once the kill is confirmed: a live node recreates files while they are deleted.
 */
public final class SafeDelete {
  private SafeDelete() {}

  /** Deletes {@code root} and everything under it; a missing root is fine. */
  public static void deleteTree(Path root) throws IOException {
    Path top = root.toAbsolutePath().normalize();
    if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isSymbolicLink(top)) {
      throw new IOException(top + " is a symbolic link; refusing to delete through it");
    }
    if (Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS) && deleteFast(top)) {
      return;
    }
    delete(top, top);
  }

  /**
   * The common case, at the speed of {@code rm -rf}: relative to open directories ({@link
   * SecureDirectoryStream}), one unlink per entry, descending (without following links) only into
   * entries that turn out to be directories. Returns false, having deleted what it could, when the
   * platform has no such stream or something resists (a read-only directory): the careful walk then
   * finishes the job.
   */
  private static boolean deleteFast(Path top) {
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(top)) {
      if (!(stream instanceof SecureDirectoryStream)) {
        return false;
      }
      deleteEntries((SecureDirectoryStream<Path>) stream);
    } catch (IOException | SecurityException e) {
      return false;
    }
    try {
      Files.delete(top);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteEntries(SecureDirectoryStream<Path> dir) throws IOException {
    for (Path entry : dir) {
      Path name = entry.getFileName();
      try {
        dir.deleteFile(name); // a file or a link (never followed)
      } catch (NoSuchFileException gone) {
        // Deleted meanwhile.
      } catch (IOException notAFile) {
        try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
          deleteEntries(sub);
        }
        dir.deleteDirectory(name);
      }
    }
  }

  /** Deletes everything under {@code root}, keeping the directory itself. */
  public static void deleteContents(Path root) throws IOException {
    Path top = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    makeWritable(top);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(top)) {
      for (Path entry : entries) {
        delete(top, entry);
      }
    }
  }

  private static void delete(Path top, Path path) throws IOException {
    if (!path.normalize().startsWith(top)) {
      throw new IOException("refusing to delete " + path + ", which is outside " + top);
    }
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    }
    if (attrs.isDirectory()) {
      makeWritable(path);
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
        for (Path entry : entries) {
          delete(top, entry);
        }
      } catch (NoSuchFileException e) {
        return;
      }
    }
    try {
      Files.deleteIfExists(path);
    } catch (AccessDeniedException e) {
      // The parent may be read-only (made so by the node after we listed it): open it and retry.
      makeWritable(path.getParent());
      Files.deleteIfExists(path);
    }
  }

  private static void makeWritable(Path dir) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
      if (!perms.contains(PosixFilePermission.OWNER_WRITE)
          || !perms.contains(PosixFilePermission.OWNER_EXECUTE)
          || !perms.contains(PosixFilePermission.OWNER_READ)) {
        perms.add(PosixFilePermission.OWNER_WRITE);
        perms.add(PosixFilePermission.OWNER_EXECUTE);
        perms.add(PosixFilePermission.OWNER_READ);
        Files.setPosixFilePermissions(dir, perms);
      }
    } catch (UnsupportedOperationException | IOException e) {
      dir.toFile().setWritable(true);
    }
  }
}
