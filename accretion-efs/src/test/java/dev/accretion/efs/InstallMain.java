package dev.accretion.efs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A separate installer process for the concurrency tests: {@code InstallMain ROOT CACHE LISTING…}
 * installs each listing in turn and prints {@code installed NAME VERSION} per version it wrote.
 *
 * <p>With {@code -Dpause.in=DIR -Dpause.signal=FILE} it stops for good once it has written {@value
 * #PAUSE_AFTER} files into a temporary version folder inside {@code DIR}, after creating {@code
 * FILE}: the test then kills it at a known point instead of racing the install.
 */
public final class InstallMain {
  static final int PAUSE_AFTER = 20;

  private InstallMain() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    Path cache = Path.of(args[1]);
    EfsInstaller installer = EfsFixture.installer(cache);
    String pauseIn = System.getProperty("pause.in");
    if (pauseIn != null) {
      Path dir = Path.of(pauseIn);
      Path signal = Path.of(System.getProperty("pause.signal"));
      AtomicInteger written = new AtomicInteger();
      installer.afterFileWritten(
          file -> {
            if (file.startsWith(dir) && written.incrementAndGet() == PAUSE_AFTER) {
              try {
                Path part = Path.of(signal + ".part");
                Files.writeString(part, file.toString());
                Files.move(part, signal, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Thread.sleep(Long.MAX_VALUE);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
          });
    }
    for (int i = 2; i < args.length; i++) {
      InstallOutcome out =
          installer.install(
              Path.of(args[i]),
              null,
              dev.accretion.pipeline.spi.BuilderOptions.none(),
              EfsFixture.target(),
              root);
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
