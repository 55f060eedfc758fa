package io.github.clusterrun.cluster.mojo;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.config.ClusterConfig;
import io.github.clusterrun.cluster.engine.ssh.SshConnection;
import io.github.clusterrun.cluster.config.ClusterConfigBuilder;
import io.github.clusterrun.cluster.config.ConfigException;
import io.github.clusterrun.cluster.config.MainClassCheck;
import io.github.clusterrun.cluster.config.Readiness;
import io.github.clusterrun.cluster.start.ClusterStarter;
import io.github.clusterrun.cluster.config.PropertyPrefix;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.start.ExportedProperties;
import io.github.clusterrun.cluster.start.ExternalCluster;
import io.github.clusterrun.cluster.start.AttachedCluster;
import java.time.Duration;
import java.util.HashMap;
import java.io.File;
import java.util.List;
import java.util.Map;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Starts the cluster before the integration tests: reaps a stale cluster left in {@code
 * clusterDirectory}, wipes it, starts every node at once, waits until each is ready, and exports
 * the nodes' addresses as project properties and in {@code cluster.properties}.
 *
 * @since 0.1.0
 */
@Mojo(
    name = "start",
    defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST,
    requiresDependencyResolution = ResolutionScope.TEST,
    threadSafe = true)
public class StartMojo extends AbstractClusterMojo {
  /**
   * Number of nodes, 1 or more.
   *
   * @since 0.1.0
   */
  @Parameter(property = "cluster.nodes", defaultValue = "1")
  int nodes;

  /**
   * The program every node runs. A relative path resolves against {@code ${project.basedir}}, a bare
   * name also against {@code PATH}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "cluster.executable")
  String executable;

  /**
   * A Java class of this project to run as every node, instead of an {@code executable}: run with
   * the JDK that runs Maven (or {@code javaExecutable}), {@code jvmArgs}, and the classpath of
   * {@code classpathScope}; {@code arguments} go to its {@code main}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "cluster.mainClass")
  String mainClass;

  /**
   * The classpath of a {@code mainClass} node: {@code test} (classes, test classes and every
   * dependency), {@code runtime} or {@code compile}.
   *
   * @since 0.1.0
   */
  @Parameter(property = "cluster.classpathScope", defaultValue = "test")
  String classpathScope;

  /**
   * JVM arguments of a {@code mainClass} node, before the class name; placeholders allowed (e.g.
   * {@code -Djava.io.tmpdir=@{node.tmpDir}}).
   *
   * @since 0.1.0
   */
  @Parameter List<String> jvmArgs;

  /**
   * The {@code java} program of a {@code mainClass} node. Default: the JDK that runs Maven.
   *
   * @since 0.1.0
   */
  @Parameter(property = "cluster.javaExecutable")
  String javaExecutable;

  /**
   * Arguments of the node program; placeholders such as {@code @{node.port}} allowed.
   *
   * @since 0.1.0
   */
  @Parameter List<String> arguments;

  /**
   * Environment variables added to the one Maven runs in; placeholders allowed.
   *
   * @since 0.1.0
   */
  @Parameter Map<String, String> environment;

  /**
   * Where each node runs; relative to the node's directory. Default {@code @{node.dir}}.
   *
   * @since 0.1.0
   */
  @Parameter(defaultValue = "@{node.dir}")
  String workingDirectory;

  /**
   * Names of the ports allocated to every node (free ports on 127.0.0.1). Default: one port named
   * {@code port}.
   *
   * @since 0.1.0
   */
  @Parameter List<String> ports;

  /**
   * Readiness: {@code <http>}, {@code <tcp>}, {@code <log>} (all given must hold) and {@code
   * <timeout>} in seconds (default 60). Without it a node is ready once started.
   *
   * @since 0.1.0
   */
  @Parameter WaitFor waitFor;

  /**
   * Seconds between the graceful stop (SIGTERM, or {@code stopInput}) and the forced one (SIGKILL).
   *
   * @since 0.1.0
   */
  @Parameter(property = "cluster.stopTimeout", defaultValue = "10")
  int stopTimeout;

  /**
   * A line written to each node's stdin to ask it to stop, instead of SIGTERM (e.g. {@code
   * shutdown}).
   *
   * @since 0.1.0
   */
  @Parameter(property = "cluster.stopInput")
  String stopInput;

  /**
   * The first of fixed ports: node i's port k is {@code basePort + i * <number of ports> + k}, for
   * nodes that must find each other by convention. Default: free ports.
   *
   * @since 0.1.0
   */
  @Parameter(property = "cluster.basePort")
  Integer basePort;

