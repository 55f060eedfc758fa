package io.github.clusterrun.cluster.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SshHostTest {
  @Test
  void userHostAndPort() {
    SshHost host = SshHost.parse(" deploy@node1.example.com:2222 ");
    assertThat(host.user()).contains("deploy");
    assertThat(host.host()).isEqualTo("node1.example.com");
    assertThat(host.port()).isEqualTo(OptionalInt.of(2222));
    assertThat(host.destination()).isEqualTo("deploy@node1.example.com:2222");
    assertThat(host.args()).containsExactly("-p", "2222", "-l", "deploy", "node1.example.com");
  }

  @Test
  void aConfigNameAlone() {
    SshHost host = SshHost.parse("kafka-1");
    assertThat(host.user()).isEmpty();
    assertThat(host.port()).isEmpty();
    assertThat(host.destination()).isEqualTo("kafka-1");
    assertThat(host.args()).containsExactly("kafka-1");
  }

  @Test
  void ipv4AndIpv6() {
    assertThat(SshHost.parse("root@10.1.2.3").args()).containsExactly("-l", "root", "10.1.2.3");
    SshHost v6 = SshHost.parse("[fd00::1]:2200");
    assertThat(v6.host()).isEqualTo("fd00::1");
    assertThat(v6.destination()).isEqualTo("[fd00::1]:2200");
    assertThat(v6.args()).containsExactly("-p", "2200", "fd00::1");
    assertThat(SshHost.parse("me@::1").args()).containsExactly("-l", "me", "::1");
    assertThat(SshHost.parse("[::1]").destination()).isEqualTo("[::1]");
  }

  @Test
  void equalWhenTheSame() {
    assertThat(SshHost.parse("a@h:1")).isEqualTo(SshHost.parse("a@h:1"))
        .hasSameHashCodeAs(SshHost.parse("a@h:1")).isNotEqualTo(SshHost.parse("h:1"));
  }

  @Test
  void invalidTextNamesTheParameterAndTheForm() {
    for (String bad : List.of("", " ", "@host", "user@", "host:", "host:0", "host:65536",
        "host:22x", "-oProxyCommand=evil", "host name", "a@b@c", "[::1", "[::1]x", "[nothex]:22",
        "ho$t", "user name@host", "-l@host", "h:1:2:zz")) {
      assertThatThrownBy(() -> SshHost.parse(bad)).as("'%s'", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("<sshHosts>")
          .hasMessageContaining("[user@]host[:port]");
    }
    assertThatThrownBy(() -> SshHost.parse("h:70000")).hasMessageContaining("between 1 and 65535");
  }
}
