package dev.accretion.node.lock;

import dev.accretion.node.config.NpmConfig;
import dev.accretion.node.tree.Tree;

/** Writes a tree as a package-lock.json (lockfileVersion 3). */
public final class LockWriter {
  private LockWriter() {}

  public static String write(Tree tree, NpmConfig config) {
    throw new UnsupportedOperationException("not yet");
  }
}
