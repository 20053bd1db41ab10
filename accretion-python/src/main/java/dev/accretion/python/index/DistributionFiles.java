package dev.accretion.python.index;

import dev.accretion.python.PackageName;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * File-name rules the index client needs without a full wheel/sdist name parser: which files are
 * distributions, and which project a file in a find-links location belongs to (pip's rule: a
 * wheel's first dash-separated part; for an sdist, any prefix before a {@code -} that normalizes to
 * the project name).
 */
final class DistributionFiles {
  private static final List<String> SDIST_SUFFIXES =
      List.of(
          ".tar.gz",
          ".tgz",
          ".tar.bz2",
          ".tbz",
          ".tar.xz",
          ".txz",
          ".tar.lz",
          ".tlz",
          ".tar.lzma",
          ".tar",
          ".zip");

  private DistributionFiles() {}

  static boolean isDistribution(String filename) {
    return isWheel(filename) || sdistStem(filename) != null;
  }

  static boolean isWheel(String filename) {
    return filename.toLowerCase(Locale.ROOT).endsWith(".whl");
  }

  /** Whether the wheel or sdist named {@code filename} is a file of {@code project}. */
  static boolean belongsTo(String filename, PackageName project) {
    if (isWheel(filename)) {
      int dash = filename.indexOf('-');
      return dash > 0
          && PackageName.normalize(filename.substring(0, dash)).equals(project.normalized());
    }
    String stem = sdistStem(filename);
    if (stem == null) {
      return false;
    }
    for (int dash = stem.indexOf('-'); dash > 0; dash = stem.indexOf('-', dash + 1)) {
      if (dash < stem.length() - 1
          && PackageName.normalize(stem.substring(0, dash)).equals(project.normalized())) {
        return true;
      }
    }
    return false;
  }

  private static String sdistStem(String filename) {
    String lower = filename.toLowerCase(Locale.ROOT);
    for (String suffix : SDIST_SUFFIXES) {
      if (lower.endsWith(suffix) && lower.length() > suffix.length()) {
        return filename.substring(0, filename.length() - suffix.length());
      }
    }
    return null;
  }

  /**
   * The distribution files directly inside a folder, sorted by name, each with its size.
   *
   * @param index what to record as each file's index
   */
  static List<IndexFile> listFolder(Path folder, URI index) throws IOException {
    List<IndexFile> files = new ArrayList<>();
    try (Stream<Path> entries = Files.list(folder)) {
      for (Path path : entries.sorted().toList()) {
        String name = path.getFileName().toString();
        if (!Files.isRegularFile(path) || !isDistribution(name)) {
          continue;
        }
        files.add(
            new IndexFile(
                name,
                path.toAbsolutePath().normalize().toUri(),
                Map.of(),
                Optional.empty(),
                false,
                Optional.empty(),
                false,
                Map.of(),
                OptionalLong.of(Files.size(path)),
                index));
      }
    }
    return files;
  }
}
