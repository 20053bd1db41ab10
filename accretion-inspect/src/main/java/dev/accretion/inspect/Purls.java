package dev.accretion.inspect;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Package URLs (purl-spec) for the ecosystems inspect knows. */
public final class Purls {
  private Purls() {}

  /**
   * The Package URL of a package: {@code pkg:pypi/requests@2.32.3}, {@code
   * pkg:npm/%40smithy/types@4.1.0}, {@code pkg:maven/com.google.guava/guava@33.4.0-jre}; other
   * ecosystems as {@code pkg:generic/<name>@<version>}.
   *
   * @param name for maven {@code group:artifact}; for npm the name with its {@code @scope/}
   */
  public static String of(String ecosystem, String name, String version) {
    String v = version == null || version.isEmpty() ? "" : "@" + encode(version);
    return switch (ecosystem) {
      case "pypi" -> "pkg:pypi/" + encode(pypiName(name)) + v;
      case "npm" -> {
        int slash = name.indexOf('/');
        yield name.startsWith("@") && slash > 0
            ? "pkg:npm/"
                + encode(name.substring(0, slash))
                + "/"
                + encode(name.substring(slash + 1))
                + v
            : "pkg:npm/" + encode(name) + v;
      }
      case "maven" -> {
        int colon = name.indexOf(':');
        yield colon > 0
            ? "pkg:maven/"
                + encode(name.substring(0, colon))
                + "/"
                + encode(name.substring(colon + 1))
                + v
            : "pkg:maven/" + encode(name) + v;
      }
      default -> "pkg:generic/" + encode(name) + v;
    };
  }

  /** The purl spec's pypi name: lower case, {@code _} as {@code -} (and PEP 503's runs of -_.). */
  static String pypiName(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
  }

  /** Percent-encodes all but unreserved characters (RFC 3986). */
  static String encode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '.'
          || c == '-'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }
}
