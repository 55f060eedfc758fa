package io.github.clusterrun.cluster.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code <files><file>}: a file written into every node's directory before the node runs. Both
 * the path and the text are templates, resolved per node; the text of a {@code <source>} was read
 * (filtered when asked, and checked) when the configuration was built, that of a {@code <content>}
 * stripped of the POM's indentation ({@link #stripIndent}).
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

  /**
   * The content, placeholders unresolved: the {@code <content>} less the POM's indentation, or the
   * {@code <source>} file's, its {@code ${…}} filtered if {@code <filtering>} is on.
   */
  public String text() {
    return text;
  }

  /** The {@code <source>} file the text was read from; empty for an inline {@code <content>}. */
  public Optional<Path> source() {
    return Optional.ofNullable(source);
  }

  /**
   * The text of an inline {@code <content>} less the POM's indentation, as Java strips a text block's:
   * line breaks become {@code \n}; a blank first line (the break right after {@code <content>}) and a
   * blank last line (the closing tag's indentation) are dropped; the indentation that the non-blank
   * lines share is removed (a tab counts as one character, like a space), blank lines become empty;
   * trailing whitespace is kept.
   *
   * <p>Maven trims the text of an element: the first line reaches the plugin without its
   * indentation, the others with theirs. So when the first line has text and no indentation, the
   * shared indentation is that of the lines after it, and the first line stays as it is. For text whose
   * later lines are all indented deeper than the first (YAML whose first key holds all the others),
   * write {@code <content xml:space="preserve">}: Maven then keeps the text as written, first line's
   * indentation included.
   */
  static String stripIndent(String content) {
    List<String> lines = new ArrayList<>(Arrays.asList(content.replace("\r\n", "\n").split("\n", -1)));
    // A first line with text and no indentation is what Maven's trimming left: its own indentation
    // is unknown, so it does not count (and keeps what it has, nothing).
    int from = lines.size() > 1 && !lines.get(0).isBlank() && lines.get(0).equals(lines.get(0).stripLeading()) ? 1 : 0;
    if (lines.size() > 1 && lines.get(0).isBlank()) {
      lines.remove(0);
    }
    if (lines.size() > 1 && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    int indent = Integer.MAX_VALUE;
    for (String line : lines.subList(from, lines.size())) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      text.append(i > 0 ? "\n" : "");
      text.append(line.isBlank() ? "" : i < from ? line : line.substring(indent));
    }
    return text.toString();
  }

  /**
   * {@code text} with every {@code ${name}} whose name {@code properties} has replaced by its value,
   * the others left as they are, as maven-resources-plugin filters a resource.
   */
  static String filter(String text, Map<String, String> properties) {
    Matcher m = MAVEN_EXPRESSION.matcher(text);
    StringBuilder filtered = new StringBuilder();
    while (m.find()) {
      String value = properties.get(m.group(1));
      m.appendReplacement(filtered, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    return m.appendTail(filtered).toString();
  }

  private static final Pattern MAVEN_EXPRESSION = Pattern.compile("\\$\\{([^}\\s]+)}");

  @Override
  public String toString() {
    return path + (source == null ? " (inline)" : " (from " + source + ")");
  }
}
