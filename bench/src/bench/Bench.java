package bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the benchmark scenarios and writes {@code results/results.csv}, {@code results/chart.png}
 * and {@code RESULTS.md}. Started by {@code bench/run}, which builds the plugin and this program.
 */
public final class Bench {
  static final String USAGE =
      "Usage: bench/run [options]\n"
          + "  --reps N            repetitions of start/stop (N=1,8,32) and cleanup (default 3)\n"
          + "  --peer-reps N       repetitions of process-exec-maven-plugin below 32 nodes (default 2)\n"
          + "  --peer-big-reps N   repetitions of process-exec-maven-plugin at 32+ nodes, which starts\n"
          + "                      nodes one after the other (default 1)\n"
          + "  --overhead-reps N   repetitions of each variant of the overhead build (default 5)\n"
          + "  --scale-reps N      repetitions of the 64-node run (default 1)\n"
          + "  --sizes 1,8,32      node counts of the start/stop scenarios\n"
          + "  --scale-nodes N     node count of the scale scenario (default 64)\n"
          + "  --files N           files in the cleanup tree (default 100000)\n"
          + "  --delay-ms N        a node's port opens N ms after its main method starts (default 2000)\n"
          + "  --linger-ms N       a node lingers N ms after SIGTERM (default 1000)\n"
          + "  --only LIST         run only these scenarios: start,cleanup,internals,overhead,scale\n"
          + "  --quick             --reps 1 --overhead-reps 2 --sizes 1,8 --files 20000 (a smoke test)\n"
          + "  --cleanup-dir DIR   where the cleanup trees are made (default /dev/shm, a tmpfs, if it exists;\n"
          + "                      else bench/target/work)\n"
          + "  --note TEXT         a sentence about the run for RESULTS.md (e.g. other load)\n"
          + "  --report-only       only rewrite RESULTS.md and the chart from results/results.csv\n";

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

  // Options
  int reps = 3;
  int peerReps = 2;
  int peerBigReps = 1;
  int overheadReps = 5;
  int scaleReps = 1;
  int[] sizes = {1, 8, 32};
  int scaleNodes = 64;
  int files = 100_000;
  long delayMs = 2000;
  long lingerMs = 1000;
  List<String> only = List.of("start", "cleanup", "internals", "overhead", "scale");
  String note = "";
  boolean reportOnly;
  Path cleanupDir;
  Path benchDir;
  Path pluginJar;
  Path m2;
  Path settings;
  String mvn = "mvn";

  // Run state
  Path work;
  Path logs;
  Results results;
  String tag;
  String runId;
  Poms poms;
  Path sampler;

  public static void main(String[] args) throws Exception {
    Bench b = new Bench();
    b.parse(args);
    if (b.reportOnly) {
      Path resultsDir = b.benchDir.resolve("results");
      Results r = Results.read(resultsDir.resolve("results.csv"));
      Chart.write(r, resultsDir.resolve("chart.png"));
      Report.write(r, resultsDir.resolve("machine.txt"), b.benchDir.resolve("RESULTS.md"));
      System.out.println("[bench] wrote " + b.benchDir.resolve("RESULTS.md") + " and results/chart.png");
      return;
    }
    b.run();
  }

