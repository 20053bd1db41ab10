package dev.accretion.python.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.artifact.BuiltArtifact;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wheels whose tags lie about their native code, built from real libraries of the local mirror:
 * caio 0.12.9's {@code thread_aio} extension needs {@code GLIBC_2.34}, its {@code linux_aio} only
 * {@code GLIBC_2.7}; both are x86-64.
 */
class ElfCheckIT {
  private static final Path CAIO =
      Path.of("/opt/pypi/files/caio-0.12.9-cp311-cp311-manylinux_2_34_x86_64.whl");
  private static byte[] threadAio;
  private static byte[] linuxAio;

  @TempDir Path temp;

  @BeforeAll
  static void readLibraries() throws Exception {
    assertThat(CAIO).as("the mirror wheel these tests take real libraries from").exists();
    try (ZipFile zip = new ZipFile(CAIO.toFile())) {
      threadAio =
          zip.getInputStream(zip.getEntry("caio/thread_aio.cpython-311-x86_64-linux-gnu.so"))
              .readAllBytes();
      linuxAio =
          zip.getInputStream(zip.getEntry("caio/linux_aio.cpython-311-x86_64-linux-gnu.so"))
              .readAllBytes();
    }
  }

  private static TestWheel native_(String tag, byte[] library) {
    return TestWheel.of("natlib", "1.0")
        .tag(tag)
        .file("natlib/__init__.py", "")
        .file("natlib/_impl.so", library);
  }

  private Throwable build(TestWheel wheel, String target) throws Exception {
    FixtureIndex fx = new FixtureIndex(temp.resolve(target.replace('/', '-')));
    fx.add(wheel);
    return catchThrowable(() -> fx.build(fx.request(fx.listing("natlib\n"), target)));
  }

  @Test
  void glibcNewerThanTheTargets_failsNamingFileAndPackage() throws Exception {
    TestWheel wheel = native_("py3-none-manylinux2014_x86_64", threadAio);
    Throwable e = build(wheel, "python3.11/x86_64");
    assertThat(e).isInstanceOf(AccretionException.class);
    assertThat(((AccretionException) e).kind()).isEqualTo(FailureKind.REFUSED);
    assertThat(e)
        .hasMessageContaining("file 'natlib/_impl.so'")
        .hasMessageContaining(wheel.filename())
        .hasMessageContaining("needs GLIBC_2.34 (package natlib 1.0)")
        .hasMessageContaining("has glibc 2.26")
        .hasMessageContaining("manylinux2014_x86_64");
    // the same wheel is fine where glibc 2.34 is
    assertThat(build(wheel, "python3.12/x86_64")).isNull();
  }

  @Test
  void nativeCodeForAnotherMachine_failsNamingFileAndPackage() throws Exception {
    TestWheel x86InArmWheel = native_("py3-none-manylinux2014_aarch64", linuxAio);
    Throwable e = build(x86InArmWheel, "python3.11/arm64");
    assertThat(e)
        .isInstanceOf(AccretionException.class)
        .hasMessageContaining(x86InArmWheel.filename())
        .hasMessageContaining("'natlib/_impl.so' is native code for x86-64 (package natlib 1.0)")
        .hasMessageContaining("python3.11/arm64 runs AArch64");

    byte[] patched = linuxAio.clone();
    patched[18] = (byte) 183; // e_machine: AArch64
    patched[19] = 0;
    Throwable arm = build(native_("py3-none-manylinux2014_x86_64", patched), "python3.11/x86_64");
    assertThat(arm)
        .isInstanceOf(AccretionException.class)
        .hasMessageContaining("is native code for AArch64")
        .hasMessageContaining("runs x86-64");
  }

  @Test
  void matchingNativeCode_isInstalled() throws Exception {
    FixtureIndex fx = new FixtureIndex(temp);
    fx.add(native_("py3-none-manylinux2014_x86_64", linuxAio));
    BuiltArtifact a =
        fx.build(fx.request(fx.listing("natlib\n"), "python3.11/x86_64")).artifacts().get(0);
    assertThat(Files.size(a.zip())).isGreaterThan(linuxAio.length / 4);
    assertThat(PythonBuilderTest.entries(a.zip()).get("python/natlib/_impl.so"))
        .isEqualTo(linuxAio);
  }
}
