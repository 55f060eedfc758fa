package it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Talks to every node of the cluster the plugin started, through the exported properties. */
class ClusterIT {
  @Test
  void everyNodeAnswers() throws Exception {
    String[] hosts = System.getProperty("cluster.hosts").split(",");
    assertEquals(Integer.parseInt(System.getProperty("it.nodes")), hosts.length);
    for (int i = 0; i < hosts.length; i++) {
      try (InputStream in = new URL("http://" + hosts[i] + "/").openStream()) {
        assertEquals("n_" + i, new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
      }
    }
  }
}
