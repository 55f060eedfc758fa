package io.github.clusterrun.cluster.engine.ssh;

import io.github.clusterrun.cluster.ClusterException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A host that could not be used over SSH, classified from what {@code ssh} printed, so that the
 * user reads which host failed, why, and what to do about it instead of {@code ssh}'s exit code
 * 255. {@code ssh}'s own words are kept in the message.
 */
public final class SshException extends ClusterException {
  private static final long serialVersionUID = 1L;

  /** Why a host could not be used. */
  public enum Kind {
    /** No connection: timeout, no route, refused, a name that does not resolve. */
    UNREACHABLE,
    /** The host refused every key offered. */
    AUTH_REFUSED,
    /** The host's key is not in {@code known_hosts} and new keys are not accepted. */
    HOST_KEY_UNKNOWN,
    /** The host's key differs from the one in {@code known_hosts}. */
    HOST_KEY_CHANGED,
    /** The connection to the host was established, and is gone. */
    CONNECTION_LOST,
    /** A command over the connection did not end in time, and was killed. */
    TIMED_OUT,
    /** Anything else; the message holds {@code ssh}'s words. */
    OTHER
  }

  private final Kind kind;
  private final String destination;

  SshException(Kind kind, SshHost host, String problem, String fix) {
    super("SSH host " + host.destination() + ": " + problem, fix, null);
    this.kind = kind;
    this.destination = host.destination();
  }

  private SshException(Kind kind, String destination, String message) {
    super(message);
    this.kind = kind;
    this.destination = destination;
  }

  /**
   * One exception for several hosts that failed together (opening all hosts in parallel): the
   * first one's kind, every message, one line per host; each also {@link #getSuppressed()
   * suppressed}.
   */
  static SshException ofAll(List<SshException> failures) {
    if (failures.size() == 1) {
      return failures.get(0);
    }
    StringBuilder text = new StringBuilder(failures.size() + " SSH hosts cannot be used:");
    for (SshException failure : failures) {
      text.append("\n  - ").append(failure.getMessage());
    }
    SshException first = failures.get(0);
    SshException all = new SshException(first.kind, first.destination, text.toString());
    failures.forEach(all::addSuppressed);
    return all;
  }

  /**
   * Classifies a failed connection from {@code ssh}'s stderr.
   *
   * @param passphrase whether a key passphrase from settings was offered, for the fix
   */
  static SshException classify(SshHost host, String stderr, boolean passphrase) {
    String said = stderr.trim();
    String lower = said.toLowerCase(Locale.ROOT);
    String words = said.isEmpty() ? "ssh printed nothing" : "ssh said: " + lastLines(said);
    if (lower.contains("remote host identification has changed")
        || lower.contains("has changed and you have requested strict checking")) {
      return new SshException(Kind.HOST_KEY_CHANGED, host,
          "its host key is not the one in known_hosts (" + words + ")",
          "if the host was reinstalled, remove its old key (ssh-keygen -R " + host.host()
              + ") and accept the new one; otherwise do not use it: it may not be the host you know");
    }
    if (lower.contains("host key verification failed") || lower.contains("host key is known")) {
      return new SshException(Kind.HOST_KEY_UNKNOWN, host,
          "its host key is not known (" + words + ")",
          "run ssh " + host.destination() + " once to accept it, add it to known_hosts "
              + "(ssh-keyscan), or set -Dcluster.acceptNewHostKeys=true");
    }
    if (lower.contains("permission denied") || lower.contains("too many authentication failures")) {
      return new SshException(Kind.AUTH_REFUSED, host,
          "authentication refused (" + words + ")",
          (passphrase ? "check the key and passphrase of its <server> in settings.xml, " : "")
              + "authorize your public key on the host (ssh-copy-id), load your key in your agent "
              + "(ssh-add), or set a <server> with the host as id in settings.xml");
    }
    if (lower.contains("connection timed out") || lower.contains("operation timed out")
        || lower.contains("no route to host") || lower.contains("network is unreachable")
        || lower.contains("connection refused") || lower.contains("could not resolve hostname")
        || lower.contains("name or service not known")) {
      return new SshException(Kind.UNREACHABLE, host, "unreachable (" + words + ")",
          "check the address and port, and that sshd runs on the host");
    }
    return new SshException(Kind.OTHER, host, "ssh failed (" + words + ")",
        "run ssh " + host.destination() + " true yourself to see why");
  }

  /** ssh's last lines: the banner of a changed key is long, its verdict is at the end. */
  private static String lastLines(String text) {
    String[] lines = text.split("\\R");
    int from = Math.max(0, lines.length - 3);
    return String.join(" / ", Arrays.asList(lines).subList(from, lines.length));
  }

  public Kind kind() {
    return kind;
  }

  /** The host, as {@link SshHost#destination()}. */
  public String destination() {
    return destination;
  }
}
