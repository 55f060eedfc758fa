package it;

// START SNIPPET: client-imports
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.clusterrun.cluster.control.client.ClusterControl;
import io.github.clusterrun.cluster.control.client.NodeInfo;
import java.io.IOException;
// END SNIPPET: client-imports
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Kills n_1 through the plugin's control endpoint, starts it again, and checks it serves again. */
class KillAndStartIT {
  static String get(int port) throws IOException {
    try (InputStream in = new URL("http://127.0.0.1:" + port + "/").openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  @Test
  void aKilledNodeServesAgainOnceStarted() throws Exception {
    // START SNIPPET: client
    ClusterControl cluster = ClusterControl.fromSystemProperties();
    NodeInfo before = cluster.node("n_1").info();
    int port = before.ports().get("http");
    assertEquals("n_1", get(port));

    NodeInfo killed = cluster.node("n_1").kill();
    assertEquals("STOPPED_BY_TESTS", killed.state());
    assertThrows(IOException.class, () -> get(port));
    assertEquals("RUNNING", cluster.node("n_0").info().state());

    NodeInfo started = cluster.node("n_1").start();
    assertEquals("RUNNING", started.state());
    assertNotEquals(before.pid(), started.pid());
    assertEquals(before.ports(), started.ports());
    assertEquals("n_1", get(port));
    // END SNIPPET: client
  }
}
