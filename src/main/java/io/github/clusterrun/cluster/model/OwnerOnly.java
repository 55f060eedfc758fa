package io.github.clusterrun.cluster.model;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files only their owner may read or write ({@code 0600}) where the file system has POSIX
 * permissions: the files that hold the control endpoint's token ({@code cluster.properties}) and
 * the state beside it (issue 12).
 */
public final class OwnerOnly {
  private static final Set<PosixFilePermission> RW =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private OwnerOnly() {}

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** Opens {@code file} for writing, truncated, readable by its owner only. */
  public static FileChannel open(Path file) throws IOException {
    FileChannel channel;
    if (posix()) {
      channel =
          FileChannel.open(
              file,
              EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING),
              PosixFilePermissions.asFileAttribute(RW));
      Files.setPosixFilePermissions(file, RW); // an existing file keeps its permissions otherwise
    } else {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }
    return channel;
  }
}
