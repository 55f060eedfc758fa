package bench;

import bench.Logs.Line;
import bench.Logs.MavenLog;
import bench.Logs.Mojo;
import bench.Logs.Samples;
import bench.Logs.Stamps;
import io.github.clusterrun.cluster.testing.TestHosts;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the benchmark scenarios and writes {@code results/results.csv}, {@code results/chart.png} and the
 * generated block of {@code RESULTS.md}. Started by {@code bench/run}, which builds the plugin and this
 * program and holds the usage text ({@code bench/run --help}).
 */
public final class Bench {
  private static final Pattern READY = Pattern.compile("^(n_\\d+) ready in (\\d+) ms");
  private static final Pattern CLUSTER_READY = Pattern.compile("^Cluster of \\d+ nodes? ready in");
  private static final Pattern STOPPED =
      Pattern.compile("^\\s*(n_\\d+) \\(pid \\d+\\): (stopped gracefully in|killed after the stop timeout,) (\\d+) ms");
  private static final Pattern FAMILY = Pattern.compile("(\\d+) processes in its family");
  private static final Pattern DELETED = Pattern.compile("^Deleted ");
  private static final Pattern ON_HOSTS = Pattern.compile(" on (\\d+) hosts? \\((\\d+) SSH connections? in this build\\)");
  /** The freeze node: a shell forking children that live 5 s, as fast as it can. */
  static final String FORK_LOOP = "while :; do sleep 5 & done";

  /** The options (bench/run --help), by name without the dashes; bench/run adds the paths. */
  final Map<String, String> opt = new LinkedHashMap<>();
  int reps;
  long lingerMs;
  List<String> only;
  Path benchDir;
  Path work;
  Path logs;
  Results results;
  String runId;
  Poms poms;

  public static void main(String[] args) throws Exception {
    Bench b = new Bench();
    String defaults = "reps=3 peer-reps=2 peer-big-reps=1 overhead-reps=5 scale-reps=1 sizes=1,8,32 scale-nodes=128 files=100000"
        + " delay-ms=2000 busy-ms=3000 linger-ms=1000 only=start,busy,cleanup,overhead,scale,stoporder,freeze,hosts";
    for (String kv : defaults.split(" ")) {
      b.opt.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    for (int i = 0; i < args.length; i++) {
      String key = args[i].substring(2);
      if (key.equals("quick")) {
        b.opt.putAll(Map.of("reps", "1", "peer-reps", "1", "peer-big-reps", "0", "overhead-reps", "2", "sizes", "1,8", "files", "20000",
            "scale-nodes", "16"));
      } else if (key.equals("report-only")) {
        b.opt.put(key, "");
      } else if (args[i].startsWith("--") && i + 1 < args.length
          && (b.opt.containsKey(key) || key.matches("note|cleanup-dir|bench-dir|plugin-jar|m2|settings|mvn"))) {
        b.opt.put(key, args[++i]);
      } else {
        System.err.println("Unknown option " + args[i] + "; bench/run --help lists the options");
        System.exit(2);
      }
    }
    b.benchDir = Paths.get(b.opt.get("bench-dir")).toAbsolutePath();
    if (!b.opt.containsKey("report-only")) {
      b.run();
    }
    Path resultsDir = b.benchDir.resolve("results");
    Results r = Results.read(resultsDir.resolve("results.csv"));
    Chart.write(r, resultsDir.resolve("chart.png"));
    Report.write(r, resultsDir.resolve("machine.txt"), b.benchDir.resolve("RESULTS.md"));
    log("wrote results/results.csv, results/chart.png and the generated block of RESULTS.md");
  }

  private int num(String key) {
    return Integer.parseInt(opt.get(key));
  }

  void run() throws Exception {
    long begin = System.nanoTime();
    reps = num("reps");
    lingerMs = num("linger-ms");
    only = List.of(opt.get("only").split(","));
    work = fresh(benchDir.resolve("target/work"));
    logs = fresh(benchDir.resolve("target/logs"));
    Path resultsDir = Files.createDirectories(benchDir.resolve("results"));
    Files.deleteIfExists(resultsDir.resolve("results.csv"));
    results = new Results(resultsDir.resolve("results.csv"));
    runId = Long.toString(System.currentTimeMillis());
    String name = Paths.get(opt.get("plugin-jar")).getFileName().toString();
    poms = new Poms(name.substring("cluster-maven-plugin-".length(), name.length() - ".jar".length()),
        benchDir.resolve("target/node").toString(), "clusterbench-" + runId);
    Map<String, String> machine = machine();
    log("warming up (resolves the plugins into " + opt.get("m2") + ")");
    warmUp();
    for (int rep = 1; only.contains("start") && rep <= reps; rep++) {
      for (String size : opt.get("sizes").split(",")) {
        int n = Integer.parseInt(size);
        clusterRun("start", n, rep);
        if (rep <= num(n < 32 ? "peer-reps" : "peer-big-reps")) {
          processExecRun("start", n, rep);
        }
        execRun(n, rep);
      }
    }
    for (int rep = 1; only.contains("busy") && rep <= reps; rep++) {
      for (String size : opt.get("sizes").split(",")) {
        int n = Integer.parseInt(size);
        if (n <= 8) {
          clusterRun("busy", n, rep);
          if (rep <= num("peer-reps")) {
            processExecRun("busy", n, rep);
          }
        }
      }
    }
    if (only.contains("cleanup")) {
      cleanup();
    }
    if (only.contains("overhead")) {
      overhead();
    }
    for (int rep = 1; only.contains("scale") && rep <= num("scale-reps"); rep++) {
      clusterRun("scale", num("scale-nodes"), rep);
    }
    if (only.contains("stoporder")) {
      stopOrder();
    }
    if (only.contains("freeze")) {
      freeze();
    }
    if (only.contains("hosts")) {
      hosts();
    }
    machine.put("load average at the end", loadAverage());
    machine.put("benchmark run time", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin) + " s (without building the plugin)");
    StringBuilder options = new StringBuilder();
    opt.forEach((k, v) -> options.append(k.matches("note|.*-dir|plugin-jar|m2|settings|mvn") ? "" : " --" + k + " " + v));
    machine.put("options", options.toString().trim());
    if (opt.containsKey("note")) {
      machine.put("note", opt.get("note"));
    }
    StringBuilder sb = new StringBuilder();
    machine.forEach((k, v) -> sb.append("## ").append(k).append('\n').append(v).append('\n'));
    Files.writeString(resultsDir.resolve("machine.txt"), sb.toString());
  }

