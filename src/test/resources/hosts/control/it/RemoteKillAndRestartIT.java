package it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.clusterrun.cluster.control.client.ClusterControl;
import io.github.clusterrun.cluster.control.client.NodeInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Kills n_1 on its host through the control endpoint, starts it again there, and checks it serves. */
class RemoteKillAndRestartIT {
  static String get(NodeInfo node) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) new URL("http://" + node.host() + ":" + node.ports().get("http") + "/").openConnection();
    c.setConnectTimeout(2000);
    c.setReadTimeout(2000);
    try (InputStream in = c.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  @Test
  void aKilledRemoteNodeServesAgainOnceStarted() throws Exception {
    ClusterControl cluster = ClusterControl.fromSystemProperties();
    NodeInfo before = cluster.node("n_1").info();
    assertNotEquals("", before.sshHost(), "n_1 runs on a host of <sshHosts>");
    assertNotEquals("127.0.0.1", before.host());
    assertEquals("n_1", get(before));

    NodeInfo killed = cluster.node("n_1").kill();
    assertEquals("STOPPED_BY_TESTS", killed.state());
    assertThrows(IOException.class, () -> get(before));
    assertEquals("RUNNING", cluster.node("n_0").info().state());

    NodeInfo started = cluster.node("n_1").start();
    assertEquals("RUNNING", started.state());
    assertEquals(before.sshHost(), started.sshHost());
    assertNotEquals(before.pid(), started.pid());
    assertEquals(before.ports(), started.ports());
    assertEquals("n_1", get(started));

    NodeInfo restarted = cluster.node("n_2").restart();
    assertEquals("RUNNING", restarted.state());
    assertEquals("n_2", get(restarted));
  }
}
