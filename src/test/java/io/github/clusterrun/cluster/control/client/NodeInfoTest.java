package io.github.clusterrun.cluster.control.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node as the control endpoint describes it, where it runs included (0.3). */
class NodeInfoTest {
  private static NodeInfo parse(String json) {
    return NodeInfo.of((Map<?, ?>) Json.parse(json));
  }

  @Test
  void aNodeOnAnotherHostHasItsAddressAndItsSshHost() {
    NodeInfo node =
        parse(
            "{\"name\":\"n_1\",\"index\":1,\"pid\":4242,\"host\":\"fd00::2\",\"sshHost\":\"deploy@h2:2222\","
                + "\"ports\":{\"http\":4001,\"admin\":4002},\"state\":\"RUNNING\",\"tests\":{}}");
    assertThat(node.host()).isEqualTo("fd00::2");
    assertThat(node.sshHost()).isEqualTo("deploy@h2:2222");
    assertThat(node.port()).isEqualTo(4001);
    assertThat(node).hasToString("n_1(pid 4242 on deploy@h2:2222, RUNNING, {http=4001, admin=4002})");
  }

  @Test
  void anEndpointOfAnOlderPluginDescribesLocalNodes() {
    NodeInfo node = parse("{\"name\":\"n_0\",\"index\":0,\"pid\":7,\"ports\":{\"http\":4001},\"state\":\"PAUSED\"}");
    assertThat(node.host()).isEqualTo("127.0.0.1");
    assertThat(node.sshHost()).isEmpty();
    assertThat(node.network()).isEmpty();
    assertThat(node).hasToString("n_0(pid 7, PAUSED, {http=4001})");
  }

  @Test
  void theNetworkFaultsOnANodeAndInTheWholeNetwork() {
    NodeInfo node =
        parse(
            "{\"name\":\"n_1\",\"index\":1,\"pid\":9,\"ports\":{},\"state\":\"RUNNING\","
                + "\"network\":[\"cut off from n_0\",\"loss 10% to the other nodes\"]}");
    assertThat(node.network()).containsExactly("cut off from n_0", "loss 10% to the other nodes");

    NetworkInfo network =
        NetworkInfo.of(
            (Map<?, ?>)
                Json.parse(
                    "{\"partition\":[[\"n_0\"],[\"n_1\",\"n_2\"]],\"delay\":{\"n_2\":{\"ms\":200,\"jitterMs\":5}},"
                        + "\"loss\":{\"n_1\":10}}"));
    assertThat(network.partition()).containsExactly(java.util.List.of("n_0"), java.util.List.of("n_1", "n_2"));
    assertThat(network.delayMs()).containsEntry("n_2", 200).hasSize(1);
    assertThat(network.jitterMs()).containsEntry("n_2", 5);
    assertThat(network.lossPercent()).containsEntry("n_1", 10);
    assertThat(network.healed()).isFalse();
    assertThat(NetworkInfo.of((Map<?, ?>) Json.parse("{\"partition\":[],\"delay\":{},\"loss\":{}}")).healed()).isTrue();
  }
}
