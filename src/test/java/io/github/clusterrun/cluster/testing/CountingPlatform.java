package io.github.clusterrun.cluster.testing;

import io.github.clusterrun.cluster.platform.Containment;
import io.github.clusterrun.cluster.platform.EphemeralRange;
import io.github.clusterrun.cluster.platform.Platform;
import io.github.clusterrun.cluster.platform.PortHolder;
import io.github.clusterrun.cluster.platform.ProcessSnapshot;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

/** The real platform, counting the scans of the process table made through it. */
public final class CountingPlatform implements Platform {
  private final Platform real = Platform.current();
  public final AtomicInteger scans = new AtomicInteger();

  @Override
  public ProcessSnapshot scan(String variable, String valuePrefix) {
    scans.incrementAndGet();
    return real.scan(variable, valuePrefix);
  }

  @Override
  public String describe() {
    return real.describe();
  }

  @Override
  public boolean readsEnvironments() {
    return real.readsEnvironments();
  }

  @Override
  public Optional<String> environmentValue(long pid, String variable) {
    return real.environmentValue(pid, variable);
  }

  @Override
  public boolean isAlive(long pid) {
    return real.isAlive(pid);
  }

  @Override
  public OptionalInt exitCodeOfZombie(long pid) {
    return real.exitCodeOfZombie(pid);
  }

  @Override
  public Optional<Instant> startInstant(long pid) {
    return real.startInstant(pid);
  }

  @Override
  public String describe(long pid) {
    return real.describe(pid);
  }

  @Override
  public void terminate(long pid) {
    real.terminate(pid);
  }

  @Override
  public void kill(long pid) {
    real.kill(pid);
  }

  @Override
  public boolean signal(Signal signal, Collection<Long> pids, Collection<Long> groups) {
    return real.signal(signal, pids, groups);
  }

  @Override
  public Optional<Containment> containment() {
    return real.containment();
  }

  @Override
  public Optional<PortHolder.Holder> portHolder(int port) {
    return real.portHolder(port);
  }

  @Override
  public Optional<EphemeralRange> ephemeralRange() {
    return real.ephemeralRange();
  }

  @Override
  public List<String> detached(List<String> command) {
    return real.detached(command);
  }

  @Override
  public Optional<List<String>> watchdog(
      String variable, String valuePrefix, long graceSeconds, Path clusterGroup,
      io.github.clusterrun.cluster.platform.NodeNetworks networks) {
    return real.watchdog(variable, valuePrefix, graceSeconds, clusterGroup, networks);
  }
}