  void parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help": case "-h": System.out.print(USAGE); System.exit(0); break;
        case "--reps": reps = Integer.parseInt(args[++i]); break;
        case "--peer-reps": peerReps = Integer.parseInt(args[++i]); break;
        case "--peer-big-reps": peerBigReps = Integer.parseInt(args[++i]); break;
        case "--overhead-reps": overheadReps = Integer.parseInt(args[++i]); break;
        case "--scale-reps": scaleReps = Integer.parseInt(args[++i]); break;
        case "--sizes": sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray(); break;
        case "--scale-nodes": scaleNodes = Integer.parseInt(args[++i]); break;
        case "--files": files = Integer.parseInt(args[++i]); break;
        case "--delay-ms": delayMs = Long.parseLong(args[++i]); break;
        case "--linger-ms": lingerMs = Long.parseLong(args[++i]); break;
        case "--only": only = List.of(args[++i].split(",")); break;
        case "--quick": reps = 1; peerReps = 1; peerBigReps = 0; overheadReps = 2; sizes = new int[] {1, 8}; files = 20_000; break;
        case "--note": note = args[++i]; break;
        case "--cleanup-dir": cleanupDir = Paths.get(args[++i]).toAbsolutePath(); break;
        case "--report-only": reportOnly = true; break;
        case "--bench-dir": benchDir = Paths.get(args[++i]).toAbsolutePath(); break;
        case "--plugin-jar": pluginJar = Paths.get(args[++i]).toAbsolutePath(); break;
        case "--m2": m2 = Paths.get(args[++i]).toAbsolutePath(); break;
        case "--settings": settings = Paths.get(args[++i]).toAbsolutePath(); break;
        case "--mvn": mvn = args[++i]; break;
        default:
          System.err.print("Unknown option " + a + "\n" + USAGE);
          System.exit(2);
      }
    }
    if (benchDir == null) {
      System.err.println("--bench-dir is required (bench/run passes it)");
      System.exit(2);
    }
  }

  void run() throws Exception {
    long begin = System.nanoTime();
    Path target = benchDir.resolve("target");
    work = target.resolve("work");
    logs = target.resolve("logs");
    deleteTree(work);
    deleteTree(logs);
    Files.createDirectories(work);
    Files.createDirectories(logs);
    Path resultsDir = benchDir.resolve("results");
    Files.createDirectories(resultsDir);
    Path csv = resultsDir.resolve("results.csv");
    Files.deleteIfExists(csv);
    results = new Results(csv);
    runId = Long.toString(System.currentTimeMillis());
    tag = "clusterbench-" + runId;
    sampler = target.resolve("sampler.jar");
    poms = new Poms(pluginVersion(), target.resolve("node").toString(), tag);

    Map<String, String> machine = machine();
    machine.put("load average at the start", loadAverage());

    log("warming up (resolves the plugins into " + m2 + ")");
    warmUp();
    if (only.contains("start")) {
      startStop();
    }
    if (only.contains("cleanup")) {
      cleanup();
    }
    if (only.contains("internals")) {
      internals();
    }
    if (only.contains("overhead")) {
      overhead();
    }
    if (only.contains("scale")) {
      scale();
    }
    machine.put("load average at the end", loadAverage());
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin);
    machine.put("benchmark run time", seconds + " s (without building the plugin)");
    machine.put("options", String.format(
        "--reps %d --peer-reps %d --peer-big-reps %d --overhead-reps %d --scale-reps %d --sizes %s --scale-nodes %d --files %d --delay-ms %d --linger-ms %d",
        reps, peerReps, peerBigReps, overheadReps, scaleReps, joinInts(sizes), scaleNodes, files, delayMs, lingerMs));
    if (!note.isEmpty()) {
      machine.put("note", note);
    }
    writeMachine(resultsDir.resolve("machine.txt"), machine);
    int left = Procs.find(runId).size();
    if (left > 0) {
      log("WARNING: " + left + " node processes still running; killing them");
      Procs.kill(runId);
    }
    Chart.write(results, resultsDir.resolve("chart.png"));
    Report.write(results, resultsDir.resolve("machine.txt"), benchDir.resolve("RESULTS.md"));
    log("done in " + seconds + " s: " + benchDir.relativize(csv) + ", results/chart.png, RESULTS.md");
  }

  // ---------------------------------------------------------------- scenarios

  private void warmUp() throws Exception {
    Poms.Node node = new Poms.Node(0, 0, work.resolve("warmup-stamps").toString());
    Files.createDirectories(work.resolve("warmup-stamps"));
    List<String[]> projects = new ArrayList<>();
    projects.add(new String[] {"warmup-cluster", Poms.pomProject("warmup-cluster", poms.clusterPlugin(1, node, true, "always"))});
    projects.add(new String[] {"warmup-process-exec", Poms.pomProject("warmup-process-exec", poms.processExecPlugin(freePorts(1), node, true))});
    projects.add(new String[] {"warmup-exec", Poms.pomProject("warmup-exec", poms.execPlugin(freePorts(1), node))});
    for (String[] p : projects) {
      Path dir = work.resolve(p[0]);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("pom.xml"), p[1]);
      MvnRun r = mvn(dir, p[0], false, false);
      if (!r.log.succeeded()) {
        throw new IllegalStateException("warm-up build failed; see " + r.logFile);
      }
    }
  }

  /** Scenarios 1 (start), 2 (readiness) and 3 (stop): one build each, start and stop. */
  private void startStop() throws Exception {
    for (int rep = 1; rep <= reps; rep++) {
      for (int n : sizes) {
        clusterRun("start", n, rep);
        if (rep <= (n < 32 ? peerReps : peerBigReps)) {
          processExecRun(n, rep);
        }
        execRun(n, rep);
      }
    }
  }

  private static final Pattern READY = Pattern.compile("^(n_\\d+) ready in (\\d+) ms");
  private static final Pattern CLUSTER_READY = Pattern.compile("^Cluster of \\d+ nodes? ready in");
  private static final Pattern STOPPED =
      Pattern.compile("^\\s*(n_\\d+) \\(pid \\d+\\): (stopped gracefully in|killed after the stop timeout,) (\\d+) ms");
  private static final Pattern NODE_LINE = Pattern.compile("^\\s*n_\\d+ \\(pid \\d+\\): ");
  private static final Pattern DELETED = Pattern.compile("^Deleted ");

  /** One build of cluster-maven-plugin: start N nodes, stop them, delete the directory. */
  private void clusterRun(String scenario, int n, int rep) throws Exception {
    Path dir = work.resolve("cluster-n" + n);
    Path stamps = freshDir(dir.resolve("stamps"));
    Poms.Node node = new Poms.Node(delayMs, lingerMs, stamps.toString());
    Files.writeString(dir.resolve("pom.xml"), Poms.pomProject("cluster-n" + n, poms.clusterPlugin(n, node, true, "always")));
    MvnRun r = mvn(dir, scenario + "-cluster-n" + n + "-r" + rep, true, true);
    String tool = "cluster";
    MavenLog log = r.log;
    check(log.succeeded(), r);
    MavenLog.Mojo start = log.mojos("cluster-maven-plugin", "start").get(0);
    MavenLog.Mojo stop = log.mojos("cluster-maven-plugin", "stop").get(0);
    MavenLog.Line ready = log.find(start.first, CLUSTER_READY);
    Map<String, Stamps> st = stamps(stamps, n);
    String startScenario = scenario.equals("start") ? "start" : scenario;
    String readyScenario = scenario.equals("start") ? "readiness" : scenario;
    String stopScenario = scenario.equals("start") ? "stop" : scenario;

    results.add(startScenario, tool, n, rep, "", "start_ms", ready.time - start.begin, "ms");
    startDetails(startScenario, tool, n, rep, start.begin, ready.time, st);
    int readyCount = 0;
    for (MavenLog.Line line : log.lines(start, READY)) {
      Matcher m = READY.matcher(line.text);
      m.find();
      Stamps s = st.get(m.group(1));
      readyCount++;
      if (s != null && s.open > 0) {
        results.add(readyScenario, tool, n, rep, m.group(1), "latency_ms", line.time - s.open, "ms");
      }
    }

    results.add(stopScenario, tool, n, rep, "", "stop_ms", stop.millis(), "ms");
    long maxNode = 0;
    int stopped = 0;
    long lastNodeLine = stop.begin;
    for (MavenLog.Line line : log.lines(stop, STOPPED)) {
      Matcher m = STOPPED.matcher(line.text);
      m.find();
      maxNode = Math.max(maxNode, Long.parseLong(m.group(3)));
      stopped++;
    }
    for (MavenLog.Line line : log.lines(stop, NODE_LINE)) {
      lastNodeLine = line.time;
    }
    results.add(stopScenario, tool, n, rep, "", "max_node_stop_ms", maxNode, "ms");
    stopDetails(stopScenario, tool, n, rep, stop.begin, log.find(stop.first, NODE_LINE).time, st);
    MavenLog.Line deleted = log.find(stop.first, DELETED);
    if (deleted != null) {
      results.add(stopScenario, tool, n, rep, "", "delete_ms", deleted.time - lastNodeLine, "ms");
    }
    jvm(startScenario, stopScenario, tool, n, rep, r, start.begin, ready.time, stop.begin, stop.end);
    results.add(stopScenario, tool, n, rep, "", "left_running", r.leftRunning, "processes");
    if (scenario.equals("scale")) {
      results.add(scenario, tool, n, rep, "", "ready_nodes", readyCount, "nodes");
      results.add(scenario, tool, n, rep, "", "stopped_nodes", stopped, "nodes");
      results.add(scenario, tool, n, rep, "", "dir_deleted", Files.exists(dir.resolve("target/cluster")) ? 0 : 1, "bool");
    }
    log(String.format("%-5s cluster       N=%-3d rep %d: start %5d ms, stop %5d ms, %d ready, %d stopped",
        scenario, n, rep, ready.time - start.begin, stop.millis(), readyCount, stopped));
  }

  /** One build of process-exec-maven-plugin: a start execution a node, then stop-all. */
  private void processExecRun(int n, int rep) throws Exception {
    Path dir = work.resolve("process-exec-n" + n);
    Path stamps = freshDir(dir.resolve("stamps"));
    Poms.Node node = new Poms.Node(delayMs, lingerMs, stamps.toString());
    Files.writeString(dir.resolve("pom.xml"), Poms.pomProject("process-exec-n" + n, poms.processExecPlugin(freePorts(n), node, true)));
    MvnRun r = mvn(dir, "start-process-exec-n" + n + "-r" + rep, true, true);
    String tool = "process-exec";
    MavenLog log = r.log;
    check(log.succeeded(), r);
    List<MavenLog.Mojo> starts = log.mojos("process-exec-maven-plugin", "start");
    MavenLog.Mojo stop = log.mojos("process-exec-maven-plugin", "stop-all").get(0);
    long begin = starts.get(0).begin;
    long end = starts.get(starts.size() - 1).end;
    Map<String, Stamps> st = stamps(stamps, n);
    results.add("start", tool, n, rep, "", "start_ms", end - begin, "ms");
    startDetails("start", tool, n, rep, begin, end, st);
    Pattern started = Pattern.compile("^Started process: (n_\\d+)");
    for (MavenLog.Mojo m : starts) {
      for (MavenLog.Line line : log.lines(m, started)) {
        Matcher x = started.matcher(line.text);
        x.find();
        Stamps s = st.get(x.group(1));
        if (s != null && s.open > 0) {
          results.add("readiness", tool, n, rep, x.group(1), "latency_ms", line.time - s.open, "ms");
        }
      }
    }
    results.add("stop", tool, n, rep, "", "stop_ms", stop.millis(), "ms");
    MavenLog.Line firstStopped = log.find(stop.first, Pattern.compile("^Stopped process: "));
    stopDetails("stop", tool, n, rep, stop.begin, firstStopped == null ? stop.end : lastLine(log, stop, "^Stopped process: "), st);
    jvm("start", "stop", tool, n, rep, r, begin, end, stop.begin, stop.end);
    results.add("stop", tool, n, rep, "", "left_running", r.leftRunning, "processes");
    log(String.format("start process-exec  N=%-3d rep %d: start %5d ms, stop %5d ms", n, rep, end - begin, stop.millis()));
  }

  /** One build of exec-maven-plugin with async executions: launch only; no wait, no stop goal. */
  private void execRun(int n, int rep) throws Exception {
    Path dir = work.resolve("exec-n" + n);
    Path stamps = freshDir(dir.resolve("stamps"));
    Poms.Node node = new Poms.Node(delayMs, lingerMs, stamps.toString());
    Files.writeString(dir.resolve("pom.xml"), Poms.pomProject("exec-n" + n, poms.execPlugin(freePorts(n), node)));
    MvnRun r = mvn(dir, "start-exec-n" + n + "-r" + rep, true, true);
    check(r.log.succeeded(), r);
    results.add("stop", "exec", n, rep, "", "left_running", r.leftRunning, "processes");
    List<MavenLog.Mojo> execs = r.log.mojos("exec-maven-plugin", "exec");
    long begin = execs.get(0).begin;
    long end = execs.get(execs.size() - 1).end;
    results.add("start", "exec", n, rep, "", "launch_ms", end - begin, "ms");
    Samples s = Samples.read(r.samples);
    results.add("start", "exec", n, rep, "", "base_threads", s.at(begin)[1], "threads");
    results.add("start", "exec", n, rep, "", "peak_threads", s.max(1, begin, r.endMillis), "threads");
    log(String.format("start exec(async)   N=%-3d rep %d: launch %5d ms (no readiness wait, no stop goal)", n, rep, end - begin));
  }

  private void startDetails(String scenario, String tool, int n, int rep, long begin, long ready, Map<String, Stamps> st) {
    long slowest = 0;
    long firstLaunch = Long.MAX_VALUE;
    long lastLaunch = 0;
    long lastOpen = 0;
    for (Map.Entry<String, Stamps> e : st.entrySet()) {
      Stamps s = e.getValue();
      if (s.ownStart() < 0) {
        continue;
      }
      results.add(scenario, tool, n, rep, e.getKey(), "node_start_ms", s.ownStart(), "ms");
      slowest = Math.max(slowest, s.ownStart());
      firstLaunch = Math.min(firstLaunch, s.launch);
      lastLaunch = Math.max(lastLaunch, s.launch);
      lastOpen = Math.max(lastOpen, s.open);
    }
    results.add(scenario, tool, n, rep, "", "slowest_node_start_ms", slowest, "ms");
    if (lastOpen > 0) {
      results.add(scenario, tool, n, rep, "", "first_launch_ms", firstLaunch - begin, "ms");
      results.add(scenario, tool, n, rep, "", "launch_spread_ms", lastLaunch - firstLaunch, "ms");
      results.add(scenario, tool, n, rep, "", "ready_after_last_open_ms", ready - lastOpen, "ms");
    }
  }

  private void stopDetails(String scenario, String tool, int n, int rep, long begin, long reported, Map<String, Stamps> st) {
    long lastTerm = 0;
    long lastExit = 0;
    for (Stamps s : st.values()) {
      lastTerm = Math.max(lastTerm, s.term);
      lastExit = Math.max(lastExit, s.exit);
    }
    if (lastTerm > 0) {
      results.add(scenario, tool, n, rep, "", "last_sigterm_ms", lastTerm - begin, "ms");
    }
    if (lastExit > 0) {
      results.add(scenario, tool, n, rep, "", "last_linger_end_ms", lastExit - begin, "ms");
      results.add(scenario, tool, n, rep, "", "reported_after_last_linger_ms", reported - lastExit, "ms");
    }
  }

  private void jvm(String startScenario, String stopScenario, String tool, int n, int rep, MvnRun r,
      long startBegin, long startEnd, long stopBegin, long stopEnd) throws IOException {
    Samples s = Samples.read(r.samples);
    if (s.rows.isEmpty()) {
      return;
    }
    double mb = 1024.0 * 1024.0;
    results.add(startScenario, tool, n, rep, "", "base_threads", s.at(startBegin)[1], "threads");
    results.add(startScenario, tool, n, rep, "", "peak_threads", s.max(1, startBegin, stopEnd), "threads");
    results.add(startScenario, tool, n, rep, "", "base_heap_mb", Math.round(s.at(startBegin)[2] / mb), "MiB");
    results.add(startScenario, tool, n, rep, "", "peak_heap_mb", Math.round(s.max(2, startBegin, stopEnd) / mb), "MiB");
    results.add(startScenario, tool, n, rep, "", "maven_cpu_ms", s.cpuMillis(startBegin, startEnd), "ms");
    results.add(stopScenario, tool, n, rep, "", "maven_cpu_ms", s.cpuMillis(stopBegin, stopEnd), "ms");
    results.add(startScenario, tool, n, rep, s.peakNames.replace(',', ' '), "peak_thread_names", s.max(1, 0, Long.MAX_VALUE), "threads");
  }

  /**
   * Scenario 4: SafeDelete.deleteTree against rm -rf of identical trees, with a Java delete through
   * SecureDirectoryStream as a reference for what Java can do.
   */
  private void cleanup() throws Exception {
    Path base = cleanupDir;
    if (base == null) {
      Path shm = Paths.get("/dev/shm");
      base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : work;
    }
    Path root = base.resolve("clusterbench-cleanup-" + runId);
    String fs = Files.getFileStore(base).type();
    int nodes = 8;
    try {
      cleanupReps(root, fs, nodes);
    } finally {
      deleteTree(root);
    }
  }

  private void cleanupReps(Path root, String fs, int nodes) throws Exception {
    for (int rep = 1; rep <= reps; rep++) {
      String[] order = rep % 2 == 1
          ? new String[] {"cluster", "rm-rf", "java-sds"}
          : new String[] {"java-sds", "rm-rf", "cluster"};
      for (String tool : order) {
        // A fresh path every time: re-creating 100 000 names that were just deleted is much slower.
        Path tree = root.resolve("r" + rep + "-" + tool).resolve("cluster");
        long c0 = System.nanoTime();
        int made = CleanupTree.create(tree, nodes, files);
        long createMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c0);
        long t0 = System.nanoTime();
        if (tool.equals("cluster")) {
          io.github.clusterrun.cluster.cleanup.SafeDelete.deleteTree(tree);
        } else if (tool.equals("java-sds")) {
          CleanupTree.deleteWithSecureDirectoryStream(tree);
        } else {
          Process p = new ProcessBuilder("rm", "-rf", tree.toString()).inheritIO().start();
          if (p.waitFor() != 0) {
            throw new IllegalStateException("rm -rf failed");
          }
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (Files.exists(tree)) {
          throw new IllegalStateException(tool + " left " + tree);
        }
        results.add("cleanup", tool, nodes, rep, "files=" + made + " fs=" + fs, "delete_ms", ms, "ms");
        results.add("cleanup", tool, nodes, rep, "files=" + made + " fs=" + fs, "create_ms", createMs, "ms");
        log(String.format("cleanup %-8s %d files over %d nodes on %s, rep %d: %5d ms (tree made in %d ms)", tool, made, nodes, fs, rep, ms, createMs));
      }
    }
  }

  /**
   * The costs behind the stop figures, measured in this JVM on the plugin's own classes: one scan of
   * every process's environment for marks ({@code ProcessTable.findMarked}), one {@code
   * ProcessHandle.descendants()} walk, and the release of a lifeline (its watchdog's last scan).
   */
  private void internals() throws Exception {
    int procs = 0;
    try (Stream<Path> s = Files.list(Paths.get("/proc"))) {
      procs = (int) s.filter(p -> p.getFileName().toString().matches("[0-9]+")).count();
    }
    String item = "processes=" + procs;
    double scan = 0;
    double desc = 0;
    double release = 0;
    int reps = 10;
    for (int rep = 1; rep <= reps; rep++) {
      long t0 = System.nanoTime();
      io.github.clusterrun.cluster.process.ProcessTable.findMarked("no-such-cluster/");
      long t1 = System.nanoTime();
      ProcessHandle.current().descendants().count();
      long t2 = System.nanoTime();
      io.github.clusterrun.cluster.lifeline.Lifeline lifeline =
          io.github.clusterrun.cluster.lifeline.Lifeline.start("bench" + runId + rep, 0);
      Thread.sleep(100);
      long t3 = System.nanoTime();
      lifeline.release();
      long t4 = System.nanoTime();
      results.add("internals", "cluster", 0, rep, item, "proc_environ_scan_ms", (t1 - t0) / 1e6, "ms");
      results.add("internals", "cluster", 0, rep, item, "descendants_ms", (t2 - t1) / 1e6, "ms");
      results.add("internals", "cluster", 0, rep, item, "lifeline_release_ms", (t4 - t3) / 1e6, "ms");
      scan += (t1 - t0) / 1e6;
      desc += (t2 - t1) / 1e6;
      release += (t4 - t3) / 1e6;
    }
    double warm = 0;
    for (int rep = 1; rep <= 5; rep++) {
      String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "bench.ColdWarmUp")
          .redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor() == 0) {
        double ms = Double.parseDouble(out);
        results.add("internals", "cluster", 0, rep, item, "cold_exit_hook_warmup_ms", ms, "ms");
        warm += ms / 5;
      }
    }
    log(String.format("internals (%d processes): environ scan %.1f ms, descendants() %.1f ms, lifeline release %.1f ms,"
        + " exit-hook warm-up in a cold JVM %.0f ms (means)", procs, scan / reps, desc / reps, release / reps, warm));
  }

  /** Scenario 5: mvn verify of a small project, without and with a one-node cluster. */
  private void overhead() throws Exception {
    Path stamps = freshDir(work.resolve("overhead-stamps"));
    Poms.Node node = new Poms.Node(0, 0, stamps.toString());
    String[] variants = {"none", "cluster", "process-exec", "exec"};
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (String v : variants) {
      Path dir = work.resolve("overhead-" + v);
      Files.createDirectories(dir.resolve("src/main/java/bench"));
      Files.writeString(dir.resolve("src/main/java/bench/App.java"), Poms.APP);
      dirs.put(v, dir);
      writeOverheadPom(v, dir, node);
      MvnRun r = mvn(dir, "overhead-" + v + "-warmup", false, false);
      check(r.log.succeeded(), r);
    }
    for (int rep = 1; rep <= overheadReps; rep++) {
      for (int k = 0; k < variants.length; k++) {
        String v = variants[(k + rep - 1) % variants.length];
        Path dir = dirs.get(v);
        writeOverheadPom(v, dir, node);
        MvnRun r = mvn(dir, "overhead-" + v + "-r" + rep, false, true);
        check(r.log.succeeded(), r);
        results.add("overhead", v, 1, rep, "", "verify_ms", r.wallMillis, "ms");
        long goals = 0;
        for (MavenLog.Mojo m : r.log.mojos) {
          if (m.plugin.equals("cluster-maven-plugin") || m.plugin.equals("process-exec-maven-plugin")
              || m.plugin.equals("exec-maven-plugin")) {
            goals += m.millis();
          }
        }
        if (!v.equals("none")) {
          results.add("overhead", v, 1, rep, "", "goals_ms", goals, "ms");
        }
        if (v.equals("cluster")) {
          MavenLog.Mojo start = r.log.mojos("cluster-maven-plugin", "start").get(0);
          MavenLog.Mojo stop = r.log.mojos("cluster-maven-plugin", "stop").get(0);
          MavenLog.Line ready = r.log.find(start.first, CLUSTER_READY);
          Matcher m = Pattern.compile("ready in (\\d+) ms").matcher(ready.text);
          m.find();
          long own = Long.parseLong(m.group(1));
          results.add("overhead", v, 1, rep, "", "start_goal_ms", start.millis(), "ms");
          results.add("overhead", v, 1, rep, "", "start_own_clock_ms", own, "ms");
          results.add("overhead", v, 1, rep, "", "start_before_own_clock_ms", ready.time - start.begin - own, "ms");
          results.add("overhead", v, 1, rep, "", "stop_goal_ms", stop.millis(), "ms");
        }
        log(String.format("overhead %-12s rep %d: mvn verify %5d ms (its goals %d ms)", v, rep, r.wallMillis, goals));
      }
    }
  }

  private void writeOverheadPom(String variant, Path dir, Poms.Node node) throws IOException {
    String plugins;
    switch (variant) {
      case "cluster": plugins = poms.clusterPlugin(1, node, false, "always"); break;
      case "process-exec": plugins = poms.processExecPlugin(freePorts(1), node, false); break;
      case "exec": plugins = poms.execPlugin(freePorts(1), node); break;
      default: plugins = "";
    }
    Files.writeString(dir.resolve("pom.xml"), Poms.jarProject("overhead-" + variant, plugins));
  }

  /** Scenario 6: 64 nodes on 2 cores; start, stop and cleanup must complete. */
  private void scale() throws Exception {
    for (int rep = 1; rep <= scaleReps; rep++) {
      clusterRun("scale", scaleNodes, rep);
    }
    for (int n : new int[] {sizes[sizes.length - 1], scaleNodes}) {
      floorRun(n);
    }
  }

  /**
   * The plugin's own cost, without the nodes' CPU: N nodes of {@code /bin/sleep 300.<run id>} (the
   * fraction lets the benchmark find them), ready once
   * started (no waitFor), which die at once on SIGTERM. Start is then the launch loop alone, and stop
   * the signalling and the confirmation alone.
   */
  private void floorRun(int n) throws Exception {
    Path dir = work.resolve("floor-n" + n);
    Files.createDirectories(dir);
    String plugin = "      <plugin>\n"
        + "        <groupId>io.github.clusterrun</groupId>\n"
        + "        <artifactId>cluster-maven-plugin</artifactId>\n"
        + "        <version>" + pluginVersion() + "</version>\n"
        + "        <executions><execution><goals><goal>start</goal><goal>stop</goal></goals></execution></executions>\n"
        + "        <configuration>\n"
        + "          <nodes>" + n + "</nodes>\n"
        + "          <skipPomPackaging>false</skipPomPackaging>\n"
        + "          <executable>/bin/sleep</executable>\n"
        + "          <arguments><argument>300." + runId + "</argument></arguments>\n"
        + "          <cleanup>always</cleanup>\n"
        + "        </configuration>\n"
        + "      </plugin>\n";
    Files.writeString(dir.resolve("pom.xml"), Poms.pomProject("floor-n" + n, plugin));
    MvnRun r = mvn(dir, "floor-cluster-n" + n, false, true);
    check(r.log.succeeded(), r);
    MavenLog.Mojo start = r.log.mojos("cluster-maven-plugin", "start").get(0);
    MavenLog.Mojo stop = r.log.mojos("cluster-maven-plugin", "stop").get(0);
    MavenLog.Line ready = r.log.find(start.first, CLUSTER_READY);
    long maxNode = 0;
    for (MavenLog.Line line : r.log.lines(stop, STOPPED)) {
      Matcher m = STOPPED.matcher(line.text);
      m.find();
      maxNode = Math.max(maxNode, Long.parseLong(m.group(3)));
    }
    results.add("floor", "cluster", n, 1, "", "start_ms", ready.time - start.begin, "ms");
    results.add("floor", "cluster", n, 1, "", "stop_ms", stop.millis(), "ms");
    results.add("floor", "cluster", n, 1, "", "max_node_stop_ms", maxNode, "ms");
    log(String.format("floor cluster       N=%-3d (/bin/sleep nodes): start %5d ms, stop %5d ms (slowest node %d ms)",
        n, ready.time - start.begin, stop.millis(), maxNode));
  }

  // ---------------------------------------------------------------- Maven

  /** One Maven build and what it left. */
  static final class MvnRun {
    Path logFile;
    Path samples;
    MavenLog log;
    long wallMillis;
    long endMillis;
    int leftRunning;
  }

  private MvnRun mvn(Path dir, String name, boolean agent, boolean offline) throws Exception {
    MvnRun r = new MvnRun();
    r.logFile = logs.resolve(name + ".log");
    r.samples = logs.resolve(name + ".samples");
    List<String> cmd = new ArrayList<>(List.of(mvn, "-B"));
    if (offline) {
      cmd.add("-o");
    }
    if (m2 != null) {
      cmd.add("-Dmaven.repo.local=" + m2);
    }
    if (settings != null) {
      cmd.add("-gs");
      cmd.add(settings.toString());
    }
    cmd.add("verify");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(r.logFile.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
    pb.environment().put("MAVEN_OPTS", MavenLog.OPTS + (agent ? " -javaagent:" + sampler + "=" + r.samples : ""));
    long t0 = System.nanoTime();
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new IllegalStateException("mvn did not finish in 15 minutes: " + r.logFile);
    }
    r.wallMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    r.endMillis = System.currentTimeMillis();
    // Nodes still running once Maven has exited and their linger is over: none should be.
    r.leftRunning = Procs.awaitGone(runId, lingerMs + 1000);
    if (r.leftRunning > 0) {
      Procs.kill(runId);
    }
    r.log = MavenLog.read(r.logFile);
    return r;
  }

  private static void check(boolean ok, MvnRun r) {
    if (!ok) {
      throw new IllegalStateException("the build failed; see " + r.logFile);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static long lastLine(MavenLog log, MavenLog.Mojo mojo, String regex) {
    List<MavenLog.Line> l = log.lines(mojo, Pattern.compile(regex));
    return l.get(l.size() - 1).time;
  }

  private static Map<String, Stamps> stamps(Path dir, int n) throws IOException {
    Map<String, Stamps> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      m.put("n_" + i, Stamps.read(dir.resolve("n_" + i + ".txt")));
    }
    return m;
  }

  private static Path freshDir(Path dir) throws IOException {
    deleteTree(dir);
    Files.createDirectories(dir);
    return dir;
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      walk.sorted(Comparator.reverseOrder()).forEach(x -> {
        try {
          Files.delete(x);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  private static int[] freePorts(int n) throws IOException {
    int[] ports = new int[n];
    List<ServerSocket> open = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        open.add(s);
        ports[i] = s.getLocalPort();
      }
    } finally {
      for (ServerSocket s : open) {
        s.close();
      }
    }
    return ports;
  }

  private String pluginVersion() {
    String name = pluginJar.getFileName().toString();
    return name.substring("cluster-maven-plugin-".length(), name.length() - ".jar".length());
  }

  private Map<String, String> machine() throws Exception {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("date", ZonedDateTime.now().format(STAMP));
    String cpu = "";
    for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
      if (line.startsWith("model name")) {
        cpu = line.substring(line.indexOf(':') + 1).trim();
        break;
      }
    }
    m.put("cores", Runtime.getRuntime().availableProcessors() + (cpu.isEmpty() ? "" : " (" + cpu + ")"));
    for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
        m.put("memory", String.format("%.1f GiB", kb / 1024.0 / 1024.0));
      }
    }
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    m.put("java -version", output(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-version")));
    m.put("mvn -version", output(List.of(mvn, "-B", "-version")));
    m.put("node JVM options", String.join(" ", Poms.NODE_JVM));
    return m;
  }

  private static String output(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "").trim();
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2] + " (1, 5, 15 min)";
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void writeMachine(Path file, Map<String, String> m) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : m.entrySet()) {
      sb.append("## ").append(e.getKey()).append('\n').append(e.getValue()).append("\n");
    }
    Files.writeString(file, sb.toString());
  }

  private static String joinInts(int[] a) {
    StringBuilder sb = new StringBuilder();
    for (int x : a) {
      sb.append(sb.length() == 0 ? "" : ",").append(x);
    }
    return sb.toString();
  }

  static void log(String s) {
    System.out.println("[bench] " + s);
    System.out.flush();
  }
}
