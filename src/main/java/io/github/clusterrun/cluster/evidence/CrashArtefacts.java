package io.github.clusterrun.cluster.evidence;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds what a crashed node leaves behind (a core dump, a JVM's {@code hs_err_pid*.log}, a heap
 * dump) by file name anywhere under the cluster directory, without following links out of it.
 */
public final class CrashArtefacts {
  private CrashArtefacts() {}

  /** The first file whose name matches one of the glob patterns, relative to {@code root}. */
  public static Optional<String> find(Path root, List<String> patterns) {
    if (patterns.isEmpty() || !Files.isDirectory(root)) {
      return Optional.empty();
    }
    List<PathMatcher> matchers = new ArrayList<>();
    for (String pattern : patterns) {
      matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
    }
    String[] found = new String[1];
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile()) {
                for (PathMatcher matcher : matchers) {
                  if (matcher.matches(file.getFileName())) {
                    found[0] = root.relativize(file).toString();
                    return FileVisitResult.TERMINATE;
                  }
                }
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(found[0]);
  }
}