  // ---------------------------------------------------------------- scenarios

  private void warmUp() throws Exception {
    Path stamps = fresh(work.resolve("warmup-stamps"));
    int port = freePort();
    List<List<String>> one = List.of(java(poms.node(Integer.toString(port), "n_0", 0, 0, stamps.toString())));
    String[] plugins = {poms.clusterNodes(1, true, 0, 0, stamps.toString()),
        Poms.processExec(one, new String[] {"http://127.0.0.1:" + port + "/health"}, 0), Poms.exec(one)};
    for (int i = 0; i < plugins.length; i++) {
      check(mvn(project("warmup-" + i, false, plugins[i]), "warmup-" + i, false, false));
    }
  }

  /**
   * Start, readiness and stop of N BenchNodes under cluster-maven-plugin (scenarios start, busy: nodes answering
   * 503 for {@code --busy-ms} after their port opens, and scale).
   */
  private void clusterRun(String scenario, int n, int rep) throws Exception {
    Path stamps = fresh(work.resolve("stamps-" + scenario + "-cluster-n" + n));
    Path dir = project("cluster-n" + n, false, poms.clusterNodes(n, true, num("delay-ms"), busyMs(scenario), lingerMs, stamps.toString()));
    MvnRun r = check(mvn(dir, scenario + "-cluster-n" + n + "-r" + rep, true, true));
    Mojo start = r.log().mojos("cluster-maven-plugin", "start").get(0);
    Mojo stop = r.log().mojos("cluster-maven-plugin", "stop").get(0);
    long ready = r.log().find(start.first(), CLUSTER_READY).time();
    boolean scale = scenario.equals("scale");
    String stopScenario = stopScenario(scenario);
    int readyNodes = details(scenario, stopScenario, "cluster", n, rep, r, List.of(start), READY, ready, stop, stamps);
    List<Long> nodeStops = nodeStops(r.log(), stop, stopScenario, "cluster", n, rep);
    List<Line> stopped = r.log().lines(stop, STOPPED);
    Line deleted = r.log().find(stop.first(), DELETED);
    if (deleted != null && !stopped.isEmpty()) {
      add(stopScenario, "cluster", n, rep, "delete_ms", deleted.time() - stopped.get(stopped.size() - 1).time());
    }
    if (scale) {
      add(scenario, "cluster", n, rep, "ready_nodes", readyNodes);
      add(scenario, "cluster", n, rep, "stopped_nodes", nodeStops.size());
      add(scenario, "cluster", n, rep, "dir_deleted", Files.exists(dir.resolve("target/cluster")) ? 0 : 1);
    }
    log(String.format("%-9s cluster      N=%-3d rep %d: start %5d ms, stop %5d ms, %d ready, %d stopped, %d left running",
        scenario, n, rep, ready - start.begin(), stop.millis(), readyNodes, nodeStops.size(), r.leftRunning()));
  }

