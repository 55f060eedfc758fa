package io.github.clusterrun.cluster;

/** Where the core reports progress; the mojos adapt Maven's log to it, tests collect the lines. */
public interface ClusterLog {
  void info(String message);

  void warn(String message);

  void debug(String message);

  /** A log that prints nothing, for places with no one to tell (the JVM exit hook's second call). */
  ClusterLog SILENT =
      new ClusterLog() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}

        @Override
        public void debug(String message) {}
      };
}
