package it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** The three nodes form one ensemble: one leader, two followers, and a write reaches every node. */
class ZooKeeperEnsembleIT {
  private static int clientPort(int node) {
    return Integer.parseInt(System.getProperty("cluster.node." + node + ".port.client"));
  }

  /** {@code <address>:<client port>} of a node: 127.0.0.1 here, its host's address on another host. */
  private static String client(int node) {
    return System.getProperty("cluster.hosts.client").split(",")[node];
  }

  @Test
  void oneLeaderTwoFollowersAndAWriteThroughOneNodeIsReadOnTheOthers() throws Exception {
    String hosts = System.getProperty("cluster.hosts.client");
    for (int node = 0; node < 3; node++) {
      assertTrue(client(node).endsWith(":" + clientPort(node)), "cluster.hosts.client lists the client port of every node: " + hosts);
    }

    List<String> modes = new ArrayList<>();
    for (int node = 0; node < 3; node++) {
      modes.add(mode(client(node)));
    }
    Collections.sort(modes);
    assertEquals(List.of("follower", "follower", "leader"), modes);

    byte[] data = "written through n_0".getBytes(StandardCharsets.UTF_8);
    try (ZooKeeper zk = connect(client(0))) {
      zk.create("/formed", data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }
    for (int node = 1; node < 3; node++) {
      try (ZooKeeper zk = connect(client(node))) {
        // sync: this node has caught up with the leader before it answers the read.
        CountDownLatch synced = new CountDownLatch(1);
        zk.sync("/formed", (rc, path, ctx) -> synced.countDown(), null);
        assertTrue(synced.await(30, TimeUnit.SECONDS), "sync on node " + node);
        assertArrayEquals(data, zk.getData("/formed", false, null), "/formed read on node " + node);
      }
    }
    // And the whole ensemble, through the exported list of client addresses.
    try (ZooKeeper zk = connect(hosts)) {
      assertArrayEquals(data, zk.getData("/formed", false, null));
    }
  }

  /**
   * The node's mode, from the {@code srvr} four-letter word. A follower that has just joined says
   * "not currently serving requests" while it syncs with the leader (its log line that the plugin
   * waits for comes before): it is asked again, up to 30 s, until it serves.
   */
  private static String mode(String node) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String answer = fourLetterWord(node, "srvr");
    while (answer.contains("not currently serving requests") && System.nanoTime() < deadline) {
      Thread.sleep(100); // the node's sync with its leader: nothing to wait on from here but its answer
      answer = fourLetterWord(node, "srvr");
    }
    Matcher m = Pattern.compile("(?m)^Mode: (\\w+)").matcher(answer);
    assertTrue(m.find(), "srvr on " + node + " answered: " + answer);
    return m.group(1);
  }

  private static String fourLetterWord(String node, String word) throws Exception {
    try (Socket socket = new Socket()) {
      int colon = node.lastIndexOf(':');
      socket.connect(new InetSocketAddress(node.substring(0, colon), Integer.parseInt(node.substring(colon + 1))), 10_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(word.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer);
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  private static ZooKeeper connect(String connectString) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk =
        new ZooKeeper(
            connectString,
            15_000,
            event -> {
              if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
              }
            });
    if (!connected.await(30, TimeUnit.SECONDS)) {
      zk.close();
      throw new AssertionError("no session with " + connectString + " within 30 s");
    }
    return zk;
  }
}
