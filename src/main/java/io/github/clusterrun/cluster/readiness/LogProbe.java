package io.github.clusterrun.cluster.readiness;

import io.github.clusterrun.cluster.evidence.ConsoleText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * Holds once a line of the node's console log matches a regular expression. Reads only what was
 * appended since the last check, so a check costs one {@code read} however large the log grows. A
 * line is matched as a terminal shows it, without its escape sequences ({@link
 * ConsoleText#withoutEscapes}): {@code redis-cli} leaves {@code ESC[0m} at the start of the next
 * line, and {@code ^Ready} must still match it.
 */
public final class LogProbe implements Probe {
  private static final int MAX_PARTIAL_LINE = 64 * 1024;

  private final Path file;
  private final Pattern pattern;
  private long offset;
  private final StringBuilder partial = new StringBuilder();
  private volatile String lastFailure = "";

  public LogProbe(Path file, Pattern pattern) {
    this.file = file;
    this.pattern = pattern;
  }

  /**
   * This probe, reading from byte {@code position} on: a node started again (issue 12) appends to
   * the log of its earlier life, whose ready line must not count.
   */
  public synchronized LogProbe from(long position) {
    offset = position;
    partial.setLength(0);
    return this;
  }

  @Override
  public synchronized boolean check() {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < offset) {
        offset = 0; // truncated or replaced
        partial.setLength(0);
      }
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      channel.position(offset);
      int n;
      while ((n = channel.read(buffer)) > 0) {
        offset += n;
        buffer.flip();
        if (scan(StandardCharsets.UTF_8.decode(buffer).toString())) {
          return true;
        }
        buffer.clear();
      }
      // A last line without its newline yet still counts: some nodes print a prompt.
      if (matches(partial)) {
        return true;
      }
      lastFailure = "no line matched yet";
      return false;
    } catch (NoSuchFileException e) {
      lastFailure = "no console log yet";
      return false;
    } catch (IOException e) {
      lastFailure = e.toString();
      return false;
    }
  }

  private boolean scan(String chunk) {
    for (int i = 0; i < chunk.length(); i++) {
      char c = chunk.charAt(i);
      if (c == '\n') {
        if (matches(partial)) {
          return true;
        }
        partial.setLength(0);
      } else if (c != '\r' && partial.length() < MAX_PARTIAL_LINE) {
        partial.append(c);
      }
    }
    return false;
  }

  private boolean matches(CharSequence line) {
    return pattern.matcher(ConsoleText.withoutEscapes(line)).find();
  }

  /** Reading the node's log is invisible to it. */
  @Override
  public boolean touchesNode() {
    return false;
  }

  @Override
  public String describe() {
    return "log /" + pattern.pattern() + "/ in " + file;
  }

  @Override
  public String lastFailure() {
    return lastFailure;
  }
}
