package io.github.clusterrun.cluster.stop;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.ClusterLog;
import io.github.clusterrun.cluster.engine.AtOnce;
import io.github.clusterrun.cluster.engine.Engines;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.Place;
import io.github.clusterrun.cluster.platform.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

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
      Map<Place, Cluster> views = new LinkedHashMap<>();
      remote.forEach(place -> views.put(place, cluster.at(place))); // a caller may hold the cluster's lock
      AtOnce.Outcome<Place, String> done =
          AtOnce.run(remote, place -> delete
              ? engines.of(place).deleteNodeDirectories(views.get(place))
              : engines.of(place).bringBackLogs(views.get(place)));
      done.throwFirst();
      List<String> where = new ArrayList<>(done.results().values());
      return String.join(", ", where);
    } finally {
      Engines.release(cluster);
    }
  }
}
