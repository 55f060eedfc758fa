package io.github.clusterrun.cluster.config;

import io.github.clusterrun.cluster.ClusterException;

/**
 * A mistake in the plugin configuration that the user can fix. The message names the POM element
 * and the fix; the mojos turn it into a {@code MojoFailureException} before any node starts.
 */
public class ConfigException extends ClusterException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String element, String problem, String fix) {
    super("<" + element + "> " + problem, fix, null);
  }
}
