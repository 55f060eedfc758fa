package io.github.clusterrun.cluster.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * Where a node runs ({@link Place}), how remote nodes are reached ({@link SshSettings}), and how an
 * address is written with a port ({@link HostAddress}): the values every record and placeholder of
 * a cluster on other hosts is made of.
 */
class PlaceTest {
  @Test
  void theBuildMachineIsLocalAtTheLoopback() {
    assertThat(Place.LOCAL.isLocal()).isTrue();
    assertThat(Place.LOCAL.sshHost()).isEmpty();
    assertThat(Place.LOCAL.address()).isEqualTo("127.0.0.1");
    assertThat(Place.LOCAL.describe()).isEqualTo("this machine");
    assertThat(Place.LOCAL).hasToString("127.0.0.1");
  }

  @Test
  void anSshHostHasItsNameAndTheAddressItsNodesAdvertise() {
    Place h1 = Place.ssh("deploy@h1:2222", "10.0.0.11");
    assertThat(h1.isLocal()).isFalse();
    assertThat(h1.sshHost()).isEqualTo("deploy@h1:2222");
    assertThat(h1.address()).isEqualTo("10.0.0.11");
    assertThat(h1.describe()).isEqualTo("host deploy@h1:2222");
    assertThat(h1).hasToString("deploy@h1:2222(10.0.0.11)");
    assertThatThrownBy(() -> Place.ssh("", "10.0.0.11")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLocalNodeMayHaveAnAddressOfItsOwn() {
    Place own = Place.local("10.200.0.5");
    assertThat(own.isLocal()).isTrue();
    assertThat(own.address()).isEqualTo("10.200.0.5");
    assertThat(own.describe()).isEqualTo("this machine");
    assertThat(own).isNotEqualTo(Place.LOCAL);
    assertThat(Place.local("127.0.0.1")).isEqualTo(Place.LOCAL).hasSameHashCodeAs(Place.LOCAL);
  }

  @Test
  void placesAreEqualByHostAndAddress() {
    assertThat(Place.ssh("h1", "10.0.0.1")).isEqualTo(Place.ssh("h1", "10.0.0.1"))
        .hasSameHashCodeAs(Place.ssh("h1", "10.0.0.1"));
    assertThat(Place.ssh("h1", "10.0.0.1")).isNotEqualTo(Place.ssh("h2", "10.0.0.1"));
    assertThat(Place.ssh("h1", "10.0.0.1")).isNotEqualTo(Place.ssh("h1", "10.0.0.2"));
    assertThat(Place.ssh("h1", "127.0.0.1")).isNotEqualTo(Place.LOCAL);
  }

  @Test
  void aNodesDirectoryIsUnderTheRemoteDirectory() {
    SshSettings ssh = new SshSettings("/tmp/cluster-maven-plugin/c-0123456789abcdef", null, false);
    assertThat(ssh.nodeDirectory("n_2")).isEqualTo("/tmp/cluster-maven-plugin/c-0123456789abcdef/n_2");
    assertThat(ssh.sshConfig()).isEmpty();
    assertThat(ssh.acceptNewHostKeys()).isFalse();

    SshSettings other = new SshSettings("/r", Paths.get("/home/u/ssh_config"), true);
    assertThat(other.sshConfig()).contains(Paths.get("/home/u/ssh_config"));
    assertThat(other.acceptNewHostKeys()).isTrue();
    assertThat(other).isEqualTo(new SshSettings("/r", Paths.get("/home/u/ssh_config"), true));
    assertThat(other).isNotEqualTo(new SshSettings("/r", Paths.get("/home/u/ssh_config"), false));
    assertThat(other).isNotEqualTo(new SshSettings("/r", null, true));
  }

  @Test
  void anIpv6AddressIsWrittenInBracketsBeforeItsPort() {
    assertThat(HostAddress.withPort("10.0.0.1", 80)).isEqualTo("10.0.0.1:80");
    assertThat(HostAddress.withPort("h1.example", 2181)).isEqualTo("h1.example:2181");
    assertThat(HostAddress.withPort("::1", 22)).isEqualTo("[::1]:22");
    assertThat(HostAddress.withPort("fd00:10::3", 9092)).isEqualTo("[fd00:10::3]:9092");
  }
}
