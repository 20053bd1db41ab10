package dev.accretion.aws;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The marker Accretion puts at the end of every layer version's Description: {@code [accretion
 * sha256:<64 lower-case hex>]}, separated from the user's text by one space. It is how a version is
 * known to be managed by Accretion and which archive it carries, using only ListLayers /
 * ListLayerVersions (whose items have no CodeSha256). The marker is 83 characters plus the space
 * before it, so a user description may use at most {@value #MAX_USER_DESCRIPTION} of Lambda's 256.
 */
public final class VersionMarker {
  /** Lambda's Description limit. */
  public static final int MAX_DESCRIPTION = 256;

  /** Length of the marker including its leading space. */
  public static final int MARKER_LENGTH = " [accretion sha256:]".length() + 64;

  /** The longest user description that still fits with the marker. */
  public static final int MAX_USER_DESCRIPTION = MAX_DESCRIPTION - MARKER_LENGTH;

  private static final Pattern MARKER = Pattern.compile("\\[accretion sha256:([0-9a-f]{64})\\]$");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  private VersionMarker() {}

  /** The full Description for a user text (may be empty) and archive digest. */
  public static String description(String userDescription, String sha256Hex) {
    if (!HEX.matcher(sha256Hex).matches()) {
      throw new IllegalArgumentException(
          "sha256 '" + sha256Hex + "' is not 64 lower-case hex digits");
    }
    String marker = "[accretion sha256:" + sha256Hex + "]";
    return userDescription.isEmpty() ? marker : userDescription + " " + marker;
  }

  /** The archive digest a Description carries, if it carries the marker. */
  public static Optional<String> sha256(String description) {
    if (description == null) {
      return Optional.empty();
    }
    Matcher m = MARKER.matcher(description);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The user's part of a Description, without the marker. */
  public static String userText(String description) {
    if (description == null) {
      return "";
    }
    return MARKER.matcher(description).replaceFirst("").stripTrailing();
  }
}
