package io.github.clusterrun.cluster.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clusterrun.cluster.testing.Procs;
import io.github.clusterrun.cluster.testing.TestHosts;
import io.github.clusterrun.cluster.testing.TestHosts.Host;
import io.github.clusterrun.cluster.testing.TestHosts.Result;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the tests of network faults look at on the hosts of {@link TestHosts}: traffic tried from
 * inside a host's network namespace, a listener there, and the host's whole firewall. Faults are
 * judged by the traffic they stop, never by reading back the rules; the ruleset only proves that
 * nothing is left.
 */
final class HostTraffic {
  static final Duration COMMAND = Duration.ofSeconds(30);
  /** A try that should connect connects in well under this on a bridge; one that fails waits it. */
  static final String TIMEOUT = "1";

  private HostTraffic() {}

  /** A test node serving HTTP on every address of the host (both families) at {@code port}. */
  static Process listen(Host host, int port) throws IOException {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", host.name()));
    command.addAll(Procs.testNodeCommand("--host=::", "--port=" + port));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
  }

  /** Whether one TCP connection from the host's namespace to address:port connects. */
  static boolean reaches(Host from, String address, int port) {
    return connections(from, address, port, 1, TIMEOUT) == 1;
  }

  /**
   * How many of {@code attempts} TCP connections from the host's namespace to address:port, all
   * tried at once, connect within {@code timeout} seconds.
   */
  static int connections(Host from, String address, int port, int attempts, String timeout) {
    String tries =
        "for i in $(seq \"$3\"); do (timeout \"$4\" bash -c 'exec 3<>\"/dev/tcp/$0/$1\"' \"$1\" \"$2\" 2>/dev/null"
            + " && echo ok || echo no) & done; wait";
    Result run =
        TestHosts.run(
            COMMAND, "ip", "netns", "exec", from.name(), "bash", "-c", tries, "tries", address,
            Integer.toString(port), Integer.toString(attempts), timeout);
    List<String> lines = Arrays.asList(run.out.trim().split("\n"));
    assertThat(lines).as("%s", run).hasSize(attempts).allMatch(l -> l.equals("ok") || l.equals("no"));
    return (int) lines.stream().filter("ok"::equals).count();
  }

  /** Whether the build machine connects to address:port. */
  static boolean connects(String address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The host's whole firewall, as {@code nft list ruleset} prints it there. */
  static String ruleset(Host host) {
    Result list = TestHosts.run(COMMAND, "ip", "netns", "exec", host.name(), "nft", "list", "ruleset");
    assertThat(list.exit).as("%s", list).isZero();
    return list.out;
  }

  /** Whether this kernel has netem: asked in a network namespace made for the question alone. */
  static boolean netem() {
    return TestHosts.run(COMMAND, "unshare", "--net", "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms")
        .exit == 0;
  }
}
