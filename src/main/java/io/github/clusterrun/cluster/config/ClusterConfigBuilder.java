package io.github.clusterrun.cluster.config;

import io.github.clusterrun.cluster.model.SshSettings;
import io.github.clusterrun.cluster.model.StopOrder;
import java.io.File;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Collects the raw parameter values (as the POM gives them) and checks them all in {@link #build()}.
 * Every mistake is a {@link ConfigException} naming the element and the fix.
 */
public final class ClusterConfigBuilder {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

  private Path clusterDirectory;
  private Path baseDirectory;
  private int nodes = 1;
  private String executable;
  private final List<String> arguments = new ArrayList<>();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private String workingDirectory;
  private final List<String> ports = new ArrayList<>();
  private Readiness readiness = Readiness.none();
  private int stopTimeoutSeconds = 10;
  private String stopInput;
  private String cleanup;
  private boolean skipCleanup;
  private int logTail = 20;
  private List<String> keepWhen;
  private final List<Path> summaryFiles = new ArrayList<>();
  private Map<String, String> pathEnvironment = System.getenv();
  private Integer basePort;
  private String propertyPrefix;
  private String mainClass;
  private String javaExecutable;
  private final List<String> jvmArgs = new ArrayList<>();
  private final List<String> classpath = new ArrayList<>();
  // ---- <files> (0.2) ----
  private final List<String[]> files = new ArrayList<>();
  private Map<String, String> filterProperties = Map.of();

  // ---- Nodes on other hosts (0.3) ----
  private final List<String> sshHosts = new ArrayList<>();
  private String remoteDirectory;
  private Path sshConfig;
  private boolean acceptNewHostKeys;

  // ---- Tests can break the network (0.3) ----
  private boolean networkFaults;
  private java.util.function.Supplier<java.util.Optional<String[]>> networkNamespacesMissing =
      io.github.clusterrun.cluster.platform.NodeNetworks::missing;

  ClusterConfigBuilder() {}

  /** {@code <networkFaults>}: every local node in a network namespace of its own, with its own address. */
  public ClusterConfigBuilder networkFaults(boolean networkFaults) {
    this.networkFaults = networkFaults;
    return this;
  }

  /**
   * For tests: what this machine lacks for {@code <networkFaults>}, as {problem, fix} (by default,
   * {@link io.github.clusterrun.cluster.platform.NodeNetworks#missing()} asks this machine).
   */
  ClusterConfigBuilder networkNamespacesMissing(java.util.function.Supplier<java.util.Optional<String[]>> missing) {
    this.networkNamespacesMissing = missing;
    return this;
  }

  /** {@code <sshHosts>}: the hosts nodes run on, node i on host i mod H. */
  public ClusterConfigBuilder sshHosts(List<String> hosts) {
    sshHosts.clear();
    if (hosts != null) {
      for (String host : hosts) {
        if (host != null && !host.isBlank()) {
          sshHosts.add(host.trim());
        }
      }
    }
    return this;
  }

  /** {@code <remoteDirectory>}: where node directories live on each host (a directory per checkout below it). */
  public ClusterConfigBuilder remoteDirectory(String directory) {
    this.remoteDirectory = directory;
    return this;
  }

  /** {@code <sshConfig>}: an SSH configuration file used instead of the user's. */
  public ClusterConfigBuilder sshConfig(Path file) {
    this.sshConfig = file;
    return this;
  }

  /** {@code <acceptNewHostKeys>}: trust a host whose key is not known yet, on first use. */
  public ClusterConfigBuilder acceptNewHostKeys(boolean accept) {
    this.acceptNewHostKeys = accept;
    return this;
  }

  // --- Forming a real cluster (0.2): steps before and after start, stop order. ---

  /** A {@code <command>} as the POM gives it. */
  private static final class RawCommand {
    final String executable;
    final String mainClass;
    final List<String> arguments;
    final List<String> jvmArgs;
    final Map<String, String> environment;
    final int timeoutSeconds;
    final boolean retryUntilSuccess;

    RawCommand(
        String executable,
        String mainClass,
        List<String> arguments,
        List<String> jvmArgs,
        Map<String, String> environment,
        int timeoutSeconds,
        boolean retry) {
      this.executable = executable;
      this.mainClass = mainClass;
      this.arguments = arguments == null ? List.of() : new ArrayList<>(arguments);
      this.jvmArgs = jvmArgs == null ? List.of() : new ArrayList<>(jvmArgs);
      this.environment = environment == null ? Map.of() : new LinkedHashMap<>(environment);
      this.timeoutSeconds = timeoutSeconds;
      this.retryUntilSuccess = retry;
    }
  }

  private final List<RawCommand> beforeStart = new ArrayList<>();
  private final List<RawCommand> afterStart = new ArrayList<>();
  private String stopOrder;

  /** Adds a {@code <beforeStart>} command: run for every node, before it launches. */
  public ClusterConfigBuilder beforeStart(
      String executable, String mainClass, List<String> arguments, int timeoutSeconds, boolean retry) {
    return beforeStart(executable, mainClass, arguments, null, null, timeoutSeconds, retry);
  }

  /**
   * Adds a {@code <beforeStart>} command with its {@code jvmArgs} (a {@code mainClass} only) and
   * {@code environment}: run for every node, before it launches.
   */
  public ClusterConfigBuilder beforeStart(
      String executable,
      String mainClass,
      List<String> arguments,
      List<String> jvmArgs,
      Map<String, String> environment,
      int timeoutSeconds,
      boolean retry) {
    beforeStart.add(new RawCommand(executable, mainClass, arguments, jvmArgs, environment, timeoutSeconds, retry));
    return this;
  }

  /** Adds an {@code <afterStart>} command: run once, after every node is ready. */
  public ClusterConfigBuilder afterStart(
      String executable, String mainClass, List<String> arguments, int timeoutSeconds, boolean retry) {
    return afterStart(executable, mainClass, arguments, null, null, timeoutSeconds, retry);
  }

  /**
   * Adds an {@code <afterStart>} command with its {@code jvmArgs} (a {@code mainClass} only) and
   * {@code environment}: run once, after every node is ready.
   */
  public ClusterConfigBuilder afterStart(
      String executable,
      String mainClass,
      List<String> arguments,
      List<String> jvmArgs,
      Map<String, String> environment,
      int timeoutSeconds,
      boolean retry) {
    afterStart.add(new RawCommand(executable, mainClass, arguments, jvmArgs, environment, timeoutSeconds, retry));
    return this;
  }

  /** {@code parallel} (default), {@code sequential} or {@code reverse}. */
  public ClusterConfigBuilder stopOrder(String order) {
    this.stopOrder = order;
    return this;
  }

  private List<ClusterCommand> commands(
      String element, List<RawCommand> raw, boolean perNode, Path base, List<String> portNames)
      throws ConfigException {
    List<ClusterCommand> commands = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      RawCommand c = raw.get(i);
      String at = element + "/command[" + (i + 1) + "]";
      if (c == null) {
        throw new ConfigException(at, "is empty", "give it an <executable> or a <mainClass>, or remove it");
      }
      boolean hasExecutable = c.executable != null && !c.executable.isBlank();
      boolean hasMainClass = c.mainClass != null && !c.mainClass.isBlank();
      if (hasExecutable == hasMainClass) {
        throw new ConfigException(
            at,
            hasExecutable ? "has both <executable> and <mainClass>" : "has neither <executable> nor <mainClass>",
            "give exactly one: <executable> for a program (e.g. redis-cli), <mainClass> for a Java class"
                + " of this project");
      }
      List<String> commandArguments = new ArrayList<>();
      Path program;
      String mainClassName = null;
      if (!hasMainClass && !c.jvmArgs.isEmpty()) {
        throw new ConfigException(
            at + "/jvmArgs",
            "is given for an <executable>, which is not a JVM the plugin starts",
            "use <jvmArgs> with a <mainClass>, or pass the options in <arguments> (or <environment>,"
                + " e.g. JAVA_OPTS) of the executable");
      }
      if (hasMainClass) {
        String name = c.mainClass.trim();
        if (!name.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.$]*")) {
          throw new ConfigException(
              at + "/mainClass",
              "is '" + name + "', which is not a class name",
              "give a class name such as com.example.FormCluster");
        }
        program = javaExecutable(base, perNode && !sshHosts.isEmpty());
        mainClassName = name;
        for (String arg : c.jvmArgs) {
          if (arg == null || arg.isEmpty()) {
            throw new ConfigException(at + "/jvmArgs", "has an empty <jvmArg>", "remove it or give it a value");
          }
          checkCommandTemplate(at + "/jvmArgs", arg, perNode, portNames);
          commandArguments.add(arg);
        }
        commandArguments.add("-cp");
        commandArguments.add(String.join(File.pathSeparator, classpath));
        commandArguments.add(name);
      } else if (perNode && !sshHosts.isEmpty() && c.executable != null && !c.executable.isBlank()) {
        program = Paths.get(c.executable.trim()); // a program of the hosts, found there
      } else {
        program = Executables.resolve(at + "/executable", c.executable, base, pathEnvironment);
      }
      int ownArgumentsFrom = commandArguments.size();
      for (Map.Entry<String, String> e : c.environment.entrySet()) {
        if (!ENV_NAME.matcher(e.getKey()).matches()) {
          throw new ConfigException(
              at + "/environment",
              "has the variable name '" + e.getKey() + "'",
              "start with a letter or '_', then use letters, digits, '_' or '.'");
        }
        if (e.getValue() == null) {
          throw new ConfigException(
              at + "/environment/" + e.getKey(),
              "is empty",
              "write @{empty} for an empty value, or remove it");
        }
        checkCommandTemplate(at + "/environment/" + e.getKey(), e.getValue(), perNode, portNames);
      }
      for (String argument : c.arguments) {
        if (argument == null) {
          throw new ConfigException(
              at + "/arguments",
              "has an empty <argument>",
              "write <argument>@{empty}</argument> for an empty argument, or remove it");
        }
        checkCommandTemplate(at + "/arguments", argument, perNode, portNames);
        commandArguments.add(argument);
      }
      if (c.timeoutSeconds < 1) {
        throw new ConfigException(
            at + "/timeout",
            "is " + c.timeoutSeconds + " seconds",
            "give the command at least 1 second, e.g. <timeout>60</timeout>");
      }
      commands.add(
          new ClusterCommand(
              at,
              program,
              mainClassName,
              commandArguments,
              ownArgumentsFrom,
              c.environment,
              Duration.ofSeconds(c.timeoutSeconds),
              c.retryUntilSuccess));
    }
    return commands;
  }

  /** A command's template: every placeholder for a node's step, the cluster's for a cluster's. */
  private static void checkCommandTemplate(String element, String template, boolean perNode, List<String> portNames)
      throws ConfigException {
    if (perNode) {
      Placeholders.check(element, template, portNames);
    } else {
      Placeholders.checkCluster(element, template, portNames);
    }
  }

  /** The java program; {@code onHosts}: of the hosts, else of this machine. */
  private Path javaExecutable(Path base, boolean onHosts) throws ConfigException {
    if (onHosts) {
      // On the hosts: the java of their PATH (checked on every host before any node starts), or
      // the program <javaExecutable> names there.
      return Paths.get(javaExecutable == null || javaExecutable.isBlank() ? "java" : javaExecutable.trim());
    }
    String java =
        javaExecutable == null || javaExecutable.isBlank()
            ? Paths.get(System.getProperty("java.home"), "bin", "java").toString()
            : javaExecutable;
    try {
      return Executables.resolve(java, base, pathEnvironment);
    } catch (ConfigException e) {
      throw new ConfigException(
          "javaExecutable",
          "is '" + java + "', which is not a java program",
          "leave it out to use the JDK that runs Maven, or give the path of bin/java");
    }
  }

  private StopOrder checkedStopOrder() throws ConfigException {
    if (stopOrder == null || stopOrder.isBlank()) {
      return StopOrder.PARALLEL;
    }
    return StopOrder.parse(stopOrder)
        .orElseThrow(
            () ->
                new ConfigException(
                    "stopOrder",
                    "is '" + stopOrder.trim() + "'",
                    "use parallel (every node at once), sequential (n_0, then n_1, …, each confirmed"
                        + " gone before the next) or reverse (the last node first); or"
                        + " -Dcluster.stopOrder=sequential"));
  }

  // --- end of forming a real cluster ---

  public ClusterConfigBuilder clusterDirectory(Path dir) {
    this.clusterDirectory = dir;
    return this;
  }

  public ClusterConfigBuilder baseDirectory(Path dir) {
    this.baseDirectory = dir;
    return this;
  }

  public ClusterConfigBuilder nodes(int nodes) {
    this.nodes = nodes;
    return this;
  }

  public ClusterConfigBuilder executable(String executable) {
    this.executable = executable;
    return this;
  }

  public ClusterConfigBuilder arguments(List<String> arguments) {
    if (arguments != null) {
      this.arguments.addAll(arguments);
    }
    return this;
  }

  public ClusterConfigBuilder environment(Map<String, String> environment) {
    if (environment != null) {
      this.environment.putAll(environment);
    }
    return this;
  }

  public ClusterConfigBuilder workingDirectory(String workingDirectory) {
    this.workingDirectory = workingDirectory;
    return this;
  }

  public ClusterConfigBuilder ports(List<String> ports) {
    if (ports != null) {
      this.ports.addAll(ports);
    }
    return this;
  }

  public ClusterConfigBuilder readiness(Readiness readiness) {
    this.readiness = readiness == null ? Readiness.none() : readiness;
    return this;
  }

  public ClusterConfigBuilder stopTimeoutSeconds(int seconds) {
    this.stopTimeoutSeconds = seconds;
    return this;
  }

  public ClusterConfigBuilder stopInput(String line) {
    this.stopInput = line;
    return this;
  }

  public ClusterConfigBuilder cleanup(String policy) {
    this.cleanup = policy;
    return this;
  }

  public ClusterConfigBuilder skipCleanup(boolean skipCleanup) {
    this.skipCleanup = skipCleanup;
    return this;
  }

  /** Console log lines that stop shows when the tests did not pass. */
  public ClusterConfigBuilder logTail(int lines) {
    this.logTail = lines;
    return this;
  }

  /** Crash artefact patterns that keep the directories; null for the defaults. */
  public ClusterConfigBuilder keepWhen(List<String> patterns) {
    this.keepWhen = patterns;
    return this;
  }

  public ClusterConfigBuilder summaryFiles(List<Path> files) {
    if (files != null) {
      this.summaryFiles.addAll(files);
    }
    return this;
  }

  /**
   * Makes every node a Java class run from {@code classpath} instead of an {@code executable}.
   *
   * @param javaExecutable the {@code java} program; null for the JDK that runs Maven
   */
  public ClusterConfigBuilder javaNode(
      String mainClass, List<String> classpath, List<String> jvmArgs, String javaExecutable) {
    this.mainClass = mainClass == null || mainClass.isBlank() ? null : mainClass.trim();
    if (classpath != null) {
      this.classpath.addAll(classpath);
    }
    if (jvmArgs != null) {
      this.jvmArgs.addAll(jvmArgs);
    }
    this.javaExecutable = javaExecutable;
    return this;
  }

  /** Fixed ports from this one on (node i's port k = base + i * ports + k); null for free ports. */
  public ClusterConfigBuilder basePort(Integer basePort) {
    this.basePort = basePort;
    return this;
  }

  /** The prefix of the exported properties; {@code cluster} by default. */
  public ClusterConfigBuilder propertyPrefix(String prefix) {
    this.propertyPrefix = prefix;
    return this;
  }

  // ---- <files> (0.2) ----

  /**
   * Adds a {@code <files><file>}: its {@code path} relative to {@code @{node.dir}}, and either a
   * {@code source} (relative to the project's base directory) or an inline {@code content}.
   */
  public ClusterConfigBuilder file(String path, String source, String content) {
    return file(path, source, content, false);
  }

  /**
   * Adds a {@code <files><file>} as {@link #file(String, String, String)}; with {@code filtering},
   * the {@code ${…}} of its {@code source} that {@link #filterProperties} knows are replaced.
   */
  public ClusterConfigBuilder file(String path, String source, String content, boolean filtering) {
    files.add(new String[] {path, source, content, filtering ? "filtering" : null});
    return this;
  }

  /** The values of {@code ${name}} in a {@code <source>} with {@code <filtering>}: the build's properties. */
  public ClusterConfigBuilder filterProperties(Map<String, String> properties) {
    this.filterProperties = properties == null ? Map.of() : properties;
    return this;
  }

  /** The environment whose {@code PATH} resolves a bare executable name; the JVM's by default. */
  public ClusterConfigBuilder pathEnvironment(Map<String, String> env) {
    this.pathEnvironment = env;
    return this;
  }

  /** Checks every value and builds the configuration. */
  public ClusterConfig build() throws ConfigException {
    if (baseDirectory == null) {
      throw new IllegalStateException("baseDirectory is required");
    }
    Path base = baseDirectory.toAbsolutePath().normalize();
    // What stop will need is checked now too: a mistake there must not wait until after the tests.
    StopConfig stop =
        StopConfig.of(clusterDirectory, base, summaryFiles, cleanup, skipCleanup, logTail, keepWhen);

    if (nodes < 1) {
      throw new ConfigException(
          "nodes",
          "is " + nodes + ", but a cluster needs at least one node",
          "set <nodes> to 1 or more (or -Dcluster.nodes=3)");
    }
    List<String> portNames = PortNames.of(ports).names();

    Path program;
    List<String> commandArguments = new ArrayList<>();
    if (mainClass != null) {
      program = javaProgram(base, portNames, commandArguments);
    } else if (!sshHosts.isEmpty() && executable != null && !executable.isBlank()) {
      program = Paths.get(executable.trim()); // a program of the hosts, found there
    } else {
      program = Executables.resolve(executable, base, pathEnvironment);
    }
    commandArguments.addAll(arguments);

    for (String argument : arguments) {
      if (argument == null) {
        throw new ConfigException(
            "arguments",
            "has an empty <argument>",
            "write <argument>@{empty}</argument> for an empty argument, or remove it");
      }
      Placeholders.check("arguments", argument, portNames);
    }
    for (Map.Entry<String, String> e : environment.entrySet()) {
      if (!ENV_NAME.matcher(e.getKey()).matches()) {
        throw new ConfigException(
            "environment",
            "has the variable name '" + e.getKey() + "'",
            "start with a letter or '_', then use letters, digits, '_' or '.'");
      }
      Placeholders.check("environment/" + e.getKey(), e.getValue(), portNames);
    }
    String workDir = workingDirectory == null || workingDirectory.isBlank() ? "@{node.dir}" : workingDirectory;
    Placeholders.check("workingDirectory", workDir, portNames);

    checkReadiness(portNames);
    List<FileTemplate> fileTemplates = checkFiles(base, portNames);

    if (stopTimeoutSeconds < 0) {
      throw new ConfigException(
          "stopTimeout",
          "is " + stopTimeoutSeconds + " seconds",
          "set it to 0 or more seconds (-Dcluster.stopTimeout=10)");
    }
    if (stopInput != null && (stopInput.contains("\n") || stopInput.contains("\r"))) {
      throw new ConfigException(
          "stopInput", "spans several lines", "give a single line, e.g. <stopInput>shutdown</stopInput>");
    }
    if (basePort != null) {
      int last = basePort + nodes * portNames.size() - 1;
      if (basePort < 1 || last > 65535) {
        throw new ConfigException(
            "basePort",
            "is " + basePort + ", so the last port would be " + last,
            "choose a base port from 1024 to " + (65536 - nodes * portNames.size())
                + ", or leave it out for free ports");
      }
    }
    PropertyPrefix prefix = PropertyPrefix.of(propertyPrefix);
    // Forming a real cluster (0.2).
    List<ClusterCommand> before = commands("beforeStart", beforeStart, true, base, portNames);
    List<ClusterCommand> after = commands("afterStart", afterStart, false, base, portNames);
    StopOrder order = checkedStopOrder();
    checkNetworkFaults();

    return new ClusterConfig(
        stop,
        nodes,
        program,
        commandArguments,
        environment,
        workDir,
        portNames,
        readiness,
        Duration.ofSeconds(stopTimeoutSeconds),
        stopInput == null || stopInput.isEmpty() ? null : stopInput,
        basePort,
        prefix,
        fileTemplates)
        .formation(before, after, order)
        .hosts(sshHosts, checkHosts(stop.clusterDirectory(), before))
        .networkFaults(networkFaults)
        .java(mainClass != null || beforeStart.stream().anyMatch(c -> c.mainClass != null) ? classpath : List.of(), mainClass != null);
  }

  /**
   * {@code <networkFaults>} only for nodes on this machine, and only where they can have network
   * namespaces (Linux, root, ip, nft, nsenter): checked before any node starts.
   */
  private void checkNetworkFaults() throws ConfigException {
    if (!networkFaults) {
      return;
    }
    if (!sshHosts.isEmpty()) {
      throw new ConfigException(
          "networkFaults",
          "is true, but the nodes run on <sshHosts>, where network faults need no opt-in (the hosts' user"
              + " must be root or have password-less sudo)",
          "remove <networkFaults>; it is for nodes on this machine");
    }
    if (nodes > io.github.clusterrun.cluster.platform.NodeNetworks.MAX_NODES) {
      throw new ConfigException(
          "networkFaults",
          "is true, but " + nodes + " nodes do not fit in the private /24 of their namespaces",
          "run at most " + io.github.clusterrun.cluster.platform.NodeNetworks.MAX_NODES
              + " nodes on this machine, or remove <networkFaults>");
    }
    java.util.Optional<String[]> missing = networkNamespacesMissing.get();
    if (missing.isPresent()) {
      throw new ConfigException("networkFaults", missing.get()[0], missing.get()[1]);
    }
  }

  /** The default root of the remote directories on every host. */
  static final String DEFAULT_REMOTE_DIRECTORY = "/tmp/cluster-maven-plugin";

  private static final Pattern SSH_HOST =
      Pattern.compile("(?:[^@\\s/]+@)?(?:\\[[0-9A-Fa-f:.]+\\]|[^@\\s:/\\[\\]]+)(?::(\\d{1,5}))?");

  /** The SSH settings of a cluster whose nodes run on {@code <sshHosts>}; null for a local one. */
  private SshSettings checkHosts(Path clusterDirectory, List<ClusterCommand> before) throws ConfigException {
    // A <mainClass> node or command on the hosts runs the java of each host on the project's
    // classpath, which the engine copies there (once, cached by content).
    if (sshHosts.isEmpty()) {
      return null;
    }
    for (String host : sshHosts) {
      java.util.regex.Matcher m = SSH_HOST.matcher(host);
      if (!m.matches() || (m.group(1) != null && (Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > 65535))) {
        throw new ConfigException(
            "sshHosts",
            "has '" + host + "', which is not a host",
            "give [user@]host[:port] (e.g. <sshHost>deploy@10.0.0.11:2222</sshHost>) or a Host of your SSH config");
      }
    }
    if (stopInput != null && !stopInput.isEmpty()) {
      throw new ConfigException(
          "stopInput",
          "is set, but the nodes run on <sshHosts>, where this version stops a node with SIGTERM only",
          "leave <stopInput> out (the nodes get SIGTERM, then SIGKILL after <stopTimeout>), or leave out <sshHosts>");
    }
    String root = remoteDirectory == null || remoteDirectory.isBlank() ? DEFAULT_REMOTE_DIRECTORY : remoteDirectory.trim();
    while (root.length() > 1 && root.endsWith("/")) {
      root = root.substring(0, root.length() - 1);
    }
    if (!root.startsWith("/") || root.equals("/") || root.contains("/../") || root.endsWith("/..") || root.contains("\n")) {
      throw new ConfigException(
          "remoteDirectory",
          "is '" + root + "'",
          "give an absolute directory of the hosts other than /, e.g. <remoteDirectory>/var/tmp/cluster</remoteDirectory>");
    }
    if (sshConfig != null && !Files.isRegularFile(sshConfig)) {
      throw new ConfigException(
          "sshConfig", "is " + sshConfig + ", which is not a file", "give the path of an ssh_config file, or leave it out to use yours");
    }
    return new SshSettings(root + "/" + checkoutKey(clusterDirectory), sshConfig, acceptNewHostKeys);
  }

  /**
   * A name for the cluster directory of this checkout on this machine, so that two checkouts (or
   * two build machines) sharing a host never share a remote directory: 16 hex digits of the SHA-256
   * of this machine's name and the cluster directory's absolute path.
   */
  static String checkoutKey(Path clusterDirectory) {
    String machine = System.getenv().getOrDefault("HOSTNAME", "");
    try {
      machine = Files.readString(Paths.get("/proc/sys/kernel/hostname")).trim(); // no name lookup
    } catch (java.io.IOException | RuntimeException e) {
      // Elsewhere: the variable, if set.
    }
    try {
      byte[] hash =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest((machine + "\n" + clusterDirectory.toAbsolutePath().normalize()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder("c-");
      for (int i = 0; i < 8; i++) {
        sb.append(String.format("%02x", hash[i]));
      }
      return sb.toString();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code java} program for a {@code mainClass} node; its JVM arguments go to {@code command}. */
  private Path javaProgram(Path base, List<String> portNames, List<String> command)
      throws ConfigException {
    if (executable != null && !executable.isBlank()) {
      throw new ConfigException(
          "mainClass",
          "and <executable> are both set",
          "keep one: <executable> for a program, <mainClass> for a Java class of this project");
    }
    if (!mainClass.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.$]*")) {
      throw new ConfigException(
          "mainClass", "is '" + mainClass + "', which is not a class name", "give a class name such as com.example.Server");
    }
    Path program = javaExecutable(base, !sshHosts.isEmpty());
    for (String arg : jvmArgs) {
      if (arg == null) {
        throw new ConfigException("jvmArgs", "has an empty <jvmArg>", "remove it or give it a value");
      }
      Placeholders.check("jvmArgs", arg, portNames);
      command.add(arg);
    }
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classpath));
    command.add(mainClass);
    return program;
  }

  private void checkReadiness(List<String> portNames) throws ConfigException {
    if (readiness.timeout().isNegative() || readiness.timeout().isZero()) {
      throw new ConfigException(
          "waitFor/timeout",
          "is " + readiness.timeout().getSeconds() + " seconds",
          "give the nodes at least 1 second to become ready, e.g. <timeout>60</timeout>");
    }
    Placeholders.check("waitFor/http", readiness.http(), portNames);
    Placeholders.check("waitFor/tcp", readiness.tcp(), portNames);
    Placeholders.check("waitFor/log", readiness.log(), portNames);
    // Try the probes with sample values: a URL that cannot parse or a regex that cannot compile is
    // a mistake whatever the ports turn out to be.
    Placeholders sample = sampleValues(portNames);
    if (readiness.http() != null) {
      String url = sample.resolve(readiness.http());
      try {
        URI uri = new URI(url);
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
            || uri.getHost() == null) {
          throw new URISyntaxException(url, "not an http(s) URL with a host");
        }
      } catch (URISyntaxException e) {
        throw new ConfigException(
            "waitFor/http",
            "is '" + readiness.http() + "', which is not an http URL (" + e.getReason() + ")",
            "give a URL such as http://127.0.0.1:@{node.port}/health");
      }
    }
    if (readiness.tcp() != null) {
      if (HostPort.parse(sample.resolve(readiness.tcp()), "127.0.0.1").isEmpty()) {
        throw new ConfigException(
            "waitFor/tcp",
            "is '" + readiness.tcp() + "', which is neither a port nor host:port",
            "give a port such as @{node.port.admin}, or 127.0.0.1:@{node.port}");
      }
    }
    if (readiness.log() != null) {
      try {
        Pattern.compile(sample.resolveInRegex(readiness.log()));
      } catch (PatternSyntaxException e) {
        throw badLogRegex(readiness.log(), e);
      }
    }
  }

  /**
   * The error for a {@code <waitFor><log>} that is not a regular expression: the pattern, where the
   * error is, and the fix, e.g. a brace written <code>\{</code> where it is meant literally.
   */
  private static ConfigException badLogRegex(String log, PatternSyntaxException e) {
    // The index is in the pattern as resolved; it is the user's own while no placeholder comes before.
    int at = e.getIndex();
    boolean own = at >= 0 && at <= log.length() && !log.substring(0, Math.min(at, log.length())).contains("@{");
    if (own && e.getDescription().startsWith("Illegal repetition")) {
      at = log.lastIndexOf('{', Math.min(at, log.length() - 1)); // the index is just after the '{'
    }
    own = own && at >= 0 && at < log.length();
    String where = own ? " at character " + (at + 1) + ":\n  " + log + "\n  " + " ".repeat(at) + "^ here" : "";
    char c = own ? log.charAt(at) : 0;
    String fix =
        "{[()*+?.|^$\\".indexOf(c) >= 0 && c != 0
            ? "escape '" + c + "' as '\\" + c + "' in <waitFor><log> where it is meant literally: <log>"
                + log.substring(0, at) + "\\" + log.substring(at) + "</log>"
                + (c == '{' ? " (a '{' starts a repetition such as a{2,3})" : "")
            : "give a Java regular expression that a line of the node's console log matches, escaping"
                + " with \\ each of { [ ( ) * + ? . | ^ $ meant literally, e.g. <log>Started in \\d+ ms \\{ok\\}</log>";
    return new ConfigException(
        "waitFor/log",
        "is '" + log + "', which is not a valid regular expression (" + e.getDescription() + ")" + where,
        fix);
  }

  private static Placeholders sampleValues(List<String> portNames) {
    return Placeholders.forNode(sampleMap(portNames));
  }

  private static Map<String, String> sampleMap(List<String> portNames) {
    Map<String, String> values = new HashMap<>();
    for (String name : Placeholders.knownNames(portNames)) {
      values.put(name, name.startsWith("node.port") || name.equals("node.index") ? "1" : "x");
    }
    values.put("cluster.hosts", "127.0.0.1:1");
    values.put(Placeholders.NODE_HOST, "127.0.0.1");
    values.put(Placeholders.NODE_NUMBER, "1");
    values.put(Placeholders.CLUSTER_SIZE, "1");
    for (String port : portNames) {
      values.put(Placeholders.CLUSTER_HOSTS_PREFIX + port, "127.0.0.1:1");
    }
    return values;
  }

  // ---- <files> (0.2) ----

  /** A node directory for checking {@code <path>}s: only where a path ends up relative to it counts. */
  private static final Path SAMPLE_NODE_DIR = Paths.get("/cluster/n_0").toAbsolutePath();

  private List<FileTemplate> checkFiles(Path base, List<String> portNames) throws ConfigException {
    Map<String, String> pathSample = sampleMap(portNames);
    pathSample.put("cluster.dir", SAMPLE_NODE_DIR.getParent().toString());
    pathSample.put("node.dir", SAMPLE_NODE_DIR.toString());
    pathSample.put("node.dataDir", SAMPLE_NODE_DIR.resolve("data").toString());
    pathSample.put("node.logDir", SAMPLE_NODE_DIR.resolve("logs").toString());
    pathSample.put("node.tmpDir", SAMPLE_NODE_DIR.resolve("tmp").toString());
    Placeholders sample = Placeholders.forNode(pathSample);
    List<FileTemplate> templates = new ArrayList<>();
    Set<String> paths = new HashSet<>();
    for (String[] file : files) {
      String path = file[0] == null ? null : file[0].trim();
      String source = file[1] == null || file[1].isBlank() ? null : file[1].trim();
      String content = file[2];
      boolean filtering = file[3] != null;
      if (path == null || path.isEmpty()) {
        throw new ConfigException(
            "files><file><path",
            "is missing" + (source != null ? " (source " + source + ")" : ""),
            "give where the file goes, relative to @{node.dir}, e.g. <path>data/myid</path>");
      }
      Placeholders.check("files><file><path", path, portNames);
      if (!insideNodeDir(sample.resolve(path))) {
        throw new ConfigException(
            "files><file><path",
            "is '" + path + "', which is not a file inside the node's directory @{node.dir}",
            "give a path relative to @{node.dir} that stays inside it: no '..' leading out, no"
                + " absolute path, e.g. <path>data/myid</path> or <path>conf/zoo.cfg</path>");
      }
      if (!paths.add(path)) {
        throw new ConfigException(
            "files><file><path", "is '" + path + "' twice", "give each <file> a path of its own");
      }
      if (source != null && content != null) {
        throw new ConfigException(
            "files><file>",
            "for '" + path + "' has both <source> and <content>",
            "keep one: <source> for a template file of the project, <content> for the text inline");
      }
      if (source == null && content == null) {
        throw new ConfigException(
            "files><file>",
            "for '" + path + "' has neither <source> nor <content>",
            "add <source> (a template file of the project, relative to ${project.basedir}) or"
                + " <content> (the text inline; <content>@{empty}</content> for an empty file)");
      }
      if (content != null && filtering) {
        throw new ConfigException(
            "files><file><filtering",
            "is true for '" + path + "', which has a <content>: Maven has already replaced its ${…}",
            "remove <filtering>: it filters the ${…} of a <source> template");
      }
      if (content != null) {
        content = FileTemplate.stripIndent(content);
        Placeholders.check(
            "files><file><content", content, portNames, "the <content> of '" + path + "'");
        templates.add(new FileTemplate(path, content, null));
      } else {
        Path template = readableSource(base, path, source);
        String text;
        try {
          text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(template))).toString();
        } catch (CharacterCodingException e) {
          throw new ConfigException(
              "files><file><source",
              "is '" + source + "', but " + template + " is not UTF-8 text",
              "give a UTF-8 text file as the template of '" + path + "'");
        } catch (IOException e) {
          throw new ConfigException(
              "files><file><source",
              "is '" + source + "', but " + template + " cannot be read: " + e.getMessage(),
              "make the template of '" + path + "' readable");
        }
        if (filtering) {
          text = FileTemplate.filter(text, filterProperties);
        }
        Placeholders.check("files><file><source", text, portNames, template.toString());
        templates.add(new FileTemplate(path, text, template));
      }
    }
    return templates;
  }

  private static boolean insideNodeDir(String path) {
    try {
      Path resolved = SAMPLE_NODE_DIR.resolve(path).normalize();
      return resolved.startsWith(SAMPLE_NODE_DIR) && !resolved.equals(SAMPLE_NODE_DIR);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private static Path readableSource(Path base, String path, String source) throws ConfigException {
    Path file;
    try {
      file = base.resolve(source).normalize();
    } catch (InvalidPathException e) {
      file = null;
    }
    if (file == null || !Files.isRegularFile(file)) {
      throw new ConfigException(
          "files><file><source",
          "is '" + source + "', but " + (file == null ? "that" : file.toString())
              + (file != null && Files.isDirectory(file) ? " is a directory" : " does not exist"),
          "give the template of '" + path + "' as a file of the project, relative to"
              + " ${project.basedir} (" + base + "), e.g. <source>src/test/cluster/" + fileName(path)
              + "</source>");
    }
    return file;
  }

  private static String fileName(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