  /**
   * The prefix of every exported property, so that two clusters of one module can be told apart
   * ({@code db} gives {@code db.hosts}, {@code db.node.0.port}, …).
   *
   * @since 0.1.0
   */
  @Parameter(property = "cluster.propertyPrefix", defaultValue = "cluster")
  String propertyPrefix;

  // ---- Nodes on other hosts (0.3) ----

  /**
   * Hosts the nodes run on, over SSH: node <i>i</i> on host <i>i</i> mod H. Each is {@code
   * [user@]host[:port]} or a Host of the user's SSH configuration; credentials come from the user's
   * SSH configuration, keys, agent and {@code known_hosts}, or from a {@code settings.xml} {@code
   * <server>} whose id is the host (user name, private key, passphrase). Absent: every node runs on
   * the build machine. {@code -Dcluster.sshHosts=h1,h2,h3}.
   *
   * @since 0.3.0
   */
  @Parameter(property = "cluster.sshHosts")
  List<String> sshHosts;

  /**
   * Where the node directories live on each host; the plugin adds a directory of its own per
   * cluster directory of the build machine ({@code c-<16 hex digits>}), so that two checkouts never
   * share one.
   *
   * @since 0.3.0
   */
  @Parameter(property = "cluster.remoteDirectory", defaultValue = "/tmp/cluster-maven-plugin")
  String remoteDirectory;

  /**
   * An SSH configuration file ({@code ssh -F}) to use instead of {@code ~/.ssh/config}.
   *
   * @since 0.3.0
   */
  @Parameter(property = "cluster.sshConfig")
  File sshConfig;

  /**
   * Trust a host whose key is not in {@code known_hosts} yet on first use, and record it there
   * (OpenSSH's {@code StrictHostKeyChecking=accept-new}); by default such a host is an error.
   *
   * @since 0.3.0
   */
  @Parameter(property = "cluster.acceptNewHostKeys", defaultValue = "false")
  boolean acceptNewHostKeys;

  // ---- Tests can break the network (0.3) ----

  /**
   * Give every node on this machine a network namespace of its own, on a bridge of the cluster, and
   * an address of its own ({@code @{node.host}}, which the node must bind and advertise), so that the
   * tests can partition, isolate and degrade the network between local nodes (rules on the shared
   * loopback interface cannot tell the nodes apart). Needs Linux, Maven running as root, and {@code
   * ip}, {@code nft} and {@code nsenter}. Nodes on {@code <sshHosts>} need no opt-in. The namespaces
   * and the bridge are deleted with the nodes.
   *
   * @since 0.3.0
   */
  @Parameter(property = "cluster.networkFaults", defaultValue = "false")
  boolean networkFaults;

  // ---- <files> (0.2) ----

  /**
   * Files written into every node's directory after its directories are created and before
   * anything of the node runs: each {@code <file>} has a {@code <path>} relative to {@code
   * @{node.dir}} and either a {@code <source>} (a template file of the project, relative to {@code
   * ${project.basedir}}) or an inline {@code <content>}. Placeholders are resolved in the path and
   * the content, including {@code @{nodes[SEP]:TEMPLATE}}, which repeats a template for every node.
   * An inline {@code <content>} loses the indentation its lines share and ends with a newline; a
   * {@code <source>} with {@code <filtering>true</filtering>} gets the build's {@code ${…}}
   * replaced, as maven-resources-plugin filters resources.
   *
   * @since 0.2.0
   */
  @Parameter List<NodeFile> files;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  MavenSession session;

  // --- Forming a real cluster (0.2): steps before and after start, stop order. ---

  /**
   * Commands run for every node (the nodes in parallel, each node's commands in order) after its
   * directories exist and before it launches, e.g. {@code kafka-storage format}: each {@code
   * <command>} has an {@code <executable>} or a {@code <mainClass>} (with {@code <jvmArgs>}),
   * {@code <arguments>} and {@code <environment>} (the node's placeholders allowed), a {@code <timeout>} in seconds (default 60) and {@code
   * <retryUntilSuccess>}. Each runs with the node's environment (and so its mark) in the node's
   * working directory, its output in {@code n_<i>/logs/before-start-<k>.log}, and must exit 0 in
   * time, or {@code start} fails and every node is stopped.
   *
   * @since 0.2.0
   */
  @Parameter List<Command> beforeStart;

