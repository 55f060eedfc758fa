package bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import javax.imageio.ImageIO;

/** Draws {@code chart.png} from the results (java.awt, headless): nine panels, one a scenario. */
final class Chart {
  static final Color CLUSTER = new Color(0x1f77b4);
  static final Color PROCESS_EXEC = new Color(0xff7f0e);
  static final Color EXEC = new Color(0x2ca02c);
  static final Color NODE = new Color(0x9a9a9a);
  static final Color RM = new Color(0x8c564b);

  private static final int H = 1000;

  private Chart() {}

  /** A series of bars: one value (median, min, max) per group. */
  record Series(String name, Color color, List<Results.Stat> stats) {}

  /** One panel: groups along x, a bar per series in each group; a dashed line at the target, if any. */
  static final class Panel {
    final String title;
    final String unit;
    final boolean log;
    final double target;
    final String targetLabel;
    final List<String> groups = new ArrayList<>();
    final List<List<Results.Stat>> values = new ArrayList<>();
    final List<Series> series = new ArrayList<>();

    Panel(String title, String unit, boolean log, double target, String targetLabel) {
      this.title = title;
      this.unit = unit;
      this.log = log;
      this.target = target;
      this.targetLabel = targetLabel;
    }

    void group(String name, List<Results.Stat> stats) {
      groups.add(name);
      values.add(stats);
    }

    /** Names and colours of the series, in the order of each group's stats. */
    void series(Object... nameColor) {
      for (int i = 0; i < nameColor.length; i += 2) {
        int k = i / 2;
        series.add(new Series((String) nameColor[i], (Color) nameColor[i + 1], values.stream().map(v -> v.get(k)).toList()));
      }
    }
  }

