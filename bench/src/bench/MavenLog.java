package bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Maven build log written with timestamps ({@code -Dorg.slf4j.simpleLogger.showDateTime=true} and
 * the format {@link #DATE_FORMAT}): its lines with their times, and the time span of each mojo.
 */
final class MavenLog {
  static final String DATE_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSS";
  static final String OPTS =
      "-Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=" + DATE_FORMAT;

  private static final Pattern LINE =
      Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) \\[(\\w+)\\] ?(.*)$");
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
  private static final Pattern HEADER =
      Pattern.compile("^--- (\\S+):(\\S+):(\\S+) \\((\\S+)\\) @ (\\S+) ---$");

  /** One timestamped line. */
  static final class Line {
    final long time;
    final String level;
    final String text;

    Line(long time, String level, String text) {
      this.time = time;
      this.level = level;
      this.text = text;
    }
  }

  /** One mojo execution: from its header line to the first line of whatever Maven does next. */
  static final class Mojo {
    final String plugin;
    final String goal;
    final String execution;
    final int first;
    final int last;
    final long begin;
    final long end;

    Mojo(String plugin, String goal, String execution, int first, int last, long begin, long end) {
      this.plugin = plugin;
      this.goal = goal;
      this.execution = execution;
      this.first = first;
      this.last = last;
      this.begin = begin;
      this.end = end;
    }

    long millis() {
      return end - begin;
    }
  }

  final List<Line> lines = new ArrayList<>();
  final List<Mojo> mojos = new ArrayList<>();

  static MavenLog read(Path file) throws IOException {
    MavenLog log = new MavenLog();
    ZoneId zone = ZoneId.systemDefault();
    for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      Matcher m = LINE.matcher(ANSI.matcher(raw).replaceAll(""));
      if (m.matches()) {
        long t = LocalDateTime.parse(m.group(1)).atZone(zone).toInstant().toEpochMilli();
        log.lines.add(new Line(t, m.group(2), m.group(3)));
      }
    }
    for (int i = 0; i < log.lines.size(); i++) {
      Matcher h = HEADER.matcher(log.lines.get(i).text);
      if (!h.matches()) {
        continue;
      }
      int j = i + 1;
      while (j < log.lines.size() && !isBoundary(log.lines.get(j).text)) {
        j++;
      }
      long end = j < log.lines.size() ? log.lines.get(j).time : log.lines.get(j - 1).time;
      log.mojos.add(new Mojo(h.group(1), h.group(3), h.group(4), i, j - 1, log.lines.get(i).time, end));
    }
    return log;
  }

  private static boolean isBoundary(String text) {
    return text.startsWith("--- ") || text.startsWith("-----") || text.startsWith("BUILD ");
  }

  List<Mojo> mojos(String plugin, String goal) {
    List<Mojo> found = new ArrayList<>();
    for (Mojo m : mojos) {
      if (m.plugin.equals(plugin) && m.goal.equals(goal)) {
        found.add(m);
      }
    }
    return found;
  }

  /** The first line at or after {@code from} whose text matches, or null. */
  Line find(int from, Pattern pattern) {
    for (int i = Math.max(0, from); i < lines.size(); i++) {
      if (pattern.matcher(lines.get(i).text).find()) {
        return lines.get(i);
      }
    }
    return null;
  }

  /** Every line of a mojo whose text matches, in order. */
  List<Matcher> matches(Mojo mojo, Pattern pattern) {
    List<Matcher> found = new ArrayList<>();
    for (int i = mojo.first; i <= mojo.last; i++) {
      Matcher m = pattern.matcher(lines.get(i).text);
      if (m.find()) {
        found.add(m);
      }
    }
    return found;
  }

  List<Line> lines(Mojo mojo, Pattern pattern) {
    List<Line> found = new ArrayList<>();
    for (int i = mojo.first; i <= mojo.last; i++) {
      if (pattern.matcher(lines.get(i).text).find()) {
        found.add(lines.get(i));
      }
    }
    return found;
  }

  boolean succeeded() {
    for (Line l : lines) {
      if (l.text.equals("BUILD SUCCESS")) {
        return true;
      }
    }
    return false;
  }
}