  /**
   * Commands run once, in order, after every node is ready, e.g. {@code redis-cli --cluster
   * create}; with {@code <retryUntilSuccess>true</retryUntilSuccess>} a command is run again until
   * it exits 0 or its {@code <timeout>} ends, which is how a readiness check of the whole cluster is
   * written. Only the cluster's placeholders ({@code @{cluster.*}}) have a value here. They run in
   * the cluster directory with the cluster's own mark (whatever they leave running is stopped with
   * the nodes), their output in {@code logs/after-start-<k>.log}.
   *
   * @since 0.2.0
   */
  @Parameter List<Command> afterStart;

  /**
   * In which order the nodes are stopped: {@code parallel} (all at once), {@code sequential} (node
   * 0 stopped, gracefully then forced if needed, and confirmed gone before node 1 is asked, and so
   * on) or {@code reverse} (the last node first). Recorded with the cluster, so that {@code stop},
   * {@code clean} and the exit hook honour it.
   *
   * @since 0.2.0
   */
  @Parameter(property = "cluster.stopOrder", defaultValue = "parallel")
  String stopOrder;

  private ClusterConfigBuilder formation(ClusterConfigBuilder builder) {
    for (Command c : beforeStart == null ? List.<Command>of() : beforeStart) {
      if (c == null) {
        builder.beforeStart(null, null, null, 60, false);
      } else {
        builder.beforeStart(
            c.executable, c.mainClass, c.arguments, c.jvmArgs, c.environment, c.timeout, c.retryUntilSuccess);
      }
    }
    for (Command c : afterStart == null ? List.<Command>of() : afterStart) {
      if (c == null) {
        builder.afterStart(null, null, null, 60, false);
      } else {
        builder.afterStart(
            c.executable, c.mainClass, c.arguments, c.jvmArgs, c.environment, c.timeout, c.retryUntilSuccess);
      }
    }
    return builder.stopOrder(stopOrder);
  }

  private boolean commandsNeedClasspath() {
    for (List<Command> commands : List.of(
        beforeStart == null ? List.<Command>of() : beforeStart,
        afterStart == null ? List.<Command>of() : afterStart)) {
      for (Command c : commands) {
        if (c != null && c.mainClass != null && !c.mainClass.isBlank()) {
          return true;
        }
      }
    }
    return false;
  }

  // --- end of forming a real cluster ---

  @Override
  void run(ClusterLog log) throws ClusterException {
    if (isExternal()) {
      exportExternal(log);
      return;
    }
    if (attach) {
      exportAttached(log);
      return;
    }
    start(log);
  }

  /** Starts the cluster and exports its properties. */
  Cluster start(ClusterLog log) throws ClusterException {
    ClusterConfig config = config();
    getLog().debug(config.toString());
    long begin = System.nanoTime();
    Cluster cluster = new ClusterStarter(config, guard(), platform(), log).start();
    Map<String, String> properties = ExportedProperties.of(cluster, config.propertyPrefix());
    for (Map.Entry<String, String> property : properties.entrySet()) {
      project.getProperties().setProperty(property.getKey(), property.getValue());
    }
    int hosts = config.sshHosts().isEmpty() ? 0 : new java.util.LinkedHashSet<>(config.sshHosts()).size();
    log.info(
        String.format(
            "Cluster of %d node%s ready in %d ms%s: %s (properties in %s)",
            config.nodes(),
            config.nodes() == 1 ? "" : "s",
            Duration.ofNanos(System.nanoTime() - begin).toMillis(),
            hosts == 0
                ? ""
                : String.format(
                    " on %d host%s (%d SSH connection%s in this build)",
                    hosts,
                    hosts == 1 ? "" : "s",
                    SshConnection.connectionsMade(),
                    SshConnection.connectionsMade() == 1 ? "" : "s"),
            cluster.hosts(),
            cluster.layout().propertiesFile()));
    return cluster;
  }

  private void exportExternal(ClusterLog log) throws ConfigException {
    ExternalCluster cluster = ExternalCluster.parse(external);
    Map<String, String> properties = cluster.properties(PropertyPrefix.of(propertyPrefix));
    for (Map.Entry<String, String> property : properties.entrySet()) {
      project.getProperties().setProperty(property.getKey(), property.getValue());
    }
    log.info(
        "Using the external cluster "
            + properties.get(PropertyPrefix.of(propertyPrefix).key("hosts"))
            + " (cluster.external): nothing is started, stopped or deleted.");
  }

