package dev.accretion.node.tree;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.node.lock.Manifest;
import dev.accretion.node.platform.NodePlatform;
import dev.accretion.node.registry.RegistryClient;
import dev.accretion.pipeline.spi.BuildListener;

/** Resolves package.json against the registry. */
public final class RegistryResolver {
  public RegistryResolver(RegistryClient client, NodePlatform platform, BuildListener listener) {}

  public Tree resolve(Manifest root) throws AccretionException {
    throw new AccretionException(FailureKind.BAD_INPUT, "not yet");
  }
}
