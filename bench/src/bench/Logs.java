package bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the benchmark reads back: Maven's timestamped log, the Maven JVM's threads and CPU, the nodes' stamps, /proc. */
final class Logs {
  static final String MAVEN_OPTS =
      "-Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS";
  private static final Pattern LINE =
      Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) \\[(\\w+)\\] ?(.*)$");
  private static final Pattern HEADER = Pattern.compile("^--- (\\S+):(\\S+):(\\S+) \\((\\S+)\\) @ (\\S+) ---$");

  private Logs() {}

  record Line(long time, String text) {}

  /** One mojo execution: from its header line to the first line of whatever Maven does next. */
  record Mojo(String plugin, String goal, int first, int last, long begin, long end) {
    long millis() {
      return end - begin;
    }
  }

  /** A Maven build log written with {@link #MAVEN_OPTS}. */
  static final class MavenLog {
    final List<Line> lines = new ArrayList<>();
    final List<Mojo> mojos = new ArrayList<>();

    static MavenLog read(Path file) throws IOException {
      MavenLog log = new MavenLog();
      for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        Matcher m = LINE.matcher(raw.replaceAll("\u001B\\[[0-9;]*[A-Za-z]", ""));
        if (m.matches()) {
          long t = LocalDateTime.parse(m.group(1)).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
          log.lines.add(new Line(t, m.group(3)));
        }
      }
      for (int i = 0; i < log.lines.size(); i++) {
        Matcher h = HEADER.matcher(log.lines.get(i).text);
        if (h.matches()) {
          int j = i + 1;
          while (j < log.lines.size() && !log.lines.get(j).text.matches("^(--- |-----|BUILD ).*")) {
            j++;
          }
          long end = log.lines.get(Math.min(j, log.lines.size() - 1)).time;
          log.mojos.add(new Mojo(h.group(1), h.group(3), i, j - 1, log.lines.get(i).time, end));
        }
      }
      return log;
    }

    List<Mojo> mojos(String plugin, String goal) {
      return mojos.stream().filter(m -> m.plugin.equals(plugin) && m.goal.equals(goal)).toList();
    }

    /** The first line at or after {@code from} whose text matches, or null. */
    Line find(int from, Pattern p) {
      return lines.subList(Math.max(0, from), lines.size()).stream().filter(l -> p.matcher(l.text).find()).findFirst().orElse(null);
    }

    /** Every line of a mojo whose text matches, in order. */
    List<Line> lines(Mojo mojo, Pattern p) {
      return lines.subList(mojo.first, mojo.last + 1).stream().filter(l -> p.matcher(l.text).find()).toList();
    }

    boolean succeeded() {
      return lines.stream().anyMatch(l -> l.text.equals("BUILD SUCCESS"));
    }
  }

  /**
   * The Maven JVM seen from /proc every 10 ms while it runs: {time ms, threads, CPU ms}; whenever the thread
   * count changes, the threads' names ({@code /proc/PID/task/TID/comm}, at most 15 characters) are read to
   * count those named {@code cluster-*}, the plugin's own, and to keep the names at the peak.
   */
  static final class Samples extends Thread {
    final List<long[]> rows = new ArrayList<>();
    private final long pid;
    volatile boolean done;
    int pluginThreads;
    String peakNames = "";

    Samples(long pid) {
      this.pid = pid;
      setDaemon(true);
      start();
    }

    @Override
    public void run() {
      long last = -1;
      while (!done) {
        try {
          String[] f = Files.readString(Paths.get("/proc/" + pid + "/stat")).replaceFirst(".*\\) ", "").split(" ");
          long threads = Long.parseLong(f[17]);
          synchronized (rows) {
            rows.add(new long[] {System.currentTimeMillis(), threads, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10});
          }
          if (threads != last) {
            Map<String, Integer> names = new TreeMap<>();
            try (Stream<Path> tasks = Files.list(Paths.get("/proc/" + pid + "/task"))) {
              tasks.forEach(t -> names.merge(comm(t), 1, Integer::sum));
            }
            pluginThreads = Math.max(pluginThreads, names.entrySet().stream().filter(e -> e.getKey().startsWith("cluster-"))
                .mapToInt(Map.Entry::getValue).sum());
            if (threads > rows.stream().limit(rows.size() - 1).mapToLong(r -> r[1]).max().orElse(0)) {
              peakNames = names.toString().replaceAll("[{}]", "").replace(", ", ";").replace('=', ':');
            }
            last = threads;
          }
          Thread.sleep(10);
        } catch (IOException | InterruptedException | RuntimeException exited) {
          return;
        }
      }
    }

    private static String comm(Path task) {
      try {
        return Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+", "#").replace(';', ',');
      } catch (IOException gone) {
        return "?";
      }
    }

    /** The last sample taken at or before {@code t}, or the first one. */
    long[] at(long t) {
      synchronized (rows) {
        return rows.stream().filter(r -> r[0] <= t).reduce((x, y) -> y).orElse(rows.isEmpty() ? new long[3] : rows.get(0));
      }
    }

    /** Highest value of column {@code col} among the samples in [from, to]. */
    long max(int col, long from, long to) {
      synchronized (rows) {
        return rows.stream().filter(r -> r[0] >= from && r[0] <= to).mapToLong(r -> r[col]).max().orElse(0);
      }
    }

    long cpuMillis(long from, long to) {
      return at(to)[2] - at(from)[2];
    }
  }

  /** What one BenchNode wrote to its stamp file (epoch ms, and the connections before its first 200; -1 when missing). */
  record Stamps(long launch, long open, long term, long exit, long touches) {
    static Stamps read(Path file) throws IOException {
      Map<String, Long> v = new HashMap<>();
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
          int eq = line.indexOf('=');
          if (eq > 0) {
            v.putIfAbsent(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
          }
        }
      }
      return new Stamps(v.getOrDefault("launch", -1L), v.getOrDefault("open", -1L), v.getOrDefault("term", -1L),
          v.getOrDefault("exit", -1L), v.getOrDefault("touches", -1L));
    }

    /** The node's own start time: from its fork to its port being open. */
    long ownStart() {
      return launch > 0 && open > 0 ? open - launch : -1;
    }
  }

  /** Processes whose command line contains {@code text}. */
  static List<ProcessHandle> withCommandLine(String text) {
    return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().map(c -> c.contains(text)).orElse(false)).toList();
  }

  /** Processes whose environment holds {@code NAME=value} (read from /proc/PID/environ). */
  static List<ProcessHandle> withEnvironment(String entry) throws IOException {
    try (Stream<Path> procs = Files.list(Paths.get("/proc"))) {
      return procs.filter(p -> p.getFileName().toString().matches("[0-9]+") && environ(p).contains("\0" + entry + "\0"))
          .flatMap(p -> ProcessHandle.of(Long.parseLong(p.getFileName().toString())).stream()).toList();
    }
  }

  private static String environ(Path proc) {
    try {
      return "\0" + new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.ISO_8859_1);
    } catch (IOException | SecurityException gone) {
      return ""; // exited meanwhile, or not ours
    }
  }
}
