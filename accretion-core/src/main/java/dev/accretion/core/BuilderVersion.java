package dev.accretion.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of Accretion itself, as recorded in manifests and cache selectors. */
public final class BuilderVersion {
  private static final String VERSION = load();

  private BuilderVersion() {}

  /** Returns the version string, for example {@code 0.1.0-SNAPSHOT}; never null. */
  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = BuilderVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties missing from the Accretion core jar");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
