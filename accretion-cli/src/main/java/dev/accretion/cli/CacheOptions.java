package dev.accretion.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the shared cache lives. */
final class CacheOptions {
  @Option(
      names = "--cache-dir",
      paramLabel = "DIR",
      description =
          "Cache folder (default: $ACCRETION_CACHE_DIR, else $XDG_CACHE_HOME/accretion, else"
              + " ~/.cache/accretion).")
  Path cacheDir;
}
