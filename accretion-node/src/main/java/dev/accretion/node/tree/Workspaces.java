package dev.accretion.node.tree;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.node.lock.Manifest;
import java.nio.file.Path;

/** npm workspaces. */
public final class Workspaces {
  private Workspaces() {}

  public static Path folderOf(Path projectDir, Manifest root, String workspace) {
    return null;
  }

  public static Manifest manifestOf(Path projectDir, Manifest root, String workspace)
      throws AccretionException {
    throw new AccretionException(FailureKind.BAD_INPUT, "not yet");
  }

  public static Tree extract(
      Tree lock, Path projectDir, Manifest root, String workspace, String lockName)
      throws AccretionException {
    throw new AccretionException(FailureKind.BAD_INPUT, "not yet");
  }
}