  /** The same with process-exec-maven-plugin: a start execution a node (each waits for /health), then stop-all. */
  private void processExecRun(String scenario, int n, int rep) throws Exception {
    Path stamps = fresh(work.resolve("stamps-process-exec-n" + n));
    List<List<String>> cmds = nodeCommands(n, busyMs(scenario), stamps);
    String[] health = cmds.stream().map(c -> c.stream().filter(a -> a.startsWith("--port=")).findFirst().orElseThrow())
        .map(a -> "http://127.0.0.1:" + a.substring("--port=".length()) + "/health").toArray(String[]::new);
    MvnRun r = check(mvn(project("process-exec-n" + n, false, Poms.processExec(cmds, health, 0)),
        scenario + "-process-exec-n" + n + "-r" + rep, true, true));
    List<Mojo> starts = r.log().mojos("process-exec-maven-plugin", "start");
    Mojo stop = r.log().mojos("process-exec-maven-plugin", "stop-all").get(0);
    long end = starts.get(starts.size() - 1).end();
    details(scenario, stopScenario(scenario), "process-exec", n, rep, r, starts, Pattern.compile("^Started process: (n_\\d+)"), end, stop,
        stamps);
    log(String.format("%-9s process-exec N=%-3d rep %d: start %5d ms, stop %5d ms", scenario, n, rep, end - starts.get(0).begin(),
        stop.millis()));
  }

  /** Where a scenario's stop figures go: the start scenario's to stop, the others' to their own name (or name-stop). */
  private static String stopScenario(String scenario) {
    return scenario.equals("start") ? "stop" : scenario.equals("scale") ? "scale" : scenario + "-stop";
  }

  /** How long a node answers 503 after its port opens: {@code --busy-ms} in the busy scenario, else not at all. */
  private long busyMs(String scenario) {
    return scenario.equals("busy") ? num("busy-ms") : 0;
  }

  /** exec-maven-plugin with async executions: launch only; no readiness, no stop goal. */
  private void execRun(int n, int rep) throws Exception {
    Path stamps = fresh(work.resolve("stamps-exec-n" + n));
    MvnRun r = check(mvn(project("exec-n" + n, false, Poms.exec(nodeCommands(n, 0, stamps))), "start-exec-n" + n + "-r" + rep, true, true));
    List<Mojo> execs = r.log().mojos("exec-maven-plugin", "exec");
    long begin = execs.get(0).begin();
    long end = execs.get(execs.size() - 1).end();
    add("stop", "exec", n, rep, "left_running", r.leftRunning());
    add("start", "exec", n, rep, "launch_ms", end - begin);
    Samples s = r.samples();
    add("start", "exec", n, rep, "base_threads", s.at(begin)[1]);
    add("start", "exec", n, rep, "peak_threads", s.max(1, begin, r.endMillis()));
    log(String.format("start     exec (async) N=%-3d rep %d: launch %5d ms, %d left running", n, rep, end - begin, r.leftRunning()));
  }

