package io.github.clusterrun.cluster.mojo;

/**
 * A {@code <file>} of {@code <files>}: a file written into every node's directory after its
 * directories are created and before anything of the node runs. Placeholders are resolved in the
 * path and in the content, per node.
 *
 * <pre>{@code
 * <files>
 *   <file>
 *     <path>data/myid</path>
 *     <content>@{node.number}</content>
 *   </file>
 *   <file>
 *     <path>conf/zoo.cfg</path>
 *     <source>src/test/zookeeper/zoo.cfg</source>
 *   </file>
 * </files>
 * }</pre>
 */
public class NodeFile {
  /** Where the file goes, relative to {@code @{node.dir}}; must stay inside it. Placeholders allowed. */
  String path;

  /** A template file of the project, relative to {@code ${project.basedir}}; or give {@code content}. */
  String source;

  /**
   * The file's text inline; or give {@code source}. The indentation its lines share in the POM is
   * removed and the file ends with a newline; XML goes in {@code <![CDATA[…]]>}.
   */
  String content;

  /**
   * Replace the {@code ${…}} of the {@code source} template that the build knows (project
   * properties, {@code -D} properties, {@code project.*}), as maven-resources-plugin does; unknown
   * ones stay as written. Off by default, so that a script's {@code ${VAR}} stays as it is.
   */
  boolean filtering;

  @Override
  public String toString() {
    return "NodeFile{path=" + path + ", source=" + source + ", content=" + (content == null ? null : "…")
        + (filtering ? ", filtering" : "") + "}";
  }
}
