package io.github.clusterrun.cluster.cleanup;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Deletes a cluster directory without ever leaving it: symbolic links are deleted, never followed;
 * a directory that a node made read-only ({@code 0555}) or inaccessible ({@code 0000}) gets its
 * owner's {@code rwx} back before it is listed or emptied, as {@code rm -rf} would need; every path
 * is checked to lie under the root, and nothing outside it (not even the root's parent) is ever
 * changed. Call it only once the kill is confirmed: a live node recreates files while they are
 * deleted.
 */
public final class SafeDelete {
  private static final Set<PosixFilePermission> OWNER_RWX =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);

  /** Threads that delete a cluster's top-level directories side by side. */
  static final int THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());

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
   * entries that turn out to be directories. A directory that resists because of its mode gets its
   * owner's rights back on the spot, so a read-only corner does not slow the rest down. Returns
   * false, having deleted what it could, when the platform has no such stream or something else
   * resists: the careful walk then finishes the job, or says what stops it.
   */
  private static boolean deleteFast(Path top) {
    try {
      restoreOwnerAccess(top, top, null);
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(top)) {
        if (!(stream instanceof SecureDirectoryStream)) {
          return false;
        }
        deleteTopEntries(top, (SecureDirectoryStream<Path>) stream);
      }
      Files.delete(top);
      return true;
    } catch (IOException | DirectoryIteratorException | SecurityException e) {
      return false;
    }
  }

  /**
   * Empties the top directory: its files at once, its directories (one per node, as a rule) on up
   * to {@link #THREADS} threads, each directory whole on one thread. Unlinks in different
   * directories do not wait for each other in the kernel, so a cluster's nodes are deleted side by
   * side.
   */
  /**
   * The directories of the top one, taken one at a time by whichever thread is free. A class, not a
   * lambda: a JVM's first lambda of a kind costs milliseconds, and the stop runs this once.
   */
  private static final class Deleting implements Runnable {
    final AtomicReference<IOException> failure = new AtomicReference<>();
    private final AtomicInteger next = new AtomicInteger();
    private final Path top;
    private final SecureDirectoryStream<Path> dir;
    private final List<Path> directories;

    Deleting(Path top, SecureDirectoryStream<Path> dir, List<Path> directories) {
      this.top = top;
      this.dir = dir;
      this.directories = directories;
    }

    @Override
    public void run() {
      for (int i = next.getAndIncrement(); i < directories.size() && failure.get() == null; i = next.getAndIncrement()) {
        try {
          deleteDirectory(top, dir, directories.get(i));
        } catch (IOException | RuntimeException e) {
          failure.compareAndSet(null, e instanceof IOException ? (IOException) e : new IOException(e));
        }
      }
    }
  }

  private static void deleteTopEntries(Path top, SecureDirectoryStream<Path> dir) throws IOException {
    List<Path> directories = new ArrayList<>();
    for (Path entry : dir) {
      Path name = entry.getFileName();
      if (!unlink(dir, name)) {
        directories.add(name);
      }
    }
    if (directories.size() < 2 || THREADS < 2) {
      for (Path name : directories) {
        deleteDirectory(top, dir, name);
      }
      return;
    }
    Deleting deleting = new Deleting(top, dir, directories);
    AtomicReference<IOException> failure = deleting.failure;
    List<Thread> helpers = new ArrayList<>();
    for (int t = 1; t < Math.min(THREADS, directories.size()); t++) {
      Thread helper = new Thread(deleting, "cluster-delete-" + t);
      helper.setDaemon(true);
      helper.start();
      helpers.add(helper);
    }
    deleting.run();
    for (Thread helper : helpers) {
      try {
        helper.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while deleting " + top, e);
      }
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  private static void deleteDirectory(Path top, SecureDirectoryStream<Path> dir, Path name) throws IOException {
    Path subPath = top.resolve(name);
    try (SecureDirectoryStream<Path> sub = openDirectory(top, dir, name, subPath)) {
      deleteEntries(top, subPath, sub);
    }
    dir.deleteDirectory(name);
  }

  /** Empties the open directory {@code dir}, which is {@code dirPath}. */
  private static void deleteEntries(Path top, Path dirPath, SecureDirectoryStream<Path> dir)
      throws IOException {
    Object dirKey = null; // the open directory's identity, read once it has to be made writable
    for (Path entry : dir) {
      Path name = entry.getFileName();
      boolean gone;
      try {
        gone = unlink(dir, name); // a file or a link (never followed)
      } catch (AccessDeniedException readOnly) {
        // dir is read-only: the owner may always make it writable again.
        if (dirKey == null) {
          dirKey = dir.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
        }
        if (!restoreOwnerAccess(top, dirPath, dirKey)) {
          throw readOnly;
        }
        gone = unlink(dir, name);
      }
      if (gone) {
        continue;
      }
      Path subPath = dirPath.resolve(name);
      try (SecureDirectoryStream<Path> sub = openDirectory(top, dir, name, subPath)) {
        deleteEntries(top, subPath, sub);
      }
      dir.deleteDirectory(name);
    }
  }

  /** Unlinks a file or a link; false when {@code name} turns out to be a directory. */
  private static boolean unlink(SecureDirectoryStream<Path> dir, Path name) throws IOException {
    try {
      dir.deleteFile(name);
    } catch (NoSuchFileException deletedMeanwhile) {
      // Fine.
    } catch (AccessDeniedException readOnlyDirectory) {
      throw readOnlyDirectory;
    } catch (IOException directory) {
      return false;
    }
    return true;
  }

  /**
   * Opens the directory {@code name} of {@code dir} without following a link, first giving its
   * owner's rights back if its mode forbids opening it ({@code 0000}).
   */
  private static SecureDirectoryStream<Path> openDirectory(
      Path top, SecureDirectoryStream<Path> dir, Path name, Path subPath) throws IOException {
    try {
      return dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
    } catch (AccessDeniedException inaccessible) {
      Object key =
          dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
              .readAttributes()
              .fileKey();
      if (!restoreOwnerAccess(top, subPath, key)) {
        throw inaccessible;
      }
      return dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
    }
  }

  /** Deletes everything under {@code root}, keeping the directory itself. */
  public static void deleteContents(Path root) throws IOException {
    Path top = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    restoreOwnerAccess(top, top, null);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(top)) {
      for (Path entry : entries) {
        delete(top, entry);
      }
    }
  }

  /** The careful walk: one path at a time, each checked to lie under {@code top}. */
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
      restoreOwnerAccess(top, path, attrs.fileKey());
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
      // Its directory is read-only: make it writable and retry, unless it lies outside top (the
      // root's own parent is the user's, not the cluster's).
      if (!restoreOwnerAccess(top, path.getParent(), null)) {
        throw e;
      }
      Files.deleteIfExists(path);
    }
  }

  /**
   * Gives the owner {@code rwx} on {@code dir} again, if it lacks any of them, and only if {@code
   * dir} is a real directory (not a link: checked without following links) under {@code top} and,
   * when {@code expectedKey} is given, still the very directory the caller looked at. Returns
   * whether it changed anything.
   *
   * <p>The change itself goes through the path: Java cannot change the mode of a {@code 0000}
   * directory without following links (its no-follow variant has to open the directory, which
   * that mode forbids). The check just before it is what keeps it off links: the nodes are gone,
   * so nothing turns a checked directory into a link in between.
   */
  private static boolean restoreOwnerAccess(Path top, Path dir, Object expectedKey) throws IOException {
    if (dir == null || !dir.normalize().startsWith(top)) {
      return false;
    }
    PosixFileAttributes attrs;
    try {
      attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException notPosix) {
      return false;
    }
    if (!attrs.isDirectory() || (expectedKey != null && !Objects.equals(expectedKey, attrs.fileKey()))) {
      return false;
    }
    Set<PosixFilePermission> perms = attrs.permissions();
    if (perms.containsAll(OWNER_RWX)) {
      return false;
    }
    perms.addAll(OWNER_RWX);
    Files.setPosixFilePermissions(dir, perms);
    return true;
  }
}
