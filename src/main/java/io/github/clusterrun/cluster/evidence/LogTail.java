package io.github.clusterrun.cluster.evidence;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last lines of a node's console log, read from the end so a huge log costs nothing. Control
 * characters in the lines are shown visibly ({@link ConsoleText#visible}): a line that starts with a
 * colour code does not look like the plain text it is not.
 */
public final class LogTail {
  private static final int MAX_BYTES = 64 * 1024;

  private LogTail() {}

  /** The last {@code lines} lines of {@code file}, each prefixed for the build log. */
  public static String of(Path file, int lines) {
    if (lines <= 0) {
      return "";
    }
    if (!Files.isRegularFile(file)) {
      return "  (no console log at " + file + ")\n";
    }
    String text;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      long from = Math.max(0, length - MAX_BYTES);
      byte[] bytes = new byte[(int) (length - from)];
      raf.seek(from);
      raf.readFully(bytes);
      text = new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "  (cannot read " + file + ": " + e.getMessage() + ")\n";
    }
    Deque<String> last = new ArrayDeque<>();
    for (String line : text.split("\\R")) {
      last.addLast(line);
      if (last.size() > lines) {
        last.removeFirst();
      }
    }
    while (!last.isEmpty() && last.peekLast().isEmpty()) {
      last.removeLast();
    }
    if (last.isEmpty()) {
      return "  (the console log is empty)\n";
    }
    StringBuilder sb = new StringBuilder();
    for (String line : last) {
      sb.append("  | ").append(ConsoleText.visible(line)).append('\n');
    }
    return sb.toString();
  }
}
