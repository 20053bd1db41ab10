package dev.accretion.app;

/** Byte counts for people, in binary units (Lambda's "250 MB" limit is 250 MiB). */
public final class Sizes {
  private Sizes() {}

  /** {@code 512 B}, {@code 12.3 KiB}, {@code 187.4 MiB}. */
  public static String human(long bytes) {
    return dev.accretion.pipeline.Sizes.human(bytes);
  }

  /** Milliseconds as {@code 850 ms} or {@code 3.4 s}. */
  public static String duration(long millis) {
    return millis < 1000
        ? millis + " ms"
        : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
