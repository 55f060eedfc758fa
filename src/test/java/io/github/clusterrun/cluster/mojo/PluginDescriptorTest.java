package io.github.clusterrun.cluster.mojo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Checks the generated plugin descriptor ({@code target/classes/META-INF/maven/plugin.xml}, written
 * by maven-plugin-plugin before the tests run) against what users and IDEs rely on: every parameter a
 * user can set says since when it exists, and the m2e metadata covers every goal.
 */
class PluginDescriptorTest {
  private static final Path CLASSES =
      Paths.get(System.getProperty("basedir", "."), "target", "classes");

  @Test
  void everyUserParameterHasSince() throws Exception {
    Element plugin = parse(CLASSES.resolve("META-INF/maven/plugin.xml"));
    List<String> missing = new ArrayList<>();
    for (Element mojo : children(child(plugin, "mojos"), "mojo")) {
      String goal = text(mojo, "goal");
      for (Element parameter : children(child(mojo, "parameters"), "parameter")) {
        boolean editable = !"false".equals(text(parameter, "editable"));
        if (editable && !"help".equals(goal) && text(parameter, "since") == null) {
          missing.add(goal + ":" + text(parameter, "name"));
        }
      }
    }
    assertThat(missing).as("parameters without @since in their Javadoc").isEmpty();
  }

  @Test
  void m2eIgnoresEveryGoal() throws Exception {
    List<String> goals = new ArrayList<>();
    for (Element mojo : children(child(parse(CLASSES.resolve("META-INF/maven/plugin.xml")), "mojos"), "mojo")) {
      goals.add(text(mojo, "goal"));
    }
    Element metadata = parse(CLASSES.resolve("META-INF/m2e/lifecycle-mapping-metadata.xml"));
    List<String> ignored = new ArrayList<>();
    for (Element execution : children(child(metadata, "pluginExecutions"), "pluginExecution")) {
      Element action = child(execution, "action");
      assertThat(child(action, "ignore")).as("the action of every m2e plugin execution").isNotNull();
      for (Element goal : children(child(child(execution, "pluginExecutionFilter"), "goals"), "goal")) {
        ignored.add(goal.getTextContent().trim());
      }
    }
    assertThat(goals).contains("start", "stop", "clean", "run", "status", "help");
    assertThat(ignored).containsExactlyInAnyOrderElementsOf(goals);
  }

  private static Element parse(Path file) throws Exception {
    assertThat(file).exists();
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> result = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element && node.getNodeName().equals(name)) {
        result.add((Element) node);
      }
    }
    return result;
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0);
  }

  private static String text(Element parent, String name) {
    Element element = child(parent, name);
    return element == null ? null : element.getTextContent().trim();
  }
}
