package io.github.clusterrun.cluster.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
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

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void twoHundredHolds() {
    HttpProbe probe = new HttpProbe(url("/health"));
    assertThat(probe.check()).isTrue();
    assertThat(probe.describe()).isEqualTo("http " + url("/health"));
  }

  @Test
  void otherTwoXxHold() {
    status.set(204);
    assertThat(new HttpProbe(url("/health")).check()).isTrue();
  }

  @Test
  void fiveHundredDoesNotHoldUntilTheServerIsHealthy() {
    status.set(500);
    HttpProbe probe = new HttpProbe(url("/health"));
    assertThat(probe.check()).isFalse();
    assertThat(probe.lastFailure()).isEqualTo("HTTP 500");

    status.set(200);
    assertThat(probe.check()).isTrue();
  }

  @Test
  void notFoundDoesNotHold() {
    HttpProbe probe = new HttpProbe(url("/nope"));
    assertThat(probe.check()).isFalse();
    assertThat(probe.lastFailure()).isEqualTo("HTTP 404");
  }

  @Test
  void aRedirectToAHealthyPageHolds() {
    assertThat(new HttpProbe(url("/moved")).check()).isTrue();
  }

  @Test
  void nobodyListeningDoesNotHold() throws Exception {
    HttpProbe probe = new HttpProbe("http://127.0.0.1:" + TcpProbeTest.freePort() + "/health");
    assertThat(probe.check()).isFalse();
    assertThat(probe.lastFailure()).containsIgnoringCase("refused");
  }
}
