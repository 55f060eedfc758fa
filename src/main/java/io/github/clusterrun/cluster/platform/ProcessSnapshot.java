package io.github.clusterrun.cluster.platform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What one {@link Platform#scan} saw: the marked processes and every live process's children. */
public final class ProcessSnapshot {
  private final List<Marked> marked;
  private final Map<Long, List<Long>> children;
  private final Map<Long, Long> groups;
  private final Set<Long> stopped;
  private final Set<Long> foreign;
  private final boolean complete;

  ProcessSnapshot(
      List<Marked> marked,
      Map<Long, List<Long>> children,
      Map<Long, Long> groups,
      Set<Long> stopped,
      Set<Long> foreign,
      boolean complete) {
    this.marked = Collections.unmodifiableList(marked);
    this.children = children;
    this.groups = groups;
    this.stopped = stopped;
    this.foreign = foreign;
    this.complete = complete;
  }

  /** The process group of a live process as the scan saw it; 0 when unknown. */
  public long group(long pid) {
    return groups.getOrDefault(pid, 0L);
  }

  /** The live processes of a process group, as the scan saw them. */
  public Set<Long> groupMembers(long group) {
    Set<Long> members = new HashSet<>();
    groups.forEach((pid, g) -> {
      if (g == group) {
        members.add(pid);
      }
    });
    return members;
  }

  /**
   * Whether the scan read the process's environment and found no mark searched for in it (a
   * process whose environment could not be read, or was empty in the middle of an {@code execve},
   * is not known to be foreign).
   */
  public boolean foreign(long pid) {
    return foreign.contains(pid);
  }

  /**
   * Whether the scan saw the process stopped (SIGSTOP), or bound to stop before it runs again (in
   * the kernel with a SIGSTOP pending, as the parent of a stopped {@code vfork} child): it cannot
   * fork.
   */
  public boolean stopped(long pid) {
    return stopped.contains(pid);
  }

  /** The live processes that carry the mark searched for. */
  public List<Marked> marked() {
    return marked;
  }

  /**
   * The live descendants of {@code root} as the scan saw them; where the table could not be read,
   * the JDK's {@link ProcessHandle#descendants()}.
   */
  public List<Long> descendants(ProcessHandle root) {
    List<Long> result = new ArrayList<>();
    if (!complete) {
      root.descendants().filter(ProcessHandle::isAlive).forEach(h -> result.add(h.pid()));
      return result;
    }
    ArrayDeque<Long> todo = new ArrayDeque<>(children.getOrDefault(root.pid(), List.of()));
    while (!todo.isEmpty()) {
      long pid = todo.poll();
      result.add(pid);
      todo.addAll(children.getOrDefault(pid, List.of()));
    }
    return result;
  }

  /** The parent of a live process as the scan saw it; 0 when unknown. */
  public long parent(long pid) {
    for (Map.Entry<Long, List<Long>> entry : children.entrySet()) {
      if (entry.getValue().contains(pid)) {
        return entry.getKey();
      }
    }
    return 0;
  }

  /** A live process and the value of the variable it was found by. */
  public static final class Marked {
    private final long pid;
    private final String value;

    Marked(long pid, String value) {
      this.pid = pid;
      this.value = value;
    }

    public long pid() {
      return pid;
    }

    /** The mark: the value of the variable searched for. */
    public String mark() {
      return value;
    }

    @Override
    public String toString() {
      return pid + "(" + value + ")";
    }
  }
}
