package bench;

import java.util.List;
import java.util.stream.Collectors;

/** The node processes of this benchmark run, found by the tag on their command line. */
final class Procs {
  private Procs() {}

  static List<ProcessHandle> find(String tag) {
    return ProcessHandle.allProcesses()
        .filter(h -> h.info().commandLine().map(c -> c.contains(tag)).orElse(false))
        .collect(Collectors.toList());
  }

  /** Waits up to {@code ms} for every one to exit; returns how many are still running. */
  static int awaitGone(String tag, long ms) throws InterruptedException {
    long deadline = System.currentTimeMillis() + ms;
    List<ProcessHandle> left = find(tag);
    while (!left.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      left = find(tag);
    }
    return left.size();
  }

  /** SIGKILL to every one, then waits (up to 5 s) until they are gone. */
  static void kill(String tag) throws InterruptedException {
    for (ProcessHandle h : find(tag)) {
      h.destroyForcibly();
    }
    awaitGone(tag, 5000);
  }
}
