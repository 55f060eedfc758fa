package it;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Holds the build in its tests until the file {@code it.block} names appears (10 minutes at most). */
class BlockIT {
  @Test
  void waitsUntilUnblocked() throws Exception {
    Path file = Paths.get(System.getProperty("it.block")).toAbsolutePath();
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (!Files.exists(file) && System.nanoTime() < deadline) {
        var key = watch.poll(1, TimeUnit.SECONDS); // an event: the file created
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
    }
  }
}
