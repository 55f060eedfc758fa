package io.github.clusterrun.cluster.evidence;

import java.util.regex.Pattern;

/**
 * A line of a node's console log as a program wrote it for a terminal: colours, cursor moves and
 * window titles are escape sequences in the text. A regular expression must see the text without
 * them ({@link #withoutEscapes}), and a person reading a log tail in the build output must see that
 * they are there ({@link #visible}), or a line that looks like a match is not one.
 */
public final class ConsoleText {
  private static final char ESC = '\u001B';
  private static final char CSI_8BIT = '\u009B';

  /**
   * CSI ({@code ESC [} parameters, intermediates, final byte; also the 8-bit CSI), then the string
   * sequences OSC, DCS, SOS, PM and APC up to BEL or ST ({@code ESC \}) or the end of the line, then
   * every other escape sequence ({@code ESC}, intermediates, final byte: {@code ESC ( B}, {@code ESC
   * 7}, {@code ESC M}), and a lone {@code ESC} at the end.
   */
  private static final Pattern ESCAPE =
      Pattern.compile(
          "(?:\u001B\\[|\u009B)[0-?]*[ -/]*[@-~]"
              + "|\u001B[\\]PX^_].*?(?:\u0007|\u001B\\\\|$)"
              + "|\u001B[ -/]*[0-~]"
              + "|\u001B");

  private ConsoleText() {}

  /** {@code line} without its terminal escape sequences: the text a terminal would show. */
  public static String withoutEscapes(CharSequence line) {
    String s = line.toString();
    if (s.indexOf(ESC) < 0 && s.indexOf(CSI_8BIT) < 0) {
      return s;
    }
    return ESCAPE.matcher(s).replaceAll("");
  }

  /**
   * {@code line} with its control characters made visible in caret notation, as {@code cat -v}
   * shows them: ESC as {@code ^[}, BEL as {@code ^G}, DEL as {@code ^?}; the C1 controls (U+0080 to
   * U+009F) as {@code <U+009B>}. Tabs stay tabs.
   */
  public static String visible(CharSequence line) {
    StringBuilder sb = null;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      String shown = shown(c);
      if (shown != null && sb == null) {
        sb = new StringBuilder(line.length() + 16).append(line, 0, i);
      }
      if (sb != null) {
        if (shown != null) {
          sb.append(shown);
        } else {
          sb.append(c);
        }
      }
    }
    return sb == null ? line.toString() : sb.toString();
  }

  private static String shown(char c) {
    if (c == '\t') {
      return null;
    }
    if (c < 0x20) {
      return "^" + (char) (c + 0x40);
    }
    if (c == 0x7F) {
      return "^?";
    }
    if (c >= 0x80 && c <= 0x9F) {
      return String.format("<U+%04X>", (int) c);
    }
    return null;
  }
}
