package dev.accretion.core.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfInspectorTest {
  @TempDir Path dir;

  private static ElfInfo inspect(byte[] bytes) throws ElfException {
    return ElfInspector.inspect(bytes, "x.so").orElseThrow();
  }

  @Test
  void inspect_readsMachineClassAndHighestGlibc() throws Exception {
    ElfInfo info = inspect(ElfCraft.glibc228().build());
    assertThat(info.elfClass()).isEqualTo(64);
    assertThat(info.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    assertThat(info.machine()).isEqualTo(ElfInfo.EM_X86_64);
    assertThat(info.machineName()).isEqualTo("x86-64");
    assertThat(info.typeName()).isEqualTo("shared object");
    assertThat(info.neededLibraries()).containsExactly("libstdc++.so.6", "libm.so.6", "libc.so.6");
    assertThat(info.maxGlibc()).contains(ElfVersion.of("2.28"));
    assertThat(info.maxGlibcxx()).contains(ElfVersion.of("3.4.21"));
    assertThat(info.maxCxxabi()).contains(ElfVersion.of("1.3.9"));
    assertThat(info.versionNeeds())
        .contains(
            new ElfInfo.VersionNeed("libc.so.6", "GLIBC_PRIVATE"),
            new ElfInfo.VersionNeed("libm.so.6", "GLIBC_2.27"));
  }

  @Test
  void inspect_agreesWithReadelfOnCraftedFiles() throws Exception {
    ElfCraft aarch64 = ElfCraft.glibc228();
    aarch64.machine = ElfInfo.EM_AARCH64;
    ElfCraft bigEndian32 = new ElfCraft().needed("libc.so.6").need("libc.so.6", "GLIBC_2.4");
    bigEndian32.wide = false;
    bigEndian32.bigEndian = true;
    bigEndian32.machine = 20;
    ElfCraft patched = ElfCraft.glibc228();
    patched.stringsLastAfter = 1000;
    for (ElfCraft craft : List.of(ElfCraft.glibc228(), aarch64, bigEndian32, patched)) {
      Path file = dir.resolve("lib" + craft.machine + "-" + craft.wide + craft.stringsLastAfter);
      Files.write(file, craft.build());
      assertThat(ElfInspector.inspect(file)).contains(ReadelfOracle.inspect(file));
    }
    ElfInfo arm = ElfInspector.inspect(aarch64.build(), "arm.so").orElseThrow();
    assertThat(arm.machineName()).isEqualTo("AArch64");
    ElfInfo ppc = ElfInspector.inspect(bigEndian32.build(), "ppc.so").orElseThrow();
    assertThat(ppc.elfClass()).isEqualTo(32);
    assertThat(ppc.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
    assertThat(ppc.machineName()).isEqualTo("PowerPC");
    assertThat(ppc.maxGlibc()).contains(ElfVersion.of("2.4"));
  }

  @Test
  void inspect_returnsEmptyForOtherContent() throws Exception {
    assertThat(ElfInspector.inspect("import os\n".getBytes(), "a.py")).isEmpty();
    assertThat(ElfInspector.inspect(new byte[0], "empty")).isEmpty();
    assertThat(ElfInspector.inspect(new byte[] {0x7f, 'E', 'L'}, "short")).isEmpty();
    assertThat(ElfInspector.inspect(() -> new ByteArrayInputStream("#!/bin/sh".getBytes()), "s"))
        .isEmpty();
  }

  @Test
  void inspect_reportsNoRequirementsForStaticFiles() throws Exception {
    byte[] bytes = ElfCraft.glibc228().build();
    // e_phnum = 0: no program headers, so nothing for the loader to resolve.
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(56, (short) 0);
    ElfInfo info = inspect(bytes);
    assertThat(info.versionNeeds()).isEmpty();
    assertThat(info.maxGlibc()).isEmpty();
  }

  // ---- malformed files ----

  private static String failure(byte[] bytes) {
    try {
      Optional<ElfInfo> info = ElfInspector.inspect(bytes, "bad.so");
      throw new AssertionError("accepted: " + info);
    } catch (ElfException e) {
      assertThat(e.file()).isEqualTo("bad.so");
      assertThat(e.getMessage()).startsWith("bad.so: ").endsWith("; " + ElfException.DAMAGED);
      return e.problem();
    }
  }

  @Test
  void inspect_refusesTruncatedHeaders() throws Exception {
    byte[] good = ElfCraft.glibc228().build();
    assertThat(failure(Arrays.copyOf(good, 10)))
        .isEqualTo("is truncated: 10 bytes, shorter than an ELF identification");
    assertThat(failure(Arrays.copyOf(good, 40)))
        .isEqualTo("is truncated: 40 bytes, shorter than its 64-byte ELF header");
    assertThat(failure(Arrays.copyOf(good, 100)))
        .isEqualTo(
            "has a program header table that runs past the end of the file (offset 64, 2 entries"
                + " of 56 bytes, file of 100 bytes)");
    ElfCraft craft = ElfCraft.glibc228();
    byte[] full = craft.build();
    assertThat(failure(Arrays.copyOf(full, (int) craft.dynamicOffset + 8)))
        .startsWith("has a dynamic segment outside the file");
  }

  @Test
  void inspect_refusesUnknownIdentification() {
    byte[] bytes = ElfCraft.glibc228().build();
    bytes[4] = 3;
    assertThat(failure(bytes)).isEqualTo("has an unknown ELF class 3 (neither 32- nor 64-bit)");
    bytes = ElfCraft.glibc228().build();
    bytes[5] = 0;
    assertThat(failure(bytes))
        .isEqualTo("has an unknown ELF data encoding 0 (neither little nor big endian)");
  }

  @Test
  void inspect_refusesTablesPointingOutside() {
    ElfCraft craft = ElfCraft.glibc228();
    byte[] bytes = craft.build();
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int dyn = (int) craft.dynamicOffset;
    // DT_STRTAB is the entry after the three DT_NEEDED ones: point it at an unmapped address.
    b.putLong(dyn + 3 * 16 + 8, 0x7000_0000L);
    assertThat(failure(bytes))
        .isEqualTo("has a DT_STRTAB address 0x70000000 that no loadable segment maps to the file");

    bytes = craft.build();
    b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(dyn + 4 * 16 + 8, 1L << 40); // DT_STRSZ
    assertThat(failure(bytes)).startsWith("has a dynamic string table that runs past the end");

    bytes = craft.build();
    b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(dyn + 8, 1 << 20); // first DT_NEEDED string offset
    assertThat(failure(bytes)).startsWith("has a DT_NEEDED string offset 1048576 outside");

    bytes = craft.build();
    b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt((int) craft.verneedOffset + 12, 1 << 30); // vn_next far outside
    assertThat(failure(bytes)).startsWith("has a version need entry outside the file");

    bytes = craft.build();
    b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(32, -8L); // e_phoff past 2^63
    assertThat(failure(bytes)).startsWith("has a program header table that runs past the end");

    bytes = craft.build();
    b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort(54, (short) 20); // e_phentsize too small
    assertThat(failure(bytes)).isEqualTo("has program header entries of 20 bytes (at least 56)");
  }

  @Test
  void inspect_refusesUnterminatedStrings() {
    ElfCraft craft = new ElfCraft().needed("libc.so.6");
    byte[] bytes = craft.build();
    // Overwrite the NUL ending "libc.so.6" and shrink DT_STRSZ to end right there.
    bytes[(int) craft.dynstrOffset + 10] = 'X';
    ByteBuffer.wrap(bytes)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong((int) craft.dynamicOffset + 2 * 16 + 8, 11);
    assertThat(failure(bytes))
        .isEqualTo(
            "has a DT_NEEDED string at offset 1 without a terminating NUL (within 10 bytes)");
  }

  @Test
  void inspect_stopsOnVersionChainsThatLoop() {
    ElfCraft craft = ElfCraft.glibc228();
    byte[] bytes = craft.build();
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    // DT_VERNEEDNUM huge and vn_next pointing to itself... vn_next is unsigned and relative, so
    // a loop must go forward; a huge count with a zero-length step is the worst case.
    b.putLong((int) craft.dynamicOffset + 6 * 16 + 8, 1L << 40);
    int last = (int) craft.verneedOffset + 16 + 16 * 2 + 16 + 16 * 3;
    b.putInt(last + 12, 0x7fff_fff0); // last vn_next: jump far
    assertThat(failure(bytes)).startsWith("has a version need entry outside the file");
  }

  @Test
  void inspect_neverThrowsAnythingButElfExceptionOnMutatedFiles() throws Exception {
    byte[] good = ElfCraft.glibc228().build();
    Random random = new Random(42);
    int parsed = 0;
    int refused = 0;
    for (int round = 0; round < 3000; round++) {
      byte[] bytes = good.clone();
      int flips = 1 + random.nextInt(8);
      for (int i = 0; i < flips; i++) {
        int at = random.nextInt(bytes.length);
        bytes[at] = (byte) random.nextInt(256);
      }
      if (random.nextInt(10) == 0) {
        bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
      }
      String direct;
      try {
        direct = String.valueOf(ElfInspector.inspect(bytes, "m.so"));
        parsed++;
      } catch (ElfException e) {
        direct = e.getMessage();
        refused++;
      }
      byte[] content = bytes;
      String streamed;
      try {
        streamed =
            String.valueOf(ElfInspector.inspect(() -> new ByteArrayInputStream(content), "m.so"));
      } catch (ElfException e) {
        streamed = e.getMessage();
      }
      assertThat(streamed).as("round %d", round).isEqualTo(direct);
    }
    assertThat(parsed).isPositive();
    assertThat(refused).isPositive();
  }

  // ---- streaming ----

  @Test
  void scanner_needsNoSecondReadWhenTablesFollowTheDynamicSegment() throws Exception {
    // Version needs inside the window, strings after the dynamic segment (patchelf's layout).
    ElfCraft craft = ElfCraft.glibc228();
    craft.stringsLastAfter = 3000;
    byte[] bytes = craft.build();
    assertThat(craft.verneedOffset).isLessThan(1024 - 192);
    assertThat(craft.dynstrOffset).isGreaterThan(3000);
    AtomicInteger opens = new AtomicInteger();
    ElfScanner scanner = new ElfScanner("s.so", 1024);
    feed(scanner, bytes, 100);
    Optional<ElfInfo> info =
        scanner.finish(
            () -> {
              opens.incrementAndGet();
              return new ByteArrayInputStream(bytes);
            });
    assertThat(opens).hasValue(0);
    assertThat(info).isEqualTo(ElfInspector.inspect(bytes, "s.so"));
    assertThat(info.orElseThrow().maxGlibc()).contains(ElfVersion.of("2.28"));
  }

  @Test
  void scanner_readsAgainWhenTablesLieBehindItsWindow() throws Exception {
    ElfCraft craft = ElfCraft.glibc228();
    craft.padBefore = 5000; // tables beyond a 256-byte window, before the dynamic segment
    byte[] bytes = craft.build();
    AtomicInteger opens = new AtomicInteger();
    ElfScanner scanner = new ElfScanner("s.so", 256);
    feed(scanner, bytes, 333);
    Optional<ElfInfo> info =
        scanner.finish(
            () -> {
              opens.incrementAndGet();
              return new ByteArrayInputStream(bytes);
            });
    assertThat(opens.get()).isBetween(1, 2);
    assertThat(info).isEqualTo(ElfInspector.inspect(bytes, "s.so"));
  }

  @Test
  void scanner_ignoresContentThatIsNotElf() {
    ElfScanner scanner = new ElfScanner("a.py");
    scanner.write("import sys\n".repeat(1000).getBytes(StandardCharsets.UTF_8));
    assertThat(scanner.isNotElf()).isTrue();
    assertThat(scanner.isSettled()).isTrue();
    assertThat(scanner.size()).isEqualTo(11_000);
  }

  @Test
  void scanner_reportsRereadFailuresAsElfExceptions() {
    ElfCraft craft = ElfCraft.glibc228();
    craft.padBefore = 5000;
    byte[] bytes = craft.build();
    ElfScanner scanner = new ElfScanner("s.so", 256);
    feed(scanner, bytes, 4096);
    assertThatThrownBy(
            () ->
                scanner.finish(
                    () -> {
                      throw new IOException("wheel gone");
                    }))
        .isInstanceOf(ElfException.class)
        .hasMessage("s.so: could not be read again (wheel gone)")
        .hasCauseInstanceOf(IOException.class);
  }

  private static void feed(ElfScanner scanner, byte[] bytes, int chunk) {
    for (int i = 0; i < bytes.length; i += chunk) {
      scanner.write(bytes, i, Math.min(chunk, bytes.length - i));
    }
  }

  // ---- versions ----

  @Test
  void elfVersion_comparesNumerically() {
    assertThat(ElfVersion.of("2.9")).isLessThan(ElfVersion.of("2.17"));
    assertThat(ElfVersion.of("2.17")).isLessThan(ElfVersion.of("2.28"));
    assertThat(ElfVersion.of("3.4")).isLessThan(ElfVersion.of("3.4.1"));
    assertThat(ElfVersion.of("2.2.5")).isLessThan(ElfVersion.of("2.3"));
    assertThat(ElfVersion.of("2.34").toString()).isEqualTo("2.34");
    assertThat(ElfVersion.parse("PRIVATE")).isEmpty();
    assertThat(ElfVersion.parse("2..3")).isEmpty();
    assertThat(ElfVersion.parse("")).isEmpty();
  }
}
