package io.github.clusterrun.cluster.engine.ssh;

import io.github.clusterrun.cluster.engine.ssh.SshException.Kind;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The address of a host as the build machine reaches it, which its nodes bind and advertise: the
 * {@code HostName} that {@code ssh -G} resolves the host to (from the user's SSH config, or the
 * host as given), without connecting. An IP address is kept as it is; a name becomes its first IPv4
 * address, or stays a name where it does not resolve here (a host behind a jump host, known only
 * to the jump host's resolver).
 */
final class HostAddress {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern IP_LITERAL =
      Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%.+)?");

  private HostAddress() {}

  static String of(SshHost host, SshOptions options) throws SshException {
    return resolve(hostName(host, options));
  }

  /** The {@code hostname} line of {@code ssh -G}. */
  static String hostName(SshHost host, SshOptions options) throws SshException {
    try {
      Process process = SshCommand.config(host, options).redirectErrorStream(true).start();
      process.getOutputStream().close();
      Drain out = Drain.start(process.getInputStream(), 1 << 20, "ssh-G-" + host.destination());
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
      out.awaitEnd(TIMEOUT);
      for (String line : out.text().split("\\R")) {
        if (line.startsWith("hostname ")) {
          return line.substring("hostname ".length()).trim();
        }
      }
      throw new SshException(Kind.OTHER, host, "ssh -G named no hostname (" + out.text().trim()
          + ")", "check your SSH config for the host");
    } catch (IOException e) {
      throw new SshException(Kind.OTHER, host, "ssh -G could not be run (" + e + ")",
          "install the OpenSSH client (ssh) on the build machine");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SshException(Kind.OTHER, host, "interrupted", "none: the build was interrupted");
    }
  }

  static String resolve(String hostName) {
    if (IP_LITERAL.matcher(hostName).matches()) {
      return hostName;
    }
    try {
      for (InetAddress candidate : InetAddress.getAllByName(hostName)) {
        if (candidate instanceof Inet4Address) {
          return candidate.getHostAddress();
        }
      }
    } catch (UnknownHostException e) {
      // Not resolved here: the name is all there is.
    }
    return hostName;
  }
}
