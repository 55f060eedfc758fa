package io.github.clusterrun.cluster.mojo;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.engine.ssh.SshLogins;
import io.github.clusterrun.cluster.engine.ssh.SshOptions;
import io.github.clusterrun.cluster.config.ConfigException;
import io.github.clusterrun.cluster.config.StopConfig;
import io.github.clusterrun.cluster.guard.ExitGuard;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.stop.ConfirmedStop;
import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;

/**
 * What every goal shares: the cluster directory, the skip switches, and the one place where the
 * core's exceptions become Maven's ({@link ConfigException} → {@link MojoFailureException}, {@link
 * ClusterException} → {@link MojoExecutionException}).
 */
abstract class AbstractClusterMojo extends AbstractMojo {
  /**
   * Root of all node directories and of the recorded state. Never the project's base directory, one
   * of its parents, the home directory or a filesystem root.
   *
   * @since 0.1.0
   */
  @Parameter(property = "cluster.directory", defaultValue = "${project.build.directory}/cluster")
  File clusterDirectory;

  /**
   * Do nothing.
   *
   * @since 0.1.0
   */
  @Parameter(property = "cluster.skip", defaultValue = "false")
  boolean skip;

  /**
   * Skip modules of packaging {@code pom} (aggregators and parents that list the plugin); {@code
   * false} runs the cluster there too, for a module that exists only to run one.
   *
   * @since 0.1.0
   */
  @Parameter(property = "cluster.skipPomPackaging", defaultValue = "true")
  boolean skipPomPackaging;

  /**
   * Failsafe's switch: no integration tests, so no cluster ({@code start}, {@code stop}).
   *
   * @since 0.1.0
   */
  @Parameter(property = "skipITs", defaultValue = "false")
  boolean skipITs;

  /**
   * Surefire's and Failsafe's switch: no tests, so no cluster ({@code start}, {@code stop}).
   *
   * @since 0.1.0
   */
  @Parameter(property = "skipTests", defaultValue = "false")
  boolean skipTests;

  /**
   * Maven's switch that skips compiling and running tests: no cluster ({@code start}, {@code
   * stop}).
   *
   * @since 0.1.0
   */
  @Parameter(property = "maven.test.skip", defaultValue = "false")
  boolean mavenTestSkip;

  /**
   * Failsafe summary files that must prove a pass before the directories are deleted. Default:
   * {@code ${project.build.directory}/failsafe-reports/failsafe-summary.xml}.
   *
   * @since 0.1.0
   */
  @Parameter List<File> summaryFiles;

  /**
   * What {@code stop} does with the directories once every node is gone: {@code onSuccess} (delete
   * when the tests passed), {@code always} or {@code never}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "cluster.cleanup", defaultValue = "onSuccess")
  String cleanup;

  /**
   * Keep the cluster directories whatever happened.
   *
   * @since 0.1.0
   */
  @Parameter(property = "cluster.skipCleanup", defaultValue = "false")
  boolean skipCleanup;

  /**
   * Lines of each node's console log that {@code stop} shows when the tests did not pass (or a node
   * died); 0 shows none.
   *
   * @since 0.1.0
   */
  @Parameter(property = "cluster.logTail", defaultValue = "20")
  int logTail;

  /**
   * File name patterns of crash artefacts that keep the directories even when the tests passed.
   * Default: {@code core}, {@code core.*}, {@code hs_err_pid*.log}, {@code *.hprof}.
   *
   * @since 0.1.0
   */
  @Parameter List<String> keepWhen;

  /**
   * An existing cluster to test against, as {@code host:port,host:port}: {@code start} and {@code
   * stop} then start, stop and delete nothing, and export the same properties for these nodes.
   *
   * @since 0.1.0
   */
  @Parameter(property = "cluster.external")
  String external;

  /**
   * Run the integration tests against the cluster that a {@code mvn cluster:run} in another terminal
   * holds in the same {@code clusterDirectory}: {@code start} exports its properties (the control
   * endpoint's among them) and starts nothing; {@code stop} and {@code clean} stop and delete
   * nothing.
   *
   * @since 0.2.0
   */
  @Parameter(property = "cluster.attach", defaultValue = "false")
  boolean attach;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  /** Maven's settings: a {@code <server>} whose id is an SSH host gives its credentials (0.3). */
  @Parameter(defaultValue = "${settings}", readonly = true)
  Settings settings;

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    String why = skipReason();
    if (why != null) {
      getLog().info("Skipping the cluster: " + why + (why.startsWith("packaging") ? "." : " is set."));
      return;
    }
    SshLogins.use(sshServers());
    try {
      run(new MavenClusterLog(getLog()));
    } catch (ConfigException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (ClusterException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
  }

  /** The switch that skips this goal, or null to run it: by default the cluster's and the tests'. */
  String skipReason() {
    String why = clusterSkipReason();
    if (why != null) {
      return why;
    }
    if (skipITs) {
      return "skipITs";
    }
    if (skipTests) {
      return "skipTests";
    }
    if (mavenTestSkip) {
      return "maven.test.skip";
    }
    return null;
  }

  /** The cluster's own reasons to skip, for goals that skipping tests must not skip. */
  final String clusterSkipReason() {
    if (skip) {
      return "cluster.skip";
    }
    return skipPomPackaging && "pom".equals(project.getPackaging()) ? "packaging pom" : null;
  }

  abstract void run(ClusterLog log) throws ClusterException;

  /**
   * The credentials of {@code settings.xml}'s servers, by id, for hosts named so in {@code
   * <sshHosts>}: user name, private key and its passphrase; a server's password is never used.
   */
  private Map<String, SshOptions.Credentials> sshServers() {
    Map<String, SshOptions.Credentials> servers = new HashMap<>();
    if (settings != null) {
      for (Server server : settings.getServers()) {
        if (server.getId() != null && (server.getUsername() != null || server.getPrivateKey() != null)) {
          servers.put(
              server.getId(),
              new SshOptions.Credentials(
                  server.getUsername(),
                  server.getPrivateKey() == null ? null : Paths.get(server.getPrivateKey()),
                  server.getPassphrase()));
        }
      }
    }
    return servers;
  }

  /** The exit guard of this JVM: the one registry of the clusters it runs. */
  ExitGuard guard() {
    return ExitGuard.jvm();
  }

  Platform platform() {
    return Platform.current();
  }

  /** The stop-and-confirm step every goal shares. */
  ConfirmedStop confirmedStop() {
    return new ConfirmedStop(guard(), platform());
  }

  /** Whether the tests run against an existing cluster that the plugin must not touch. */
  boolean isExternal() {
    return external != null && !external.isBlank();
  }

  Path baseDirectory() {
    return project.getBasedir().toPath();
  }

  /** The configured summary files, or Failsafe's default one. */
  List<Path> summaryPaths() {
    List<Path> summaries = new ArrayList<>();
    if (summaryFiles == null || summaryFiles.isEmpty()) {
      summaries.add(
          new File(project.getBuild().getDirectory(), "failsafe-reports/failsafe-summary.xml").toPath());
    } else {
      for (File file : summaryFiles) {
        summaries.add(file.toPath());
      }
    }
    return summaries;
  }

  StopConfig stopConfig() throws ConfigException {
    return StopConfig.of(
        clusterDirectory == null ? null : clusterDirectory.toPath(),
        baseDirectory(),
        summaryPaths(),
        cleanup,
        skipCleanup,
        logTail,
        keepWhen);
  }
}
