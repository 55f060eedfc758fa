package io.github.clusterrun.cluster.engine.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads a process's output to its end in a daemon thread of its own, so that the process never
 * blocks on a full pipe, and keeps at most {@code limit} bytes of it: a command that prints a
 * gigabyte costs the build nothing but the reading.
 */
final class Drain {
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final int limit;
  private long dropped;

  private Drain(int limit) {
    this.limit = limit;
  }

  /** Starts reading {@code stream} in a daemon thread named {@code name}. */
  static Drain start(InputStream stream, int limit, String name) {
    Drain drain = new Drain(limit);
    Thread reader = new Thread(() -> drain.read(stream), name);
    reader.setDaemon(true);
    reader.start();
    return drain;
  }

  private void read(InputStream stream) {
    byte[] buffer = new byte[8192];
    try (InputStream in = stream) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        synchronized (this) {
          int keep = Math.min(n, limit - kept.size());
          kept.write(buffer, 0, keep);
          dropped += n - keep;
        }
      }
    } catch (IOException closed) {
      // The process is gone or its stream was closed: what was read is the output.
    } finally {
      ended.countDown();
    }
  }

  /** Waits up to {@code timeout} for the end of the stream; whether it came. */
  boolean awaitEnd(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** What was kept so far, as UTF-8, with a note of how much was dropped. */
  synchronized String text() {
    String text = new String(kept.toByteArray(), StandardCharsets.UTF_8);
    return dropped == 0 ? text : text + "\n[... " + dropped + " more bytes not kept]";
  }
}
