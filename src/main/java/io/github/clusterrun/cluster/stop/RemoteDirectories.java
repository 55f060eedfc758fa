package io.github.clusterrun.cluster.stop;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.engine.Engines;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.Place;
import io.github.clusterrun.cluster.platform.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The stop decision carried out on the hosts of a cluster's remote nodes, all hosts at once. */
final class RemoteDirectories {
  private RemoteDirectories() {}

  static String finish(Cluster cluster, boolean delete, Platform platform, ClusterLog log) throws ClusterException {
    List<Place> remote = new ArrayList<>();
    for (Place place : cluster.places()) {
      if (!place.isLocal()) {
        remote.add(place);
      }
    }
    if (remote.isEmpty()) {
      Engines.release(cluster);
      return "";
    }
    try {
      Engines engines = Engines.of(cluster, platform, log);
      List<CompletableFuture<String>> each = new ArrayList<>();
      for (Place place : remote) {
        Cluster here = cluster.at(place); // taken here: a caller may hold the cluster's lock
        each.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return delete
                        ? engines.of(place).deleteNodeDirectories(here)
                        : engines.of(place).bringBackLogs(here);
                  } catch (ClusterException e) {
                    throw new CompletionException(e);
                  }
                }));
      }
      List<String> where = new ArrayList<>();
      for (CompletableFuture<String> one : each) {
        try {
          where.add(one.join());
        } catch (CompletionException e) {
          throw e.getCause() instanceof ClusterException
              ? (ClusterException) e.getCause()
              : new ClusterException(String.valueOf(e.getCause()), e.getCause());
        }
      }
      return String.join(", ", where);
    } finally {
      Engines.release(cluster);
    }
  }
}
