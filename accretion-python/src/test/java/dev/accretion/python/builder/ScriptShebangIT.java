package dev.accretion.python.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.archive.ZipArchive;
import dev.accretion.core.archive.ZipEntryInfo;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.testkit.Python;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wheel's script in a layer shared by python3.12 and python3.13 runs with each runtime's own
 * interpreter. Lambda's Python runtimes run with the {@code PATH} below (the AWS Lambda base images
 * for Python set {@code ENV PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin}; the Lambda
 * documentation lists {@code /var/lang/bin} on {@code PATH}), and keep the runtime's interpreter as
 * {@code /var/lang/bin/python3}. The test lays out that file system in a folder (a {@code
 * var/lang/bin/python3} that is a real CPython of the runtime's version, the layer unzipped as
 * {@code opt/}) and runs the script as Lambda would find it on {@code PATH}.
 */
class ScriptShebangIT {
  @TempDir Path temp;

  /** Lambda's PATH for its Python runtimes, with {@code /var/lang} and {@code /opt} under root. */
  static String lambdaPath(Path root) {
    return root.resolve("var/lang/bin")
        + ":/usr/local/bin:/usr/bin/:/bin:"
        + root.resolve("opt/bin");
  }

  @Test
  void sharedLayerScript_runsWithEachRuntimesInterpreter() throws Exception {
    FixtureIndex fx = new FixtureIndex(temp.resolve("index"));
    fx.add(
        TestWheel.of("whichpy", "1.0")
            .file("whichpy/__init__.py", "")
            .file(
                "whichpy-1.0.data/scripts/whichpy",
                "#!python\nimport sys\nprint('%d.%d' % sys.version_info[:2])\n"));
    List<BuiltArtifact> artifacts =
        fx.build(fx.request(fx.listing("whichpy\n"), "python3.12/x86_64", "python3.13/x86_64"))
            .artifacts();
    assertThat(artifacts).as("one zip for both runtimes").hasSize(1);
    for (String version : List.of("3.12", "3.13")) {
      Path root = temp.resolve("lambda-" + version);
      unzip(artifacts.get(0).zip(), root.resolve("opt"));
      Path bin = Files.createDirectories(root.resolve("var/lang/bin"));
      Files.createSymbolicLink(bin.resolve("python3"), Python.of(version).executable());
      Python.Result r =
          Python.exec(
              List.of("/bin/sh", "-c", "whichpy"), // found on the PATH given, as Lambda would
              null,
              Map.of("PATH", lambdaPath(root), "HOME", root.toString()),
              60);
      assertThat(r.code()).as(r.stderr()).isZero();
      assertThat(r.stdout().strip()).isEqualTo(version);
    }
  }

  private static void unzip(Path zip, Path into) throws Exception {
    try (ZipArchive archive = ZipArchive.open(zip, ZipLimits.unlimited())) {
      for (ZipEntryInfo e : archive.entries()) {
        Path target = into.resolve(e.path());
        if (e.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        Files.write(target, archive.readAllBytes(e, 64 << 20));
        if (e.isExecutable()) {
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
    }
  }
}
