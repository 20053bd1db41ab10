package dev.accretion.efs;

import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.testkit.Python;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Shared set-up: python3.11 x86_64 from the machine's mirror (pip's configuration). */
final class EfsFixture {
  private EfsFixture() {}

  static Target target() throws Exception {
    return RuntimeMatrix.load().target("python3.11", "x86_64");
  }

  static EfsInstaller installer(Path cache) {
    return new EfsInstaller(
        new BuildContext(
            System.getenv(), Path.of(System.getProperty("user.home")), cache, cache, e -> {}));
  }

  static Path listing(Path dir, String name, String... lines) throws IOException {
    Files.createDirectories(dir);
    return Files.write(dir.resolve(name), List.of(lines));
  }

  static InstallOutcome install(Path cache, Path listing, Path root) throws Exception {
    return installer(cache).install(listing, null, BuilderOptions.none(), target(), root);
  }

  /** Runs python3.11 -S with only {@code bootstrapDir} on the path besides the standard library. */
  static Python.Result runIsolated(Path bootstrapDir, String code) throws IOException {
    return Python.of("3.11")
        .run(
            List.of(
                "-S",
                "-c",
                "import sys; sys.path.insert(0, sys.argv[1]); " + code,
                bootstrapDir.toString()),
            "",
            Map.of("PATH", System.getenv("PATH"), "PYTHONNOUSERSITE", "1"),
            300);
  }
}
