package dev.accretion.app.build;

import dev.accretion.core.AccretionException;
import dev.accretion.pipeline.BuilderRegistry;
import java.nio.file.Path;
import java.util.List;

/** The builder registry of the class path, loaded on first use and shared (it is immutable). */
public final class Registry {
  private Registry() {}

  private static final class Holder {
    static final BuilderRegistry REGISTRY = BuilderRegistry.load();
  }

  /** The builders on the class path (ServiceLoader), loaded once. */
  public static BuilderRegistry get() {
    return Holder.REGISTRY;
  }

  /**
   * The builders on the class path plus those of these plug-in jars (each in a class loader of its
   * own); the shared registry when there are none.
   *
   * @throws AccretionException a missing jar, a jar without a builder, or an id taken already
   */
  public static BuilderRegistry with(List<Path> plugins) throws AccretionException {
    return plugins.isEmpty() ? get() : get().withPlugins(plugins);
  }
}
