package io.github.clusterrun.cluster.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's usage text has one source, the {@code --help} heredoc of {@code bench/run}, and the
 * README's benchmark section shows it word for word: a changed option that the README does not follow
 * fails here.
 */
class BenchUsageTest {
  @Test
  void theReadmeShowsTheUsageOfBenchRun() throws Exception {
    Matcher m = Pattern.compile("cat <<'TXT'\\n(.*?)\\nTXT\\n", Pattern.DOTALL).matcher(Files.readString(Paths.get("bench/run")));
    assertThat(m.find()).as("the usage heredoc in bench/run").isTrue();
    String usage = m.group(1);
    assertThat(usage).startsWith("Usage: bench/run").contains("--quick").contains("--only");
    String readme = Files.readString(Paths.get("README.md"));
    String section = readme.substring(readme.indexOf("## Benchmarks"));
    assertThat(section).contains("```text\n" + usage + "\n```");
  }
}
