package bench;

import java.lang.reflect.Method;

/**
 * Run in a fresh JVM on the plugin jar: times the plugin's exit-hook warm-up
 * ({@code LiveClusters.warmUp}: loading every core class and one stop of nothing), which the first
 * {@code start} of a build pays. Prints the milliseconds.
 */
public final class ColdWarmUp {
  private ColdWarmUp() {}

  public static void main(String[] args) throws Exception {
    Class<?> c = Class.forName("io.github.clusterrun.cluster.state.LiveClusters");
    Method warmUp = c.getDeclaredMethod("warmUp");
    warmUp.setAccessible(true);
    long t0 = System.nanoTime();
    warmUp.invoke(null);
    System.out.println((System.nanoTime() - t0) / 1_000_000.0);
  }
}
