package bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Draws {@code chart.png} from the results (java.awt, headless): six panels, one a scenario. */
final class Chart {
  static final Color CLUSTER = new Color(0x1f77b4);
  static final Color PROCESS_EXEC = new Color(0xff7f0e);
  static final Color EXEC = new Color(0x2ca02c);
  static final Color NODE = new Color(0x9a9a9a);
  static final Color NONE = new Color(0x9a9a9a);
  static final Color RM = new Color(0x8c564b);

  private static final int W = 1650;
  private static final int H = 1000;

  private Chart() {}

  /** A series of bars: one value (median, min, max) per group. */
  static final class Series {
    final String name;
    final Color color;
    final List<Results.Stat> stats = new ArrayList<>();

    Series(String name, Color color) {
      this.name = name;
      this.color = color;
    }
  }

  /** One panel: groups along x, a bar per series in each group. */
  static final class Panel {
    final String title;
    final String unit;
    final boolean log;
    final List<String> groups = new ArrayList<>();
    final List<Series> series = new ArrayList<>();
    double target = Double.NaN;
    String targetLabel = "";

    Panel(String title, String unit, boolean log) {
      this.title = title;
      this.unit = unit;
      this.log = log;
    }

    Series add(String name, Color color) {
      Series s = new Series(name, color);
      series.add(s);
      return s;
    }
  }

  static void write(Results r, Path out) throws IOException {
    List<Panel> panels = new ArrayList<>();
    double sec = 1000.0;

    List<Integer> ns = r.nodeCounts("start");
    Panel start = new Panel("1. Start: goal begins -> all N nodes ready", "s", true);
    Series sc = start.add("cluster-maven-plugin", CLUSTER);
    Series sp = start.add("process-exec-maven-plugin", PROCESS_EXEC);
    Series so = start.add("slowest node's own start", NODE);
    Series se = start.add("exec-maven-plugin async (launch only)", EXEC);
    for (int n : ns) {
      start.groups.add("N=" + n);
      sc.stats.add(scale(r.stat("start", "cluster", n, "start_ms"), sec));
      sp.stats.add(scale(r.stat("start", "process-exec", n, "start_ms"), sec));
      so.stats.add(scale(r.stat("start", "cluster", n, "slowest_node_start_ms"), sec));
      se.stats.add(scale(r.stat("start", "exec", n, "launch_ms"), sec));
    }
    panels.add(start);

    Panel ready = new Panel("2. Readiness: port open -> plugin says ready (median)", "ms", true);
    Series rc = ready.add("cluster-maven-plugin", CLUSTER);
    Series rp = ready.add("process-exec-maven-plugin", PROCESS_EXEC);
    for (int n : r.nodeCounts("readiness")) {
      ready.groups.add("N=" + n);
      rc.stats.add(r.stat("readiness", "cluster", n, "latency_ms"));
      rp.stats.add(r.stat("readiness", "process-exec", n, "latency_ms"));
    }
    ready.target = 20;
    ready.targetLabel = "target 20 ms";
    panels.add(ready);

    Panel stop = new Panel("3. Stop: N nodes lingering 1 s after SIGTERM", "s", true);
    Series tc = stop.add("cluster-maven-plugin (stop goal)", CLUSTER);
    Series tp = stop.add("process-exec-maven-plugin (stop-all)", PROCESS_EXEC);
    for (int n : r.nodeCounts("stop")) {
      stop.groups.add("N=" + n);
      tc.stats.add(scale(r.stat("stop", "cluster", n, "stop_ms"), sec));
      tp.stats.add(scale(r.stat("stop", "process-exec", n, "stop_ms"), sec));
    }
    stop.target = 1.3;
    stop.targetLabel = "target 1.3 s";
    panels.add(stop);

    Panel clean = new Panel("4. Cleanup: delete a cluster dir of small files", "s", false);
    Series cc = clean.add("SafeDelete.deleteTree", CLUSTER);
    Series cr = clean.add("rm -rf", RM);
    Series cj = clean.add("Java SecureDirectoryStream (reference)", NODE);
    for (int n : r.nodeCounts("cleanup")) {
      String files = "";
      for (Results.Row row : r.rows) {
        if (row.scenario.equals("cleanup") && row.nodes == n) {
          files = row.item.replaceAll("files=([0-9]+).*", "$1");
          break;
        }
      }
      clean.groups.add(files + " files, " + n + " nodes");
      cc.stats.add(scale(r.stat("cleanup", "cluster", n, "delete_ms"), sec));
      cr.stats.add(scale(r.stat("cleanup", "rm-rf", n, "delete_ms"), sec));
      cj.stats.add(scale(r.stat("cleanup", "java-sds", n, "delete_ms"), sec));
    }
    panels.add(clean);

    Panel over = new Panel("5. Overhead: mvn verify, small project, 1 node", "s", false);
    over.groups.add("wall time of mvn verify");
    String[][] variants = {
      {"none", "without any plugin"}, {"cluster", "cluster-maven-plugin"},
      {"process-exec", "process-exec-maven-plugin"}, {"exec", "exec-maven-plugin async"}
    };
    Color[] colors = {NONE, CLUSTER, PROCESS_EXEC, EXEC};
    for (int i = 0; i < variants.length; i++) {
      over.add(variants[i][1], colors[i]).stats.add(scale(r.stat("overhead", variants[i][0], 1, "verify_ms"), sec));
    }
    panels.add(over);

    Panel threads = new Panel("6. Maven JVM: peak live threads during start+stop", "threads", false);
    Series hc = threads.add("cluster-maven-plugin", CLUSTER);
    Series hp = threads.add("process-exec-maven-plugin", PROCESS_EXEC);
    Series he = threads.add("exec-maven-plugin async", EXEC);
    List<Integer> all = new ArrayList<>(ns);
    for (int n : r.nodeCounts("scale")) {
      if (!all.contains(n)) {
        all.add(n);
      }
    }
    for (int n : all) {
      threads.groups.add("N=" + n);
      String scenario = ns.contains(n) ? "start" : "scale";
      hc.stats.add(r.stat(scenario, "cluster", n, "peak_threads"));
      hp.stats.add(r.stat("start", "process-exec", n, "peak_threads"));
      he.stats.add(r.stat("start", "exec", n, "peak_threads"));
    }
    panels.add(threads);

    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    g.drawString("cluster-maven-plugin benchmarks: bars are medians, whiskers min-max (bench/results/results.csv)", 20, 28);
    int cols = 3;
    int pw = (W - 20) / cols;
    int ph = (H - 50) / 2;
    for (int i = 0; i < panels.size(); i++) {
      draw(g, panels.get(i), 10 + (i % cols) * pw, 45 + (i / cols) * ph, pw - 10, ph - 10);
    }
    g.dispose();
    ImageIO.write(img, "png", out.toFile());
  }

