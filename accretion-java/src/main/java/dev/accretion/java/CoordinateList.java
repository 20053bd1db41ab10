package dev.accretion.java;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;

/**
 * A plain text listing of Maven coordinates, {@code
 * group:artifact[:extension[:classifier]]:version} one per line (the syntax Maven Resolver's {@code
 * DefaultArtifact} reads), {@code #} starting a comment. Each line is a compile-scope dependency;
 * versions may be ranges ({@code [1.2,2.0)}).
 *
 * @param artifacts the coordinates in listing order
 */
record CoordinateList(List<Artifact> artifacts) {

  private static final Pattern COORDINATE =
      Pattern.compile("([^: ]+):([^: ]+)(:([^: ]*)(:([^: ]+))?)?:([^: ]+)");

  CoordinateList {
    artifacts = List.copyOf(artifacts);
  }

  /**
   * Parses a listing.
   *
   * @throws AccretionException {@link FailureKind#BAD_INPUT} naming the file, line and text of the
   *     first line that is not a coordinate, or for a listing with none
   */
  static CoordinateList parse(Path file, byte[] bytes) throws AccretionException {
    List<Artifact> artifacts = new ArrayList<>();
    String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r?\n|\r", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = strip(lines[i]);
      if (line.isEmpty()) {
        continue;
      }
      Optional<Artifact> a = coordinate(line);
      if (a.isEmpty()) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            file + ":" + (i + 1) + ": '" + line + "' is not a Maven coordinate",
            "write group:artifact[:extension[:classifier]]:version, e.g."
                + " com.google.guava:guava:33.4.0-jre",
            null);
      }
      artifacts.add(a.get());
    }
    if (artifacts.isEmpty()) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          file + " lists no Maven coordinates",
          "write one group:artifact[:extension[:classifier]]:version per line",
          null);
    }
    return new CoordinateList(artifacts);
  }

  /** Whether every non-comment line of {@code text} is a coordinate (and there is at least one). */
  static boolean looksLikeCoordinates(String text) {
    boolean any = false;
    for (String raw : text.split("\r?\n|\r")) {
      String line = strip(raw);
      if (line.isEmpty()) {
        continue;
      }
      if (coordinate(line).isEmpty()) {
        return false;
      }
      any = true;
    }
    return any;
  }

  private static String strip(String line) {
    int hash = line.indexOf('#');
    return (hash >= 0 ? line.substring(0, hash) : line).strip();
  }

  private static Optional<Artifact> coordinate(String line) {
    Matcher m = COORDINATE.matcher(line);
    if (!m.matches()) {
      return Optional.empty();
    }
    String extension = m.group(4) == null || m.group(4).isEmpty() ? "jar" : m.group(4);
    String classifier = m.group(6) == null ? "" : m.group(6);
    return Optional.of(
        new DefaultArtifact(m.group(1), m.group(2), classifier, extension, m.group(7)));
  }
}
