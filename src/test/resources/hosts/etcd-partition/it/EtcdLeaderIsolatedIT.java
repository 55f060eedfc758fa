package it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.clusterrun.cluster.control.client.ClusterControl;
import io.github.clusterrun.cluster.control.client.NetworkInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The leader of a three-member etcd cluster cut off from its followers (issue 19): the two others
 * elect a new leader among them and accept a write; the old leader, which the tests still reach,
 * neither accepts a write nor serves a linearizable read; once healed, all three agree. Through
 * etcd's v3 JSON gateway (keys and values base64) and the plugin's control client.
 */
class EtcdLeaderIsolatedIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(5)).build();
  private static final String KEY = base64("/isolated");
  private static final String MINORITY_KEY = base64("/through-the-isolated");
  private static final String VALUE = base64("written by the majority");

  /** host:port of each member's client URL, in node order. */
  private static final List<String> CLIENTS = List.of(System.getProperty("cluster.hosts.client").split(","));

  @Test
  void theIsolatedLeaderIsReplacedTheMajorityWritesAndAfterHealAllAgree() throws Exception {
    assertEquals(3, CLIENTS.size(), "three members: " + CLIENTS);
    Set<String> addresses = new HashSet<>();
    for (String client : CLIENTS) {
      addresses.add(client.substring(0, client.lastIndexOf(':')));
    }
    assertEquals(3, addresses.size(), "each member has an address of its own: " + CLIENTS);
    ClusterControl cluster = ClusterControl.fromSystemProperties();

    // The leader: the member whose own id is the leader every member names.
    String leaderId = until("one leader named by all three", () -> {
      Set<String> named = new HashSet<>();
      for (int node = 0; node < 3; node++) {
        named.add(statusField(node, "leader"));
      }
      String one = named.size() == 1 ? named.iterator().next() : null;
      return one == null || one.isEmpty() || one.equals("0") ? null : one;
    });
    int leader = -1;
    for (int node = 0; node < 3; node++) {
      if (leaderId.equals(field(post(node, "/v3/maintenance/status", "{}", 5).body(), "member_id"))) {
        leader = node;
      }
    }
    assertTrue(leader >= 0, "the leader " + leaderId + " is a member");
    String isolated = "n_" + leader;

    // START SNIPPET: network-isolate
    NetworkInfo cut = cluster.node(isolated).isolate();
    assertFalse(cut.healed(), "isolating " + isolated + " is in force: " + cut);
    assertFalse(cluster.node(isolated).info().network().isEmpty(), "GET /nodes shows the fault on " + isolated);
    // END SNIPPET: network-isolate

    // The majority elects a leader among themselves and takes a write.
    List<Integer> majority = new ArrayList<>();
    for (int node = 0; node < 3; node++) {
      if (node != leader) {
        majority.add(node);
      }
    }
    String newLeader = until("a new leader among " + majority, () -> {
      Set<String> named = new HashSet<>();
      for (int node : majority) {
        named.add(statusField(node, "leader"));
      }
      String one = named.size() == 1 ? named.iterator().next() : null;
      return one == null || one.isEmpty() || one.equals("0") || one.equals(leaderId) ? null : one;
    });
    assertNotEquals(leaderId, newLeader);
    int writer = majority.get(0);
    until("a write through n_" + writer, () -> {
      HttpResponse<String> put = tryPost(writer, "/v3/kv/put", "{\"key\":\"" + KEY + "\",\"value\":\"" + VALUE + "\"}", 10);
      return put != null && put.statusCode() == 200 ? "written" : null;
    });
    assertEquals(VALUE, field(post(majority.get(1), "/v3/kv/range", "{\"key\":\"" + KEY + "\"}", 10).body(), "value"),
        "the other member of the majority reads the write, linearizably");

    // The isolated member, still reached by the tests, takes neither a write nor a linearizable read.
    HttpResponse<String> refusedPut =
        tryPost(leader, "/v3/kv/put", "{\"key\":\"" + MINORITY_KEY + "\",\"value\":\"" + VALUE + "\"}", 10);
    assertTrue(refusedPut == null || refusedPut.statusCode() != 200,
        "a write through the isolated " + isolated + " fails or times out: " + (refusedPut == null ? "" : refusedPut.body()));
    HttpResponse<String> refusedRead = tryPost(leader, "/v3/kv/range", "{\"key\":\"" + KEY + "\"}", 10);
    assertTrue(refusedRead == null || refusedRead.statusCode() != 200,
        "a linearizable read through the isolated " + isolated + " fails or times out: " + (refusedRead == null ? "" : refusedRead.body()));

    // START SNIPPET: network-heal
    NetworkInfo healed = cluster.heal();
    assertTrue(healed.healed(), "heal: " + healed);
    assertTrue(healed.partition().isEmpty(), "no partition after heal: " + healed);
    // END SNIPPET: network-heal

    // All three agree on the data: the majority's write, and the same answer on the other key.
    until("all three read the majority's write", () -> {
      for (int node = 0; node < 3; node++) {
        HttpResponse<String> range = tryPost(node, "/v3/kv/range", "{\"key\":\"" + KEY + "\"}", 5);
        if (range == null || range.statusCode() != 200 || !VALUE.equals(field(range.body(), "value"))) {
          return null;
        }
      }
      return "agreed";
    });
    Set<String> minority = new HashSet<>();
    for (int node = 0; node < 3; node++) {
      minority.add(field(post(node, "/v3/kv/range", "{\"key\":\"" + MINORITY_KEY + "\"}", 10).body(), "value"));
    }
    assertEquals(1, minority.size(), "all three give the same answer for the key written through the isolated member: " + minority);

    NetworkInfo now = cluster.network();
    assertTrue(now.healed(), "GET /network after heal: " + now);
    assertTrue(cluster.node(isolated).info().network().isEmpty(), "no fault on " + isolated + " after heal");
  }

  private static HttpResponse<String> post(int node, String path, String json, int seconds) throws Exception {
    HttpResponse<String> response = tryPost(node, path, json, seconds);
    if (response == null) {
      fail("POST " + path + " on n_" + node + " timed out or failed");
    }
    assertEquals(200, response.statusCode(), "POST " + path + " on n_" + node + ": " + response.body());
    return response;
  }

  /** A field of the member's status, or null when it does not answer. */
  private static String statusField(int node, String name) {
    HttpResponse<String> status = tryPost(node, "/v3/maintenance/status", "{}", 5);
    return status == null || status.statusCode() != 200 ? null : field(status.body(), name);
  }

  /** The response, or null when the request failed or timed out. */
  private static HttpResponse<String> tryPost(int node, String path, String json, int seconds) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + CLIENTS.get(node) + path))
            .timeout(Duration.ofSeconds(seconds))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The value of a string field (the gateway writes 64-bit numbers as strings), or "" when absent. */
  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : "";
  }

  /** Polls {@code value} until it is non-null, for at most a minute. */
  private static <T> T until(String what, Supplier<T> value) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      T v = value.get();
      if (v != null) {
        return v;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after 60 s waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