  private static Results.Stat scale(Results.Stat s, double by) {
    if (s.empty()) {
      return s;
    }
    List<Double> v = new ArrayList<>();
    v.add(s.median / by);
    v.add(s.min / by);
    v.add(s.max / by);
    Results.Stat t = Results.Stat.of(v);
    return t;
  }

  private static void draw(Graphics2D g, Panel p, int x, int y, int w, int h) {
    g.setColor(new Color(0xf7f7f7));
    g.fillRect(x, y, w, h);
    g.setColor(new Color(0xcccccc));
    g.drawRect(x, y, w, h);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(p.title, x + 10, y + 20);

    // Legend
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    int ly = y + 38;
    for (Series s : p.series) {
      g.setColor(s.color);
      g.fillRect(x + 12, ly - 10, 12, 12);
      g.setColor(Color.BLACK);
      g.drawString(s.name, x + 30, ly);
      ly += 16;
    }
    int top = ly + 12;
    int left = x + 58;
    int bottom = y + h - 40;
    int right = x + w - 12;

    double max = 0;
    double min = Double.MAX_VALUE;
    for (Series s : p.series) {
      for (Results.Stat st : s.stats) {
        if (!st.empty()) {
          max = Math.max(max, st.max);
          if (st.min > 0) {
            min = Math.min(min, st.min);
          }
        }
      }
    }
    if (!Double.isNaN(p.target)) {
      max = Math.max(max, p.target);
      min = Math.min(min, p.target);
    }
    if (max <= 0) {
      g.drawString("no data", left + 20, (top + bottom) / 2);
      return;
    }
    double lo;
    double hi;
    if (p.log) {
      lo = Math.pow(10, Math.floor(Math.log10(Math.max(min * 0.5, 1e-3))));
      hi = Math.pow(10, Math.ceil(Math.log10(max * 1.05)));
    } else {
      lo = 0;
      hi = niceCeil(max * 1.12);
    }
    final double flo = lo;
    final double fhi = hi;
    java.util.function.DoubleUnaryOperator ypos = v -> {
      double f = p.log
          ? (Math.log10(Math.max(v, flo)) - Math.log10(flo)) / (Math.log10(fhi) - Math.log10(flo))
          : (v - flo) / (fhi - flo);
      return bottom - f * (bottom - top);
    };

    // Grid and y labels
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    List<Double> ticks = new ArrayList<>();
    if (p.log) {
      for (double t = lo; t <= hi * 1.0001; t *= 10) {
        ticks.add(t);
      }
    } else {
      double step = niceCeil(hi / 5);
      for (double t = 0; t <= hi * 1.0001; t += step) {
        ticks.add(t);
      }
    }
    for (double t : ticks) {
      int ty = (int) ypos.applyAsDouble(t);
      g.setColor(new Color(0xdddddd));
      g.drawLine(left, ty, right, ty);
      g.setColor(Color.DARK_GRAY);
      String label = fmt(t);
      g.drawString(label, left - 6 - g.getFontMetrics().stringWidth(label), ty + 4);
    }
    g.setColor(Color.BLACK);
    g.drawLine(left, top, left, bottom);
    g.drawLine(left, bottom, right, bottom);
    Graphics2D rot = (Graphics2D) g.create();
    rot.rotate(-Math.PI / 2);
    rot.drawString(p.unit + (p.log ? " (log scale)" : ""), -(top + bottom) / 2 - 30, x + 14);
    rot.dispose();

    // Bars
    int groups = p.groups.size();
    int gw = (right - left) / Math.max(1, groups);
    int nSeries = p.series.size();
    int bw = Math.max(6, (gw - 20) / Math.max(1, nSeries));
    FontMetrics fm = g.getFontMetrics();
    for (int gi = 0; gi < groups; gi++) {
      int gx = left + gi * gw + 10;
      for (int si = 0; si < nSeries; si++) {
        Series s = p.series.get(si);
        if (gi >= s.stats.size()) {
          continue;
        }
        Results.Stat st = s.stats.get(gi);
        int bx = gx + si * bw;
        if (st.empty()) {
          g.setColor(Color.GRAY);
          g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 10));
          drawCentered(g, "n/a", bx + bw / 2, bottom - 4);
          continue;
        }
        int by = (int) ypos.applyAsDouble(st.median);
        g.setColor(s.color);
        g.fillRect(bx + 1, by, bw - 2, bottom - by);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.2f));
        int ymin = (int) ypos.applyAsDouble(st.min);
        int ymax = (int) ypos.applyAsDouble(st.max);
        int cx = bx + bw / 2;
        g.drawLine(cx, ymin, cx, ymax);
        g.drawLine(cx - 3, ymin, cx + 3, ymin);
        g.drawLine(cx - 3, ymax, cx + 3, ymax);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        drawCentered(g, fmt(st.median), cx, Math.min(by, ymax) - 3);
      }
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      drawCentered(g, p.groups.get(gi), left + gi * gw + gw / 2, bottom + 16);
    }
    if (!Double.isNaN(p.target)) {
      int ty = (int) ypos.applyAsDouble(p.target);
      g.setColor(new Color(0xd62728));
      g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      g.drawLine(left, ty, right, ty);
      g.setStroke(new BasicStroke(1f));
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
      g.drawString(p.targetLabel, right - fm.stringWidth(p.targetLabel) - 14, ty - 4);
    }
    g.setStroke(new BasicStroke(1f));
  }

  private static void drawCentered(Graphics2D g, String s, int cx, int y) {
    g.drawString(s, cx - g.getFontMetrics().stringWidth(s) / 2, y);
  }

  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e6) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (Math.abs(v) >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (Math.abs(v) >= 0.1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static double niceCeil(double v) {
    if (v <= 0) {
      return 1;
    }
    double e = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * e >= v) {
        return m * e;
      }
    }
    return 10 * e;
  }
}
