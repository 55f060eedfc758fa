package io.github.clusterrun.cluster.family;

/**
 * The mark every process of a node family carries: an environment variable set on the node at
 * launch, which every child, grandchild and detached daemon inherits (the technique of Jenkins'
 * ProcessTreeKiller). Its value is {@code <clusterId>/<nodeName>}, so one scan finds a node's family
 * or, by the cluster prefix, every family of a cluster.
 */
public final class FamilyMark {
  /** The environment variable that carries the mark. */
  public static final String VARIABLE = "CLUSTER_MAVEN_PLUGIN_MARK";

  private FamilyMark() {}

  /** The mark of one node. */
  public static String of(String clusterId, String nodeName) {
    return clusterId + "/" + nodeName;
  }

  /**
   * The name in the mark of the cluster's own family: the processes of the {@code afterStart}
   * commands, which run once for the whole cluster, and whatever they leave behind. No node is
   * named so (nodes are {@code n_0}, {@code n_1}, …).
   */
  public static final String CLUSTER_FAMILY = "cluster";

  /** The mark of the cluster's own family ({@code <clusterId>/cluster}). */
  public static String ofCluster(String clusterId) {
    return of(clusterId, CLUSTER_FAMILY);
  }

  /** The prefix shared by the marks of every node of a cluster. */
  public static String clusterPrefix(String clusterId) {
    return clusterId + "/";
  }
}
