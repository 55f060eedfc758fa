package bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** What one BenchNode wrote to its stamp file (epoch ms; -1 when missing). */
final class Stamps {
  final long launch;
  final long main;
  final long open;
  final long term;
  final long exit;

  private Stamps(Map<String, Long> v) {
    launch = v.getOrDefault("launch", -1L);
    main = v.getOrDefault("main", -1L);
    open = v.getOrDefault("open", -1L);
    term = v.getOrDefault("term", -1L);
    exit = v.getOrDefault("exit", -1L);
  }

  static Stamps read(Path file) throws IOException {
    Map<String, Long> v = new HashMap<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          v.putIfAbsent(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
        }
      }
    }
    return new Stamps(v);
  }

  /** The node's own start time: from its fork to its port being open. */
  long ownStart() {
    return launch > 0 && open > 0 ? open - launch : -1;
  }
}
