package dev.accretion.app.build;

import dev.accretion.pipeline.BuilderRegistry;

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
}
