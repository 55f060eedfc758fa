import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.util.JedisClusterCRC16;

/** The cluster the plugin formed serves every slot: keys land on all three masters' ranges. */
class RedisClusterIT {
  @Test
  void everyNodeSeesThreeMastersAndThreeReplicas() {
    for (String host : System.getProperty("cluster.hosts").split(",")) {
      int masters = 0;
      int replicas = 0;
      try (Jedis node = new Jedis(HostAndPort.from(host))) {
        for (String line : node.clusterNodes().split("\n")) {
          String flags = line.split(" ")[2];
          masters += flags.contains("master") ? 1 : 0;
          replicas += flags.contains("slave") ? 1 : 0;
        }
      }
      assertEquals(3, masters, "masters that " + host + " sees");
      assertEquals(3, replicas, "replicas that " + host + " sees");
    }
  }

  @Test
  void keysAcrossEverySlotRangeAreWrittenAndReadBack() {
    Set<HostAndPort> nodes = new HashSet<>();
    for (String host : System.getProperty("cluster.hosts").split(",")) {
      nodes.add(HostAndPort.from(host));
    }
    assertEquals(6, nodes.size());
    Set<Integer> ranges = new HashSet<>();
    try (JedisCluster cluster = new JedisCluster(nodes)) {
      for (int i = 0; i < 300; i++) {
        String key = "key-" + i;
        cluster.set(key, "value-" + i);
        ranges.add(JedisClusterCRC16.getSlot(key) * 3 / 16384);
      }
      for (int i = 0; i < 300; i++) {
        assertEquals("value-" + i, cluster.get("key-" + i));
      }
    }
    assertEquals(Set.of(0, 1, 2), ranges);
  }
}
