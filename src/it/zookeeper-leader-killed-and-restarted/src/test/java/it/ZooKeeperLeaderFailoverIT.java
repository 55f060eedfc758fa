package it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.clusterrun.cluster.control.client.ClusterControl;
import io.github.clusterrun.cluster.control.client.NodeInfo;
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

/**
 * Failover: the leader of the ensemble is killed through the control endpoint, the two others
 * elect a new leader and keep the data, and the old leader, started again, rejoins as the third
 * member and serves the data.
 */
class ZooKeeperLeaderFailoverIT {
  /** Generous: the machine may be shared; this is a deadline for polling, not a timed assertion. */
  private static final long DEADLINE_MS = 180_000;

  private static int clientPort(int node) {
    return Integer.parseInt(System.getProperty("cluster.node." + node + ".port.client"));
  }

  @Test
  void theLeaderKilledANewOneIsElectedAndTheOldOneRejoinsWithTheData() throws Exception {
    ClusterControl control = ClusterControl.fromSystemProperties();
    List<Integer> all = List.of(0, 1, 2);

    // 1. The leader among n_0..n_2; a znode written through a follower.
    awaitModes(all, List.of("follower", "follower", "leader"), "the ensemble formed");
    int leader = -1;
    int follower = -1;
    for (int node : all) {
      String mode = mode(clientPort(node));
      if ("leader".equals(mode)) {
        leader = node;
      } else if (follower < 0) {
        follower = node;
      }
    }
    assertTrue(leader >= 0 && follower >= 0, "one leader and a follower");
    String leaderName = "n_" + leader;
    try (ZooKeeper zk = connect("127.0.0.1:" + clientPort(follower))) {
      zk.create("/failover", bytes("before"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    // 2. Kill the leader's node: SIGKILL to its whole family, confirmed gone.
    NodeInfo killed = control.node(leaderName).kill();
    assertEquals("STOPPED_BY_TESTS", killed.state(), "state of " + leaderName + " after kill");

    // 3. The two others elect a new leader, and both still have the znode.
    List<Integer> survivors = new ArrayList<>(all);
    survivors.remove(Integer.valueOf(leader));
    awaitModes(survivors, List.of("follower", "leader"), "a new leader elected without " + leaderName);
    for (int node : survivors) {
      assertEquals("before", readSynced(clientPort(node)), "/failover on n_" + node + " after the failover");
    }

    // 4. The old leader started again (returns when ready): three members, its copy of the data.
    NodeInfo again = control.node(leaderName).start();
    assertTrue(again.isRunning(), leaderName + " runs again: " + again);
    assertEquals((Object) clientPort(leader), again.ports().get("client"), "the same client port");
    awaitModes(all, List.of("follower", "follower", "leader"), "three members again with " + leaderName);
    assertEquals("before", readSynced(clientPort(leader)), "/failover on the restarted " + leaderName);
  }

  /** Polls {@code srvr} on the nodes until their sorted modes are {@code expected}. */
  private static void awaitModes(List<Integer> nodes, List<String> expected, String what) throws Exception {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    List<String> modes;
    do {
      modes = new ArrayList<>();
      for (int node : nodes) {
        modes.add(String.valueOf(mode(clientPort(node))));
      }
      Collections.sort(modes);
      if (modes.equals(expected)) {
        return;
      }
      Thread.sleep(250);
    } while (System.currentTimeMillis() < deadline);
    throw new AssertionError(what + ": nodes " + nodes + " still report modes " + modes + ", expected " + expected);
  }

  /** The node's mode, from the {@code srvr} four-letter word; null while it does not serve. */
  private static String mode(int port) {
    try {
      Matcher m = Pattern.compile("(?m)^Mode: (\\w+)").matcher(fourLetterWord(port, "srvr"));
      return m.find() ? m.group(1) : null;
    } catch (Exception notServing) {
      return null;
    }
  }

  /** The data of /failover on the node, after a sync with the leader; retried until the deadline. */
  private static String readSynced(int port) throws Exception {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    while (true) {
      try (ZooKeeper zk = connect("127.0.0.1:" + port)) {
        CountDownLatch synced = new CountDownLatch(1);
        zk.sync("/failover", (rc, path, ctx) -> synced.countDown(), null);
        if (!synced.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("no sync on port " + port);
        }
        return new String(zk.getData("/failover", false, null), StandardCharsets.UTF_8);
      } catch (Exception | AssertionError e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String fourLetterWord(int port, String word) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
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
