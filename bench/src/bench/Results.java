package bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The measurements, one a row, in the long format of {@code results.csv}:
 * {@code scenario,tool,nodes,rep,item,metric,value,unit}. The report and the chart read only this.
 */
final class Results {
  static final String HEADER = "scenario,tool,nodes,rep,item,metric,value,unit";

  record Row(String scenario, String tool, int nodes, int rep, String item, String metric, double value, String unit) {
    String csv() {
      String v = value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.3f", value);
      return String.join(",", scenario, tool, Integer.toString(nodes), Integer.toString(rep), item, metric, v, unit);
    }
  }

  /** Median, min, max and count of some values; count 0 (and NaN) when there are none. */
  record Stat(double median, double min, double max, int count) {
    static Stat of(List<Double> values) {
      if (values.isEmpty()) {
        return new Stat(Double.NaN, Double.NaN, Double.NaN, 0);
      }
      List<Double> v = new ArrayList<>(values);
      Collections.sort(v);
      int n = v.size();
      return new Stat(n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2, v.get(0), v.get(n - 1), n);
    }

    boolean empty() {
      return count == 0;
    }

    Stat div(double by) {
      return new Stat(median / by, min / by, max / by, count);
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
      String text = (Files.exists(file) ? "" : HEADER + "\n") + row.csv() + "\n";
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file, e);
    }
  }

  static Results read(Path file) throws IOException {
    Results r = new Results(file);
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isEmpty() && !line.startsWith("scenario,")) {
        String[] f = line.split(",", -1);
        r.rows.add(new Row(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4], f[5], Double.parseDouble(f[6]), f[7]));
      }
    }
    return r;
  }

  List<Row> select(Predicate<Row> p) {
    return rows.stream().filter(p).toList();
  }

  /** nodes &lt; 0: any node count. */
  Stat stat(String scenario, String tool, int nodes, String metric) {
    return Stat.of(select(r -> r.scenario.equals(scenario) && r.tool.equals(tool) && (nodes < 0 || r.nodes == nodes)
        && r.metric.equals(metric)).stream().map(Row::value).toList());
  }

  double med(String scenario, String tool, int nodes, String metric) {
    return stat(scenario, tool, nodes, metric).median;
  }

  /** {@code a / b} for each repetition that has both (the same build), summarised. */
  Stat ratioPerRep(String scenario, String toolA, String a, String toolB, String b, int nodes) {
    List<Double> ratios = new ArrayList<>();
    for (Row x : select(r -> r.scenario.equals(scenario) && r.tool.equals(toolA) && r.nodes == nodes && r.metric.equals(a))) {
      for (Row y : select(r -> r.scenario.equals(scenario) && r.tool.equals(toolB) && r.nodes == nodes && r.metric.equals(b)
          && r.rep == x.rep && r.value > 0)) {
        ratios.add(x.value / y.value);
      }
    }
    return Stat.of(ratios);
  }

  /** Node counts measured in a scenario, ascending. */
  List<Integer> nodeCounts(String scenario) {
    TreeSet<Integer> n = new TreeSet<>();
    rows.stream().filter(r -> r.scenario.equals(scenario)).forEach(r -> n.add(r.nodes));
    return new ArrayList<>(n);
  }

  /** The item of the first row with this scenario and metric, or "". */
  String item(String scenario, int nodes, String metric) {
    return rows.stream().filter(r -> r.scenario.equals(scenario) && (nodes < 0 || r.nodes == nodes) && r.metric.equals(metric))
        .map(Row::item).findFirst().orElse("");
  }
}
