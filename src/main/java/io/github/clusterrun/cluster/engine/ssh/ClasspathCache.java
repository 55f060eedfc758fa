package io.github.clusterrun.cluster.engine.ssh;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The classpath of {@code <mainClass>} nodes on a host: each entry of the build machine's classpath
 * kept there by content ({@code <remoteDirectory's parent>/classpath/<sha-256>}), so what a build
 * copied the next finds there and copies nothing. Out of {@link SshEngine}, which ships it once per
 * host before any node starts.
 */
final class ClasspathCache {
  private final SshConnection connection;
  private final String sshHost;
  private final String remoteDirectory;
  private final ClusterLog log;

  ClasspathCache(SshConnection connection, String sshHost, String remoteDirectory, ClusterLog log) {
    this.connection = connection;
    this.sshHost = sshHost;
    this.remoteDirectory = remoteDirectory;
    this.log = log;
  }

  /**
   * Copies what the host lacks of {@code entries}; returns the classpath as the host's {@code java}
   * takes it. An entry that does not exist here is passed as it is.
   */
  String ship(List<String> entries) throws ClusterException {
    String cache = remoteDirectory.substring(0, remoteDirectory.lastIndexOf('/')) + "/classpath";
    List<String> remote = new ArrayList<>();
    Map<String, Path> local = new java.util.LinkedHashMap<>();
    for (String entry : entries) {
      Path path = java.nio.file.Paths.get(entry);
      if (!Files.exists(path)) {
        remote.add(entry);
        continue;
      }
      String hash;
      try {
        hash = ContentHash.of(path);
      } catch (IOException e) {
        throw new ClusterException("Cannot read the classpath entry " + entry + ": " + e.getMessage(), e);
      }
      String target = cache + "/" + hash + (Files.isDirectory(path) ? "" : "/" + path.getFileName());
      remote.add(target);
      local.put(target, path);
    }
    List<String> test = new ArrayList<>(List.of("sh", "-c", "for t; do [ -e \"$t\" ] && echo \"$t\"; done; true", "sh"));
    test.addAll(local.keySet());
    SshConnection.Result there;
    try {
      there = connection.run(test, null, SshEngine.OPERATION_TIMEOUT);
    } catch (SshException e) {
      throw new ClusterException(sshHost + ": " + e.getMessage(), e);
    }
    java.util.Set<String> present = new java.util.HashSet<>(List.of(there.stdout().split("\n")));
    long bytes = 0;
    int copied = 0;
    for (Map.Entry<String, Path> e : local.entrySet()) {
      if (present.contains(e.getKey())) {
        continue;
      }
      try {
        bytes += copy(e.getValue(), e.getKey());
        copied++;
      } catch (IOException failed) {
        throw new ClusterException(
            sshHost + ": the classpath entry " + e.getValue() + " could not be copied to " + e.getKey() + ": "
                + failed.getMessage(), failed);
      }
    }
    log.info(
        sshHost + ": classpath of " + local.size() + " entries in " + cache
            + (copied == 0 ? ", all there already" : ", " + copied + " copied (" + bytes / 1024 + " KiB)"));
    return String.join(":", remote);
  }

  /** Copies a jar or a directory to {@code target} on the host, whole or not at all; the bytes sent. */
  private long copy(Path entry, String target) throws IOException {
    byte[] bytes;
    List<String> command;
    if (Files.isDirectory(entry)) {
      bytes = SshEngine.tar(entry);
      command =
          List.of("sh", "-c", "t=$1.$$ && mkdir -p \"$t\" && tar -C \"$t\" -xf - && { [ -e \"$1\" ] || mv \"$t\" \"$1\"; }; rm -rf \"$t\"; [ -e \"$1\" ]", "sh", target);
    } else {
      bytes = Files.readAllBytes(entry);
      command =
          List.of("sh", "-c", "mkdir -p \"${1%/*}\" && cat > \"$1.$$\" && mv \"$1.$$\" \"$1\"", "sh", target);
    }
    SshConnection.Result done = SshEngine.io(() -> connection.run(command, bytes, SshEngine.OPERATION_TIMEOUT));
    if (done.exit() != 0) {
      throw new IOException(done.stderr().trim());
    }
    return bytes.length;
  }
}
