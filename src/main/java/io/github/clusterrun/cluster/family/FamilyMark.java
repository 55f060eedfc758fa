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

  /** The prefix shared by the marks of every node of a cluster. */
  public static String clusterPrefix(String clusterId) {
    return clusterId + "/";
  }
}
