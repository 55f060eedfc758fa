package io.github.clusterrun.cluster.stop;

import io.github.clusterrun.cluster.ClusterException;
import io.github.clusterrun.cluster.engine.AtOnce;
import io.github.clusterrun.cluster.engine.Engines;
import io.github.clusterrun.cluster.family.FamilyStopper;
import io.github.clusterrun.cluster.family.NodeStop;
import io.github.clusterrun.cluster.family.StopReport;
import io.github.clusterrun.cluster.model.Cluster;
import io.github.clusterrun.cluster.model.Node;
import io.github.clusterrun.cluster.model.Place;
import io.github.clusterrun.cluster.model.StopOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The stop of a cluster wherever its nodes run. A cluster on the build machine alone is stopped as
 * one ({@link io.github.clusterrun.cluster.engine.LocalEngine}). With nodes on other hosts, {@code
 * stopOrder} holds across hosts: {@code parallel} stops every host at once, {@code sequential} and
 * {@code reverse} one node after the other wherever it runs; then what the {@code afterStart}
 * commands left on the build machine.
 */
final class EveryPlace {
  private EveryPlace() {}

  static StopReport stop(Cluster cluster, Engines engines, FamilyStopper.StepListener listener) {
    FamilyStopper.StepListener each = listener == null ? null : new OneAtATime(listener);
    if (!engines.anyRemote()) {
      return stopAt(engines, cluster.at(Place.LOCAL), each);
    }
    List<StopReport> reports = new ArrayList<>();
    List<Place> remote = new ArrayList<>();
    for (Place place : cluster.places()) {
      if (!place.isLocal()) {
        remote.add(place);
      }
    }
    if (cluster.stopOrder() == StopOrder.PARALLEL) {
      java.util.Map<Place, Cluster> views = new java.util.LinkedHashMap<>();
      remote.forEach(place -> views.put(place, cluster.at(place))); // the caller holds the cluster's lock
      reports.addAll(AtOnce.run(remote, place -> stopAt(engines, views.get(place), each)).results().values());
    } else {
      List<Node> nodes = new ArrayList<>();
      for (Node node : cluster.nodes()) {
        if (!node.place().isLocal()) {
          nodes.add(node);
        }
      }
      if (cluster.stopOrder() == StopOrder.REVERSE) {
        Collections.reverse(nodes);
      }
      for (Node node : nodes) {
        reports.add(stopAt(engines, cluster.only(node.name()), each));
      }
    }
    reports.add(stopAt(engines, cluster.at(Place.LOCAL), each)); // local nodes, afterStart's leftovers
    return StopReport.merge(reports);
  }

  private static StopReport stopAt(Engines engines, Cluster here, FamilyStopper.StepListener listener) {
    Place place = here.nodes().isEmpty() ? Place.LOCAL : here.nodes().get(0).place();
    try {
      return engines.of(place).stop(here, listener);
    } catch (ClusterException e) {
      List<String> unconfirmed = new ArrayList<>();
      for (Node node : here.nodes()) {
        unconfirmed.add(node.name() + " on " + place.describe() + " (not confirmed: " + e.getMessage() + ")");
      }
      return StopReport.of(List.of(), unconfirmed);
    }
  }

  /** Tells a listener of steps one at a time, as hosts stopping in parallel finish. */
  private static final class OneAtATime implements FamilyStopper.StepListener {
    private final FamilyStopper.StepListener listener;

    OneAtATime(FamilyStopper.StepListener listener) {
      this.listener = listener;
    }

    @Override
    public synchronized void stepDone(List<NodeStop> step) {
      listener.stepDone(step);
    }
  }
}
