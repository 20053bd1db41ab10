package dev.accretion.core.runtime;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One Lambda managed runtime, as a row of the runtime matrix ({@code runtimes.json}). Immutable and
 * thread-safe.
 *
 * @param id the Lambda runtime identifier exactly as AWS spells it, e.g. {@code python3.12}, {@code
 *     nodejs20.x}, {@code java21}
 * @param language the language family
 * @param languageVersion the language version the identifier names: {@code 3.12}, {@code 20},
 *     {@code 21}
 * @param fullVersion a representative full language version (e.g. {@code 3.12.12}) for markers such
 *     as {@code python_full_version}; Lambda updates the patch release under a runtime over time,
 *     so this is an example of what it runs, not a promise. Null when the matrix gives none (it is
 *     required for Python rows).
 * @param os the operating system, {@code Amazon Linux 2} or {@code Amazon Linux 2023}
 * @param glibc the GNU C library version of that OS (2.26 on AL2, 2.34 on AL2023)
 * @param architectures the architectures Lambda offers for this runtime, never empty
 * @param layerPaths the folders of a layer that this runtime puts on its search path (Lambda
 *     extracts layers to {@code /opt}); the first one is where Accretion installs by default
 * @param deprecationDate the announced deprecation date, or null when none is announced
 * @param blockFunctionCreateDate the date from which functions can no longer be created with this
 *     runtime, or null when none is announced or it could not be confirmed (see {@code notes})
 * @param blockFunctionUpdateDate the date from which functions can no longer be updated, or null
 * @param notes free text about the row's sources and caveats, or null
 */
public record Runtime(
    String id,
    Language language,
    String languageVersion,
    String fullVersion,
    String os,
    GlibcVersion glibc,
    List<Architecture> architectures,
    List<String> layerPaths,
    LocalDate deprecationDate,
    LocalDate blockFunctionCreateDate,
    LocalDate blockFunctionUpdateDate,
    String notes) {

  public Runtime {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(languageVersion, "languageVersion");
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(glibc, "glibc");
    architectures = List.copyOf(architectures);
    layerPaths = List.copyOf(layerPaths);
    if (architectures.isEmpty()) {
      throw new IllegalArgumentException("runtime " + id + " lists no architectures");
    }
    if (layerPaths.isEmpty()) {
      throw new IllegalArgumentException("runtime " + id + " lists no layer paths");
    }
  }

  /** The deprecation date, if AWS announced one. */
  public Optional<LocalDate> deprecation() {
    return Optional.ofNullable(deprecationDate);
  }

  /** The date from which function creation is blocked, if announced and confirmed. */
  public Optional<LocalDate> blockFunctionCreate() {
    return Optional.ofNullable(blockFunctionCreateDate);
  }

  /** The date from which function updates are blocked, if announced. */
  public Optional<LocalDate> blockFunctionUpdate() {
    return Optional.ofNullable(blockFunctionUpdateDate);
  }

  /** The representative full language version, if the matrix gives one. */
  public Optional<String> representativeFullVersion() {
    return Optional.ofNullable(fullVersion);
  }

  /** Whether Lambda offers this runtime on the architecture. */
  public boolean supports(Architecture architecture) {
    return architectures.contains(architecture);
  }

  /** For messages: {@code python3.11 (Amazon Linux 2, glibc 2.26)}. */
  public String describe() {
    return id + " (" + os + ", glibc " + glibc + ")";
  }

  @Override
  public String toString() {
    return id;
  }
}
