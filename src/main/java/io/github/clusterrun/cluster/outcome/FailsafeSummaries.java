package io.github.clusterrun.cluster.outcome;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads Failsafe's {@code failsafe-summary.xml} files and decides whether they prove a pass. The
 * {@code result} attribute is not trusted (Failsafe writes {@code result="null"} on success); the
 * counts, the timeout flag and the failure message are.
 *
 * <p>Every file must exist, have been written after the cluster started (a file from an earlier
 * build proves nothing), parse, and record at least one completed test with no failure, no error,
 * no timeout and no failure message.
 */
public final class FailsafeSummaries {
  private FailsafeSummaries() {}

  /** Reads every summary; the outcome passes only if each of them does. */
  public static TestOutcome read(List<Path> summaryFiles, Instant clusterStarted) {
    if (summaryFiles.isEmpty()) {
      return TestOutcome.notProven("no <summaryFiles> to read");
    }
    int completed = 0;
    int skipped = 0;
    for (Path file : summaryFiles) {
      String name = file.getFileName().toString();
      if (!Files.isRegularFile(file)) {
        return TestOutcome.notProven("no " + name + " (" + file + "): no test results");
      }
      try {
        // File times may be truncated to the second; a summary written in the second the cluster
        // started counts as new.
        Instant modified = Files.getLastModifiedTime(file).toInstant();
        if (modified.getEpochSecond() < clusterStarted.getEpochSecond()) {
          return TestOutcome.notProven(
              name + " was written before this cluster started (" + modified + "): no tests ran");
        }
        Element root = parse(file).getDocumentElement();
        if (!"failsafe-summary".equals(root.getTagName())) {
          return TestOutcome.notProven(name + " is not a Failsafe summary (<" + root.getTagName() + ">)");
        }
        int c = count(root, "completed");
        int errors = count(root, "errors");
        int failures = count(root, "failures");
        boolean timeout = Boolean.parseBoolean(root.getAttribute("timeout"));
        String message = text(root, "failureMessage");
        if (failures > 0 || errors > 0) {
          return TestOutcome.notProven(describeFailures(failures, errors) + " in " + name);
        }
        if (timeout) {
          return TestOutcome.notProven("the tests timed out (" + name + ")");
        }
        if (!message.isEmpty()) {
          return TestOutcome.notProven("Failsafe reported '" + firstLine(message) + "' in " + name);
        }
        if (c <= 0) {
          return TestOutcome.notProven("no integration test completed (" + name + ")");
        }
        int s = count(root, "skipped");
        if (c - s <= 0) {
          return TestOutcome.notProven(
              "every integration test was skipped (" + s + " in " + name + ")");
        }
        completed += c;
        skipped += s;
      } catch (IOException | SAXException | ParserConfigurationException | NumberFormatException e) {
        return TestOutcome.notProven(name + " cannot be read (" + e.getMessage() + ")");
      }
    }
    int passed = completed - skipped;
    return TestOutcome.passed(
        passed
            + (passed == 1 ? " integration test passed" : " integration tests passed")
            + (skipped > 0 ? " (" + skipped + " skipped)" : ""));
  }

  private static String describeFailures(int failures, int errors) {
    StringBuilder sb = new StringBuilder();
    if (failures > 0) {
      sb.append(failures).append(failures == 1 ? " failure" : " failures");
    }
    if (errors > 0) {
      sb.append(sb.length() > 0 ? " and " : "").append(errors).append(errors == 1 ? " error" : " errors");
    }
    return sb.toString();
  }

  private static String firstLine(String s) {
    String line = s.strip().split("\\R", 2)[0];
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }

  /**
   * Parses a summary once, so that the XML parser is ready when {@code stop} needs it: the first
   * parse in a JVM loads and sets up the JDK's parser, a few hundred milliseconds of CPU. {@code
   * start} calls it in the background once the nodes are launched.
   */
  public static void warmUp() {
    try {
      parse(new ByteArrayInputStream(WARM_UP));
    } catch (ParserConfigurationException | IOException | SAXException | RuntimeException e) {
      // The real parse will say what is wrong.
    }
  }

  private static final byte[] WARM_UP =
      ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><failsafe-summary result=\"0\" timeout=\"false\">"
              + "<completed>1</completed><errors>0</errors><failures>0</failures><skipped>0</skipped>"
              + "<failureMessage/></failsafe-summary>")
          .getBytes(StandardCharsets.UTF_8);

  private static Document parse(Path file)
      throws ParserConfigurationException, IOException, SAXException {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in);
    }
  }

  private static Document parse(InputStream in)
      throws ParserConfigurationException, IOException, SAXException {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setExpandEntityReferences(false);
    factory.setNamespaceAware(false);
    DocumentBuilder builder = factory.newDocumentBuilder();
    builder.setErrorHandler(new DefaultHandler() {
      @Override
      public void error(SAXParseException e) throws SAXException {
        throw e;
      }
    });
    return builder.parse(in);
  }

  private static int count(Element root, String tag) {
    String text = text(root, tag);
    return text.isEmpty() ? 0 : Integer.parseInt(text);
  }

  private static String text(Element root, String tag) {
    NodeList list = root.getElementsByTagName(tag);
    if (list.getLength() == 0) {
      return "";
    }
    return list.item(0).getTextContent().trim();
  }
}
