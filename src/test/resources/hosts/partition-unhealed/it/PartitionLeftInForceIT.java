package it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.clusterrun.cluster.control.client.ClusterControl;
import io.github.clusterrun.cluster.control.client.NetworkInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Partitions the network and ends without healing it: stop must heal it (issue 19). */
class PartitionLeftInForceIT {
  @Test
  void partitionsAndDoesNotHeal() {
    ClusterControl cluster = ClusterControl.fromSystemProperties();
    List<List<String>> groups = List.of(List.of("n_0"), List.of("n_1", "n_2"));
    NetworkInfo cut = cluster.partition(groups);
    assertEquals(groups, cut.partition(), "the partition in force: " + cut);
    assertFalse(cut.healed());
    assertEquals(groups, cluster.network().partition(), "GET /network");
    assertFalse(cluster.node("n_0").info().network().isEmpty(), "GET /nodes shows n_0's fault");
  }
}
