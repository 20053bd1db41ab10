package dev.accretion.python.tags;

import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed wheel filename (PEP 427, with the tags of PEP 425 and PEP 600): {@code
 * name-version[-build]-python-abi-platform.whl}. Immutable.
 *
 * @param name the distribution name, normalized for comparison; its display form is the name as the
 *     filename writes it (e.g. {@code Flask_Login})
 * @param version the version as written; it is a valid PEP 440 version, which the caller parses
 * @param buildTag the build tag, or null when the filename has none (see {@link #build()})
 * @param tags the expanded tag set ({@code py2.py3-none-any} gives two tags), lower-case, never
 *     empty
 * @param filename the whole filename as given
 */
public record WheelFilename(
    PackageName name, String version, BuildTag buildTag, Set<Tag> tags, String filename) {

  public WheelFilename {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(filename, "filename");
    if (tags.isEmpty()) {
      throw new IllegalArgumentException("a wheel has at least one tag: " + filename);
    }
    tags = Collections.unmodifiableSet(new LinkedHashSet<>(tags));
  }

  /** Whether the filename ends with {@code .whl} (case-sensitive, as pip and packaging check). */
  public static boolean isWheel(String filename) {
    return filename != null && filename.endsWith(".whl");
  }

  /** The build tag, if the filename has one. */
  public Optional<BuildTag> build() {
    return Optional.ofNullable(buildTag);
  }

  /**
   * Parses a wheel filename. It accepts and rejects what {@code
   * packaging.utils.parse_wheel_filename} (packaging 26.2) does: the {@code .whl} suffix; five or
   * six {@code -}-separated parts; a name of letters, digits, {@code _} and {@code .} without
   * {@code __}; a valid PEP 440 version; a build tag that starts with a digit; tags as {@link
   * Tag#parseTagSet}. The filename must already be decoded (no {@code %2B} from a URL).
   *
   * <p>Deliberately stricter than {@code packaging} in three cases that no real wheel has: an empty
   * name, an empty tag part ({@code py3--any}), and any control or line-break character.
   *
   * @throws ParseException quoting the filename and the position of the bad part
   */
  public static WheelFilename parse(String filename) throws ParseException {
    if (filename == null) {
      throw new ParseException("wheel filename", "", 0, "no filename");
    }
    int control = FilenameSyntax.firstControl(filename);
    if (control >= 0) {
      throw fail(filename, control, "control or line-break character");
    }
    if (!filename.endsWith(".whl")) {
      int dot = filename.lastIndexOf('.');
      throw fail(filename, dot < 0 ? filename.length() : dot, "the extension must be '.whl'");
    }
    String stem = filename.substring(0, filename.length() - 4);
    int dashes = (int) stem.chars().filter(c -> c == '-').count();
    if (dashes != 4 && dashes != 5) {
      throw fail(
          filename,
          dashes < 4 ? stem.length() : nthDash(stem, 6),
          "expected name-version[-build]-python-abi-platform.whl, found "
              + (dashes + 1)
              + " parts separated by '-'");
    }
    // As packaging: split off name, version and (with five dashes) the build tag from the left;
    // the rest is the tag triple.
    int nameEnd = stem.indexOf('-');
    int versionEnd = stem.indexOf('-', nameEnd + 1);
    String namePart = stem.substring(0, nameEnd);
    String versionPart = stem.substring(nameEnd + 1, versionEnd);
    checkName(filename, namePart);
    if (!FilenameSyntax.isValidVersion(versionPart)) {
      throw fail(filename, nameEnd + 1, "'" + versionPart + "' is not a valid PEP 440 version");
    }
    int tagsStart = versionEnd + 1;
    BuildTag buildTag = null;
    if (dashes == 5) {
      int buildEnd = stem.indexOf('-', versionEnd + 1);
      String buildPart = stem.substring(versionEnd + 1, buildEnd);
      try {
        buildTag = BuildTag.parse(buildPart);
      } catch (ParseException e) {
        throw fail(
            filename, versionEnd + 1, "the build tag '" + buildPart + "' must start with a digit");
      }
      tagsStart = buildEnd + 1;
    }
    Set<Tag> tags;
    try {
      tags = Tag.parseTagSet(stem.substring(tagsStart));
    } catch (ParseException e) {
      throw fail(filename, tagsStart + Math.max(0, e.position()), e.reason());
    }
    return new WheelFilename(PackageName.of(namePart), versionPart, buildTag, tags, filename);
  }

  private static void checkName(String filename, String name) throws ParseException {
    if (name.isEmpty()) {
      throw fail(filename, 0, "the name is empty");
    }
    // PEP 427 escapes runs of '-', '_', '.' in the name as one '_'; packaging rejects '__' and any
    // character outside Python's \w and '.'.
    int doubleUnderscore = name.indexOf("__");
    if (doubleUnderscore >= 0) {
      throw fail(filename, doubleUnderscore, "the name contains '__'");
    }
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (cp != '.' && !FilenameSyntax.isPythonWordChar(cp)) {
        throw fail(
            filename,
            i,
            "the name may contain only letters, digits, '_' and '.', not '"
                + Character.toString(cp)
                + "'");
      }
      i += Character.charCount(cp);
    }
  }

  private static int nthDash(String text, int n) {
    int at = -1;
    for (int i = 0; i < n; i++) {
      at = text.indexOf('-', at + 1);
    }
    return at;
  }

  private static ParseException fail(String filename, int position, String reason) {
    return new ParseException("wheel filename", filename, position, reason);
  }

  /** The filename. */
  @Override
  public String toString() {
    return filename;
  }
}
