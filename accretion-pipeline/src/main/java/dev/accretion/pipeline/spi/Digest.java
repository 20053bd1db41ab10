package dev.accretion.pipeline.spi;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * An expected digest of a file: what an index, a lock or a repository promises. Immutable.
 *
 * @param algorithm {@code sha256}, {@code sha512}, {@code sha384} or {@code sha1}
 * @param hex the digest in lower-case hex
 */
public record Digest(String algorithm, String hex) {
  public Digest {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(hex, "hex");
    algorithm = algorithm.toLowerCase(Locale.ROOT);
    hex = hex.toLowerCase(Locale.ROOT);
    int length =
        switch (algorithm) {
          case "sha256" -> 64;
          case "sha384" -> 96;
          case "sha512" -> 128;
          case "sha1" -> 40;
          default ->
              throw new IllegalArgumentException("unsupported digest algorithm " + algorithm);
        };
    if (hex.length() != length || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IllegalArgumentException("not a " + algorithm + " hex digest: " + hex);
    }
  }

  public static Digest sha256(String hex) {
    return new Digest("sha256", hex);
  }

  /**
   * A Subresource Integrity value ({@code sha512-<base64>}), as npm locks write {@code integrity}.
   *
   * @throws IllegalArgumentException if it is not one
   */
  public static Digest fromSri(String sri) {
    int dash = sri.indexOf('-');
    if (dash <= 0) {
      throw new IllegalArgumentException("not a Subresource Integrity value: " + sri);
    }
    byte[] raw = Base64.getDecoder().decode(sri.substring(dash + 1).strip());
    return new Digest(sri.substring(0, dash), HexFormat.of().formatHex(raw));
  }

  /** The JDK's {@code MessageDigest} name: {@code SHA-256}. */
  public String jdkName() {
    return switch (algorithm) {
      case "sha1" -> "SHA-1";
      case "sha256" -> "SHA-256";
      case "sha384" -> "SHA-384";
      default -> "SHA-512";
    };
  }

  /** {@code sha256:<hex>}. */
  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
