package dev.accretion.core.elf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.archive.MirrorWheels;
import dev.accretion.core.archive.ZipArchive;
import dev.accretion.core.archive.ZipEntryInfo;
import dev.accretion.core.archive.ZipLimits;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shared library inside real mirror wheels, inspected three ways (streamed while hashing,
 * from a file, from a channel) and compared with GNU readelf on the same bytes.
 */
class ElfMirrorIT {
  @TempDir Path dir;

  private static final Pattern MANYLINUX = Pattern.compile("manylinux_(\\d+)_(\\d+)_x86_64");

  @Test
  void sharedLibrariesInRealWheelsMatchReadelf() throws Exception {
    List<String> names =
        List.of(
            "numpy-2.2.6-",
            "numpy-2.4.6-",
            "pandas-2.3.3-",
            "lxml-",
            "psycopg2_binary-",
            "pydantic_core-");
    int libraries = 0;
    int singlePass = 0;
    for (String name : names) {
      Path wheel = MirrorWheels.named(name);
      ElfVersion wheelMax = null;
      try (ZipArchive archive = ZipArchive.open(wheel, ZipLimits.unlimited())) {
        for (ZipEntryInfo entry : archive.entries()) {
          if (entry.isDirectory()) {
            continue;
          }
          String label = wheel.getFileName() + "!" + entry.path();
          ElfScanner scanner = new ElfScanner(label);
          archive.digest(entry, scanner);
          AtomicInteger opens = new AtomicInteger();
          Optional<ElfInfo> streamed =
              scanner.finish(
                  () -> {
                    opens.incrementAndGet();
                    return archive.open(entry);
                  });
          if (entry.path().matches(".*\\.so(\\.[0-9.]+)?$")) {
            assertThat(streamed).as(label).isPresent();
          }
          if (streamed.isEmpty()) {
            continue;
          }
          libraries++;
          if (opens.get() == 0) {
            singlePass++;
          }
          Path file = dir.resolve("lib.so");
          try (InputStream in = archive.open(entry)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
          }
          ElfInfo info = streamed.get();
          assertThat(ElfInspector.inspect(file)).as(label).contains(info);
          assertThat(ElfInspector.inspect(() -> archive.open(entry), label)).contains(info);
          assertThat(info).as(label).isEqualTo(ReadelfOracle.inspect(file));
          assertThat(info.machine()).as(label).isEqualTo(ElfInfo.EM_X86_64);
          Optional<ElfVersion> glibc = info.maxGlibc();
          if (glibc.isPresent() && (wheelMax == null || glibc.get().compareTo(wheelMax) > 0)) {
            wheelMax = glibc.get();
          }
        }
      }
      // The wheel's platform tag promises the newest glibc any of its libraries may need.
      ElfVersion promised = promisedGlibc(wheel.getFileName().toString());
      assertThat(wheelMax).as(wheel.getFileName().toString()).isNotNull();
      assertThat(wheelMax).as(wheel.getFileName().toString()).isLessThanOrEqualTo(promised);
    }
    assertThat(libraries).isGreaterThan(50);
    // The scanner exists to avoid a second inflate: most libraries need none.
    assertThat(singlePass).isGreaterThanOrEqualTo(libraries * 9 / 10);
  }

  /**
   * The oldest glibc a wheel's manylinux tags claim to run on (legacy aliases mapped): with several
   * tags, the lowest is the promise and the others are aliases for older installers.
   */
  private static ElfVersion promisedGlibc(String fileName) {
    String tags =
        fileName
            .replace("manylinux2014", "manylinux_2_17")
            .replace("manylinux2010", "manylinux_2_12")
            .replace("manylinux1", "manylinux_2_5");
    Matcher m = MANYLINUX.matcher(tags);
    ElfVersion max = null;
    while (m.find()) {
      ElfVersion v = ElfVersion.of(m.group(1) + "." + m.group(2));
      if (max == null || v.compareTo(max) < 0) {
        max = v;
      }
    }
    if (max == null) {
      throw new AssertionError("no manylinux tag in " + fileName);
    }
    return max;
  }
}
