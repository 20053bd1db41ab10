package dev.accretion.node.lock;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.node.config.NpmConfig;
import dev.accretion.node.tree.Tree;

/** Reads yarn.lock. */
public final class YarnLock {
  private YarnLock() {}

  public static Tree read(String fileName, String text, Manifest packageJson, NpmConfig config)
      throws AccretionException {
    throw new AccretionException(FailureKind.BAD_INPUT, "not yet");
  }
}
