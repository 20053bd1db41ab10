package dev.accretion.python.resolve;

import dev.accretion.python.pep440.Version;

/**
 * Why one file of a project can't be used for the target. Kept for failure explanations.
 *
 * @param version the file's version (null if it could not be parsed)
 * @param filename the file
 * @param kind the reason's category
 * @param detail a short human explanation, e.g. "needs glibc 2.27 (manylinux_2_27)"
 */
public record Rejection(Version version, String filename, Kind kind, String detail) {
  public enum Kind {
    /** The wheel's tags don't fit the target (Python version, ABI, glibc, CPU, OS). */
    PLATFORM,
    /** Requires-Python excludes the target's Python. */
    REQUIRES_PYTHON,
    /** Only a source distribution: Accretion installs wheels only. */
    SDIST,
    /** Wheels refused by --no-binary. */
    NO_BINARY,
    /** Hash-checking mode and the file's hash is not listed. */
    HASH,
    /** The file name or version is not valid. */
    INVALID,
    /** Yanked (PEP 592) and not pinned with ==. */
    YANKED
  }
}
