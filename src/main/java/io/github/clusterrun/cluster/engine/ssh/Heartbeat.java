package io.github.clusterrun.cluster.engine.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The build's side of a host's lifeline: a line {@code beat} a second on the master connection's
 * stdin, which {@code ssh} carries to the session command on the host, and at the end either the
 * word {@code confirmed} (the build stopped its nodes itself) or nothing (end of file: the build
 * is gone). The beats let the host notice a build that went silent while the TCP connection still
 * looks open to it: a host's {@code sshd} sends no keep-alives of its own by default, so a cut link
 * can look alive from the host's side for hours.
 */
final class Heartbeat {
  static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final byte[] BEAT = "beat\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONFIRMED = "confirmed\n".getBytes(StandardCharsets.US_ASCII);

  private final OutputStream pipe;
  private final CountDownLatch stop = new CountDownLatch(1);
  private boolean ended;

  private Heartbeat(OutputStream pipe) {
    this.pipe = pipe;
  }

  /** Beats on {@code pipe} from now on, in a daemon thread named {@code name}. */
  static Heartbeat start(OutputStream pipe, String name) {
    Heartbeat heartbeat = new Heartbeat(pipe);
    Thread beater = new Thread(heartbeat::beat, name);
    beater.setDaemon(true);
    beater.start();
    return heartbeat;
  }

  private void beat() {
    try {
      do {
        if (!write(BEAT)) {
          return;
        }
      } while (!stop.await(INTERVAL.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized boolean write(byte[] line) {
    if (ended) {
      return false;
    }
    try {
      pipe.write(line);
      pipe.flush();
      return true;
    } catch (IOException gone) {
      return false; // ssh is gone: the host has its end of file already
    }
  }

  /**
   * Ends the beats: writes {@code confirmed} when {@code confirmed}, then closes the pipe, so the
   * host reads end of file. Only the first call does anything.
   */
  synchronized void end(boolean confirmed) {
    if (ended) {
      return;
    }
    if (confirmed) {
      write(CONFIRMED);
    }
    ended = true;
    stop.countDown();
    try {
      pipe.close();
    } catch (IOException gone) {
      // ssh is gone: the host has its end of file already.
    }
  }

  synchronized boolean ended() {
    return ended;
  }
}
