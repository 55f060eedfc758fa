package io.github.clusterrun.cluster.engine.ssh;

import io.github.clusterrun.cluster.family.NodeStop;
import io.github.clusterrun.cluster.platform.EphemeralRange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The program that runs on every SSH host ({@code remote.sh}: ports, checks, finding, stopping and
 * signalling node families by their mark, the cluster's firewall rules, the lifeline, deleting node
 * directories), and readers of what it prints. It is sent inline with every command ({@code sh -c
 * <text> cluster-remote <op> <args>}), so a host needs nothing installed beyond a Linux {@code sh},
 * and a host can never run a script of another version of the plugin.
 *
 * <p>Each reader takes only the lines of its own kind and skips any other: a login script that
 * prints on stdout cannot make it misread a host.
 */
public final class RemoteScript {
  private static final String RESOURCE = "remote.sh";
  private static final String RANGE = "/proc/sys/net/ipv4/ip_local_port_range";
  /** The prefix of every cluster's nftables table; the script's {@code NET}. */
  private static final String TABLE_PREFIX = "cmp_";
  private static final String TEXT = load();

  private RemoteScript() {}

  /** The script's text. */
  static String text() {
    return TEXT;
  }

  /** The command that runs {@code op} on a host: {@code sh -c <text> cluster-remote op args...}. */
  public static List<String> command(String op, String... args) {
    List<String> command = new ArrayList<>(List.of("sh", "-c", TEXT, "cluster-remote", op));
    Collections.addAll(command, args);
    return Collections.unmodifiableList(command);
  }

  /** The host's ephemeral range, from the first line of {@code ports}. */
  static Optional<EphemeralRange> ephemeral(String out) {
    return lines(out, "ephemeral", 3).stream()
        .findFirst()
        .map(f -> new EphemeralRange(Integer.parseInt(f[1]), Integer.parseInt(f[2]), "the host's " + RANGE));
  }

