package bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The measurements, one a row, in the long format of {@code results.csv}:
 * {@code scenario,tool,nodes,rep,item,metric,value,unit}. The report and the chart read only this.
 */
final class Results {
  static final String HEADER = "scenario,tool,nodes,rep,item,metric,value,unit";

  /** One measurement. */
  static final class Row {
    final String scenario;
    final String tool;
    final int nodes;
    final int rep;
    final String item;
    final String metric;
    final double value;
    final String unit;

    Row(String scenario, String tool, int nodes, int rep, String item, String metric, double value, String unit) {
      this.scenario = scenario;
      this.tool = tool;
      this.nodes = nodes;
      this.rep = rep;
      this.item = item;
      this.metric = metric;
      this.value = value;
      this.unit = unit;
    }

    String csv() {
      String v = value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.3f", value);
      return String.join(",", scenario, tool, Integer.toString(nodes), Integer.toString(rep), item, metric, v, unit);
    }
  }

  final List<Row> rows = new ArrayList<>();
  private final Path file;

  Results(Path file) {
    this.file = file;
  }

  /** Adds a row and appends it to the file at once, so that an interrupted run keeps what it measured. */
  synchronized void add(String scenario, String tool, int nodes, int rep, String item, String metric, double value, String unit) {
    Row row = new Row(scenario, tool, nodes, rep, item, metric, value, unit);
    rows.add(row);
    try {
      if (!Files.exists(file)) {
        Files.write(file, (HEADER + "\n").getBytes(StandardCharsets.UTF_8));
      }
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND)) {
        w.write(row.csv() + "\n");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file, e);
    }
  }

  static Results read(Path file) throws IOException {
    Results r = new Results(file);
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isEmpty() || line.startsWith("scenario,")) {
        continue;
      }
      String[] f = line.split(",", -1);
      r.rows.add(new Row(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4], f[5], Double.parseDouble(f[6]), f[7]));
    }
    return r;
  }

  List<Double> values(String scenario, String tool, int nodes, String metric) {
    List<Double> v = new ArrayList<>();
    for (Row row : rows) {
      if (row.scenario.equals(scenario) && row.tool.equals(tool) && (nodes < 0 || row.nodes == nodes) && row.metric.equals(metric)) {
        v.add(row.value);
      }
    }
    return v;
  }

  Stat stat(String scenario, String tool, int nodes, String metric) {
    return Stat.of(values(scenario, tool, nodes, metric));
  }

  /** Node counts measured in a scenario, ascending. */
  List<Integer> nodeCounts(String scenario) {
    List<Integer> n = new ArrayList<>();
    for (Row row : rows) {
      if (row.scenario.equals(scenario) && !n.contains(row.nodes)) {
        n.add(row.nodes);
      }
    }
    Collections.sort(n);
    return n;
  }

  /** Median, min, max and count of some values; empty when there are none. */
  static final class Stat {
    final double median;
    final double min;
    final double max;
    final int count;

    private Stat(double median, double min, double max, int count) {
      this.median = median;
      this.min = min;
      this.max = max;
      this.count = count;
    }

    static Stat of(List<Double> values) {
      if (values.isEmpty()) {
        return new Stat(Double.NaN, Double.NaN, Double.NaN, 0);
      }
      List<Double> v = new ArrayList<>(values);
      Collections.sort(v);
      int n = v.size();
      double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
      return new Stat(median, v.get(0), v.get(n - 1), n);
    }

    boolean empty() {
      return count == 0;
    }
  }
}
