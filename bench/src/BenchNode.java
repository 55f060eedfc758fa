import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * The node program of the benchmarks, run by every plugin under test as
 * {@code java -cp <dir> BenchNode --port=P --delay-ms=D --linger-ms=L --stamp-file=F}.
 *
 * <p>It waits {@code delay-ms} after its main method starts, binds 127.0.0.1:P and answers every
 * HTTP request with 200. On SIGTERM it closes its port and lingers {@code linger-ms} in its shutdown
 * hook, then exits. (Closing the port first matters for the measurement: a JVM whose thread is
 * blocked in {@code ServerSocket.accept} takes about 350 ms longer to exit after its hooks.) Before
 * its port opens it serves one request to itself, so that the first real request is answered
 * without class loading.
 * It writes to the stamp file, in epoch milliseconds: {@code launch} (when the process was forked,
 * from /proc, +-20 ms), {@code main} (main method entered), {@code open} (port bound and listening),
 * then {@code term} (SIGTERM received) and {@code exit} (the linger is over). Other arguments (for
 * example {@code --tag=...}, which lets the benchmark find its own processes) are ignored.
 */
public final class BenchNode {
  private static final byte[] RESPONSE =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nOK\n"
          .getBytes(StandardCharsets.US_ASCII);

  private static Path stamp;
  private static volatile ServerSocket server;

  public static void main(String[] args) throws Exception {
    long main = System.currentTimeMillis();
    int port = 0;
    long delay = 0;
    long linger = 0;
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String key = eq < 0 ? arg : arg.substring(0, eq);
      String value = eq < 0 ? "" : arg.substring(eq + 1);
      switch (key) {
        case "--port": port = Integer.parseInt(value); break;
        case "--delay-ms": delay = Long.parseLong(value); break;
        case "--linger-ms": linger = Long.parseLong(value); break;
        case "--stamp-file": stamp = Paths.get(value); break;
        default: break;
      }
    }
    long lingerMs = linger;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      append("term=" + System.currentTimeMillis() + "\n");
      ServerSocket open = server;
      if (open != null) {
        try {
          open.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
      if (lingerMs > 0) {
        try {
          Thread.sleep(lingerMs);
        } catch (InterruptedException ignored) {
          // exit now
        }
      }
      append("exit=" + System.currentTimeMillis() + "\n");
    }));
    byte[] buf = new byte[4096];
    warmUp(buf);
    String launched = "launch=" + launchMillis(main) + "\nmain=" + main + "\n";
    long wait = main + delay - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
    ServerSocket listening = new ServerSocket();
    listening.setReuseAddress(true);
    listening.bind(new InetSocketAddress("127.0.0.1", port), 256);
    long open = System.currentTimeMillis();
    server = listening;
    append(launched + "open=" + open + "\n");
    while (true) {
      serve(listening, buf);
    }
  }

  /** Serves one request to itself on a throwaway port, loading every class that serving needs. */
  private static void warmUp(byte[] buf) throws IOException, InterruptedException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      Thread client = new Thread(() -> {
        try (Socket c = new Socket("127.0.0.1", s.getLocalPort())) {
          c.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          c.getInputStream().readAllBytes();
        } catch (IOException ignored) {
          // only a warm-up
        }
      });
      client.start();
      serve(s, buf);
      client.join();
    }
  }

  private static void serve(ServerSocket listening, byte[] buf) throws InterruptedException {
    try (Socket s = listening.accept()) {
      s.setSoTimeout(2000);
      InputStream in = s.getInputStream();
      int seen = 0;
      int n;
      // Read the request head: up to the blank line.
      outer:
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          seen = (b == '\r' || b == '\n') ? seen + 1 : 0;
          if (seen == 4 || (seen == 2 && b == '\n' && i > 0 && buf[i - 1] == '\n')) {
            break outer;
          }
        }
      }
      OutputStream out = s.getOutputStream();
      out.write(RESPONSE);
      out.flush();
    } catch (IOException e) {
      if (listening.isClosed()) {
        Thread.sleep(Long.MAX_VALUE); // stopping: the shutdown hook closed the port
      }
      // a probe that hung up early: next one
    }
  }

  /** When this process was forked: /proc/self/stat's start time against /proc/uptime (Linux). */
  private static long launchMillis(long fallback) {
    try {
      String stat = new String(Files.readAllBytes(Paths.get("/proc/self/stat")), StandardCharsets.US_ASCII);
      String uptime = new String(Files.readAllBytes(Paths.get("/proc/uptime")), StandardCharsets.US_ASCII);
      long now = System.currentTimeMillis();
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      long startTicks = Long.parseLong(f[19]); // field 22 of stat, counted from field 3
      double up = Double.parseDouble(uptime.split(" ")[0]);
      return now - Math.round(up * 1000) + startTicks * 10; // USER_HZ = 100
    } catch (IOException | RuntimeException e) {
      return ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(fallback);
    }
  }

  private static synchronized void append(String text) {
    if (stamp == null) {
      return;
    }
    try {
      Files.write(stamp, text.getBytes(StandardCharsets.US_ASCII),
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException ignored) {
      // the benchmark reports the missing stamp
    }
  }
}
