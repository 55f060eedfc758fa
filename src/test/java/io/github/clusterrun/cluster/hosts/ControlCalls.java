package io.github.clusterrun.cluster.hosts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * The control endpoint of a running build's cluster, called by an IT from outside the build with
 * the URL and token the build exported ({@code target/cluster/cluster.properties}): plain HTTP, so
 * that the status and the body of every answer are seen as they are, refusals included.
 */
final class ControlCalls {
  private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

  private final URI base;
  private final String token;

  /** One answer: the HTTP status and the body. */
  static final class Reply {
    final int status;
    final String body;

    Reply(int status, String body) {
      this.status = status;
      this.body = body;
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  private ControlCalls(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  /** The endpoint of the cluster that {@code project}'s build runs. */
  static ControlCalls of(Path project) throws IOException {
    Properties exported = HostsBuilds.exported(project);
    String url = exported.getProperty("cluster.control.url");
    return new ControlCalls(URI.create(url.endsWith("/") ? url : url + "/"), exported.getProperty("cluster.control.token"));
  }

  Reply post(String path, String json) {
    return send("POST", path, json);
  }

  Reply post(String path) {
    return send("POST", path, null);
  }

  Reply get(String path) {
    return send("GET", path, null);
  }

  private Reply send(String method, String path, String json) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofMinutes(2))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new AssertionError(method + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
