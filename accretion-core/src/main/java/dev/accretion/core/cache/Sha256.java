package dev.accretion.core.cache;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/** sha256 helpers shared by the cache: digest validation and file hashing. */
final class Sha256 {
  static final int HEX_LENGTH = 64;

  private Sha256() {}

  /** True when {@code text} is 64 lowercase hex digits, the only form the cache stores. */
  static boolean isHex(String text) {
    if (text.length() != HEX_LENGTH) {
      return false;
    }
    for (int i = 0; i < HEX_LENGTH; i++) {
      char c = text.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns {@code text} in lowercase after checking it is a sha256 hex digest (64 hex digits, any
   * case); throws {@link IllegalArgumentException} naming {@code what} otherwise.
   */
  static String requireHex(String text, String what) {
    Objects.requireNonNull(text, what);
    String lower = text.toLowerCase(Locale.ROOT);
    if (!isHex(lower)) {
      throw new IllegalArgumentException(
          what + " must be a sha256 digest of 64 hex digits, got \"" + text + "\"");
    }
    return lower;
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java SE platform must provide SHA-256 (MessageDigest javadoc).
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /** Hashes a whole file. */
  static String hash(Path file) throws IOException {
    return dev.accretion.core.FileDigests.sha256Hex(file);
  }
}
