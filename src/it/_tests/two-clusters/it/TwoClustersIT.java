package it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Two clusters of one module, told apart by their property prefixes. */
class TwoClustersIT {
  @Test
  void eachClusterHasItsOwnNodes() throws Exception {
    String[] db = System.getProperty("db.hosts").split(",");
    String[] app = System.getProperty("app.hosts").split(",");
    assertEquals(2, db.length);
    assertEquals(1, app.length);
    for (String host : db) {
      for (String other : app) {
        assertNotEquals(host, other);
      }
    }
    assertEquals("n_1", get(db[1]));
    assertEquals("n_0", get(app[0]));
  }

  private static String get(String host) throws Exception {
    try (InputStream in = new URL("http://" + host + "/").openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }
}
