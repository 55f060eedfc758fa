package io.github.clusterrun.cluster.model;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a cluster with nodes on other hosts reaches them: where its node directories live on every
 * host, and the SSH settings that are not the user's own defaults. Recorded with the cluster, so
 * that {@code stop}, {@code clean} and {@code status} of another Maven invocation reach the same
 * hosts the same way. Credentials are not recorded: they come from the user's SSH setup or from
 * the {@code settings.xml} of the invocation.
 */
public final class SshSettings {
  private final String remoteDirectory;
  private final Path sshConfig;
  private final boolean acceptNewHostKeys;

  /**
   * @param remoteDirectory the absolute path, on every host, of the directory that holds the
   *     cluster's node directories ({@code n_0}, …)
   * @param sshConfig an SSH configuration file to use instead of the user's, or null
   * @param acceptNewHostKeys whether a host whose key is not known yet is trusted on first use
   */
  public SshSettings(String remoteDirectory, Path sshConfig, boolean acceptNewHostKeys) {
    this.remoteDirectory = Objects.requireNonNull(remoteDirectory, "remoteDirectory");
    this.sshConfig = sshConfig;
    this.acceptNewHostKeys = acceptNewHostKeys;
  }

  public String remoteDirectory() {
    return remoteDirectory;
  }

  /** The node's directory on its host. */
  public String nodeDirectory(String node) {
    return remoteDirectory + "/" + node;
  }

  public Optional<Path> sshConfig() {
    return Optional.ofNullable(sshConfig);
  }

  public boolean acceptNewHostKeys() {
    return acceptNewHostKeys;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SshSettings)) {
      return false;
    }
    SshSettings s = (SshSettings) o;
    return remoteDirectory.equals(s.remoteDirectory)
        && Objects.equals(sshConfig, s.sshConfig)
        && acceptNewHostKeys == s.acceptNewHostKeys;
  }

  @Override
  public int hashCode() {
    return Objects.hash(remoteDirectory, sshConfig, acceptNewHostKeys);
  }
}
