package it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The three members form one etcd cluster: each lists the same three members and names the same
 * leader, and a key written through member 0 is read back, linearizably, on members 1 and 2. Plain
 * HTTP against etcd's v3 JSON gateway, whose keys and values are base64.
 */
class EtcdClusterIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private static int clientPort(int node) {
    return Integer.parseInt(System.getProperty("cluster.node." + node + ".port.client"));
  }

  @Test
  void threeMembersOneLeaderAndAWriteOnMemberZeroIsReadOnTheOthers() throws Exception {
    assertEquals(
        "127.0.0.1:" + clientPort(0) + ",127.0.0.1:" + clientPort(1) + ",127.0.0.1:" + clientPort(2),
        System.getProperty("cluster.hosts.client"),
        "cluster.hosts.client lists the client port of every node");

    Set<String> leaders = new HashSet<>();
    Set<String> memberIds = new HashSet<>();
    for (int node = 0; node < 3; node++) {
      String members = post(node, "/v3/cluster/member/list", "{}");
      assertEquals(
          Set.of("n_0", "n_1", "n_2"), distinct(members, "\"name\":\"([^\"]*)\""), "members seen by n_" + node);
      Set<String> clientUrls = new TreeSet<>();
      for (int other = 0; other < 3; other++) {
        clientUrls.add("http://127.0.0.1:" + clientPort(other));
      }
      assertEquals(
          clientUrls,
          new TreeSet<>(distinct(members, "\"clientURLs\":\\[\"([^\"]*)\"\\]")),
          "client URLs seen by n_" + node);

      String status = post(node, "/v3/maintenance/status", "{}");
      leaders.add(one(status, "leader"));
      memberIds.add(one(status, "member_id"));
    }
    assertEquals(3, memberIds.size(), "three distinct members answered: " + memberIds);
    assertEquals(1, leaders.size(), "every member names the same leader: " + leaders);
    assertTrue(memberIds.containsAll(leaders), "the leader " + leaders + " is one of " + memberIds);

    String key = base64("/formed");
    String value = base64("written through n_0");
    post(0, "/v3/kv/put", "{\"key\":\"" + key + "\",\"value\":\"" + value + "\"}");
    for (int node = 1; node < 3; node++) {
      // A range request is linearizable unless it asks to be serializable: it sees the write.
      String range = post(node, "/v3/kv/range", "{\"key\":\"" + key + "\"}");
      assertEquals("1", one(range, "count"), "count of /formed on n_" + node + ": " + range);
      assertEquals(value, one(range, "value"), "/formed read on n_" + node);
    }
  }

  private static String post(int node, String path, String json) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + clientPort(node) + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), "POST " + path + " on n_" + node + ": " + response.body());
    return response.body();
  }

  /** Group 1 of every match of the regex, each value once. */
  private static Set<String> distinct(String json, String regex) {
    Matcher m = Pattern.compile(regex).matcher(json);
    List<String> values = new ArrayList<>();
    while (m.find()) {
      values.add(m.group(1));
    }
    Set<String> distinct = new HashSet<>(values);
    assertEquals(values.size(), distinct.size(), "a value of " + regex + " repeated in " + json);
    return distinct;
  }

  /** The one value of a string field (the gateway writes 64-bit numbers as strings too). */
  private static String one(String json, String field) {
    Set<String> values = distinct(json, "\"" + field + "\":\"([^\"]*)\"");
    assertEquals(1, values.size(), field + " in " + json);
    return values.iterator().next();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
