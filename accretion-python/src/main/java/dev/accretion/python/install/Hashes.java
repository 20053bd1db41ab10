package dev.accretion.python.install;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** SHA-256 helpers in the two encodings wheels and layers use. */
final class Hashes {
  private Hashes() {}

  static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  static String sha256Hex(byte[] content) {
    return HexFormat.of().formatHex(sha256(content));
  }

  /** {@code sha256=<urlsafe base64, no padding>}, as RECORD writes hashes. */
  static String recordHash(byte[] content) {
    return "sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(content));
  }

  static String recordHashOfHex(String hex) {
    return "sha256="
        + Base64.getUrlEncoder().withoutPadding().encodeToString(HexFormat.of().parseHex(hex));
  }
}
