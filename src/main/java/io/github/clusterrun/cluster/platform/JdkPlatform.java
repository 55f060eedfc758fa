package io.github.clusterrun.cluster.platform;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * Wherever {@code /proc} is missing (macOS, Windows): the JDK's {@link ProcessHandle} only. Families
 * are found by descent, environments cannot be read, there is no watchdog and no port holder.
 */
final class JdkPlatform implements Platform {
  @Override
  public String describe() {
    return System.getProperty("os.name") + " (the JDK's process API)";
  }

  @Override
  public boolean readsEnvironments() {
    return false;
  }

  @Override
  public ProcessSnapshot scan(String variable, String valuePrefix) {
    return new ProcessSnapshot(new ArrayList<>(), new HashMap<>(), new HashMap<>(), new java.util.HashSet<>(), new java.util.HashSet<>(), false);
  }

  @Override
  public Optional<String> environmentValue(long pid, String variable) {
    return Optional.empty();
  }

  @Override
  public boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Override
  public String describe(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("");
  }

  @Override
  public boolean signal(Signal signal, Collection<Long> pids, Collection<Long> groups) {
    return false;
  }

  @Override
  public Optional<Containment> containment() {
    return Optional.empty();
  }

  @Override
  public Optional<PortHolder.Holder> portHolder(int port) {
    return Optional.empty();
  }

  @Override
  public List<String> detached(List<String> command) {
    return List.copyOf(command);
  }

  @Override
  public Optional<List<String>> watchdog(
      String variable, String valuePrefix, long graceSeconds, Path clusterGroup, NodeNetworks networks) {
    return Optional.empty();
  }
}
