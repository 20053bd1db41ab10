package dev.accretion.app.functions;

import dev.accretion.app.Usage;
import dev.accretion.core.AccretionException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * How a function folder's Lambda function is named, and what its Description says.
 *
 * <p>Name: {@code <prefix>-<hash>}, the hash being the first {@value #HASH_CHARS} hex digits of
 * SHA-256 over the UTF-8 text {@code <repository identity> LF <folder path>}. The identity is the
 * configured {@code [repository] name}, else the normalized URL of the repository's remote ({@link
 * GitRepository#normalizeRemote}); the path is {@code /}-separated and relative to the repository's
 * root. Neither depends on where or how the repository was cloned, so every clone on every machine
 * gives the same names. With the hash's 16 characters and the dash, a prefix of up to {@value
 * #MAX_PREFIX} characters keeps a name within Lambda's 64.
 *
 * <p>Description: {@code <path>@<revision>}, at most 256 characters (Lambda's limit); a longer one
 * keeps the revision and the end of the path ({@code …/deep/folder@<revision>}).
 */
public final class FunctionNames {
  /** Hex digits of the hash in a name: 64 bits. */
  public static final int HASH_CHARS = 16;

  /** The longest prefix: 64 - 1 - 16. */
  public static final int MAX_PREFIX = 64 - 1 - HASH_CHARS;

  /** The prefix when none is given. */
  public static final String DEFAULT_PREFIX = "accretion";

  /** Lambda's limit for a Description. */
  public static final int MAX_DESCRIPTION = 256;

  private static final Pattern PREFIX = Pattern.compile("[a-zA-Z0-9_-]{1," + MAX_PREFIX + "}");

  private FunctionNames() {}

  /**
   * Checks a prefix.
   *
   * @throws AccretionException a usage failure naming the rule
   */
  public static String checkPrefix(String prefix) throws AccretionException {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw Usage.error(
          "--prefix '"
              + prefix
              + "' is not a valid prefix: use 1 to "
              + MAX_PREFIX
              + " letters, digits, '-' or '_' (the function name adds '-' and a 16-character"
              + " hash, and Lambda allows 64 characters)");
    }
    return prefix;
  }

  /** {@code <prefix>-<hash>} of a folder of a repository. */
  public static String name(String prefix, String identity, String path) {
    return prefix + "-" + hash(identity, path);
  }

  /** The {@value #HASH_CHARS} hex digits of a folder's name. */
  public static String hash(String identity, String path) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha.digest((identity + "\n" + path).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** {@code <path>@<revision>}, cut from the start of the path to fit 256 characters. */
  public static String description(String path, String revision) {
    String full = path + "@" + revision;
    if (full.length() <= MAX_DESCRIPTION) {
      return full;
    }
    String tail = "@" + revision;
    int room = MAX_DESCRIPTION - tail.length() - 1;
    return "…" + path.substring(path.length() - room) + tail;
  }
}
