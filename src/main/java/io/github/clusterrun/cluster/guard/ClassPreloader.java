package io.github.clusterrun.cluster.guard;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.Enumeration;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Loads every class of the plugin's core while its class loader is open. Maven closes a plugin's
 * class loader when the build ends, before the JVM runs its exit hooks; the exit hook that stops
 * the nodes would otherwise fail with {@link NoClassDefFoundError} on the first class it had not
 * needed yet.
 */
final class ClassPreloader {
  private static final String CORE_PACKAGE = "io/github/clusterrun/cluster/";
  private static volatile boolean done;

  private ClassPreloader() {}

  static void preloadCore() {
    if (done) {
      return;
    }
    CodeSource source = ClassPreloader.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      return;
    }
    try {
      Path location = Paths.get(source.getLocation().toURI());
      if (Files.isDirectory(location)) {
        try (Stream<Path> files = Files.walk(location.resolve(CORE_PACKAGE))) {
          files
              .map(f -> location.relativize(f).toString().replace('\\', '/'))
              .forEach(ClassPreloader::load);
        }
      } else {
        try (ZipFile jar = new ZipFile(location.toFile())) {
          Enumeration<? extends ZipEntry> entries = jar.entries();
          while (entries.hasMoreElements()) {
            load(entries.nextElement().getName());
          }
        }
      }
      done = true;
    } catch (IOException | URISyntaxException | RuntimeException e) {
      // Best effort: a class it could not load is loaded when first needed, while the loader is open.
    }
  }

  private static void load(String entry) {
    if (!entry.startsWith(CORE_PACKAGE) || !entry.endsWith(".class") || entry.contains("/mojo/")) {
      return;
    }
    String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
    try {
      Class.forName(name, false, ClassPreloader.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      // Not needed by the exit hook, or not loadable here: skip it.
    }
  }
}
