package dev.accretion.core.archive;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The verified content of one entry: its SHA-256 and size, computed over the bytes actually
 * inflated, whose CRC-32 and size matched the entry's headers.
 *
 * @param sha256Hex lowercase hex SHA-256 of the uncompressed content
 * @param size bytes of uncompressed content
 * @param crc32 the CRC-32 of the content (equal to the declared one)
 */
public record EntryDigest(String sha256Hex, long size, long crc32) {
  public EntryDigest {
    Objects.requireNonNull(sha256Hex, "sha256Hex");
    if (sha256Hex.length() != 64 || !sha256Hex.chars().allMatch(EntryDigest::isLowerHex)) {
      throw new IllegalArgumentException("not a lowercase hex sha256: " + sha256Hex);
    }
    if (size < 0) {
      throw new IllegalArgumentException("negative size: " + size);
    }
  }

  private static boolean isLowerHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  /**
   * The digest as a wheel's RECORD writes it (PEP 376 / PEP 627, "urlsafe-base64-nopad"): {@code
   * sha256=<urlsafe base64 without padding>}.
   */
  public String recordHash() {
    return "sha256="
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(HexFormat.of().parseHex(sha256Hex));
  }
}
