package io.github.clusterrun.cluster.engine.ssh;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The one place that turns a remote command's words into the single string a remote shell reads.
 * {@code ssh} does not pass an argument vector: it joins its arguments with spaces and the remote
 * user's shell parses the result, so every word must be quoted for a POSIX shell or a space, a
 * quote, a {@code $} or a newline in it changes the command. Words are single-quoted ({@code
 * 'a'\''b'} for {@code a'b}), the one quoting in which nothing is special; plain words stay as
 * they are, so commands read well in messages.
 */
public final class ShellQuote {
  /**
   * Words a shell reads as themselves. Not {@code =} (a first word {@code A=b} would be an
   * assignment) and not {@code ~} (home expansion).
   */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+:,./-]+");

  private ShellQuote() {}

  /** {@code word} as one word of a POSIX shell command line. */
  public static String quote(String word) {
    return PLAIN.matcher(word).matches() ? word : singleQuoted(word);
  }

  private static String singleQuoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /**
   * {@code words} as one POSIX shell command line that runs them as its argument vector. It never
   * starts with {@code -}: ssh reads options after the host too, so a first word {@code -x} is
   * quoted.
   */
  public static String join(List<String> words) {
    StringBuilder line = new StringBuilder();
    for (String word : words) {
      if (line.length() > 0) {
        line.append(' ');
        line.append(quote(word));
      } else {
        line.append(word.startsWith("-") ? singleQuoted(word) : quote(word));
      }
    }
    return line.toString();
  }
}
