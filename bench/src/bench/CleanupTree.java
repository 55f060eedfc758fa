package bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;

/** The cleanup scenario's tree: a cluster directory laid out like the plugin's, full of small files. */
final class CleanupTree {
  static final int FILES_PER_DIR = 500;
  private static final byte[] CONTENT = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n"
      .getBytes(StandardCharsets.US_ASCII);

  private CleanupTree() {}

  /** Creates {@code files} files spread over {@code nodes} node directories; returns the count. */
  static int create(Path root, int nodes, int files) throws IOException {
    int made = 0;
    for (int n = 0; n < nodes; n++) {
      Path node = root.resolve("n_" + n);
      Files.createDirectories(node.resolve("logs"));
      Files.createDirectories(node.resolve("tmp"));
      Files.write(node.resolve("logs/console.log"), CONTENT);
      made++;
      int mine = files / nodes - 1 + (n < files % nodes ? 1 : 0);
      for (int i = 0; i < mine; i++) {
        Path dir = node.resolve("data").resolve(String.format("d_%03d", i / FILES_PER_DIR));
        if (i % FILES_PER_DIR == 0) {
          Files.createDirectories(dir);
        }
        Files.write(dir.resolve(String.format("f_%04d", i % FILES_PER_DIR)), CONTENT);
        made++;
      }
    }
    return made;
  }

  /**
   * A reference for the comparison, not the plugin's code: a Java delete that, like {@code rm}, works
   * relative to open directories ({@link SecureDirectoryStream}) and unlinks each entry with one
   * system call, descending only when the entry turns out to be a directory. It never follows a link.
   */
  static void deleteWithSecureDirectoryStream(Path dir) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      if (!(ds instanceof SecureDirectoryStream)) {
        throw new UnsupportedOperationException("no SecureDirectoryStream on this platform");
      }
      deleteEntries((SecureDirectoryStream<Path>) ds);
    }
    Files.delete(dir);
  }

  private static void deleteEntries(SecureDirectoryStream<Path> ds) throws IOException {
    for (Path entry : ds) {
      Path name = entry.getFileName();
      try {
        ds.deleteFile(name);
      } catch (IOException notAFile) {
        try (SecureDirectoryStream<Path> sub = ds.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
          deleteEntries(sub);
        }
        ds.deleteDirectory(name);
      }
    }
  }
}
