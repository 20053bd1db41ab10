package dev.accretion.efs;

import java.nio.file.Path;

/**
 * A separate installer process for the concurrency tests: {@code InstallMain ROOT CACHE LISTING…}
 * installs each listing in turn and prints {@code installed NAME VERSION} per version it wrote.
 */
public final class InstallMain {
  private InstallMain() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Path cache = Path.of(args[1]);
    for (int i = 2; i < args.length; i++) {
      InstallOutcome out = EfsFixture.install(cache, Path.of(args[i]), root);
      for (InstallOutcome.Version v : out.packages()) {
        if (v.installed()) {
          System.out.println("installed " + v.name() + " " + v.version());
        }
      }
      System.out.println("view " + out.set().digest());
    }
    System.out.flush();
    System.exit(0);
  }
}
