package io.github.clusterrun.cluster.testnode;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A node program for the plugin's own tests, with every behaviour a real node can have: it serves
 * HTTP on its port (after a delay), prints a ready line, exits at once, ignores SIGTERM, lingers after
 * it, keeps writing into its data directory until killed, starts a child, starts a daemon that
 * detaches with {@code setsid}, stops on a line read from stdin.
 *
 * <p>Options (all optional): {@code --port=N --host=ADDRESS (to bind, 127.0.0.1 by default) --delay-ms=N --ready-line=TEXT --exit=CODE
 * --ignore-term --linger-ms=N --write-dir=DIR --child --detach=DIR --stdin-stop=LINE
 * --record-ready=FILE --artefact=FILE --interrupt-maven-after-ms=N}.
 */
public final class TestNode {
  private TestNode() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    List<String> flags = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--") && arg.contains("=")) {
        opts.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      } else {
        flags.add(arg.substring(2));
      }
    }
    String name = System.getenv().getOrDefault("CLUSTER_NODE_NAME", "node");
    System.out.println(name + " starting, pid " + ProcessHandle.current().pid());
    System.out.flush();

    if (opts.containsKey("exit")) {
      System.err.println(name + ": giving up at start as asked");
      System.exit(Integer.parseInt(opts.get("exit")));
    }
    if (flags.contains("ignore-term")) {
      sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> System.out.println("ignoring SIGTERM"));
    }
    long linger = Long.parseLong(opts.getOrDefault("linger-ms", "0"));
    if (linger > 0) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    System.out.println(name + " lingering " + linger + " ms after SIGTERM");
                    System.out.flush();
                    pause(linger);
                  }));
    }
    if (flags.contains("child")) {
      Process child = new ProcessBuilder("sleep", "600").inheritIO().start();
      System.out.println("child pid " + child.pid());
    }
    if (opts.containsKey("detach")) {
      Path dir = Paths.get(opts.get("detach"));
      Files.createDirectories(dir);
      String loop =
          "echo $$ > '" + dir + "/daemon.pid'; while :; do date +%s%N > '" + dir
              + "/daemon.txt'; sleep 0.05; done";
      new ProcessBuilder("setsid", "-f", "sh", "-c", loop)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start()
          .waitFor();
      System.out.println("daemon detached");
    }
    if (opts.containsKey("write-dir")) {
      Path dir = Paths.get(opts.get("write-dir"));
      Thread writer = new Thread(() -> keepWriting(dir), "writer");
      writer.setDaemon(true);
      writer.start();
    }
    long delay = Long.parseLong(opts.getOrDefault("delay-ms", "0"));
    if (delay > 0) {
      pause(delay);
    }
    if (opts.containsKey("port")) {
      HttpServer server =
          HttpServer.create(
              new InetSocketAddress(
                  InetAddress.getByName(opts.getOrDefault("host", "127.0.0.1")), Integer.parseInt(opts.get("port"))),
              50);
      server.createContext(
          "/",
          exchange -> {
            byte[] body = (name + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      if (opts.containsKey("record-ready")) {
        Files.writeString(Paths.get(opts.get("record-ready")), System.nanoTime() + "\n");
      }
    }
    if (opts.containsKey("ready-line")) {
      System.out.println(opts.get("ready-line"));
      System.out.flush();
    }
    if (opts.containsKey("artefact")) {
      Files.writeString(Paths.get(opts.get("artefact")), "a crash artefact left by " + name + "\n");
    }
    if (opts.containsKey("interrupt-maven-after-ms")) {
      interruptMavenLater(Long.parseLong(opts.get("interrupt-maven-after-ms")));
    }
    if (opts.containsKey("stdin-stop")) {
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        if (line.equals(opts.get("stdin-stop"))) {
          System.out.println(name + " stopping on stdin line '" + line + "'");
          System.exit(0);
        }
      }
    }
    new CountDownLatch(1).await();
  }

  /**
   * Plays the user who presses Ctrl-C: sends SIGINT to the Maven JVM that runs this node. Where
   * SIGINT is ignored in that JVM (a build started in the background of a non-interactive shell),
   * it sends SIGTERM, which runs the same exit hooks, and says so in the console log.
   */
  private static void interruptMavenLater(long delayMs) {
    Thread t =
        new Thread(
            () -> {
              pause(delayMs);
              Optional<ProcessHandle> maven = ProcessHandle.current().parent();
              while (maven.isPresent()
                  && !maven.get().info().commandLine().orElse("").contains("classworlds")) {
                maven = maven.get().parent();
              }
              if (maven.isEmpty()) {
                System.out.println("no Maven JVM among my ancestors");
                return;
              }
              long pid = maven.get().pid();
              String signal = ignoresSigint(pid) ? "TERM" : "INT";
              System.out.println("sending SIG" + signal + " to Maven (pid " + pid + ")");
              System.out.flush();
              try {
                new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
              } catch (IOException | InterruptedException e) {
                System.out.println("kill failed: " + e);
              }
            },
            "interrupt-maven");
    t.setDaemon(true);
    t.start();
  }

  private static boolean ignoresSigint(long pid) {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/status"))) {
        if (line.startsWith("SigIgn:")) {
          return (Long.parseLong(line.substring(7).trim(), 16) & 2L) != 0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return false;
    }
    return false;
  }

  private static void keepWriting(Path dir) {
    long i = 0;
    while (true) {
      try {
        Files.createDirectories(dir);
        Path file = dir.resolve("f" + (i++ % 50));
        Files.writeString(file, "x");
      } catch (IOException ignored) {
        // The directory is being deleted under us: try again, as a real node would.
      }
      if (i % 50 == 0) {
        pause(1);
      }
    }
  }

  private static void pause(long ms) {
    try {
      TimeUnit.MILLISECONDS.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
