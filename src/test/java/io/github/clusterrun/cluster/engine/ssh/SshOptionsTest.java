package io.github.clusterrun.cluster.engine.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SshOptionsTest {
  private static final SshHost HOST = SshHost.parse("h1");

  @Test
  void defaultsAreStrictBatchAndQuiet() {
    SshOptions options = SshOptions.defaults();
    assertThat(pairs(options.base())).contains("-o StrictHostKeyChecking=yes",
        "-o ConnectTimeout=10", "-o ClearAllForwardings=yes",
        "-o PermitLocalCommand=no", "-o RemoteCommand=none");
    assertThat(options.base()).doesNotContain("-F");
    assertThat(options.hostArgs(HOST)).containsExactly("-o", "BatchMode=yes", "h1");
  }

  @Test
  void configAcceptNewAndTimeout() {
    SshOptions options = SshOptions.defaults().withSshConfig(Paths.get("/x/cfg"))
        .withAcceptNewHostKeys(true).withConnectTimeout(Duration.ofSeconds(3));
    assertThat(pairs(options.base())).contains("-F /x/cfg", "-o StrictHostKeyChecking=accept-new",
        "-o ConnectTimeout=3");
    assertThat(SshOptions.defaults().withConnectTimeout(Duration.ofMillis(200)).base())
        .contains("ConnectTimeout=1");
  }

  @Test
  void extraArgumentsComeFirstSoTheyWin() {
    List<String> base = SshOptions.defaults()
        .withExtraArgs(List.of("-o", "StrictHostKeyChecking=no")).base();
    assertThat(base.subList(0, 2)).containsExactly("-o", "StrictHostKeyChecking=no");
  }

  @Test
  void credentialsByDestinationOrHostName() {
    Path key = Paths.get("/keys/id");
    SshOptions options = SshOptions.defaults()
        .withCredentials("h1", new SshOptions.Credentials("deploy", key, null));
    assertThat(options.hostArgs(HOST)).containsExactly("-o", "BatchMode=yes", "-i", "/keys/id",
        "-o", "IdentitiesOnly=yes", "-l", "deploy", "h1");
    // A user in <sshHosts> wins over the server's; the server's key still applies.
    assertThat(options.hostArgs(SshHost.parse("ops@h1:2022"))).containsExactly("-o", "BatchMode=yes",
        "-i", "/keys/id", "-o", "IdentitiesOnly=yes", "-p", "2022", "-l", "ops", "h1");
    assertThat(options.hostArgs(SshHost.parse("h2"))).containsExactly("-o", "BatchMode=yes", "h2");
    SshOptions exact = options.withCredentials("ops@h1:2022", new SshOptions.Credentials(null, null, null));
    assertThat(exact.hostArgs(SshHost.parse("ops@h1:2022"))).doesNotContain("-i");
  }

  @Test
  void aPassphraseTurnsBatchModeOffButNeverAllowsPasswords() {
    SshOptions options = SshOptions.defaults().withCredentials("h1",
        new SshOptions.Credentials(null, Paths.get("/keys/id"), "secret words"));
    List<String> args = options.hostArgs(HOST);
    assertThat(pairs(args)).contains("-o BatchMode=no", "-o PasswordAuthentication=no",
        "-o KbdInteractiveAuthentication=no", "-i /keys/id");
    assertThat(String.join(" ", args)).doesNotContain("secret");
    assertThat(options.toString()).doesNotContain("secret");
    assertThat(options.credentialsFor(HOST).get().toString()).doesNotContain("secret")
        .contains("passphrase set");
  }

  @Test
  void theLauncherWrapsEveryCommand() {
    SshOptions options = SshOptions.defaults().withLauncher(command -> {
      List<String> wrapped = new java.util.ArrayList<>(command);
      wrapped.add(0, "/usr/bin/setsid");
      return wrapped;
    });
    assertThat(options.launch(List.of("ssh", "h1"))).containsExactly("/usr/bin/setsid", "ssh", "h1");
    assertThat(SshOptions.defaults().launch(Collections.singletonList("ssh"))).containsExactly("ssh");
  }

  @Test
  void theKeepAliveBound() {
    assertThat(SshOptions.keepAliveBound()).isEqualTo(Duration.ofSeconds(8));
  }

  /** Each option with its value, as one string: "-o X=y", "-F file". */
  private static List<String> pairs(List<String> args) {
    List<String> pairs = new java.util.ArrayList<>();
    for (int i = 0; i + 1 < args.size(); i++) {
      if (args.get(i).startsWith("-") && !args.get(i + 1).startsWith("-")) {
        pairs.add(args.get(i) + " " + args.get(i + 1));
      }
    }
    return pairs;
  }
}