  private List<List<String>> nodeCommands(int n, long busyMs, Path stamps) throws IOException {
    List<List<String>> cmds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      cmds.add(java(poms.node(Integer.toString(freePort()), "n_" + i, num("delay-ms"), busyMs, lingerMs, stamps.toString())));
    }
    return cmds;
  }

  /**
   * What a start/stop build of BenchNodes shows: start and stop times, readiness (a line matching {@code
   * readyLine}, node name in group 1, against the node's open stamp), the nodes' stamps, and the Maven JVM's
   * threads and CPU from /proc. Returns how many nodes were reported ready.
   */
  private int details(String sc, String stopSc, String tool, int n, int rep, MvnRun r, List<Mojo> starts, Pattern readyLine,
      long ready, Mojo stop, Path stampDir) throws IOException {
    long begin = starts.get(0).begin();
    Map<String, Stamps> st = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      st.put("n_" + i, Stamps.read(stampDir.resolve("n_" + i + ".txt")));
    }
    add(sc, tool, n, rep, "start_ms", ready - begin);
    int readyNodes = 0;
    for (Mojo m : starts) {
      for (Line line : r.log().lines(m, readyLine)) {
        Matcher x = readyLine.matcher(line.text());
        Stamps s = x.find() ? st.get(x.group(1)) : null;
        readyNodes++;
        if (s != null && s.open() > 0) {
          results.add(sc.equals("start") ? "readiness" : sc, tool, n, rep, x.group(1), "latency_ms", line.time() - s.open(), "ms");
        }
      }
    }
    st.forEach((node, s) -> {
      if (s.ownStart() >= 0) {
        results.add(sc, tool, n, rep, node, "node_start_ms", s.ownStart(), "ms");
      }
      if (s.touches() >= 0) {
        results.add(sc, tool, n, rep, node, "touches", s.touches(), "connections");
      }
    });
    List<Stamps> up = st.values().stream().filter(s -> s.ownStart() >= 0).toList();
    if (!up.isEmpty()) {
      add(sc, tool, n, rep, "slowest_node_start_ms", up.stream().mapToLong(Stamps::ownStart).max().getAsLong());
      add(sc, tool, n, rep, "first_launch_ms", up.stream().mapToLong(Stamps::launch).min().getAsLong() - begin);
      add(sc, tool, n, rep, "launch_spread_ms", up.stream().mapToLong(Stamps::launch).max().getAsLong()
          - up.stream().mapToLong(Stamps::launch).min().getAsLong());
      add(sc, tool, n, rep, "ready_after_last_open_ms", ready - up.stream().mapToLong(Stamps::open).max().getAsLong());
    }
    add(stopSc, tool, n, rep, "stop_ms", stop.millis());
    long lastTerm = st.values().stream().mapToLong(Stamps::term).max().orElse(-1);
    long lastExit = st.values().stream().mapToLong(Stamps::exit).max().orElse(-1);
    if (lastTerm > 0 && lastExit > 0) {
      add(stopSc, tool, n, rep, "last_sigterm_ms", lastTerm - stop.begin());
      add(stopSc, tool, n, rep, "last_linger_end_ms", lastExit - stop.begin());
    }
    add(stopSc, tool, n, rep, "left_running", r.leftRunning());
    Samples s = r.samples();
    if (!s.rows.isEmpty()) {
      add(sc, tool, n, rep, "base_threads", s.at(begin)[1]);
      add(sc, tool, n, rep, "peak_threads", s.max(1, begin, stop.end()));
      add(sc, tool, n, rep, "maven_cpu_ms", s.cpuMillis(begin, ready));
      add(stopSc, tool, n, rep, "maven_cpu_ms", s.cpuMillis(stop.begin(), stop.end()));
      add(sc, tool, n, rep, "plugin_threads", s.pluginThreads);
      results.add(sc, tool, n, rep, s.peakNames.replace(',', ' '), "peak_thread_names", s.max(1, 0, Long.MAX_VALUE), "threads");
    }
    return readyNodes;
  }

  /** The stop goal's per-node lines: node_stop_ms per node, and the slowest; returns the times. */
  private List<Long> nodeStops(MavenLog log, Mojo stop, String scenario, String tool, int n, int rep) {
    List<Long> times = new ArrayList<>();
    for (Line line : log.lines(stop, STOPPED)) {
      Matcher m = STOPPED.matcher(line.text());
      m.find();
      times.add(Long.parseLong(m.group(3)));
      results.add(scenario, tool, n, rep, m.group(1), "node_stop_ms", times.get(times.size() - 1), "ms");
    }
    add(scenario, tool, n, rep, "max_node_stop_ms", times.stream().mapToLong(x -> x).max().orElse(-1));
    return times;
  }

  /** SafeDelete.deleteTree against rm -rf of identical, freshly made trees; the order alternates. */
  private void cleanup() throws Exception {
    Path shm = Paths.get("/dev/shm");
    Path base = opt.containsKey("cleanup-dir") ? Paths.get(opt.get("cleanup-dir")).toAbsolutePath() : Files.isDirectory(shm) && Files.isWritable(shm) ? shm : work;
    Path root = base.resolve("clusterbench-cleanup-" + runId);
    String fs = Files.getFileStore(base).type();
    int nodes = 8;
    int files = num("files");
    byte[] content = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n".getBytes(StandardCharsets.US_ASCII);
    try {
      for (int rep = 1; rep <= reps; rep++) {
        for (String tool : rep % 2 == 1 ? List.of("cluster", "rm-rf") : List.of("rm-rf", "cluster")) {
          // A fresh path every time: re-creating names that were just deleted is much slower.
          Path tree = root.resolve("r" + rep + "-" + tool).resolve("cluster");
          for (int i = 0; i < files; i++) {
            Path dir = tree.resolve("n_" + i % nodes).resolve("data").resolve(String.format("d_%03d", i / nodes / 500));
            if (i / nodes % 500 == 0) {
              Files.createDirectories(dir);
            }
            Files.write(dir.resolve(String.format("f_%04d", i / nodes % 500)), content);
          }
          long t0 = System.nanoTime();
          if (tool.equals("cluster")) {
            io.github.clusterrun.cluster.cleanup.SafeDelete.deleteTree(tree);
          } else if (new ProcessBuilder("rm", "-rf", tree.toString()).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException("rm -rf failed");
          }
          long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
          if (Files.exists(tree)) {
            throw new IllegalStateException(tool + " left " + tree);
          }
          results.add("cleanup", tool, nodes, rep, "files=" + files + " fs=" + fs, "delete_ms", ms, "ms");
          log(String.format("cleanup   %-12s %d files over %d nodes on %s, rep %d: %5d ms", tool, files, nodes, fs, rep, ms));
        }
      }
    } finally {
      new ProcessBuilder("rm", "-rf", root.toString()).inheritIO().start().waitFor();
    }
  }

  /** mvn verify of a one-class jar project without any plugin and with one node (ready once started). */
  private void overhead() throws Exception {
    String stamps = fresh(work.resolve("stamps-overhead")).toString();
    List<String> variants = List.of("none", "cluster", "process-exec", "exec");
    for (int rep = 0; rep <= num("overhead-reps"); rep++) { // rep 0 warms up each variant
      for (int k = 0; k < variants.size(); k++) {
        String v = variants.get((k + rep) % variants.size());
        List<List<String>> one = List.of(java(poms.node(Integer.toString(freePort()), "n_0", 0, 0, stamps)));
        String plugin = switch (v) {
          case "cluster" -> poms.clusterNodes(1, false, 0, 0, stamps);
          case "process-exec" -> Poms.processExec(one, new String[1], 0);
          case "exec" -> Poms.exec(one);
          default -> "";
        };
        Path dir = project("overhead-" + v, true, plugin);
        Files.createDirectories(dir.resolve("src/main/java/bench"));
        Files.writeString(dir.resolve("src/main/java/bench/App.java"), Poms.APP);
        MvnRun r = check(mvn(dir, "overhead-" + v + "-r" + rep, false, rep > 0));
        long goals = r.log().mojos.stream().filter(m -> m.plugin().matches("cluster-maven-plugin|(process-)?exec-maven-plugin"))
            .mapToLong(Mojo::millis).sum();
        if (rep > 0) {
          add("overhead", v, 1, rep, "verify_ms", r.wallMillis());
          if (!v.equals("none")) {
            add("overhead", v, 1, rep, "goals_ms", goals);
          }
          if (v.equals("cluster")) {
            add("overhead", v, 1, rep, "start_goal_ms", r.log().mojos("cluster-maven-plugin", "start").get(0).millis());
            add("overhead", v, 1, rep, "stop_goal_ms", r.log().mojos("cluster-maven-plugin", "stop").get(0).millis());
          }
          log(String.format("overhead  %-12s rep %d: mvn verify %5d ms (its goals %d ms)", v, rep, r.wallMillis(), goals));
        }
      }
    }
  }

  /** A 3-member etcd cluster (a leader-based system) stopped in parallel and one member after the other. */
  private void stopOrder() throws Exception {
    if (!onPath("etcd") || !onPath("etcdctl")) {
      add("stoporder", "skipped", 3, 0, "skipped", 1);
      log("stoporder skipped: etcd or etcdctl is not on PATH");
      return;
    }
    List<String> args = List.of("--name=@{node.name}", "--data-dir=@{node.dataDir}",
        "--listen-client-urls=http://127.0.0.1:@{node.port.client}", "--advertise-client-urls=http://127.0.0.1:@{node.port.client}",
        "--listen-peer-urls=http://127.0.0.1:@{node.port.peer}", "--initial-advertise-peer-urls=http://127.0.0.1:@{node.port.peer}",
        "--initial-cluster=@{nodes[,]:@{node.name}=http://127.0.0.1:@{node.port.peer}}", "--initial-cluster-state=new",
        "--initial-cluster-token=clusterbench");
    for (int rep = 1; rep <= reps; rep++) {
      for (String order : rep % 2 == 1 ? List.of("parallel", "sequential") : List.of("sequential", "parallel")) {
        String more = "          <ports><port>client</port><port>peer</port></ports>\n"
            + "          <waitFor><log>ready to serve client requests</log><http>http://127.0.0.1:@{node.port.client}/health</http></waitFor>\n"
            + "          <afterStart><command><executable>etcdctl</executable>\n"
            + Poms.arguments(List.of("--endpoints=@{cluster.hosts}", "endpoint", "health"), "            ")
            + "            <timeout>60</timeout><retryUntilSuccess>true</retryUntilSuccess></command></afterStart>\n"
            + "          <stopOrder>" + order + "</stopOrder>\n";
        Path dir = project("stoporder-" + order, false, poms.cluster(3, "etcd", args, more));
        MvnRun r = check(mvn(dir, "stoporder-" + order + "-r" + rep, false, true));
        List<ProcessHandle> left = Logs.withCommandLine("--data-dir=" + dir + "/"); // etcd members still running
        left.forEach(ProcessHandle::destroyForcibly);
        Mojo stop = r.log().mojos("cluster-maven-plugin", "stop").get(0);
        List<Long> nodes = nodeStops(r.log(), stop, "stoporder", order, 3, rep);
        add("stoporder", order, 3, rep, "stop_ms", stop.millis());
        add("stoporder", order, 3, rep, "left_running", left.size());
        log(String.format("stoporder %-12s rep %d: stop goal %5d ms, per node %s ms", order, rep, stop.millis(), nodes));
      }
    }
  }

  /**
   * A node whose family forks fast ({@link #FORK_LOOP}, marked by an environment variable), left running
   * 2 s, then stopped: the stop goal's time and the processes of the family left once Maven has exited.
   */
  private void freeze() throws Exception {
    for (int rep = 1; rep <= reps; rep++) {
      for (String tool : List.of("cluster", "process-exec")) {
        String mark = "BENCH_FAMILY=clusterbench-" + runId + "-freeze-" + tool + "-" + rep;
        List<String> cmd = List.of("/usr/bin/env", mark, "/bin/sh", "-c", FORK_LOOP);
        String plugin = tool.equals("cluster")
            ? poms.cluster(1, cmd.get(0), cmd.subList(1, cmd.size()), "          <stopTimeout>10</stopTimeout>\n"
                + "          <afterStart><command><executable>/bin/sleep</executable><arguments><argument>2</argument>"
                + "</arguments><timeout>10</timeout></command></afterStart>\n")
            : Poms.processExec(List.of(cmd), new String[1], 2);
        MvnRun r = check(mvn(project("freeze-" + tool, false, plugin), "freeze-" + tool + "-r" + rep, false, true));
        int left = Logs.withEnvironment(mark).size();
        int killed = killAll(mark);
        Mojo stop = r.log().mojos(tool + "-maven-plugin", tool.equals("cluster") ? "stop" : "stop-all").get(0);
        add("freeze", tool, 1, rep, "stop_ms", stop.millis());
        add("freeze", tool, 1, rep, "left_running", left);
        Line family = r.log().find(stop.first(), FAMILY);
        if (family != null && tool.equals("cluster")) {
          Matcher m = FAMILY.matcher(family.text());
          m.find();
          add("freeze", tool, 1, rep, "family_at_stop", Long.parseLong(m.group(1)));
        }
        log(String.format("freeze    %-12s rep %d: stop goal %5d ms, %d processes of the family left after Maven exited"
            + " (%d killed by the benchmark)", tool, rep, stop.millis(), left, killed));
      }
    }
  }

  /**
   * 9 BenchNodes on the build machine against the same 9 on 3 hosts over SSH (3 each), the same readiness for
   * both: the hosts are TestHosts' (the plugin's test classes), network namespaces with an sshd each, made as
   * root; they share this machine's files (java, the node's classes, the stamps) but the remote directory.
   */
  private void hosts() throws Exception {
    String why = TestHosts.unavailableReason();
    if (why != null) {
      results.add("hosts", "skipped", 9, 0, why.replaceAll("[,\\n]", ";"), "skipped", 1, "");
      log("hosts skipped: " + why);
      return;
    }
    TestHosts hosts = TestHosts.start(3);
    try {
      StringBuilder config = new StringBuilder();
      for (int i = 0; i < 3; i++) {
        config.append("Host h" + i + "\n  HostName " + hosts.hosts().get(i).address() + "\n  User root\n  IdentityFile " + hosts.key()
            + "\n  IdentitiesOnly yes\n  UserKnownHostsFile " + hosts.knownHosts() + "\n  GlobalKnownHostsFile /dev/null\n"
            + "  StrictHostKeyChecking yes\n");
      }
      Path sshConfig = Files.writeString(hosts.runDir().resolve("ssh_config"), config);
      String[] ssh = {"-Dcluster.sshHosts=h0,h1,h2", "-Dcluster.sshConfig=" + sshConfig, "-Dcluster.remoteDirectory=" + hosts.remoteDirectory()};
      for (int rep = 0; rep <= reps; rep++) { // rep 0 warms up both
        for (String where : rep % 2 == 1 ? List.of("local", "3-hosts") : List.of("3-hosts", "local")) {
          Path stamps = fresh(work.resolve("stamps-hosts-" + where));
          Path dir = project("hosts-" + where, false, poms.clusterNodes(9, true, num("delay-ms"), 0, lingerMs, stamps.toString()));
          MvnRun r = check(mvn(dir, "hosts-" + where + "-r" + rep, true, true, where.equals("local") ? new String[0] : ssh));
          Mojo start = r.log().mojos("cluster-maven-plugin", "start").get(0);
          Mojo stop = r.log().mojos("cluster-maven-plugin", "stop").get(0);
          Line ready = r.log().find(start.first(), CLUSTER_READY);
          Matcher m = ON_HOSTS.matcher(ready.text());
          if (m.find() ? !where.equals("3-hosts") || !m.group(1).equals("3") : where.equals("3-hosts")) {
            throw new IllegalStateException("the nodes did not run where asked (" + where + "): " + ready.text() + "; see " + r.logFile());
          }
          if (rep > 0) {
            details("hosts", stopScenario("hosts"), where, 9, rep, r, List.of(start), READY, ready.time(), stop, stamps);
            String connections = where.equals("local") ? "0" : m.group(2);
            results.add("hosts", where, 9, rep, "", "ssh_connections", Long.parseLong(connections), "connections");
            log(String.format("hosts     %-12s N=9 rep %d: start %5d ms, stop %5d ms, %s SSH connections, %d left running", where, rep,
                ready.time() - start.begin(), stop.millis(), connections, r.leftRunning()));
          }
        }
      }
    } finally {
      hosts.close();
    }
  }

  /** SIGKILL to every process carrying the mark until three scans in a row find none; returns how many. */
  private static int killAll(String mark) throws Exception {
    int killed = 0;
    for (int empty = 0; empty < 3; ) {
      List<ProcessHandle> found = Logs.withEnvironment(mark);
      empty = found.isEmpty() ? empty + 1 : 0;
      killed += (int) found.stream().filter(ProcessHandle::destroyForcibly).count();
      Thread.sleep(20);
    }
    return killed;
  }

  // ---------------------------------------------------------------- Maven and helpers

  /** One Maven build and what it left: BenchNodes still running once Maven has exited and their linger is over. */
  record MvnRun(Path logFile, Samples samples, MavenLog log, long wallMillis, long endMillis, int leftRunning) {}

  private MvnRun mvn(Path dir, String name, boolean sample, boolean offline, String... properties) throws Exception {
    Path logFile = logs.resolve(name + ".log");
    List<String> cmd = new ArrayList<>(List.of(opt.getOrDefault("mvn", "mvn"), "-B"));
    cmd.addAll(offline ? List.of("-o") : List.of());
    if (opt.containsKey("m2")) {
      cmd.addAll(List.of("-Dmaven.repo.local=" + opt.get("m2"), "-gs", opt.get("settings")));
    }
    cmd.addAll(List.of(properties));
    cmd.add("verify");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(logFile.toFile());
    pb.environment().put("MAVEN_OPTS", Logs.MAVEN_OPTS);
    long t0 = System.nanoTime();
    Process p = pb.start(); // mvn execs java: this is the Maven JVM's pid
    Samples samples = sample ? new Samples(p.pid()) : null;
    p.getOutputStream().close();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new IllegalStateException("mvn did not finish in 15 minutes: " + logFile);
    }
    long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    long end = System.currentTimeMillis();
    if (samples != null) {
      samples.done = true;
      samples.join();
    }
    String tag = "clusterbench-" + runId;
    while (!Logs.withCommandLine(tag).isEmpty() && System.currentTimeMillis() < end + lingerMs + 1000) {
      Thread.sleep(50);
    }
    List<ProcessHandle> left = Logs.withCommandLine(tag);
    left.forEach(ProcessHandle::destroyForcibly);
    return new MvnRun(logFile, samples, MavenLog.read(logFile), wall, end, left.size());
  }

  private static MvnRun check(MvnRun r) {
    if (!r.log().succeeded()) {
      throw new IllegalStateException("the build failed; see " + r.logFile());
    }
    return r;
  }

  private void add(String scenario, String tool, int n, int rep, String metric, double value) {
    String unit = metric.endsWith("_ms") ? "ms" : metric.endsWith("_mb") ? "MiB" : metric.contains("thread") ? "threads"
        : metric.endsWith("_nodes") ? "nodes" : metric.equals("left_running") || metric.startsWith("family") ? "processes" : "";
    results.add(scenario, tool, n, rep, "", metric, value, unit);
  }

  /** Writes a generated project's pom.xml; returns its directory. */
  private Path project(String name, boolean jar, String plugins) throws IOException {
    Path dir = Files.createDirectories(work.resolve(name));
    Files.writeString(dir.resolve("pom.xml"), Poms.project(name, jar, plugins));
    return dir;
  }

  private static List<String> java(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(args);
    return cmd;
  }

  private static Path fresh(Path dir) throws Exception {
    new ProcessBuilder("rm", "-rf", dir.toString()).inheritIO().start().waitFor();
    return Files.createDirectories(dir);
  }

  /** A port free now (the plugins under test are given ports before they start; a clash fails the build). */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean onPath(String program) {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Paths.get(d, program)));
  }

  private Map<String, String> machine() throws Exception {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("date", ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z")));
    String cpu = Files.readAllLines(Paths.get("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .map(l -> " (" + l.substring(l.indexOf(':') + 1).trim() + ")").findFirst().orElse("");
    m.put("cores", Runtime.getRuntime().availableProcessors() + cpu);
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    m.put("java -version", output(List.of(java(List.of()).get(0), "-version")));
    m.put("mvn -version", output(List.of(opt.getOrDefault("mvn", "mvn"), "-B", "-version")));
    m.put("node JVM options", String.join(" ", Poms.NODE_JVM));
    m.put("load average at the start", loadAverage());
    return m;
  }

  private static String output(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "").trim();
  }

  private static String loadAverage() throws IOException {
    String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split(" ");
    return f[0] + " " + f[1] + " " + f[2] + " (1, 5, 15 min)";
  }

  static void log(String s) {
    System.out.println("[bench] " + s);
    System.out.flush();
  }
}
