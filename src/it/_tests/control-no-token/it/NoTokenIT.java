package it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.clusterrun.cluster.control.client.ClusterControl;
import io.github.clusterrun.cluster.control.client.NodeInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Calls the control endpoint without the token and with a wrong one: refused, the cluster untouched. */
class NoTokenIT {
  @Test
  void refusedWithoutTheToken() throws Exception {
    String url = System.getProperty("cluster.control.url");
    ClusterControl cluster = ClusterControl.fromSystemProperties();
    NodeInfo before = cluster.node("n_0").info();
    HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    HttpResponse<String> none =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "nodes/n_0/kill")).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, none.statusCode());
    HttpResponse<String> wrong =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "nodes/n_0/kill"))
                .header("Authorization", "Bearer not-the-token")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, wrong.statusCode());

    NodeInfo after = cluster.node("n_0").info();
    assertEquals("RUNNING", after.state());
    assertEquals(before.pid(), after.pid());
    assertEquals(true, ProcessHandle.of(before.pid()).map(ProcessHandle::isAlive).orElse(false));
  }
}
