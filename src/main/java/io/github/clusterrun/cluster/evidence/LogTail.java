package io.github.clusterrun.cluster.evidence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The last lines of a node's console log, read from the end so a huge log costs nothing. Control
 * characters in the lines are shown visibly ({@link ConsoleText#visible}): a line that starts with a
 * colour code does not look like the plain text it is not.
 *
 * <p>A graceful stop makes nodes print a lot (Kafka and etcd fill 20 lines with it), so the
 * evidence of a failed test run is the log as it was when the stop began: {@link #mark} the log
 * before the stop, show {@link #upTo} the mark, and, briefly, the {@link #shutdownProblems} printed
 * after it.
 */
public final class LogTail {
  private static final String EMPTY = "  (the console log is empty)\n";
  private static final String EMPTY_AT_STOP = "  (the console log was empty when the stop began)\n";

  /** Whether a tail says that the log held nothing (when the stop began). */
  public static boolean isEmpty(String tail) {
    return tail.equals(EMPTY) || tail.equals(EMPTY_AT_STOP);
  }

  private static final int MAX_BYTES = 64 * 1024;
  /** What {@link #shutdownProblems} reads after the mark at most: a stop's output, not a new life. */
  private static final long MAX_SHUTDOWN_BYTES = 8L * 1024 * 1024;

  /**
   * The level of a line: a level word of the usual loggers (log4j, logback, JUL, Go, Redis {@code #
   * WARNING}, PostgreSQL), or a JSON or logfmt level (etcd, zap, logrus). Group 1 or 3: a warning or
   * an error; group 2 or 4: a lower level. The first one in the line is the line's level.
   */
  static final Pattern LEVEL =
      Pattern.compile(
          "\\b(?:(WARN|WARNING|ERROR|FATAL|SEVERE|PANIC|CRITICAL)|(INFO|DEBUG|TRACE|FINE|FINER|FINEST|NOTICE))\\b"
              + "|\\blevel\"?\\s*[:=]\\s*\"?(?i:(warn|warning|error|fatal|panic|dpanic|crit|critical)"
              + "|(info|debug|trace|notice))\\b");

  /** An exception's class name: the first line of a stack trace, or its {@code Caused by:}. */
  private static final Pattern EXCEPTION = Pattern.compile("\\b\\w*Exception\\b");

  /**
   * Whether a line looks like a warning or an error: its level (the first level word in it) is
   * warn or above, or it has no level and names an exception (a stack trace's header). An INFO
   * line that mentions an exception is not one. Matched against the line without its terminal
   * escapes.
   */
  static boolean isProblem(String line) {
    String text = ConsoleText.withoutEscapes(line);
    java.util.regex.Matcher level = LEVEL.matcher(text);
    if (level.find()) {
      return level.group(1) != null || level.group(3) != null;
    }
    return EXCEPTION.matcher(text).find();
  }

  private LogTail() {}

  /** Where a console log ended at one moment. */
  public static final class Mark {
    private final Path file;
    private final long offset;

    private Mark(Path file, long offset) {
      this.file = file;
      this.offset = offset;
    }

    public Path file() {
      return file;
    }

    /** The log's size in bytes when it was marked; 0 when it did not exist. */
    public long offset() {
      return offset;
    }

    /** The last {@code lines} lines the log held at the mark: {@link LogTail#upTo}. */
    public String tail(int lines) {
      return upTo(file, offset, lines);
    }

    /** The problem lines written after the mark: {@link LogTail#shutdownProblems}. */
    public String problemsSince(int maxLines) {
      return shutdownProblems(file, offset, maxLines);
    }

    @Override
    public String toString() {
      return file + "@" + offset;
    }
  }

  /** Remembers where {@code file} ends now, so that what is written later can be told apart. */
  public static Mark mark(Path file) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      size = 0;
    }
    return new Mark(file, size);
  }

  /** The last {@code lines} lines of {@code file}, each prefixed for the build log. */
  public static String of(Path file, int lines) {
    return upTo(file, Long.MAX_VALUE, lines);
  }

  /**
   * The last {@code lines} lines of the first {@code offset} bytes of {@code file}: what it held
   * when it was {@link #mark marked}, whatever was appended since.
   */
  public static String upTo(Path file, long offset, int lines) {
    if (lines <= 0) {
      return "";
    }
    if (!Files.isRegularFile(file)) {
      return "  (no console log at " + file + ")\n";
    }
    String text;
    long length;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      length = raf.length();
      long end = Math.min(length, Math.max(0, offset));
      long from = Math.max(0, end - MAX_BYTES);
      byte[] bytes = new byte[(int) (end - from)];
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
      return offset < length ? EMPTY_AT_STOP : EMPTY;
    }
    StringBuilder sb = new StringBuilder();
    for (String line : last) {
      sb.append("  | ").append(ConsoleText.visible(line)).append('\n');
    }
    return sb.toString();
  }

  /**
   * The first {@code maxLines} lines written to {@code file} after {@code fromOffset} that look like
   * a warning or an error ({@link #isProblem}: WARN, ERROR, FATAL, …, or a stack trace's header),
   * each prefixed for the build log, and how many
   * more there are; empty when there is none. Shows what a node's shutdown complained about without
   * the rest of its shutdown chatter.
   */
  public static String shutdownProblems(Path file, long fromOffset, int maxLines) {
    if (maxLines <= 0 || !Files.isRegularFile(file)) {
      return "";
    }
    List<String> found = new ArrayList<>();
    int more = 0;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long start = Math.max(0, fromOffset);
      if (channel.size() <= start) {
        return "";
      }
      channel.position(start);
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(
                  Channels.newInputStream(channel),
                  StandardCharsets.UTF_8
                      .newDecoder()
                      .onMalformedInput(CodingErrorAction.REPLACE)
                      .onUnmappableCharacter(CodingErrorAction.REPLACE)));
      long read = 0;
      String line;
      while (read < MAX_SHUTDOWN_BYTES && (line = reader.readLine()) != null) {
        read += line.length() + 1;
        if (isProblem(line)) {
          if (found.size() < maxLines) {
            found.add(line);
          } else {
            more++;
          }
        }
      }
    } catch (IOException e) {
      return "  (cannot read " + file + ": " + e.getMessage() + ")\n";
    }
    StringBuilder sb = new StringBuilder();
    for (String line : found) {
      sb.append("  | ").append(ConsoleText.visible(line)).append('\n');
    }
    if (more > 0) {
      sb.append("  (").append(more).append(more == 1 ? " more such line" : " more such lines").append(")\n");
    }
    return sb.toString();
  }
}
