package it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reaches the first node, then fails on purpose: the directories must be kept. */
class ClusterIT {
  @Test
  void firstNodeAnswersSomethingElse() throws Exception {
    String first = System.getProperty("cluster.hosts").split(",")[0];
    try (InputStream in = new URL("http://" + first + "/").openStream()) {
      assertEquals("not n_0", new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
    }
  }
}
