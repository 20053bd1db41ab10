package dev.accretion.python.tags;

import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import java.util.Objects;

/**
 * A parsed source distribution filename, {@code name-version.tar.gz} or {@code name-version.zip}.
 * Accretion does not build sdists; it recognises them to explain why a package without a fitting
 * wheel cannot be installed. Immutable.
 *
 * @param name the distribution name, normalized for comparison
 * @param version the version as written; a valid PEP 440 version
 * @param filename the whole filename as given
 */
public record SdistFilename(PackageName name, String version, String filename) {
  public SdistFilename {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(filename, "filename");
  }

  /** Whether the filename has an sdist extension, {@code .tar.gz} or {@code .zip}. */
  public static boolean isSdist(String filename) {
    return filename != null && (filename.endsWith(".tar.gz") || filename.endsWith(".zip"));
  }

  /**
   * Parses an sdist filename as {@code packaging.utils.parse_sdist_filename} does: the extension,
   * then name and version split at the last {@code -} (a PEP 440 version has none), the version
   * valid. Deliberately stricter in refusing an empty name and control characters.
   *
   * @throws ParseException quoting the filename and the position of the bad part
   */
  public static SdistFilename parse(String filename) throws ParseException {
    if (filename == null) {
      throw new ParseException("sdist filename", "", 0, "no filename");
    }
    int control = FilenameSyntax.firstControl(filename);
    if (control >= 0) {
      throw fail(filename, control, "control or line-break character");
    }
    String stem;
    if (filename.endsWith(".tar.gz")) {
      stem = filename.substring(0, filename.length() - ".tar.gz".length());
    } else if (filename.endsWith(".zip")) {
      stem = filename.substring(0, filename.length() - ".zip".length());
    } else {
      int dot = filename.lastIndexOf('.');
      throw fail(
          filename, dot < 0 ? filename.length() : dot, "the extension must be .tar.gz or .zip");
    }
    int dash = stem.lastIndexOf('-');
    if (dash < 0) {
      throw fail(filename, stem.length(), "expected name-version before the extension");
    }
    if (dash == 0) {
      throw fail(filename, 0, "the name is empty");
    }
    String version = stem.substring(dash + 1);
    if (!FilenameSyntax.isValidVersion(version)) {
      throw fail(filename, dash + 1, "'" + version + "' is not a valid PEP 440 version");
    }
    return new SdistFilename(PackageName.of(stem.substring(0, dash)), version, filename);
  }

  private static ParseException fail(String filename, int position, String reason) {
    return new ParseException("sdist filename", filename, position, reason);
  }

  @Override
  public String toString() {
    return filename;
  }
}