  /** Issue 12: {@code -Dcluster.attach}, the cluster a {@code cluster:run} holds in the same directory. */
  private void exportAttached(ClusterLog log) throws ClusterException {
    Map<String, String> properties = AttachedCluster.properties(stopConfig().clusterDirectory(), platform());
    for (Map.Entry<String, String> property : properties.entrySet()) {
      project.getProperties().setProperty(property.getKey(), property.getValue());
    }
    log.info(
        "Attached to the cluster that cluster:run holds in "
            + stopConfig().displayDirectory()
            + " (cluster.attach): nothing is started, stopped or deleted.");
  }

  /** The classpath of {@code classpathScope}, for a {@code mainClass} node. */
  private List<String> classpath() throws ConfigException {
    if ((mainClass == null || mainClass.isBlank()) && !commandsNeedClasspath()) {
      return List.of();
    }
    String scope = classpathScope == null ? "test" : classpathScope.trim();
    try {
      List<String> elements;
      switch (scope) {
        case "test":
          elements = project.getTestClasspathElements();
          break;
        case "runtime":
          elements = project.getRuntimeClasspathElements();
          break;
        case "compile":
          elements = project.getCompileClasspathElements();
          break;
        default:
          throw new ConfigException(
              "classpathScope", "is '" + scope + "'", "use test, runtime or compile");
      }
      MainClassCheck.check(mainClass, elements, scope);
      return elements;
    } catch (DependencyResolutionRequiredException e) {
      throw new ConfigException(
          "classpathScope",
          "needs the " + scope + " dependencies, which are not resolved: " + e.getMessage(),
          "run start in its default phase (pre-integration-test)");
    }
  }

  ClusterConfig config() throws ConfigException {
    Readiness readiness =
        waitFor == null
            ? Readiness.none()
            : new Readiness(waitFor.http, waitFor.tcp, waitFor.log, Duration.ofSeconds(waitFor.timeout));
    return formation(withFiles(ClusterConfig.builder()))
        .baseDirectory(baseDirectory())
        .clusterDirectory(clusterDirectory == null ? null : clusterDirectory.toPath())
        .nodes(nodes)
        .executable(executable)
        .javaNode(mainClass, classpath(), jvmArgs, javaExecutable)
        .arguments(arguments)
        .environment(environment)
        .workingDirectory(workingDirectory)
        .ports(ports)
        .readiness(readiness)
        .stopTimeoutSeconds(stopTimeout)
        .stopInput(stopInput)
        .cleanup(cleanup)
        .skipCleanup(skipCleanup)
        .summaryFiles(summaryPaths())
        .logTail(logTail)
        .keepWhen(keepWhen)
        .basePort(basePort)
        .propertyPrefix(propertyPrefix)
        .sshHosts(sshHosts)
        .remoteDirectory(remoteDirectory)
        .sshConfig(sshConfig == null ? null : sshConfig.toPath())
        .acceptNewHostKeys(acceptNewHostKeys)
        .networkFaults(networkFaults)
        .build();
  }

  /** The builder with the {@code <files>} added (0.2), and the values of their {@code <filtering>}. */
  private ClusterConfigBuilder withFiles(ClusterConfigBuilder builder) {
    if (files != null) {
      for (NodeFile file : files) {
        builder.file(file.path, file.source, file.content, file.filtering);
        if (file.filtering) {
          builder.filterProperties(filterProperties());
        }
      }
    }
    return builder;
  }

  /**
   * What {@code ${…}} stands for in a filtered {@code <source>}, as maven-resources-plugin sees it:
   * the project's properties, the command line's {@code -D} (over them), and the project's basics.
   */
  private Map<String, String> filterProperties() {
    Map<String, String> values = new HashMap<>();
    project.getProperties().forEach((k, v) -> values.put(k.toString(), v.toString()));
    if (session != null) {
      session.getUserProperties().forEach((k, v) -> values.put(k.toString(), v.toString()));
    }
    values.put("project.groupId", project.getGroupId());
    values.put("project.artifactId", project.getArtifactId());
    values.put("project.version", project.getVersion());
    values.put("project.name", String.valueOf(project.getName()));
    values.put("project.basedir", project.getBasedir().getAbsolutePath());
    values.put("basedir", project.getBasedir().getAbsolutePath());
    values.put("project.build.directory", project.getBuild().getDirectory());
    values.put("project.build.outputDirectory", project.getBuild().getOutputDirectory());
    values.put("project.build.testOutputDirectory", project.getBuild().getTestOutputDirectory());
    values.put("project.build.finalName", project.getBuild().getFinalName());
    return values;
  }
}
