package io.github.clusterrun.cluster.engine.ssh;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One entry of {@code <sshHosts>}: {@code [user@]host[:port]}, {@code [user@][IPv6]:port}, or a
 * name from the user's SSH configuration (whose {@code Host} block then supplies the address, user,
 * port, keys and jump hosts). Parsed strictly, because the host ends up on an {@code ssh} command
 * line: a name starting with {@code -} would be read as an option.
 */
public final class SshHost {
  private static final String FORM =
      "expected [user@]host[:port], [user@][IPv6 address]:port or a Host name of your SSH config";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*\\$?");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9._-]+)?");

  private final String user;
  private final String host;
  private final int port;

  private SshHost(String user, String host, int port) {
    this.user = user;
    this.host = host;
    this.port = port;
  }

  /**
   * Parses one host as the user wrote it (surrounding blanks ignored).
   *
   * @throws IllegalArgumentException naming {@code <sshHosts>} and the expected form
   */
  public static SshHost parse(String text) {
    String s = text == null ? "" : text.trim();
    String user = null;
    int at = s.indexOf('@');
    if (at >= 0) {
      user = s.substring(0, at);
      s = s.substring(at + 1);
      if (!USER.matcher(user).matches()) {
        throw invalid(text, "the user name '" + user + "' is not one");
      }
    }
    String host;
    String port = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw invalid(text, "the '[' of an IPv6 address has no ']'");
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw invalid(text, "only ':port' may follow ']'");
        }
        port = rest.substring(1);
      }
      if (!isV6(host)) {
        throw invalid(text, "'" + host + "' is not an IPv6 address");
      }
    } else if (s.indexOf(':') != s.lastIndexOf(':')) {
      host = s; // a bare IPv6 address; a port needs the brackets
      if (!isV6(host)) {
        throw invalid(text, "'" + host + "' is not an IPv6 address");
      }
    } else {
      int colon = s.indexOf(':');
      host = colon < 0 ? s : s.substring(0, colon);
      port = colon < 0 ? null : s.substring(colon + 1);
      if (!NAME.matcher(host).matches() || host.length() > 253) {
        throw invalid(text, host.isEmpty() ? "the host is missing" : "'" + host + "' is not a host name");
      }
    }
    return new SshHost(user, host, port == null ? 0 : parsePort(text, port));
  }

  private static boolean isV6(String host) {
    if (!V6.matcher(host).matches()) {
      return false;
    }
    try {
      // A literal with ':' is parsed, never looked up.
      return InetAddress.getByName(host).getAddress().length == 16;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static int parsePort(String text, String port) {
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw invalid(text, "the port '" + port + "' is not a number");
    }
    int number = Integer.parseInt(port);
    if (number < 1 || number > 65535) {
      throw invalid(text, "the port " + number + " is not between 1 and 65535");
    }
    return number;
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException(
        "<sshHosts>: '" + text + "' is not a host (" + why + "): " + FORM);
  }

  /** The user to log in as, when given; otherwise the SSH config's or the local user's. */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /** The host name, address (IPv6 without brackets) or SSH config name. */
  public String host() {
    return host;
  }

  /** The port, when given; otherwise the SSH config's or 22. */
  public OptionalInt port() {
    return port == 0 ? OptionalInt.empty() : OptionalInt.of(port);
  }

  /** The host as written, normalised, for messages: {@code user@host:port}, {@code [::1]:2222}. */
  public String destination() {
    String name = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return (user == null ? "" : user + "@") + name + (port == 0 ? "" : ":" + port);
  }

  /**
   * The host's part of an {@code ssh} command line: {@code -p port} and {@code -l user} when given,
   * then the host, which must come last among the options.
   */
  public List<String> args() {
    List<String> args = new ArrayList<>();
    if (port != 0) {
      args.add("-p");
      args.add(Integer.toString(port));
    }
    if (user != null) {
      args.add("-l");
      args.add(user);
    }
    args.add(host);
    return args;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SshHost)) {
      return false;
    }
    SshHost other = (SshHost) o;
    return Objects.equals(user, other.user) && host.equals(other.host) && port == other.port;
  }

  @Override
  public int hashCode() {
    return Objects.hash(user, host, port);
  }

  @Override
  public String toString() {
    return destination();
  }
}
