package io.github.clusterrun.cluster.control;

import com.sun.net.httpserver.HttpExchange;
import io.github.clusterrun.cluster.control.client.Json;
import io.github.clusterrun.cluster.model.NetworkFaults;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the network routes: the faults in force as {@code GET /network} and every network
 * call answer them, and the bodies of the calls, read strictly (a malformed body is a 400 that
 * shows an example, and changes nothing).
 */
final class NetworkJson {
  private static final int MAX_BODY = 64 * 1024;

  private NetworkJson() {}

  /**
   * {"partition":[["n_0"],["n_1","n_2"]],"delay":{"n_1":{"ms":200,"jitterMs":0}},"loss":{"n_2":10}}:
   * the partition's groups (empty: none), the delayed and the lossy nodes.
   */
  static String of(NetworkFaults faults) {
    StringBuilder sb = new StringBuilder("{\"partition\":[");
    List<String> groups = new ArrayList<>();
    for (List<String> group : faults.partition()) {
      List<String> names = new ArrayList<>();
      group.forEach(n -> names.add(ControlServer.quote(n)));
      groups.add("[" + String.join(",", names) + "]");
    }
    sb.append(String.join(",", groups)).append("],\"delay\":{");
    List<String> delays = new ArrayList<>();
    faults.delays().forEach((n, d) -> delays.add(
        ControlServer.quote(n) + ":{\"ms\":" + d.ms() + ",\"jitterMs\":" + d.jitterMs() + "}"));
    sb.append(String.join(",", delays)).append("},\"loss\":{");
    List<String> losses = new ArrayList<>();
    faults.losses().forEach((n, p) -> losses.add(ControlServer.quote(n) + ":" + p));
    return sb.append(String.join(",", losses)).append("}}").toString();
  }

  /** The request's body as a JSON object; refused with {@code example} when it is not one. */
  static Map<?, ?> body(HttpExchange exchange, String example) throws IOException, NodeControl.Refused {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY + 1);
    }
    if (bytes.length > MAX_BODY) {
      throw new NodeControl.Refused(400, "the body is over " + MAX_BODY + " bytes; send e.g. " + example);
    }
    Object json;
    try {
      json = Json.parse(new String(bytes, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new NodeControl.Refused(400, "the body is not JSON (" + e.getMessage() + "); send e.g. " + example);
    }
    if (!(json instanceof Map)) {
      throw new NodeControl.Refused(400, "the body is not a JSON object; send e.g. " + example);
    }
    return (Map<?, ?>) json;
  }

  /** The whole number {@code key} of {@code body}, or {@code absent} (null: required). */
  static int integer(Map<?, ?> body, String key, Integer absent) throws NodeControl.Refused {
    Object value = body.get(key);
    if (value == null && absent != null) {
      return absent;
    }
    if (!(value instanceof Number) || ((Number) value).doubleValue() != Math.rint(((Number) value).doubleValue())
        || Math.abs(((Number) value).doubleValue()) > Integer.MAX_VALUE) {
      throw new NodeControl.Refused(400, "\"" + key + "\" must be a whole number, not " + value);
    }
    return ((Number) value).intValue();
  }

  /** The {@code groups} of a partition's body: a list of lists of node names. */
  static List<List<String>> groups(Map<?, ?> body) throws NodeControl.Refused {
    Object groups = body.get("groups");
    String usage = "\"groups\" must be a list of lists of node names, e.g. {\"groups\": [[\"n_0\"], [\"n_1\", \"n_2\"]]}";
    if (!(groups instanceof List)) {
      throw new NodeControl.Refused(400, usage);
    }
    List<List<String>> result = new ArrayList<>();
    for (Object group : (List<?>) groups) {
      if (!(group instanceof List)) {
        throw new NodeControl.Refused(400, usage);
      }
      List<String> names = new ArrayList<>();
      for (Object name : (List<?>) group) {
        if (!(name instanceof String)) {
          throw new NodeControl.Refused(400, usage);
        }
        names.add((String) name);
      }
      result.add(names);
    }
    return result;
  }
}
