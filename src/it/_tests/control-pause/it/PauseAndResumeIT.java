package it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.clusterrun.cluster.control.client.ClusterControl;
import io.github.clusterrun.cluster.control.client.NodeInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Pauses n_0 through the control endpoint while a request to it is in flight: the request hangs
 * (the node's processes are stopped) and completes once the node is resumed.
 */
class PauseAndResumeIT {
  @Test
  void aRequestToAPausedNodeCompletesAfterResume() throws Exception {
    ClusterControl cluster = ClusterControl.fromSystemProperties();
    int port = cluster.node("n_0").info().ports().get("http");
    HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
    assertEquals("n_0", http.send(request, HttpResponse.BodyHandlers.ofString()).body().trim());

    NodeInfo paused = cluster.node("n_0").pause();
    assertEquals("PAUSED", paused.state());
    CompletableFuture<HttpResponse<String>> write = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    // n_1 answers meanwhile; the paused n_0 does not.
    int other = cluster.node("n_1").info().ports().get("http");
    HttpRequest toOther = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other + "/")).build();
    assertEquals("n_1", http.send(toOther, HttpResponse.BodyHandlers.ofString()).body().trim());
    assertThrows(TimeoutException.class, () -> write.get(1, TimeUnit.SECONDS));
    assertFalse(write.isDone());

    assertEquals("RUNNING", cluster.node("n_0").resume().state());
    assertEquals("n_0", write.get(30, TimeUnit.SECONDS).body().trim());
    assertEquals("n_0", http.send(request, HttpResponse.BodyHandlers.ofString()).body().trim());
  }
}
