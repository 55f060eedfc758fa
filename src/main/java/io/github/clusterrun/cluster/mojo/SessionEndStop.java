package io.github.clusterrun.cluster.mojo;

import io.github.clusterrun.cluster.guard.ExitGuard;
import javax.inject.Named;
import javax.inject.Singleton;
import org.apache.maven.AbstractMavenLifecycleParticipant;
import org.apache.maven.execution.MavenSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops, at the end of the build, every cluster whose {@code stop} goal never ran because the build
 * failed between {@code pre-integration-test} and {@code post-integration-test}. Without it the JVM
 * exit hook does the same, but in a JVM that outlives the build (mvnd, embedded Maven) that would be
 * too late. Active when the plugin is declared with {@code <extensions>true</extensions>}.
 */
@Named("cluster-maven-plugin")
@Singleton
public class SessionEndStop extends AbstractMavenLifecycleParticipant {
  private static final Logger LOG = LoggerFactory.getLogger(SessionEndStop.class);

  @Override
  public void afterSessionEnd(MavenSession session) {
    for (String line : ExitGuard.jvm().stopAll("at the end of the build")) {
      LOG.warn(line);
    }
  }
}
