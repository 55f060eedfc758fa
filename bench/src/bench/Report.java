package bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes {@code RESULTS.md} from the results and the machine description. */
final class Report {
  private final Results r;
  private final StringBuilder md = new StringBuilder();

  private Report(Results r) {
    this.r = r;
  }

  static void write(Results results, Path machineFile, Path out) throws IOException {
    Report report = new Report(results);
    Map<String, String> machine = readMachine(machineFile);
    report.render(machine);
    Files.writeString(out, report.md.toString(), StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ formatting

  /** A duration: ms below 1 s, seconds above. */
  static String t(double ms) {
    if (Double.isNaN(ms)) {
      return "n/a";
    }
    if (Math.abs(ms) < 1000) {
      return String.format(Locale.ROOT, "%.0f ms", ms);
    }
    return String.format(Locale.ROOT, "%.2f s", ms / 1000);
  }

  /** median (min–max) of a duration. */
  static String t(Results.Stat s) {
    if (s.empty()) {
      return "n/a";
    }
    if (s.count == 1) {
      return t(s.median);
    }
    if (s.max < 1000) {
      return String.format(Locale.ROOT, "%.0f ms (%.0f–%.0f)", s.median, s.min, s.max);
    }
    return String.format(Locale.ROOT, "%.2f s (%.2f–%.2f)", s.median / 1000, s.min / 1000, s.max / 1000);
  }

  /** median (min–max) of a plain number. */
  static String n(Results.Stat s) {
    if (s.empty()) {
      return "n/a";
    }
    if (s.count == 1 || s.min == s.max) {
      return String.format(Locale.ROOT, "%.0f", s.median);
    }
    return String.format(Locale.ROOT, "%.0f (%.0f–%.0f)", s.median, s.min, s.max);
  }

  static String x(double ratio) {
    return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f×", ratio);
  }

  static String x(Results.Stat s) {
    if (s.empty()) {
      return "n/a";
    }
    if (s.count == 1) {
      return x(s.median);
    }
    return String.format(Locale.ROOT, "%.2f× (%.2f–%.2f)", s.median, s.min, s.max);
  }

  private Results.Stat st(String scenario, String tool, int nodes, String metric) {
    return r.stat(scenario, tool, nodes, metric);
  }

  private double med(String scenario, String tool, int nodes, String metric) {
    return st(scenario, tool, nodes, metric).median;
  }

  /** a/b computed per repetition (same run), then summarised. */
  private Results.Stat ratioPerRep(String scenario, String tool, int nodes, String a, String b) {
    Map<Integer, Double> av = new LinkedHashMap<>();
    Map<Integer, Double> bv = new LinkedHashMap<>();
    for (Results.Row row : r.rows) {
      if (row.scenario.equals(scenario) && row.tool.equals(tool) && row.nodes == nodes && row.item.isEmpty()) {
        if (row.metric.equals(a)) {
          av.put(row.rep, row.value);
        } else if (row.metric.equals(b)) {
          bv.put(row.rep, row.value);
        }
      }
    }
    List<Double> ratios = new ArrayList<>();
    for (Map.Entry<Integer, Double> e : av.entrySet()) {
      Double d = bv.get(e.getKey());
      if (d != null && d > 0) {
        ratios.add(e.getValue() / d);
      }
    }
    return Results.Stat.of(ratios);
  }

  private String peakNames(String scenario, String tool, int nodes) {
    for (Results.Row row : r.rows) {
      if (row.scenario.equals(scenario) && row.tool.equals(tool) && row.nodes == nodes && row.metric.equals("peak_thread_names")) {
        return row.item;
      }
    }
    return "";
  }

  /** How many of the threads at the peak had a name starting with {@code prefix}. */
  private int threadsNamed(String scenario, String tool, int nodes, String prefix) {
    int count = 0;
    for (String part : peakNames(scenario, tool, nodes).split(";")) {
      int colon = part.lastIndexOf(':');
      if (colon > 0 && part.startsWith(prefix)) {
        count += Integer.parseInt(part.substring(colon + 1));
      }
    }
    return count;
  }

  private void p(String s) {
    md.append(s).append('\n');
  }

  // ------------------------------------------------------------------ the report

  private void render(Map<String, String> machine) {
    List<Integer> ns = r.nodeCounts("start");
    int maxSmall = 0;
    for (int n : ns) {
      if (n <= 32) {
        maxSmall = Math.max(maxSmall, n);
      }
    }

    p("# cluster-maven-plugin: benchmark results");
    p("");
    p("Produced by `bench/run` on " + machine.getOrDefault("date", "?") + ". Every figure is the median over the"
        + " repetitions, with the range (min–max) in brackets; the raw measurements are in"
        + " [`results/results.csv`](results/results.csv) and the chart below is drawn from that file by the"
        + " benchmark itself. These are benchmarks, not timed tests: a busy machine moves every figure.");
    if (machine.containsKey("note")) {
      p("");
      p("**Note on this run:** " + machine.get("note"));
    }
    p("");
    p("![chart](results/chart.png)");
    p("");

    renderSummary(ns);
    renderTargets(ns, maxSmall);
    renderDetails(ns);
    renderMethod(machine);
    renderMachine(machine);
  }

  private void renderSummary(List<Integer> ns) {
    p("## Figures");
    p("");
    p("| Scenario | N | cluster-maven-plugin | process-exec-maven-plugin 0.9 | cluster / process-exec |");
    p("|---|---:|---|---|---|");
    for (int n : ns) {
      p("| 1. start: goal begins → all ready | " + n + " | " + t(st("start", "cluster", n, "start_ms")) + " | "
          + t(st("start", "process-exec", n, "start_ms")) + " | "
          + x(med("start", "cluster", n, "start_ms") / med("start", "process-exec", n, "start_ms")) + " |");
    }
    for (int n : r.nodeCounts("readiness")) {
      p("| 2. readiness: port open → declared ready | " + n + " | " + t(st("readiness", "cluster", n, "latency_ms")) + " | "
          + t(st("readiness", "process-exec", n, "latency_ms")) + " | "
          + x(med("readiness", "cluster", n, "latency_ms") / med("readiness", "process-exec", n, "latency_ms")) + " |");
    }
    for (int n : r.nodeCounts("stop")) {
      if (st("stop", "cluster", n, "stop_ms").empty()) {
        continue;
      }
      p("| 3. stop: nodes lingering 1 s → all gone | " + n + " | " + t(st("stop", "cluster", n, "stop_ms")) + " | "
          + t(st("stop", "process-exec", n, "stop_ms")) + " | "
          + x(med("stop", "cluster", n, "stop_ms") / med("stop", "process-exec", n, "stop_ms")) + " |");
    }
    for (int n : r.nodeCounts("cleanup")) {
      p("| 4. cleanup: delete " + files(n) + " files (peer: `rm -rf`) | " + n + " | " + t(st("cleanup", "cluster", n, "delete_ms")) + " | "
          + t(st("cleanup", "rm-rf", n, "delete_ms")) + " (rm -rf) | "
          + x(med("cleanup", "cluster", n, "delete_ms") / med("cleanup", "rm-rf", n, "delete_ms")) + " |");
    }
    if (!st("overhead", "none", 1, "verify_ms").empty()) {
      double none = med("overhead", "none", 1, "verify_ms");
      p("| 5. overhead: `mvn verify` minus the same build without a plugin (the goals' own time) | 1 | "
          + t(med("overhead", "cluster", 1, "verify_ms") - none) + " (goals " + t(med("overhead", "cluster", 1, "goals_ms")) + ") | "
          + t(med("overhead", "process-exec", 1, "verify_ms") - none) + " (goals " + t(med("overhead", "process-exec", 1, "goals_ms"))
          + ") | " + x(med("overhead", "cluster", 1, "goals_ms") / med("overhead", "process-exec", 1, "goals_ms")) + " (goals) |");
    }
    for (int n : r.nodeCounts("scale")) {
      p("| 6. scale: start / stop / cleanup | " + n + " | " + t(st("scale", "cluster", n, "start_ms")) + " / "
          + t(st("scale", "cluster", n, "stop_ms")) + " / " + t(st("scale", "cluster", n, "delete_ms"))
          + " | not run (one node after the other: about " + Math.round(n * (med("start", "process-exec", 1, "start_ms") + 1000) / 60000)
          + " min) | n/a |");
    }
    p("");
  }

  private String files(int nodes) {
    for (Results.Row row : r.rows) {
      if (row.scenario.equals("cleanup") && row.nodes == nodes) {
        return String.format(Locale.ROOT, "%,d", Integer.parseInt(row.item.replaceAll("files=([0-9]+).*", "$1"))).replace(',', ' ');
      }
    }
    return "?";
  }

  private String fsOf(int nodes) {
    for (Results.Row row : r.rows) {
      if (row.scenario.equals("cleanup") && row.nodes == nodes && row.item.contains("fs=")) {
        return row.item.substring(row.item.indexOf("fs=") + 3);
      }
    }
    return "disk";
  }

  private static String verdict(boolean met) {
    return met ? "**met**" : "**missed**";
  }

  private void renderTargets(List<Integer> ns, int maxSmall) {
    p("## Targets");
    p("");

    // 1. Start
    {
      List<String> parts = new ArrayList<>();
      boolean met = true;
      boolean any = false;
      for (int n : ns) {
        if (n > 32) {
          continue;
        }
        Results.Stat ratio = ratioPerRep("start", "cluster", n, "start_ms", "slowest_node_start_ms");
        if (ratio.empty()) {
          continue;
        }
        any = true;
        met &= ratio.median <= 1.10;
        parts.add("N=" + n + ": " + x(ratio) + " (" + t(med("start", "cluster", n, "start_ms")) + " against "
            + t(med("start", "cluster", n, "slowest_node_start_ms")) + ")");
      }
      if (any) {
        p("### 1. Start within 10% of the slowest node's own start (N ≤ 32): " + verdict(met));
        p("");
        p("Start time divided by the slowest node's own start time (its fork to its port opening), per run: "
            + String.join("; ", parts) + ".");
        p("");
        int n = maxSmall;
        double first = med("start", "cluster", n, "first_launch_ms");
        double spread = med("start", "cluster", n, "launch_spread_ms");
        double after = med("start", "cluster", n, "ready_after_last_open_ms");
        double floorN = med("floor", "cluster", n, "start_ms");
        p("Where the time goes at N=" + n + ": the first node is forked " + t(first) + " after the goal begins (plugin"
            + " loading, reaping and wiping the directory, the lifeline); the plugin then forks the nodes one after"
            + " the other from Maven's main thread, and the last fork comes " + t(spread) + " after the first ("
            + t(spread / Math.max(1, n - 1)) + " a node); the cluster is declared ready " + t(after)
            + " after the last port opened."
            + (Double.isNaN(floorSlope()) ? "" : " With nodes that use no CPU (`/bin/sleep`, the floor scenario) each"
                + " further node adds " + t(floorSlope()) + " to the start: the launch loop costs something in itself, and"
                + " much more once the first JVMs boot and take both cores from the thread that still has to launch the"
                + " others.")
            + " The slowest node's own start does not include the time it waited for its turn to be forked, so"
            + " every millisecond of the launch loop counts against the plugin.");
        p("");
        if (!met) {
          p("What would close it: make the launch loop cheap and finish it before the nodes need the CPU —"
              + " prepare every command, environment and directory first, then fork them in a burst without"
              + " per-node work in between (`ProcessHandle.info()` is still read after every fork; the state file is"
              + " already written once, after the last fork, and each node is polled from its own fork), or fork"
              + " from two threads so that booting JVMs do not starve the loop.");
          p("");
        }
      }
    }

    // 2. Readiness
    {
      List<String> parts = new ArrayList<>();
      boolean met = true;
      for (int n : r.nodeCounts("readiness")) {
        Results.Stat s = st("readiness", "cluster", n, "latency_ms");
        met &= s.median <= 20;
        parts.add("N=" + n + ": " + t(s));
      }
      if (!parts.isEmpty()) {
        p("### 2. Readiness noticed within 20 ms (median) of the port opening: " + verdict(met));
        p("");
        p("Per node, the time from the node's own `open` stamp to the plugin's `n_i ready` log line: "
            + String.join("; ", parts) + ". process-exec-maven-plugin checks once a second: "
            + t(med("readiness", "process-exec", 1, "latency_ms")) + " at N=1.");
        p("");
        p("The plugin checks every node every 10 ms on two threads from the moment the node is forked, so a"
            + " node whose port opens is seen within one period plus one HTTP request, and the `n_i ready in … ms`"
            + " figure counts from the node's own fork. What is left above 20 ms at larger N is the two checking"
            + " threads competing for 2 cores with dozens of booting JVMs (and with the launch loop).");
        p("");
        if (!met) {
          p("What would close it: keep the launch loop short (target 1), and wake a node's check when its log"
              + " grows or its port opens (inotify, a listening probe) instead of polling every 10 ms.");
          p("");
        }
      }
    }

    // 3. Stop
    {
      List<String> parts = new ArrayList<>();
      boolean met = true;
      boolean any = false;
      for (int n : r.nodeCounts("stop")) {
        Results.Stat s = st("stop", "cluster", n, "stop_ms");
        if (s.empty() || n > 32) {
          continue;
        }
        any = true;
        met &= s.median <= 1300;
        parts.add("N=" + n + ": " + t(s) + " (slowest node line " + t(med("stop", "cluster", n, "max_node_stop_ms")) + ")");
      }
      if (any) {
        int n = maxSmall;
        p("### 3. Stop of N nodes lingering 1 s within 1.3 s (N ≤ 32): " + verdict(met));
        p("");
        p("Wall time of the `stop` goal (its `---` line to the next goal's): " + String.join("; ", parts) + ".");
        p("");
        p("Where the time goes at N=" + n + ": the last node receives SIGTERM " + t(med("stop", "cluster", n, "last_sigterm_ms"))
            + " after the goal begins; its linger ends " + t(med("stop", "cluster", n, "last_linger_end_ms"))
            + " after it; the plugin prints the node lines " + t(med("stop", "cluster", n, "reported_after_last_linger_ms"))
            + " after the last linger ended, and deleting the directory takes " + t(med("stop", "cluster", n, "delete_ms"))
            + ". The Maven JVM spends " + t(med("stop", "cluster", n, "maven_cpu_ms")) + " of CPU in the goal."
            + (Double.isNaN(med("floor", "cluster", n, "stop_ms")) ? "" : " Even nodes that die at once on SIGTERM"
                + " (`/bin/sleep`, floor scenario) take " + t(med("floor", "cluster", n, "stop_ms")) + " to stop at N="
                + n + " and " + t(med("floor", "cluster", lastFloor(), "stop_ms")) + " at N=" + lastFloor() + "."));
        p("");
        p("Cause: before sending any signal, and at every poll (5 ms, backing off to 40 ms while nothing"
            + " changes) until all are gone, `FamilyStopper` reads the whole process table once (every"
            + " `/proc/<pid>/stat` and `environ`, for parents and marks); a family counts as gone only after three"
            + " empty scans in a row (a process inside `execve` can hide its mark from one scan); and after the"
            + " nodes are gone the stop waits for the lifeline's own last scan. All of that grows with the number of"
            + " processes on the machine." + internalsLine());
        p("");
        if (!met) {
          p("What would close it: signal the root processes (whose `Process` handles the plugin holds) before"
              + " the first scan; wait on `Process.onExit()` for the roots and scan only then; and not wait for"
              + " the lifeline's last scan before the stop returns.");
          p("");
        }
      }
    }

    // 4. Cleanup
    for (int n : r.nodeCounts("cleanup")) {
      Results.Stat ratio = ratioPerRep2("cleanup", n);
      double m = med("cleanup", "cluster", n, "delete_ms") / med("cleanup", "rm-rf", n, "delete_ms");
      boolean met = m <= 1.5;
      p("### 4. Deletion no slower than 1.5 × `rm -rf`: " + verdict(met));
      p("");
      p("`SafeDelete.deleteTree` of " + files(n) + " files over " + n + " node directories (on " + fsOf(n) + "): "
          + t(st("cleanup", "cluster", n, "delete_ms")) + "; `rm -rf` of an identical tree: "
          + t(st("cleanup", "rm-rf", n, "delete_ms")) + "; ratio of the medians " + x(m)
          + (ratio.empty() ? "" : ", per repetition " + x(ratio)) + "."
          + (st("cleanup", "java-sds", n, "delete_ms").empty() ? "" : " For reference, a 20-line Java delete through"
              + " `SecureDirectoryStream` (`CleanupTree.deleteWithSecureDirectoryStream` in the benchmark) takes "
              + t(st("cleanup", "java-sds", n, "delete_ms")) + "."));
      p("");
      if (!met) {
        p("Why: for every entry `SafeDelete` normalises and checks the path, reads its attributes (`lstat`), and then"
            + " deletes it with `Files.deleteIfExists`, which reads the attributes again before `unlink`; for every"
            + " directory it also reads the POSIX permissions. That is at least three system calls per file on absolute"
            + " paths, where `rm` makes about one (`unlinkat` relative to an open directory). What would close it:"
            + " delete through `SecureDirectoryStream` — `deleteFile(name)` first, and only on failure treat the entry as"
            + " a directory — and read or change permissions only after an `AccessDeniedException`. Working relative to"
            + " open directories also makes the never-leave-the-tree guarantee hold by construction.");
        p("");
      }
    }

    // 5. Overhead
    if (!st("overhead", "none", 1, "verify_ms").empty()) {
      double none = med("overhead", "none", 1, "verify_ms");
      double with = med("overhead", "cluster", 1, "verify_ms");
      double goals = med("overhead", "cluster", 1, "goals_ms");
      boolean met = with - none < 300;
      p("### 5. Overhead of start plus stop for one node under 300 ms: " + verdict(met));
      p("");
      p("`mvn verify` of a one-class jar project: " + t(st("overhead", "none", 1, "verify_ms")) + " without any plugin, "
          + t(st("overhead", "cluster", 1, "verify_ms")) + " with one cluster node (ready once started): a difference of the"
          + " medians of " + t(with - none) + ". The `start` and `stop` goals themselves, from their log lines, take "
          + t(st("overhead", "cluster", 1, "goals_ms")) + " together. For comparison: process-exec-maven-plugin "
          + t(med("overhead", "process-exec", 1, "verify_ms") - none) + " (goals " + t(med("overhead", "process-exec", 1, "goals_ms"))
          + "), exec-maven-plugin async " + t(med("overhead", "exec", 1, "verify_ms") - none) + " (goals "
          + t(med("overhead", "exec", 1, "goals_ms")) + ", but it stops nothing). The difference of two medians of"
          + " whole builds is noisy; the goal time is the steadier figure.");
      p("");
      if (!met) {
        p("Why, from the goals' log lines: `start` takes " + t(st("overhead", "cluster", 1, "start_goal_ms")) + ", of which "
            + t(st("overhead", "cluster", 1, "start_before_own_clock_ms")) + " pass before the plugin's own clock starts"
            + " (Maven loading the plugin and configuring the goal) and " + t(st("overhead", "cluster", 1, "start_own_clock_ms"))
            + " inside it (reaping, the directory, the lifeline process, the exit hook and its warm-up, one fork, the"
            + " readiness pool); `stop` takes " + t(st("overhead", "cluster", 1, "stop_goal_ms")) + " for a node that dies"
            + " at once (the family scans of target 3, the lifeline release, the deletion)."
            + (st("internals", "cluster", 0, "cold_exit_hook_warmup_ms").empty() ? "" : " The exit hook's warm-up alone"
                + " (`LiveClusters.warmUp`: loading every core class, then one stop of nothing with its `/proc` scan)"
                + " takes " + t(st("internals", "cluster", 0, "cold_exit_hook_warmup_ms")) + " in a fresh JVM (an upper"
                + " bound: Maven's JVM has already loaded some of the JDK classes it needs).")
            + " The warm-up now runs on a background thread, so it costs the start only CPU on 2 cores."
            + " What would close it: the stop changes of target 3; a lighter exit-hook warm-up (load the classes the"
            + " hook needs by name instead of walking the jar and running a stop); and not waiting for the lifeline's"
            + " last `/proc` scan before the stop returns.");
        p("");
      }
    }

    // 6. Threads
    List<String> parts = new ArrayList<>();
    List<Integer> all = new ArrayList<>(ns);
    all.addAll(r.nodeCounts("scale"));
    for (int n : all) {
      String scenario = ns.contains(n) ? "start" : "scale";
      Results.Stat peak = st(scenario, "cluster", n, "peak_threads");
      Results.Stat base = st(scenario, "cluster", n, "base_threads");
      if (peak.empty()) {
        continue;
      }
      parts.add("N=" + n + ": " + n(base) + " → " + n(peak) + " (" + threadsNamed(scenario, "cluster", n, "cluster-")
          + " of the plugin's own, " + threadsNamed(scenario, "cluster", n, "process reaper") + " JDK process reapers)");
    }
    if (!parts.isEmpty()) {
      boolean own = true;
      for (int n : all) {
        String scenario = ns.contains(n) ? "start" : "scale";
        own &= threadsNamed(scenario, "cluster", n, "cluster-") <= 2;
      }
      p("### 6. Threads bounded independently of N where possible: " + verdict(own) + " for the plugin's own threads");
      p("");
      p("Live threads of the Maven JVM before the `start` goal → at the peak during start and stop: "
          + String.join("; ", parts) + ". The plugin's own threads are the two readiness threads, whatever N."
          + " The rest grows with N because the JDK keeps one `process reaper` thread per live child process"
          + " (N nodes plus the lifeline), which any plugin that uses `java.lang.Process` pays; process-exec-maven-plugin"
          + " adds two stream-copying threads per node on top (" + n(st("start", "process-exec", maxSmall, "peak_threads"))
          + " threads at N=" + maxSmall + "). Avoiding the reapers would take a single native `waitpid` loop, which"
          + " Java does not offer. Heap in use (all of Maven, garbage included) before start → peak: "
          + heapLine(all, ns) + ".");
      p("");
    }
  }

  /** Start time each further node adds with /bin/sleep nodes: the slope between the floor runs. */
  private double floorSlope() {
    List<Integer> f = r.nodeCounts("floor");
    if (f.size() < 2) {
      return Double.NaN;
    }
    int a = f.get(0);
    int b = f.get(f.size() - 1);
    return (med("floor", "cluster", b, "start_ms") - med("floor", "cluster", a, "start_ms")) / (b - a);
  }

  private String internalsLine() {
    Results.Stat scan = st("internals", "cluster", 0, "proc_environ_scan_ms");
    if (scan.empty()) {
      return "";
    }
    String procs = "";
    for (Results.Row row : r.rows) {
      if (row.scenario.equals("internals")) {
        procs = row.item.replace("processes=", "");
        break;
      }
    }
    return " Measured on the plugin's classes with " + procs + " processes on the machine: one mark scan"
        + " (`ProcessTable.findMarked`) takes " + t(scan) + ", one `ProcessHandle.descendants()` "
        + t(st("internals", "cluster", 0, "descendants_ms")) + ", and `Lifeline.release()`, which waits for the"
        + " watchdog's own last scan with `grep` over `/proc/*/environ`, " + t(st("internals", "cluster", 0, "lifeline_release_ms"))
        + "; the stop goal runs all of these after the nodes are gone and before it prints their lines.";
  }

  private int lastFloor() {
    List<Integer> f = r.nodeCounts("floor");
    return f.isEmpty() ? 0 : f.get(f.size() - 1);
  }

  private Results.Stat ratioPerRep2(String scenario, int nodes) {
    List<Double> ratios = new ArrayList<>();
    for (Results.Row a : r.rows) {
      if (a.scenario.equals(scenario) && a.tool.equals("cluster") && a.nodes == nodes && a.metric.equals("delete_ms")) {
        for (Results.Row b : r.rows) {
          if (b.scenario.equals(scenario) && b.tool.equals("rm-rf") && b.nodes == nodes && b.metric.equals("delete_ms")
              && b.rep == a.rep && b.value > 0) {
            ratios.add(a.value / b.value);
          }
        }
      }
    }
    return Results.Stat.of(ratios);
  }

  private String heapLine(List<Integer> all, List<Integer> ns) {
    List<String> parts = new ArrayList<>();
    for (int n : all) {
      String scenario = ns.contains(n) ? "start" : "scale";
      Results.Stat peak = st(scenario, "cluster", n, "peak_heap_mb");
      if (!peak.empty()) {
        parts.add("N=" + n + ": " + n(st(scenario, "cluster", n, "base_heap_mb")) + " → " + n(peak) + " MiB");
      }
    }
    return String.join("; ", parts);
  }

  private void renderDetails(List<Integer> ns) {
    p("## Details");
    p("");
    p("### Start (scenario 1) and the JVM under it");
    p("");
    p("| N | tool | start | slowest node's own start | first fork after goal begins | forks spread over | ready after last port opened | Maven CPU in start | threads before → peak | heap before → peak (MiB) |");
    p("|---:|---|---|---|---|---|---|---|---|---|");
    for (int n : ns) {
      for (String tool : new String[] {"cluster", "process-exec"}) {
        if (st("start", tool, n, "start_ms").empty()) {
          continue;
        }
        p("| " + n + " | " + tool + " | " + t(st("start", tool, n, "start_ms")) + " | " + t(st("start", tool, n, "slowest_node_start_ms"))
            + " | " + t(st("start", tool, n, "first_launch_ms")) + " | " + t(st("start", tool, n, "launch_spread_ms"))
            + " | " + t(st("start", tool, n, "ready_after_last_open_ms")) + " | " + t(st("start", tool, n, "maven_cpu_ms"))
            + " | " + n(st("start", tool, n, "base_threads")) + " → " + n(st("start", tool, n, "peak_threads"))
            + " | " + n(st("start", tool, n, "base_heap_mb")) + " → " + n(st("start", tool, n, "peak_heap_mb")) + " |");
      }
      if (!st("start", "exec", n, "launch_ms").empty()) {
        p("| " + n + " | exec (async) | " + t(st("start", "exec", n, "launch_ms")) + " until its goals return; no readiness wait"
            + " | | | | | | " + n(st("start", "exec", n, "base_threads")) + " → " + n(st("start", "exec", n, "peak_threads")) + " | |");
      }
    }
    p("");
    p("A node's own start is the time from its fork (from `/proc/self/stat`) to its port being bound: its JVM start"
        + " plus its " + "2 s delay, both longer when many JVMs start at once on 2 cores. One JVM start costs 0.2–0.5 s of"
        + " wall time on this machine when it is alone; 32 or 64 of them at once are CPU-bound.");
    p("");
    p("### Stop (scenario 3)");
    p("");
    p("| N | tool | stop goal | slowest node line | last SIGTERM after goal begins | last linger ended | reported after last linger | directory deleted in | Maven CPU in stop | still running after Maven exited |");
    p("|---:|---|---|---|---|---|---|---|---|---|");
    List<Integer> stopNs = r.nodeCounts("stop");
    for (int n : stopNs) {
      for (String tool : new String[] {"cluster", "process-exec", "exec"}) {
        if (st("stop", tool, n, "left_running").empty()) {
          continue;
        }
        if (tool.equals("exec")) {
          p("| " + n + " | exec (async) | no stop goal: SIGTERM from a JVM shutdown hook | | | | | | | "
              + n(st("stop", tool, n, "left_running")) + " of " + n + " |");
          continue;
        }
        p("| " + n + " | " + tool + " | " + t(st("stop", tool, n, "stop_ms")) + " | " + t(st("stop", tool, n, "max_node_stop_ms"))
            + " | " + t(st("stop", tool, n, "last_sigterm_ms")) + " | " + t(st("stop", tool, n, "last_linger_end_ms"))
            + " | " + t(st("stop", tool, n, "reported_after_last_linger_ms")) + " | " + t(st("stop", tool, n, "delete_ms"))
            + " | " + t(st("stop", tool, n, "maven_cpu_ms")) + " | " + n(st("stop", tool, n, "left_running")) + " |");
      }
    }
    p("");
    p("process-exec-maven-plugin stops its processes one after the other (SIGTERM, then an unbounded wait),"
        + " so its stop grows by the linger of every node. exec-maven-plugin's async processes are not stopped by any"
        + " goal; they get SIGTERM from a shutdown hook when Maven exits, and the table counts how many were still"
        + " running " + "one linger plus a second after Maven had exited (a process launched while Maven shuts down is"
        + " never registered with that hook).");
    p("");
    if (!r.nodeCounts("floor").isEmpty()) {
      p("### Floor: the plugin's own cost with nodes that use no CPU");
      p("");
      p("`/bin/sleep` nodes, ready once started, which die at once on SIGTERM: start is the launch loop alone and stop"
          + " the signalling and the confirmation alone.");
      p("");
      p("| N | start | stop goal | slowest node line |");
      p("|---:|---|---|---|");
      for (int n : r.nodeCounts("floor")) {
        p("| " + n + " | " + t(st("floor", "cluster", n, "start_ms")) + " | " + t(st("floor", "cluster", n, "stop_ms"))
            + " | " + t(st("floor", "cluster", n, "max_node_stop_ms")) + " |");
      }
      p("");
    }
    if (!r.nodeCounts("scale").isEmpty()) {
      p("### Scale (scenario 6)");
      p("");
      p("| N | start | slowest node's own start | readiness (median) | stop goal | cleanup | ready / stopped nodes | directory deleted | still running | threads before → peak | heap before → peak (MiB) | Maven CPU start / stop |");
      p("|---:|---|---|---|---|---|---|---|---|---|---|---|");
      for (int n : r.nodeCounts("scale")) {
        p("| " + n + " | " + t(st("scale", "cluster", n, "start_ms")) + " | " + t(st("scale", "cluster", n, "slowest_node_start_ms"))
            + " | " + t(st("scale", "cluster", n, "latency_ms")) + " | " + t(st("scale", "cluster", n, "stop_ms"))
            + " | " + t(st("scale", "cluster", n, "delete_ms")) + " | " + n(st("scale", "cluster", n, "ready_nodes")) + " / "
            + n(st("scale", "cluster", n, "stopped_nodes")) + " | " + (med("scale", "cluster", n, "dir_deleted") >= 1 ? "yes" : "no")
            + " | " + n(st("scale", "cluster", n, "left_running")) + " | " + n(st("scale", "cluster", n, "base_threads")) + " → "
            + n(st("scale", "cluster", n, "peak_threads")) + " | " + n(st("scale", "cluster", n, "base_heap_mb")) + " → "
            + n(st("scale", "cluster", n, "peak_heap_mb")) + " | " + cpuPair(n) + " |");
      }
      p("");
      p("Threads at the peak of the largest run, by name (digits replaced by #): `" + peakNames("scale", "cluster", lastScale()) + "`.");
      p("");
    }
    if (!st("overhead", "none", 1, "verify_ms").empty()) {
      p("### Overhead (scenario 5)");
      p("");
      p("| variant | `mvn verify` wall time | its cluster/process goals | start goal | stop goal |");
      p("|---|---|---|---|---|");
      for (String v : new String[] {"none", "cluster", "process-exec", "exec"}) {
        p("| " + v + " | " + t(st("overhead", v, 1, "verify_ms")) + " | " + t(st("overhead", v, 1, "goals_ms"))
            + " | " + t(st("overhead", v, 1, "start_goal_ms")) + " | " + t(st("overhead", v, 1, "stop_goal_ms")) + " |");
      }
      p("");
    }
  }

  private int lastScale() {
    List<Integer> s = r.nodeCounts("scale");
    return s.isEmpty() ? 0 : s.get(s.size() - 1);
  }

  private String cpuPair(int n) {
    List<Double> v = r.values("scale", "cluster", n, "maven_cpu_ms");
    if (v.size() < 2) {
      return "n/a";
    }
    // rows alternate: start, then stop, per repetition
    List<Double> start = new ArrayList<>();
    List<Double> stop = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      (i % 2 == 0 ? start : stop).add(v.get(i));
    }
    return t(Results.Stat.of(start)) + " / " + t(Results.Stat.of(stop));
  }

  private void renderMethod(Map<String, String> machine) {
    p("## How it was measured");
    p("");
    p("- One command: `bench/run` builds the plugin (`mvn -B -q install -DskipTests -Dinvoker.skip=true`), compiles"
        + " `bench/src`, generates projects under `bench/target/work`, runs `mvn -B -o verify` in them and writes the CSV,"
        + " this file and the chart. Options: `bench/run --help`. Maven uses a local repository of its own"
        + " (`bench/target/m2`), so a plugin installed meanwhile by another build cannot change what is measured.");
    p("- The node program is `bench/src/BenchNode.java`, started by every plugin as `${java.home}/bin/java "
        + machine.getOrDefault("node JVM options", "") + " -cp bench/target/node BenchNode --port=… --delay-ms=… --linger-ms=… --stamp-file=…`."
        + " It binds its port `delay-ms` after its main method starts, answers HTTP 200, and on SIGTERM closes its port,"
        + " lingers `linger-ms`, then exits. It stamps (epoch ms) its fork time, the port opening, SIGTERM and the end of"
        + " the linger.");
    p("- Maven runs with `" + MavenLog.OPTS + "`; times are differences between those log timestamps (1 ms resolution)"
        + " and the nodes' stamps (same clock). A goal lasts from its `--- plugin:goal ---` line to the next goal's line."
        + " Start ends at `Cluster of N nodes ready` (cluster-maven-plugin) or at the end of the last `start` execution"
        + " (process-exec-maven-plugin). Readiness is the `n_i ready` (or `Started process: n_i`) line minus the node's"
        + " `open` stamp.");
    p("- Both plugins wait on `http://127.0.0.1:<port>/health`: cluster-maven-plugin with `<waitFor><http>`, process-exec-maven-plugin"
        + " with `<healthcheckUrl>` (it checks once a second and starts the nodes one after the other). exec-maven-plugin"
        + " (`exec:exec`, `<async>true</async>`, one execution per node) has neither readiness nor stop.");
    p("- Threads, heap and CPU of the Maven JVM come from a small Java agent (`bench/src/bench/agent`) that samples the"
        + " thread MXBean, the heap in use and the process CPU time every 10 ms.");
    p("- Cleanup calls `io.github.clusterrun.cluster.cleanup.SafeDelete.deleteTree` directly on the plugin jar's classpath"
        + " and runs `rm -rf` on an identical freshly made tree; the order alternates between repetitions. The trees are"
        + " made on `/dev/shm` (tmpfs) unless `--cleanup-dir` says otherwise: on this machine's shared, throttled disk the"
        + " same `rm -rf` of 100 000 files took anywhere from 1.4 s to 88 s, depending on what the other builds were"
        + " writing, which says nothing about either way of deleting. On tmpfs both pay only the system calls and the"
        + " file system code, which is what differs between them.");
    p("- Overhead: a one-class jar project (compile, surefire with no tests, jar) built with `mvn -B -o verify`, the"
        + " variants interleaved; the node is ready once started (`cluster`: no `<waitFor>`; process-exec: no healthcheck"
        + " and `<waitAfterLaunch>0`).");
    p("");
  }

  private void renderMachine(Map<String, String> machine) {
    p("## Machine");
    p("");
    for (Map.Entry<String, String> e : machine.entrySet()) {
      String v = e.getValue();
      if (v.contains("\n")) {
        p("- " + e.getKey() + ":");
        p("");
        p("  ```text");
        for (String line : v.split("\n")) {
          p("  " + line);
        }
        p("  ```");
      } else {
        p("- " + e.getKey() + ": " + v);
      }
    }
    p("");
  }

  private static Map<String, String> readMachine(Path file) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return m;
    }
    String key = null;
    StringBuilder value = new StringBuilder();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("## ")) {
        if (key != null) {
          m.put(key, value.toString().trim());
        }
        key = line.substring(3);
        value.setLength(0);
      } else {
        value.append(line).append('\n');
      }
    }
    if (key != null) {
      m.put(key, value.toString().trim());
    }
    return m;
  }
}
