package io.github.clusterrun.cluster.engine;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.family.FamilyStopper;
import io.github.clusterrun.cluster.family.StopReport;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.Place;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where nodes run, and how they are launched, signalled and confirmed gone: the one seam between
 * what a cluster is and where its processes live. {@link LocalEngine} runs nodes on the build
 * machine (families found by their mark in {@code /proc}, contained in cgroups where it can);
 * {@link io.github.clusterrun.cluster.engine.ssh.SshEngine} runs them on a host over one SSH
 * connection, whose session is that host's lifeline. Each method takes a {@link Cluster#at view}
 * of the nodes at this engine's place, so the code above it (start, stop, the tests' actions) is
 * the same wherever a node runs.
 *
 * <p>A Kubernetes engine would be one more implementation: a pod per node (its labels the mark),
 * {@link #launch} creating the pod and following its log, {@link #stop} deleting the pods with a
 * grace period and watching until none carries the label (the confirmed kill), and a lease renewed
 * by the build as the lifeline, which a controller in the cluster honours by deleting the pods.
 */
public interface Engine extends AutoCloseable {
  /** Where this engine runs nodes. */
  Place place();

  /**
   * Makes node directories there from their staged copies on the build machine ({@code
   * <staged>/n_<i>}, which hold the node's {@code <files>}); nothing to do for the build machine
   * itself, where the staged directories are the nodes'.
   */
  void prepare(List<Node> nodes, Path staged) throws IOException;

  /**
   * The project's classpath ({@code local}, as the build machine's {@code java} takes it) as the
   * {@code java} of this place takes it: itself here, its copy in a host's cache there.
   */
  default String classpath(String local) {
    return local;
  }

  /**
   * Starts a command of {@code node} where the node runs (a {@code beforeStart} command): with the
   * node's mark and {@code environment}, in its working directory, stdin an empty pipe, its output
   * appended to {@code log} on the build machine; the process returned ends when the command does,
   * with its exit code.
   */
  Process start(Node node, List<String> command, Map<String, String> environment, Path log)
      throws IOException;

  /**
   * Launches {@code node} as recorded, its output appended to its console log; returns once it is
   * launched, with the process whose exit is the node's exit.
   */
  Launched launch(Node node, Path consoleLog) throws IOException;

  /** The names of the nodes of {@code here} whose root process runs (and is still the node's). */
  java.util.Set<String> running(Cluster here) throws ClusterException;

  /** Stops every family of {@code here}, graceful then forced, and confirms it. */
  StopReport stop(Cluster here, FamilyStopper.StepListener listener) throws ClusterException;

  /** Kills every family of {@code here} at once, confirmed. */
  StopReport kill(Cluster here) throws ClusterException;

  /** Stops every process of {@code here}'s families where it is (SIGSTOP); returns how many. */
  int pause(Cluster here) throws ClusterException;

  /** Lets the families of {@code here} run again (SIGCONT); returns how many processes. */
  int resume(Cluster here) throws ClusterException;

  /**
   * After a confirmed stop: removes the node directories where they are kept apart from the build
   * machine's cluster directory (which {@code stop} deletes itself); says what it did in one phrase.
   */
  String deleteNodeDirectories(Cluster here) throws ClusterException;

  /**
   * After a confirmed stop whose directories are kept: copies every node's logs back under the
   * build machine's cluster directory, where the user looks; says where they stay in one phrase.
   */
  String bringBackLogs(Cluster here) throws ClusterException;

  /**
   * Why network faults cannot be put in force for the nodes of {@code here} ({@code delay}: a
   * delay among them), in one phrase naming what is missing (root or password-less sudo, nft,
   * netem, {@code <networkFaults>}); empty when they can. Asked of every place before any rule is
   * applied anywhere, so that a refused fault is applied nowhere. Changes nothing.
   */
  java.util.Optional<String> networkRefusal(Cluster here, boolean delay) throws ClusterException;

  /**
   * Puts exactly {@code rules} in force for the nodes of {@code here} (by node name; a node absent
   * or with no rule has none), replacing what this cluster had in force there; an empty map heals.
   * Returns once the rules are in force. Touches nothing but the cluster's own rules (its nftables
   * table, or its nodes' network namespaces); healing where nothing was applied does nothing.
   */
  void network(Cluster here, Map<String, List<io.github.clusterrun.cluster.model.NetRule>> rules)
      throws ClusterException;

  /** Ends the engine's connection, once nothing of the cluster runs there any more. */
  @Override
  void close();

  /** A launched node: the process whose exit is the node's, and the node's pid where it runs. */
  final class Launched {
    private final Process process;
    private final long pid;

    public Launched(Process process, long pid) {
      this.process = process;
      this.pid = pid;
    }

    public Process process() {
      return process;
    }

    public long pid() {
      return pid;
    }
  }

}
