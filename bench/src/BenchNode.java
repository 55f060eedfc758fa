import java.io.IOException;
import java.io.InputStream;
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
 * {@code java -cp <dir> BenchNode --port=P --delay-ms=D --linger-ms=L --stamp-file=F [--busy-ms=B] [--host=A] [--tag=...]}.
 *
 * <p>It binds A:P (A is 127.0.0.1 unless given; a node on another host is given that host's address)
 * {@code delay-ms} after its main method starts and answers every HTTP request with 200 (after serving
 * one request to itself, so that the first real one loads no classes), or 503 for the first {@code
 * busy-ms} after its port opens (a server that accepts before it is healthy). On SIGTERM it closes its
 * port, lingers {@code linger-ms} in its shutdown hook, then exits. It appends to the stamp file, in
 * epoch ms: {@code launch} (its fork, from /proc, ±10 ms), {@code open} (port listening and healthy:
 * {@code busy-ms} after it listens), {@code term} (SIGTERM) and {@code exit} (linger over); and with its
 * first 200, {@code touches}: the connections it accepted until then, that one included (a probe's bare
 * connect counts, a refused one cannot). {@code --tag} is ignored: it lets the benchmark find its
 * processes.
 */
public final class BenchNode {
  private static final byte[] BUSY = ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
      + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
      + "Connection: close\r\n\r\nOK\n").getBytes(StandardCharsets.US_ASCII);
  private static Path stamp;
  private static volatile ServerSocket server;
  private static long healthyAt;
  private static int touches;

  public static void main(String[] args) throws Exception {
    long main = System.currentTimeMillis();
    int port = 0;
    long delay = 0;
    long linger = 0;
    long busy = 0;
    String host = "127.0.0.1";
    for (String arg : args) {
      String value = arg.substring(arg.indexOf('=') + 1);
      if (arg.startsWith("--port=")) {
        port = Integer.parseInt(value);
      } else if (arg.startsWith("--delay-ms=")) {
        delay = Long.parseLong(value);
      } else if (arg.startsWith("--linger-ms=")) {
        linger = Long.parseLong(value);
      } else if (arg.startsWith("--busy-ms=")) {
        busy = Long.parseLong(value);
      } else if (arg.startsWith("--host=")) {
        host = value;
      } else if (arg.startsWith("--stamp-file=")) {
        stamp = Paths.get(value);
      }
    }
    long lingerMs = linger;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      append("term=" + System.currentTimeMillis() + "\n");
      try {
        if (server != null) {
          server.close(); // a JVM blocked in accept() takes about 350 ms longer to exit
        }
        Thread.sleep(lingerMs);
      } catch (IOException | InterruptedException ignored) {
        // exit now
      }
      append("exit=" + System.currentTimeMillis() + "\n");
    }));
    byte[] buf = new byte[4096];
    try (ServerSocket s = new ServerSocket()) { // warm-up: serve one request to itself
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
    // Written now, this also loads the file-writing code: once the port is open the node serves at
    // once (its first answer was up to ~30 ms late when the stamp was first written after the bind).
    append("launch=" + launchMillis(main) + "\n");
    Thread.sleep(Math.max(0, main + delay - System.currentTimeMillis()));
    ServerSocket listening = new ServerSocket();
    listening.setReuseAddress(true);
    listening.bind(new InetSocketAddress(host, port), 256);
    server = listening;
    healthyAt = System.currentTimeMillis() + busy;
    String open = "open=" + healthyAt + "\n";
    new Thread(() -> append(open)).start(); // the main thread accepts meanwhile
    while (true) {
      serve(listening, buf);
    }
  }

  /** Reads one request head (up to the blank line) and answers 200 (503 while busy). */
  private static void serve(ServerSocket listening, byte[] buf) throws InterruptedException {
    try (Socket s = listening.accept()) {
      boolean real = listening == server; // not the warm-up
      if (real && touches >= 0) {
        touches++;
      }
      s.setSoTimeout(2000);
      InputStream in = s.getInputStream();
      int seen = 0;
      int n;
      boolean asked = false;
      outer:
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          seen = buf[i] == '\r' || buf[i] == '\n' ? seen + 1 : 0;
          if (seen == 4 || (seen == 2 && buf[i] == '\n' && i > 0 && buf[i - 1] == '\n')) {
            asked = true;
            break outer;
          }
        }
      }
      if (real && !asked) {
        return; // a bare connect (a TCP check): nothing to answer
      }
      if (real && System.currentTimeMillis() < healthyAt) {
        s.getOutputStream().write(BUSY);
        return;
      }
      s.getOutputStream().write(RESPONSE);
      if (real && touches >= 0) {
        append("touches=" + touches + "\n");
        touches = -1; // written once: the connections until the first 200
      }
    } catch (IOException e) {
      if (listening.isClosed()) {
        Thread.sleep(Long.MAX_VALUE); // stopping: the shutdown hook closed the port
      }
    }
  }

  /** When this process was forked: /proc/self/stat's start time (field 22, in 1/100 s) against /proc/uptime. */
  private static long launchMillis(long fallback) {
    try {
      String stat = Files.readString(Paths.get("/proc/self/stat"));
      String uptime = Files.readString(Paths.get("/proc/uptime"));
      long startTicks = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ")[19]);
      return System.currentTimeMillis() - Math.round(Double.parseDouble(uptime.split(" ")[0]) * 1000) + startTicks * 10;
    } catch (IOException | RuntimeException e) {
      return fallback;
    }
  }

  private static synchronized void append(String text) {
    try {
      Files.writeString(stamp, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException | RuntimeException ignored) {
      // the benchmark reports the missing stamp
    }
  }
}
