package io.github.clusterrun.cluster.engine.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The SHA-256 of a classpath entry's content, the name it is cached under on a host: a jar's
 * bytes, or a directory's files (each relative path and content, in path order; links not
 * followed). The same content gives the same name on every build, so a second build copies nothing.
 */
final class ContentHash {
  private ContentHash() {}

  static String of(Path entry) throws IOException {
    MessageDigest digest = sha256();
    if (Files.isDirectory(entry)) {
      List<Path> files;
      try (Stream<Path> all = Files.walk(entry)) {
        files = all.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
      }
      for (Path file : files) {
        digest.update(entry.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        update(digest, file);
        digest.update((byte) 0);
      }
    } else {
      update(digest, entry);
    }
    StringBuilder sb = new StringBuilder();
    for (byte b : digest.digest()) {
      sb.append(String.format("%02x", b));
    }
    return sb.toString();
  }

  private static void update(MessageDigest digest, Path file) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
