package dev.accretion.pipeline;

import java.util.Locale;

/** Byte counts for people: binary units (Lambda's "250 MB" limit is 250 MiB). */
public final class Sizes {
  private Sizes() {}

  /** {@code 512 B}, {@code 12.3 KiB}, {@code 187.4 MiB}. */
  public static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024L * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