  static void write(Results r, Path out) throws IOException {
    List<Panel> panels = new ArrayList<>();
    List<Integer> ns = r.nodeCounts("start");
    Panel start = new Panel("1. Start: goal begins -> all N nodes ready", "s", true, Double.NaN, "");
    panels.add(start);
    for (int n : ns) {
      start.group("N=" + n, List.of(r.stat("start", "cluster", n, "start_ms").div(1000), r.stat("start", "process-exec", n, "start_ms").div(1000),
          r.stat("start", "cluster", n, "slowest_node_start_ms").div(1000), r.stat("start", "exec", n, "launch_ms").div(1000)));
    }
    start.series("cluster-maven-plugin", CLUSTER, "process-exec-maven-plugin", PROCESS_EXEC, "slowest node's own start", NODE,
        "exec-maven-plugin async (launch only)", EXEC);
    Panel ready = new Panel("2. Readiness: port open -> plugin says ready", "ms", true, 10, "target 10 ms");
    panels.add(ready);
    for (int n : r.nodeCounts("readiness")) {
      ready.group("N=" + n, List.of(r.stat("readiness", "cluster", n, "latency_ms"), r.stat("readiness", "process-exec", n, "latency_ms")));
    }
    ready.series("cluster-maven-plugin", CLUSTER, "process-exec-maven-plugin", PROCESS_EXEC);
    Panel stop = new Panel("3. Stop: N nodes lingering 1 s after SIGTERM", "s", true, 1.1, "target 1.1 s");
    panels.add(stop);
    for (int n : r.nodeCounts("stop")) {
      stop.group("N=" + n, List.of(r.stat("stop", "cluster", n, "stop_ms").div(1000), r.stat("stop", "process-exec", n, "stop_ms").div(1000)));
    }
    stop.series("cluster-maven-plugin (stop)", CLUSTER, "process-exec-maven-plugin (stop-all)", PROCESS_EXEC);
    Panel clean = new Panel("4. Cleanup: delete a cluster dir of small files", "s", false, Double.NaN, "");
    panels.add(clean);
    for (int n : r.nodeCounts("cleanup")) {
      clean.group(r.item("cleanup", n, "delete_ms").replaceAll("files=([0-9]+).*", "$1") + " files, " + n + " nodes",
          List.of(r.stat("cleanup", "cluster", n, "delete_ms").div(1000), r.stat("cleanup", "rm-rf", n, "delete_ms").div(1000)));
    }
    clean.series("SafeDelete.deleteTree", CLUSTER, "rm -rf", RM);
    Panel over = new Panel("5. Overhead: small project, 1 node", "s", false, Double.NaN, "");
    panels.add(over);
    for (String metric : List.of("verify_ms", "goals_ms")) {
      over.group(metric.equals("goals_ms") ? "the goals' own time" : "mvn verify", List.of(r.stat("overhead", "none", 1, metric).div(1000),
          r.stat("overhead", "cluster", 1, metric).div(1000), r.stat("overhead", "process-exec", 1, metric).div(1000),
          r.stat("overhead", "exec", 1, metric).div(1000)));
    }
    over.series("without any plugin", NODE, "cluster-maven-plugin", CLUSTER, "process-exec-maven-plugin", PROCESS_EXEC,
        "exec-maven-plugin async", EXEC);
    Panel threads = new Panel("6. Maven JVM: peak threads (/proc) in start+stop", "threads", false, Double.NaN, "");
    panels.add(threads);
    for (int n : new java.util.TreeSet<>(java.util.stream.Stream.concat(ns.stream(), r.nodeCounts("scale").stream()).toList())) {
      String scenario = ns.contains(n) ? "start" : "scale";
      threads.group("N=" + n, List.of(r.stat(scenario, "cluster", n, "peak_threads"), r.stat(scenario, "cluster", n, "plugin_threads"),
          r.stat("start", "process-exec", n, "peak_threads"), r.stat("start", "exec", n, "peak_threads")));
    }
    threads.series("cluster-maven-plugin", CLUSTER, "of which named cluster-*", NODE, "process-exec-maven-plugin", PROCESS_EXEC,
        "exec-maven-plugin async", EXEC);
    Panel order = new Panel("7. Stop of a 3-member etcd cluster", "s", false, Double.NaN, "");
    panels.add(order);
    for (String o : List.of("sequential", "parallel")) {
      order.group("stopOrder " + o, List.of(r.stat("stoporder", o, 3, "stop_ms").div(1000), r.stat("stoporder", o, 3, "max_node_stop_ms").div(1000)));
    }
    order.series("stop goal", CLUSTER, "slowest node's stop", NODE);
    Panel freeze = new Panel("8. Stop of a node forking fast", "s / processes", true, Double.NaN, "");
    panels.add(freeze);
    freeze.group("stop goal (s)", List.of(r.stat("freeze", "cluster", 1, "stop_ms").div(1000), r.stat("freeze", "process-exec", 1, "stop_ms").div(1000)));
    freeze.group("left after Maven exited", List.of(r.stat("freeze", "cluster", 1, "left_running"), r.stat("freeze", "process-exec", 1, "left_running")));
    freeze.series("cluster-maven-plugin", CLUSTER, "process-exec-maven-plugin", PROCESS_EXEC);
    Panel hosts = new Panel("9. 9 nodes: on the build machine, on 3 SSH hosts", "s", false, Double.NaN, "");
    panels.add(hosts);
    for (String metric : List.of("start_ms", "stop_ms")) {
      String sc = metric.equals("start_ms") ? "hosts" : "hosts-stop";
      hosts.group(metric.replace("_ms", ""), List.of(r.stat(sc, "local", 9, metric).div(1000), r.stat(sc, "3-hosts", 9, metric).div(1000)));
    }
    hosts.series("build machine", CLUSTER, "3 hosts x 3 nodes over SSH", NODE);

    int cols = (panels.size() + 1) / 2;
    int width = 20 + 540 * cols;
    BufferedImage img = new BufferedImage(width, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, H);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.drawString("cluster-maven-plugin benchmarks: bars are medians, whiskers min-max (bench/results/results.csv)", 20, 28);
    int pw = (width - 20) / cols;
    int ph = (H - 50) / 2;
    for (int i = 0; i < panels.size(); i++) {
      draw(g, panels.get(i), 10 + (i % cols) * pw, 45 + (i / cols) * ph, pw - 10, ph - 10);
    }
    g.dispose();
    ImageIO.write(img, "png", out.toFile());
  }

