package bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Maven JVM's samples written by the sampler agent: time, live threads, heap used, CPU time. */
final class Samples {
  final List<long[]> rows = new ArrayList<>(); // {time ms, threads, heap bytes, cpu ns}
  String peakNames = "";

  static Samples read(Path file) throws IOException {
    Samples s = new Samples();
    if (!Files.exists(file)) {
      return s;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("peakNames=")) {
        s.peakNames = line.substring("peakNames=".length());
        continue;
      }
      String[] f = line.split(" ");
      long[] r = new long[4];
      for (int i = 0; i < 4; i++) {
        r[i] = Long.parseLong(f[i].substring(f[i].indexOf('=') + 1));
      }
      s.rows.add(r);
    }
    return s;
  }

  /** The last sample taken at or before {@code t}, or the first one. */
  long[] at(long t) {
    long[] best = rows.isEmpty() ? new long[] {t, 0, 0, 0} : rows.get(0);
    for (long[] r : rows) {
      if (r[0] <= t) {
        best = r;
      } else {
        break;
      }
    }
    return best;
  }

  /** Highest value of column {@code col} among the samples in [from, to]. */
  long max(int col, long from, long to) {
    long m = 0;
    for (long[] r : rows) {
      if (r[0] >= from && r[0] <= to) {
        m = Math.max(m, r[col]);
      }
    }
    return m;
  }

  /** CPU time (ms) the JVM used between two instants. */
  long cpuMillis(long from, long to) {
    return (at(to)[3] - at(from)[3]) / 1_000_000;
  }
}
