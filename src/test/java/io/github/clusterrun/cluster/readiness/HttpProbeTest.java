package io.github.clusterrun.cluster.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The http probe holds on a 2xx answer only. */
class HttpProbeTest {
  HttpServer server;
  final AtomicInteger status = new AtomicInteger(200);

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
    server.createContext(
        "/health",
        exchange -> {
          byte[] body = "status\n".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status.get(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.createContext(
        "/moved",
        exchange -> {
          exchange.getResponseHeaders().add("Location", "/health");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServing() {
    server.stop(0);
  }

  /** Checks until the probe has an answer (a check does not wait for one). */
  static boolean answered(HttpProbe probe) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    boolean held;
    while (!(held = probe.check()) && probe.awaitingAnswer() && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
    }
    return held;
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void twoHundredHolds() {
    HttpProbe probe = new HttpProbe(url("/health"));
    assertThat(answered(probe)).isTrue();
    assertThat(probe.describe()).isEqualTo("http " + url("/health"));
  }

  @Test
  void otherTwoXxHold() {
    status.set(204);
    assertThat(answered(new HttpProbe(url("/health")))).isTrue();
  }

  @Test
  void fiveHundredDoesNotHoldUntilTheServerIsHealthy() {
    status.set(500);
    HttpProbe probe = new HttpProbe(url("/health"));
    assertThat(answered(probe)).isFalse();
    assertThat(probe.lastFailure()).isEqualTo("HTTP 500");

    status.set(200);
    io.github.clusterrun.cluster.testing.Await.until("the probe holds", probe::check, java.time.Duration.ofSeconds(10));
  }

  @Test
  void notFoundDoesNotHold() {
    HttpProbe probe = new HttpProbe(url("/nope"));
    assertThat(answered(probe)).isFalse();
    assertThat(probe.lastFailure()).isEqualTo("HTTP 404");
  }

  @Test
  void aRedirectToAHealthyPageHolds() {
    assertThat(answered(new HttpProbe(url("/moved")))).isTrue();
  }

  @Test
  void nobodyListeningDoesNotHold() throws Exception {
    HttpProbe probe = new HttpProbe("http://127.0.0.1:" + TcpProbeTest.freePort() + "/health");
    assertThat(answered(probe)).isFalse();
    assertThat(probe.lastFailure()).containsIgnoringCase("refused");
  }

  /** One connection to a plain socket server: records the request head, answers {@code answer}, closes. */
  private static String answerOnce(String answer, java.util.function.Function<String, Boolean> check)
      throws Exception {
    try (java.net.ServerSocket plain = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      java.util.concurrent.CompletableFuture<String> head = new java.util.concurrent.CompletableFuture<>();
      Thread serving =
          new Thread(
              () -> {
                try (java.net.Socket s = plain.accept()) {
                  java.io.BufferedReader in =
                      new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                  StringBuilder sb = new StringBuilder();
                  for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                    sb.append(line).append('\n');
                  }
                  head.complete(sb.toString());
                  s.getOutputStream().write(answer.getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException e) {
                  head.completeExceptionally(e);
                }
              });
      serving.start();
      Boolean held = check.apply("http://127.0.0.1:" + plain.getLocalPort() + "/health?deep=1");
      serving.join();
      return held + "\n" + head.get();
    }
  }

  @Test
  void theRequestIsOneGetOfThePathAndQueryThatAsksToClose() throws Exception {
    String seen = answerOnce("HTTP/1.1 204 No Content\r\n\r\n", url -> answered(new HttpProbe(url)));

    assertThat(seen).startsWith("true\nGET /health?deep=1 HTTP/1.1\n");
    assertThat(seen).contains("Host: 127.0.0.1:").contains("Connection: close");
  }

  @Test
  void anAnswerWithoutLengthEndsWithTheConnection() throws Exception {
    String seen = answerOnce("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall good, for as long as it takes\n", url -> answered(new HttpProbe(url)));

    assertThat(seen).startsWith("true\n");
  }

  @Test
  void somethingThatIsNotHttpDoesNotHoldAndSaysWhatItGot() throws Exception {
    HttpProbe[] probe = new HttpProbe[1];
    String seen =
        answerOnce(
            "SSH-2.0-OpenSSH_9.2\r\n",
            url -> {
              probe[0] = new HttpProbe(url);
              return answered(probe[0]);
            });

    assertThat(seen).startsWith("false\n");
    assertThat(probe[0].lastFailure()).contains("not an HTTP status line: SSH-2.0-OpenSSH_9.2");
  }

  @Test
  void aNodeSlowToAnswerHoldsNoCheckingThreadWhileItsAnswerIsOnItsWay() throws Exception {
    try (java.net.ServerSocket slow = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      java.util.concurrent.CountDownLatch firstCheckReturned = new java.util.concurrent.CountDownLatch(1);
      Thread serving =
          new Thread(
              () -> {
                try (java.net.Socket s = slow.accept()) {
                  firstCheckReturned.await(); // answers only once a check has returned without it
                  s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                  s.getInputStream().read(new byte[4096]);
                } catch (Exception e) {
                  // the test fails on its own assertions
                }
              });
      serving.setDaemon(true);
      serving.start();
      HttpProbe probe = new HttpProbe("http://127.0.0.1:" + slow.getLocalPort() + "/health");

      boolean first = probe.check(); // were it to wait for the answer, it would wait for ever

      firstCheckReturned.countDown();
      assertThat(first).isFalse();
      assertThat(probe.awaitingAnswer()).isTrue();
      assertThat(probe.lastFailure()).isEqualTo("no answer yet");
      assertThat(answered(probe)).isTrue();
    }
  }

  /**
   * The requests a node answering 503 for {@code unhealthyMs} gets from a probe whose first check is
   * at 0, by the back-off schedule alone, and when the one that finds it healthy is sent (ns).
   */
  private static long[] requestsAndReadyAt(long unhealthyMs) {
    long healthyAt = TimeUnit.MILLISECONDS.toNanos(unhealthyMs);
    long t = 0;
    for (long n = 1; ; n++) {
      if (t >= healthyAt) {
        return new long[] {n, t};
      }
      t += HttpProbe.pauseAfterFailure(t);
    }
  }

  @Test
  void theBackOffAsksANodeAnswering503ForSecondsAFewDozenTimesAndForAMinuteAFewHundred() {
    assertThat(requestsAndReadyAt(3_000)[0]).isBetween(20L, 60L);
    assertThat(requestsAndReadyAt(60_000)[0]).isBetween(100L, 400L);
  }

  @Test
  void theBackOffFindsANodeReadyWithinATenthOfTheTimeItTookOr50Ms() {
    long poll = TimeUnit.MILLISECONDS.toNanos(ReadinessWaiter.POLL_MS); // the waiter's checks come this late at worst
    for (long ms = 1; ms <= 120_000; ms += ms < 1_000 ? 7 : 997) {
      long healthyAt = TimeUnit.MILLISECONDS.toNanos(ms);
      long readyAt = requestsAndReadyAt(ms)[1] + poll;
      assertThat(readyAt - healthyAt)
          .as("found ready after %d ms of 503", ms)
          .isLessThanOrEqualTo(Math.max(TimeUnit.MILLISECONDS.toNanos(50), readyAt / 10));
    }
  }
}
