package dev.accretion.core.cache;

import java.nio.file.Path;

/**
 * Child-process entry point for {@link CacheOpenTest}: tries to open each cache directory given and
 * prints one line per directory, {@code OPENED <root>} or {@code ERROR <message>}. Uses only the
 * JDK and the cache classes, so it runs from a bare classpath under another user.
 */
public final class OpenProbe {
  private OpenProbe() {}

  public static void main(String[] args) {
    for (String arg : args) {
      try {
        Cache.open(CacheLocation.of(Path.of(arg)), CacheListener.none());
        System.out.println("OPENED " + arg);
      } catch (CacheException e) {
        System.out.println("ERROR " + e.getMessage());
      }
    }
  }
}
