package dev.accretion.node.lock;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.node.config.NpmConfig;
import dev.accretion.node.tree.Tree;

/** Reads pnpm-lock.yaml. */
public final class PnpmLock {
  private PnpmLock() {}

  public static Tree read(
      String fileName, String text, Manifest packageJson, String workspace, NpmConfig config)
      throws AccretionException {
    throw new AccretionException(FailureKind.BAD_INPUT, "not yet");
  }
}
