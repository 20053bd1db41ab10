package dev.accretion.core.cache;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the shared cache lives. {@code root} is absolute and normalized. The layout below it:
 *
 * <pre>
 * blobs/sha256/&lt;hex&gt;   content-addressed files, read-only, never overwritten
 * selectors/&lt;hex&gt;      selector key → artifact record (Java properties)
 * access/&lt;hex&gt;         empty marker per blob; its mtime is the blob's last use (for gc)
 * verified/&lt;hex&gt;       the stamp (device, inode, size, mtime, ctime) the blob had when last hashed
 * aliases/&lt;alg&gt;/&lt;hex&gt; another digest of a blob (sha512, sha1): holds the blob's sha256
 * locks/&lt;hex&gt;          lock file per blob digest (FileChannel.lock), plus locks/gc
 * tmp/                 in-progress writes: &lt;pid&gt;-&lt;random&gt;.part, same file system as blobs
 * quarantine/          corrupt entries set aside (not deleted) for inspection
 * CACHEDIR.TAG         tells backup tools to skip the cache (bford.info/cachedir)
 * </pre>
 */
public record CacheLocation(Path root) {

  /** The environment variable naming the cache directory. */
  public static final String ENV_CACHE_DIR = "ACCRETION_CACHE_DIR";

  public CacheLocation {
    Objects.requireNonNull(root, "root");
    root = root.toAbsolutePath().normalize();
  }

  /** A cache at {@code root} (made absolute against the working directory). */
  public static CacheLocation of(Path root) {
    return new CacheLocation(root);
  }

  /**
   * Picks the cache directory: the {@code --cache-dir} flag if given, else {@code
   * ACCRETION_CACHE_DIR}, else {@code $XDG_CACHE_HOME/accretion}, else {@code
   * <home>/.cache/accretion}. Empty variables count as unset, and a relative {@code XDG_CACHE_HOME}
   * is ignored, as the XDG Base Directory specification requires.
   *
   * @param flag the {@code --cache-dir} value, if the user gave one
   * @param env the process environment (usually {@code System.getenv()})
   * @param home the user's home directory (usually {@code user.home})
   */
  public static CacheLocation resolve(Optional<Path> flag, Map<String, String> env, Path home) {
    Objects.requireNonNull(flag, "flag");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(home, "home");
    if (flag.isPresent()) {
      return new CacheLocation(flag.get());
    }
    String own = env.get(ENV_CACHE_DIR);
    if (own != null && !own.isEmpty()) {
      return new CacheLocation(Path.of(own));
    }
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
      return new CacheLocation(Path.of(xdg, "accretion"));
    }
    return new CacheLocation(home.resolve(".cache").resolve("accretion"));
  }

  /** {@code blobs/sha256}: one file per blob, named by its lowercase hex sha256. */
  public Path blobDirectory() {
    return root.resolve("blobs").resolve("sha256");
  }

  /** {@code selectors}: one file per selector key. */
  public Path selectorDirectory() {
    return root.resolve("selectors");
  }

  /** {@code tmp}: files being written; never read by lookups. */
  public Path tmpDirectory() {
    return root.resolve("tmp");
  }

  /** {@code quarantine}: corrupt entries set aside. */
  public Path quarantineDirectory() {
    return root.resolve("quarantine");
  }

  /** {@code locks}: lock files. */
  public Path lockDirectory() {
    return root.resolve("locks");
  }

  /**
   * {@code aliases}: files named by another digest of a blob ({@code aliases/sha512/<hex>}) that
   * hold its sha256, so a file known only by that digest is found without a download.
   */
  public Path aliasDirectory() {
    return root.resolve("aliases");
  }

  /** {@code access}: last-use markers for blobs. */
  public Path accessDirectory() {
    return root.resolve("access");
  }

  /**
   * {@code verified}: one small file per blob holding the {@link FileStamp} it had when its digest
   * was last checked, so a later process need not hash an unchanged blob again.
   */
  public Path verifiedDirectory() {
    return root.resolve("verified");
  }
}
