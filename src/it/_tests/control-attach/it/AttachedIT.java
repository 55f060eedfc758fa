package it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.clusterrun.cluster.control.client.ClusterControl;
import io.github.clusterrun.cluster.control.client.NodeInfo;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs against the cluster that a cluster:run holds: its nodes answer, its control endpoint too. */
class AttachedIT {
  @Test
  void theRunningClusterAnswers() throws Exception {
    List<NodeInfo> nodes = ClusterControl.fromSystemProperties().nodes();
    String[] hosts = System.getProperty("cluster.hosts").split(",");
    assertEquals(nodes.size(), hosts.length);
    for (NodeInfo node : nodes) {
      assertEquals("RUNNING", node.state());
      assertEquals(Long.parseLong(System.getProperty("cluster.node." + node.index() + ".pid")), node.pid());
      try (InputStream in = new URL("http://" + hosts[node.index()] + "/").openStream()) {
        assertEquals(node.name(), new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
      }
    }
  }
}