  private static void draw(Graphics2D g, Panel p, int x, int y, int w, int h) {
    g.setColor(new Color(0xf7f7f7));
    g.fillRect(x, y, w, h);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(p.title, x + 10, y + 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    int ly = y + 38;
    for (Series s : p.series) { // legend
      g.setColor(s.color());
      g.fillRect(x + 12, ly - 10, 12, 12);
      g.setColor(Color.BLACK);
      g.drawString(s.name(), x + 30, ly);
      ly += 16;
    }
    int top = ly + 12;
    int left = x + 58;
    int bottom = y + h - 40;
    int right = x + w - 12;
    double max = Double.isNaN(p.target) ? 0 : p.target;
    double min = Double.isNaN(p.target) ? Double.MAX_VALUE : p.target;
    for (Series s : p.series) {
      for (Results.Stat st : s.stats()) {
        max = st.empty() ? max : Math.max(max, st.max());
        min = st.empty() || st.min() <= 0 ? min : Math.min(min, st.min());
      }
    }
    if (max <= 0) {
      g.drawString("no data", left + 20, (top + bottom) / 2);
      return;
    }
    double lo = p.log ? Math.pow(10, Math.floor(Math.log10(Math.max(min * 0.5, 1e-3)))) : 0;
    double hi = p.log ? Math.pow(10, Math.ceil(Math.log10(max * 1.05))) : niceCeil(max * 1.12);
    DoubleUnaryOperator ypos = v -> bottom - (bottom - top) * (p.log
        ? (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo));
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    double step = niceCeil(hi / 5);
    for (double t = lo; t <= hi * 1.0001; t = p.log ? t * 10 : t + step) { // grid and y labels
      int ty = (int) ypos.applyAsDouble(t);
      g.setColor(new Color(0xdddddd));
      g.drawLine(left, ty, right, ty);
      g.setColor(Color.DARK_GRAY);
      g.drawString(fmt(t), left - 6 - g.getFontMetrics().stringWidth(fmt(t)), ty + 4);
    }
    g.setColor(Color.BLACK);
    g.drawLine(left, top, left, bottom);
    g.drawLine(left, bottom, right, bottom);
    Graphics2D rot = (Graphics2D) g.create();
    rot.rotate(-Math.PI / 2);
    rot.drawString(p.unit + (p.log ? " (log scale)" : ""), -(top + bottom) / 2 - 30, x + 14);
    rot.dispose();
    int gw = (right - left) / Math.max(1, p.groups.size());
    int bw = Math.max(6, (gw - 20) / Math.max(1, p.series.size()));
    for (int gi = 0; gi < p.groups.size(); gi++) { // bars with whiskers
      for (int si = 0; si < p.series.size(); si++) {
        Results.Stat st = p.series.get(si).stats().get(gi);
        int cx = left + gi * gw + 10 + si * bw + bw / 2;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        if (st.empty()) {
          g.setColor(Color.GRAY);
          centered(g, "n/a", cx, bottom - 4);
          continue;
        }
        int by = (int) ypos.applyAsDouble(st.median());
        int ymin = (int) ypos.applyAsDouble(st.min());
        int ymax = (int) ypos.applyAsDouble(st.max());
        g.setColor(p.series.get(si).color());
        g.fillRect(cx - bw / 2 + 1, by, bw - 2, bottom - by);
        g.setColor(Color.BLACK);
        g.drawLine(cx, ymin, cx, ymax);
        g.drawLine(cx - 3, ymin, cx + 3, ymin);
        g.drawLine(cx - 3, ymax, cx + 3, ymax);
        centered(g, fmt(st.median()), cx, Math.min(by, ymax) - 3);
      }
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      centered(g, p.groups.get(gi), left + gi * gw + gw / 2, bottom + 16);
    }
    if (!Double.isNaN(p.target)) {
      int ty = (int) ypos.applyAsDouble(p.target);
      g.setColor(new Color(0xd62728));
      g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      g.drawLine(left, ty, right, ty);
      g.setStroke(new BasicStroke(1f));
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
      g.drawString(p.targetLabel, right - g.getFontMetrics().stringWidth(p.targetLabel) - 14, ty - 4);
    }
  }

  private static void centered(Graphics2D g, String s, int cx, int y) {
    g.drawString(s, cx - g.getFontMetrics().stringWidth(s) / 2, y);
  }

  static String fmt(double v) {
    double a = Math.abs(v);
    return String.format(Locale.ROOT, v == Math.rint(v) || a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 0.1 ? "%.2f" : "%.3f", v);
  }

  private static double niceCeil(double v) {
    double e = Math.pow(10, Math.floor(Math.log10(Math.max(v, 1e-9))));
    for (double m : new double[] {1, 2, 2.5, 5}) {
      if (m * e >= v) {
        return m * e;
      }
    }
    return 10 * e;
  }
}
