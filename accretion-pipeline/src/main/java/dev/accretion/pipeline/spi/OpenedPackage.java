package dev.accretion.pipeline.spi;

import java.util.List;
import java.util.Map;

/**
 * A fetched package file that its builder opened and verified ({@link BuildSession#open}): a wheel
 * whose RECORD and CRCs were checked, an npm tarball whose entries were read and checked, a jar.
 * The pipeline hands it back to {@link BuildSession#install} once per target and closes it when the
 * build is over. Implementations must be thread-safe for reading.
 */
public interface OpenedPackage extends AutoCloseable {

  /** The package it is. */
  ResolvedPackage pkg();

  /**
   * The license the package declares (an SPDX expression where it gives one), or null when it
   * declares none.
   */
  String license();

  /** Whether {@link #license()} is an SPDX expression. */
  boolean licenseIsExpression();

  /**
   * Facts found in the file for the manifest entry, merged over {@link ResolvedPackage#facts()}
   * (same key rules): native libraries inside a jar, install scripts an npm package declares.
   */
  default Map<String, Object> facts() {
    return Map.of();
  }

  /**
   * What the package claims about the platforms it runs on, for messages when a native file
   * contradicts it ("the wheel's tags (cp312-cp312-manylinux_2_17_x86_64)"), or null when it claims
   * nothing.
   */
  default String platformClaim() {
    return null;
  }

  /** Problems that an option downgraded to warnings (a bad RECORD allowed), one line each. */
  default List<String> warnings() {
    return List.of();
  }

  /** Releases what the package holds open (archives). Never throws. */
  @Override
  void close();
}
