package io.github.clusterrun.cluster.start;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.config.FileTemplate;
import io.github.clusterrun.cluster.config.Placeholders;
import io.github.clusterrun.cluster.model.ClusterLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the {@code <files>} of one node into its directory, placeholders resolved for that node,
 * after its directories are created and before anything of the node runs. Parent directories are
 * created; the text is written as UTF-8 as resolved, the text of an inline {@code <content>} ended
 * with a newline (unless it is empty, {@code @{empty}}).
 */
public final class NodeFiles {
  private NodeFiles() {}

  /**
   * Writes {@code files} for node {@code index} of nodes with {@code portsOfNodes}.
   *
   * @throws ClusterException a file that cannot be written, or whose path leads out of the node's
   *     directory (checked with sample values when the configuration was built, again here)
   */
  public static void write(
      List<FileTemplate> files,
      ClusterLayout layout,
      String clusterId,
      int index,
      List<Map<String, Integer>> portsOfNodes)
      throws ClusterException {
    write(files, Placement.local(layout, portsOfNodes), clusterId, index);
  }

  /**
   * Writes {@code files} for node {@code index} of a cluster placed as {@code placement}, into the
   * node's directory under the build machine's cluster directory (from where the engine of a node
   * on another host copies it there), with the values of the node's place.
   */
  public static void write(List<FileTemplate> files, Placement placement, String clusterId, int index)
      throws ClusterException {
    if (files.isEmpty()) {
      return;
    }
    String name = ClusterLayout.nodeName(index);
    // The path resolves with the values of the node's place: it is checked against the node's
    // directory there, then written at the same place under the staging directory here.
    Path staging = placement.layout().nodeDir(name).toAbsolutePath().normalize();
    Path nodeDir = placement.layoutOf(index).nodeDir(name).toAbsolutePath().normalize();
    Placeholders values = NodeValues.of(placement, clusterId, index);
    for (FileTemplate file : files) {
      String relative = values.resolve(file.path());
      Path target;
      try {
        target = nodeDir.resolve(relative).normalize();
      } catch (InvalidPathException e) {
        target = null;
      }
      if (target == null || !target.startsWith(nodeDir) || target.equals(nodeDir)) {
        throw new ClusterException(
            "The <files><file><path> '" + file.path() + "' of node " + name + " is '" + relative
                + "', which is not inside " + nodeDir,
            "give a path relative to @{node.dir} that stays inside it, e.g. <path>data/myid</path>",
            null);
      }
      target = staging.resolve(nodeDir.relativize(target));
      try {
        Files.createDirectories(target.getParent());
        String text = values.resolve(file.text());
        if (file.source().isEmpty() && !text.isEmpty() && !text.endsWith("\n")) {
          text += "\n";
        }
        Files.write(target, text.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new ClusterException(
            "Cannot write " + target + " (<files><file> '" + file.path() + "') of node " + name + ": " + e,
            e);
      }
    }
  }
}