  /** The free ports {@code ports} found, in its order. */
  static List<Integer> ports(String out) {
    List<Integer> ports = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isEmpty() && line.chars().allMatch(Character::isDigit) && line.length() <= 5) {
        ports.add(Integer.parseInt(line));
      }
    }
    return Collections.unmodifiableList(ports);
  }

  /** The ports {@code inuse} found in LISTEN. */
  static List<Integer> inUse(String out) {
    List<Integer> ports = new ArrayList<>();
    for (String[] f : lines(out, "inuse", 2)) {
      ports.add(Integer.parseInt(f[1]));
    }
    return Collections.unmodifiableList(ports);
  }

  /** What {@code check} found; fails when its output lacks a line (the script did not finish). */
  static Check check(String out) {
    String dir = null;
    String java = null;
    String[] user = null;
    String sudo = null;
    for (String[] f : lines(out, "dir", 2)) {
      dir = f[1];
    }
    for (String[] f : lines(out, "java", 2)) {
      java = f[1];
    }
    for (String[] f : lines(out, "user", 3)) {
      user = f;
    }
    for (String[] f : lines(out, "sudo", 2)) {
      sudo = f[1];
    }
    if (dir == null || user == null || sudo == null) {
      throw new IllegalArgumentException("incomplete output of check: " + out);
    }
    return new Check(dir, java, user[1], Long.parseLong(user[2]), sudo.equals("yes"));
  }

  /** The processes {@code scan} found. */
  static List<Proc> scan(String out) {
    List<Proc> procs = new ArrayList<>();
    for (String[] f : lines(out, "proc", 3)) {
      procs.add(new Proc(Long.parseLong(f[1]), f[2]));
    }
    return Collections.unmodifiableList(procs);
  }

  /** How each family ended under {@code stop} or {@code kill}, by mark, in the script's order. */
  static Map<String, StopLine> stops(String out) {
    Map<String, StopLine> stops = new LinkedHashMap<>();
    for (String[] f : lines(out, "node", 5)) {
      stops.put(
          f[1],
          new StopLine(NodeStop.How.valueOf(f[2]), Long.parseLong(f[3]), Integer.parseInt(f[4].trim())));
    }
    return Collections.unmodifiableMap(stops);
  }

  /** The processes still alive after {@code stop} or {@code kill}. */
  static List<Survivor> survivors(String out) {
    List<Survivor> survivors = new ArrayList<>();
    for (String[] f : lines(out, "survivor", 4)) {
      survivors.add(new Survivor(Long.parseLong(f[1]), f[2], f[3]));
    }
    return Collections.unmodifiableList(survivors);
  }

  /** How many processes of each family {@code signal} signalled, by mark. */
  static Map<String, Integer> signalled(String out) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String[] f : lines(out, "signalled", 3)) {
      counts.put(f[1], Integer.parseInt(f[2]));
    }
    return Collections.unmodifiableMap(counts);
  }

  /** The pid of the lifeline, from its first line. */
  static OptionalLong lifeline(String line) {
    List<String[]> found = lines(line == null ? "" : line, "lifeline", 2);
    return found.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(found.get(0)[1]));
  }

  /**
   * The nftables table ({@code inet}) that holds every firewall rule of the cluster on a host, the
   * argument of {@code net}; the lifeline derives the same name from its prefix.
   *
   * @throws IllegalArgumentException when the id holds other than letters, digits and {@code _}
   */
  public static String table(String clusterId) {
    if (!clusterId.matches("[A-Za-z0-9_]+")) {
      throw new IllegalArgumentException("not a cluster id for a table name: '" + clusterId + "'");
    }
    return TABLE_PREFIX + clusterId;
  }

  /**
   * What {@code net} answered: {@code applied}, {@code healed}, {@code ok} or {@code refused} (for
   * apply, heal and check), else the rules in force (for show; none when the output is empty).
   */
  public static Net net(String out) {
    List<String[]> refused = lines(out, "refused", 3);
    if (!refused.isEmpty()) {
      return new Net(Net.Outcome.REFUSED, 0, refused.get(0)[1] + " " + refused.get(0)[2], List.of());
    }
    List<String[]> applied = lines(out, "applied", 4);
    if (!applied.isEmpty()) {
      return new Net(Net.Outcome.APPLIED, Integer.parseInt(applied.get(0)[2]), "", List.of());
    }
    if (!lines(out, "healed", 2).isEmpty()) {
      return new Net(Net.Outcome.HEALED, 0, "", List.of());
    }
    if (!lines(out, "ok", 1).isEmpty()) {
      return new Net(Net.Outcome.OK, 0, "", List.of());
    }
    List<String> rules = new ArrayList<>();
    for (String[] f : lines(out, "rule", 2)) {
      rules.add(f[1]);
    }
    return new Net(Net.Outcome.SHOWN, rules.size(), "", rules);
  }

  /** What {@code delete} did. */
  static Deletion deletion(String out) {
    List<String> deleted = new ArrayList<>();
    Map<String, String> notDeleted = new LinkedHashMap<>();
    for (String[] f : lines(out, "deleted", 2)) {
      deleted.add(f[1]);
    }
    for (String kind : List.of("failed", "refused")) {
      for (String[] f : lines(out, kind, 3)) {
        notDeleted.put(f[1], kind + ": " + f[2]);
      }
    }
    boolean root = out.lines().anyMatch("deleted-root"::equals);
    return new Deletion(deleted, notDeleted, root);
  }

  /**
   * The lines of {@code out} that start with {@code kind} and a space and hold at least {@code
   * fields} fields, split into exactly that many (the last keeps its spaces).
   */
  private static List<String[]> lines(String out, String kind, int fields) {
    List<String[]> found = new ArrayList<>();
    for (String line : out.split("\n")) {
      String[] f = line.split(" ", fields);
      if (f.length == fields && f[0].equals(kind)) {
        found.add(f);
      }
    }
    return found;
  }

  private static String load() {
    try (InputStream in = RemoteScript.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE + " next to " + RemoteScript.class);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What {@code check} found on a host. */
  static final class Check {
    private final String dir;
    private final String java;
    private final String user;
    private final long uid;
    private final boolean sudo;

    Check(String dir, String java, String user, long uid, boolean sudo) {
      this.dir = dir;
      this.java = java;
      this.user = user;
      this.uid = uid;
      this.sudo = sudo;
    }

    boolean dirOk() {
      return dir.equals("ok");
    }

    /** Why the directory is not usable ("fail ..." without "fail"); empty when it is. */
    String dirProblem() {
      return dirOk() ? "" : dir.replaceFirst("^fail ?", "");
    }

    /** The path of {@code java} on the host's PATH; empty when missing or not asked. */
    Optional<String> java() {
      return java == null || java.equals("missing") ? Optional.empty() : Optional.of(java);
    }

    /** Whether {@code java} was looked for and not found. */
    boolean javaMissing() {
      return "missing".equals(java);
    }

    String user() {
      return user;
    }

    long uid() {
      return uid;
    }

    /** Whether the user may change the firewall: root, or password-less sudo. */
    boolean sudo() {
      return sudo;
    }

    @Override
    public String toString() {
      return "dir " + dir + ", java " + java + ", user " + user + " (" + uid + "), sudo " + sudo;
    }
  }

  /** A live marked process on a host. */
  static final class Proc {
    final long pid;
    final String mark;

    Proc(long pid, String mark) {
      this.pid = pid;
      this.mark = mark;
    }

    @Override
    public String toString() {
      return pid + " " + mark;
    }
  }

  /** How one family ended: how, after how many ms, of how many processes seen at the start. */
  static final class StopLine {
    final NodeStop.How how;
    final long tookMs;
    final int familySize;

    StopLine(NodeStop.How how, long tookMs, int familySize) {
      this.how = how;
      this.tookMs = tookMs;
      this.familySize = familySize;
    }

    @Override
    public String toString() {
      return how + " in " + tookMs + " ms, " + familySize + " processes";
    }
  }

  /** A process still alive after the forced kill. */
  static final class Survivor {
    final long pid;
    final String mark;
    final String commandLine;

    Survivor(long pid, String mark, String commandLine) {
      this.pid = pid;
      this.mark = mark;
      this.commandLine = commandLine;
    }

    @Override
    public String toString() {
      return pid + " " + commandLine + " (" + mark + ")";
    }
  }

  /** What {@code net} answered on a host. */
  public static final class Net {
    /**
     * Which answer: rules applied, table healed, rules could be applied (check), a refusal (nothing
     * changed), or the rules shown.
     */
    enum Outcome {
      APPLIED,
      HEALED,
      OK,
      REFUSED,
      SHOWN
    }

    final Outcome outcome;
    /** How many specs are in force: those applied, or shown. */
    final int count;
    /** What was refused and why, as {@code delay netem-missing}; empty unless refused. */
    final String refusal;
    /** The specs in force as the script printed them ({@code drop 10.0.0.2}), for show. */
    final List<String> rules;

    Net(Outcome outcome, int count, String refusal, List<String> rules) {
      this.outcome = outcome;
      this.count = count;
      this.refusal = refusal;
      this.rules = Collections.unmodifiableList(new ArrayList<>(rules));
    }

    public boolean refused() {
      return outcome == Outcome.REFUSED;
    }

    @Override
    public String toString() {
      switch (outcome) {
        case APPLIED:
          return "applied " + count + " rules";
        case HEALED:
          return "healed";
        case OK:
          return "ok";
        case REFUSED:
          return "refused: " + refusal;
        default:
          return "rules " + rules;
      }
    }
  }

  /** What {@code delete} did: names deleted, names not deleted with why, whether the root went. */
  static final class Deletion {
    final List<String> deleted;
    final Map<String, String> notDeleted;
    final boolean rootDeleted;

    Deletion(List<String> deleted, Map<String, String> notDeleted, boolean rootDeleted) {
      this.deleted = Collections.unmodifiableList(new ArrayList<>(deleted));
      this.notDeleted = Collections.unmodifiableMap(new LinkedHashMap<>(notDeleted));
      this.rootDeleted = rootDeleted;
    }

    @Override
    public String toString() {
      return "deleted " + deleted + ", not " + notDeleted + (rootDeleted ? ", and the root" : "");
    }
  }
}
