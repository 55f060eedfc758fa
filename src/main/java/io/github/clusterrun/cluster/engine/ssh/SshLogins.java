package io.github.clusterrun.cluster.engine.ssh;

import java.util.Map;

/**
 * The credentials of this build for the hosts that have them in Maven's {@code settings.xml} (a
 * {@code <server>} whose id is the host: user name, private key, passphrase), as Maven's own SSH
 * wagon takes them. Set by each goal from its session's settings before it reaches a host; never
 * recorded anywhere (the cluster's state names hosts, not credentials).
 */
public final class SshLogins {
  private static volatile SshOptions options = SshOptions.defaults();

  private SshLogins() {}

  /** Uses {@code servers} (id to credentials) for the hosts reached from now on. */
  public static void use(Map<String, SshOptions.Credentials> servers) {
    SshOptions o = SshOptions.defaults();
    for (Map.Entry<String, SshOptions.Credentials> server : servers.entrySet()) {
      o = o.withCredentials(server.getKey(), server.getValue());
    }
    options = o;
  }

  /** The options every connection starts from: the defaults and the build's credentials. */
  static SshOptions options() {
    return options;
  }
}
