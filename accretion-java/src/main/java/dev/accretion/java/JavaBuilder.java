package dev.accretion.java;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.Language;
import dev.accretion.pipeline.spi.BuildInput;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.Builder;
import dev.accretion.pipeline.spi.ListingFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The Java builder ({@code java}): a {@code pom.xml} (its compile and runtime scope dependencies),
 * a plain list of Maven coordinates, or an Accretion Java lock, resolved in-process with Maven
 * Resolver into {@code java/lib/<artifactId>-<version>[-<classifier>].jar}. Stateless and
 * thread-safe.
 *
 * <p>Options (the same keys from the command line, {@code accretion.toml} and the service):
 *
 * <ul>
 *   <li>{@code settings}: the user settings file (mvn's {@code -s}); default {@code
 *       ~/.m2/settings.xml} when it exists
 *   <li>{@code global-settings}: a global settings file (mvn's {@code -gs}); default none
 *   <li>{@code offline}: {@code true} to use only the local repository (also settings' {@code
 *       <offline>})
 *   <li>{@code repository}: extra repositories, {@code id::url} (repeatable), searched before
 *       Central; the id is what settings' mirrors and servers match
 * </ul>
 */
public final class JavaBuilder implements Builder {

  /** The builder id. */
  public static final String ID = "java";

  static final ListingFormat POM =
      new ListingFormat(
          "pom",
          "Maven pom.xml (its compile and runtime scope dependencies)",
          List.of("pom.xml", "*.pom", "*.pom.xml", "*-pom.xml"),
          false);
  static final ListingFormat COORDINATES =
      new ListingFormat(
          "maven-coordinates",
          "plain text list of Maven coordinates, group:artifact[:extension[:classifier]]:version"
              + " per line, # comments",
          List.of("*.coordinates", "coordinates*.txt", "maven*.txt"),
          false);
  static final ListingFormat LOCK =
      new ListingFormat(
          "java-lock",
          "Accretion Java lock (written by accretion lock/build), used as it is",
          List.of("*.java-lock.json", "java-lock.json"),
          true);

  static final Set<String> OPTIONS = Set.of("settings", "global-settings", "offline", "repository");

  /** For {@link java.util.ServiceLoader}. */
  public JavaBuilder() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String packageFileNoun() {
    return "jar";
  }

  @Override
  public Set<Language> languages() {
    return Set.of(Language.JAVA);
  }

  @Override
  public List<ListingFormat> formats() {
    return List.of(POM, COORDINATES, LOCK);
  }

  @Override
  public Optional<ListingFormat> detect(Path listing) {
    Path name = listing.getFileName();
    if (name == null) {
      return Optional.empty();
    }
    for (ListingFormat f : formats()) {
      for (String glob : f.fileNames()) {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        if (m.matches(name)) {
          return Optional.of(f);
        }
      }
    }
    // another .txt: a coordinate list if every line is a coordinate (pip requirements never are)
    String lower = name.toString().toLowerCase(Locale.ROOT);
    if (lower.endsWith(".txt")
        && !lower.startsWith("requirements")
        && !lower.startsWith("constraints")) {
      try (InputStream in = Files.newInputStream(listing)) {
        byte[] head = in.readNBytes(64 * 1024);
        if (CoordinateList.looksLikeCoordinates(new String(head, StandardCharsets.UTF_8))) {
          return Optional.of(COORDINATES);
        }
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  @Override
  public BuildSession open(BuildInput input) throws AccretionException {
    input.options().checkKeys(ID, OPTIONS);
    ListingFormat format;
    if (input.format() != null) {
      format =
          formats().stream()
              .filter(f -> f.id().equals(input.format()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AccretionException(
                          FailureKind.USAGE,
                          "the java builder does not read the format '" + input.format() + "'",
                          "it reads pom, maven-coordinates and java-lock",
                          null));
    } else {
      format =
          detect(input.listing())
              .orElseThrow(
                  () ->
                      new AccretionException(
                          FailureKind.USAGE,
                          "the java builder does not know the listing "
                              + input.listing().getFileName(),
                          "name it pom.xml, *.coordinates, maven*.txt or *.java-lock.json, or give"
                              + " the format (pom, maven-coordinates, java-lock)",
                          null));
    }
    return JavaSession.open(input, format);
  }

  @Override
  public Optional<Set<String>> optionKeys() {
    return Optional.of(OPTIONS);
  }
}
