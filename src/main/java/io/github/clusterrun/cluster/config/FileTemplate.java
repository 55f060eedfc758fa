package io.github.clusterrun.cluster.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One {@code <files><file>}: a file written into every node's directory before the node runs. Both
 * the path and the text are templates, resolved per node; the text of a {@code <source>} was read
 * (and checked) when the configuration was built.
 */
public final class FileTemplate {
  private final String path;
  private final String text;
  private final Path source;

  FileTemplate(String path, String text, Path source) {
    this.path = path;
    this.text = text;
    this.source = source;
  }

  /** The path relative to {@code @{node.dir}}, placeholders unresolved. */
  public String path() {
    return path;
  }

  /** The content, placeholders unresolved: the {@code <content>} or the {@code <source>} file's. */
  public String text() {
    return text;
  }

  /** The {@code <source>} file the text was read from; empty for an inline {@code <content>}. */
  public Optional<Path> source() {
    return Optional.ofNullable(source);
  }

  @Override
  public String toString() {
    return path + (source == null ? " (inline)" : " (from " + source + ")");
  }
}
