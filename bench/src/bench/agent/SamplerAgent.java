package bench.agent;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Java agent for the Maven JVM under test ({@code MAVEN_OPTS=-javaagent:sampler.jar=<file>}): every
 * 10 ms it samples the live thread count, the heap in use and the process CPU time, and at exit it
 * writes them to the file, one sample a line ({@code t=<epoch ms> threads=.. heap=.. cpu=<ns>}), with
 * the names of the threads at the highest count (digits removed, counted) on the last line.
 */
public final class SamplerAgent {
  private static final int MAX = 200_000;

  private SamplerAgent() {}

  public static void premain(String file) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    com.sun.management.OperatingSystemMXBean sunOs =
        os instanceof com.sun.management.OperatingSystemMXBean
            ? (com.sun.management.OperatingSystemMXBean) os
            : null;
    long[] time = new long[MAX];
    int[] count = new int[MAX];
    long[] heap = new long[MAX];
    long[] cpu = new long[MAX];
    int[] n = {0};
    int[] peak = {0};
    String[] peakNames = {""};
    Thread sampler =
        new Thread(
            () -> {
              while (true) {
                synchronized (n) {
                  int i = n[0];
                  if (i < MAX) {
                    time[i] = System.currentTimeMillis();
                    count[i] = threads.getThreadCount();
                    heap[i] = memory.getHeapMemoryUsage().getUsed();
                    cpu[i] = sunOs == null ? -1 : sunOs.getProcessCpuTime();
                    n[0] = i + 1;
                    if (count[i] > peak[0]) {
                      peak[0] = count[i];
                      peakNames[0] = names(threads);
                    }
                  }
                }
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "bench-sampler");
    sampler.setDaemon(true);
    sampler.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  synchronized (n) {
                    try (PrintWriter out =
                        new PrintWriter(Files.newBufferedWriter(Paths.get(file), StandardCharsets.UTF_8))) {
                      for (int i = 0; i < n[0]; i++) {
                        out.println("t=" + time[i] + " threads=" + count[i] + " heap=" + heap[i] + " cpu=" + cpu[i]);
                      }
                      out.println("peakNames=" + peakNames[0]);
                    } catch (IOException e) {
                      e.printStackTrace();
                    }
                  }
                },
                "bench-sampler-writer"));
  }

  private static String names(ThreadMXBean threads) {
    Map<String, Integer> byName = new TreeMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
      if (info != null) {
        String name = info.getThreadName().replaceAll("[0-9]+", "#");
        byName.merge(name, 1, Integer::sum);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Integer> e : byName.entrySet()) {
      sb.append(sb.length() == 0 ? "" : ";").append(e.getKey().replace(';', ',')).append(':').append(e.getValue());
    }
    return sb.toString();
  }
}
