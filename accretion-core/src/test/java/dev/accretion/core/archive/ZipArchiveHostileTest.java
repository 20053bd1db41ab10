package dev.accretion.core.archive;

import static dev.accretion.core.archive.ZipArchive.DAMAGED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per refusal: crafted archive bytes and the exact error they must produce. */
class ZipArchiveHostileTest {
  @TempDir Path dir;

  private Path file;

  private ArchiveException openFails(ZipCraft zip) throws IOException {
    file = zip.write(dir, "evil-1.0-py3-none-any.whl");
    try (ZipArchive archive = ZipArchive.open(file, ZipLimits.lambda())) {
      throw new AssertionError("opened a hostile archive: " + archive.entries());
    } catch (ArchiveException e) {
      assertThat(e.archive()).isEqualTo(file.toString());
      return e;
    }
  }

  private String damaged(String entry, String problem) {
    return file + ": entry '" + entry + "' " + problem + "; " + DAMAGED;
  }

  private String damagedArchive(String problem) {
    return file + ": " + problem + "; " + DAMAGED;
  }

  private static ZipCraft zip(ZipCraft.Entry... entries) {
    return new ZipCraft().add(entries);
  }

  private static ZipCraft.Entry ok() {
    return ZipCraft.stored("pkg/__init__.py", "");
  }

  // ---- names ----

  @Test
  void open_refusesDotDotSegment() throws IOException {
    ArchiveException e = openFails(zip(ok(), ZipCraft.stored("pkg/../../etc/passwd", "x")));
    assertThat(e)
        .hasMessage(
            damaged(
                "pkg/../../etc/passwd",
                "has a '..' path segment, which would escape the install directory"));
    assertThat(e.entry()).isEqualTo("pkg/../../etc/passwd");
  }

  @Test
  void open_refusesDotDotAsWholeName() throws IOException {
    assertThat(openFails(zip(ZipCraft.directory("../"))))
        .hasMessage(
            damaged("../", "has a '..' path segment, which would escape the install directory"));
  }

  @Test
  void open_refusesAbsolutePath() throws IOException {
    assertThat(openFails(zip(ok(), ZipCraft.stored("/etc/cron.d/x", "x"))))
        .hasMessage(damaged("/etc/cron.d/x", "has an absolute path"));
  }

  @Test
  void open_refusesDriveLetterPath() throws IOException {
    assertThat(openFails(zip(ZipCraft.stored("C:/Windows/evil.dll", "x"))))
        .hasMessage(damaged("C:/Windows/evil.dll", "has an absolute path with a drive letter"));
    assertThat(openFails(zip(ZipCraft.stored("c:evil.dll", "x"))))
        .hasMessage(damaged("c:evil.dll", "has an absolute path with a drive letter"));
  }

  @Test
  void open_refusesBackslash() throws IOException {
    assertThat(openFails(zip(ZipCraft.stored("pkg\\..\\..\\evil.py", "x"))))
        .hasMessage(
            damaged(
                "pkg\\..\\..\\evil.py",
                "has a backslash in its name (a path separator on Windows, a literal character on"
                    + " Linux)"));
  }

  @Test
  void open_refusesNulInName() throws IOException {
    ArchiveException e = openFails(zip(ZipCraft.stored("pkg/evil.py\0.txt", "x")));
    assertThat(e).hasMessage(damaged("pkg/evil.py\\x00.txt", "has a NUL character in its name"));
    assertThat(e.entry()).isEqualTo("pkg/evil.py\0.txt");
  }

  @Test
  void open_refusesControlCharacters() throws IOException {
    assertThat(openFails(zip(ZipCraft.stored("pkg/a\nb.py", "x"))))
        .hasMessage(damaged("pkg/a\\x0ab.py", "has a control character (U+000A) in its name"));
    assertThat(openFails(zip(ZipCraft.stored("pkg/a\u001b[31mb.py", "x").flags(0x800))))
        .hasMessage(damaged("pkg/a\\x1b[31mb.py", "has a control character (U+001B) in its name"));
    assertThat(openFails(zip(ZipCraft.stored("pkg/a\u0085b.py", "x").flags(0x800))))
        .hasMessage(damaged("pkg/a\\u0085b.py", "has a control character (U+0085) in its name"));
  }

  @Test
  void open_refusesInvalidUtf8Name() throws IOException {
    byte[] name = {'p', 'k', 'g', '/', (byte) 0xc3, (byte) 0x28, '.', 'p', 'y'};
    assertThat(openFails(zip(ZipCraft.stored("x", "x").rawName(name).flags(0x800))))
        .hasMessage(damaged("pkg/\\xc3(.py", "has a name that is not valid UTF-8"));
  }

  @Test
  void open_refusesNonAsciiNameWithoutUtf8Flag() throws IOException {
    assertThat(openFails(zip(ZipCraft.stored("pkg/café.py", "x").flags(0))))
        .hasMessage(
            damaged(
                "pkg/caf\\xc3\\xa9.py",
                "has a non-ASCII name without the UTF-8 flag (bit 11), so its encoding is"
                    + " ambiguous"));
  }

  @Test
  void open_refusesNameThatNamesNothing() throws IOException {
    assertThat(openFails(zip(ZipCraft.directory("./"))))
        .hasMessage(damaged("./", "has a name that names no file"));
    assertThat(openFails(zip(ZipCraft.stored("", "x"))))
        .hasMessage(damaged("", "has a name that names no file"));
  }

  // ---- file types ----

  @Test
  void open_refusesSymlinkEntry() throws IOException {
    ZipCraft.Entry link = ZipCraft.stored("pkg/link", "/etc/passwd").unixMode(0120777);
    assertThat(openFails(zip(ok(), link)))
        .hasMessage(
            file
                + ": entry 'pkg/link' is a symbolic link; symlinks are refused because they can"
                + " point outside the install directory; ask the publisher for an archive"
                + " without symlinks");
  }

  @Test
  void open_refusesSymlinkMadeOnOsX() throws IOException {
    ZipCraft.Entry link =
        ZipCraft.stored("pkg/link", "/etc/passwd")
            .madeBy(19 << 8 | 20)
            .externalAttributes(0120755L << 16);
    assertThat(openFails(zip(link)).problem()).startsWith("is a symbolic link");
  }

  @Test
  void open_refusesOtherFileTypes() throws IOException {
    assertThat(openFails(zip(ZipCraft.stored("pkg/fifo", "").unixMode(0010644))))
        .hasMessage(
            damaged(
                "pkg/fifo",
                "is a FIFO (mode 10644); only regular files and directories can be installed"));
    assertThat(openFails(zip(ZipCraft.stored("pkg/tty", "").unixMode(0020620))).problem())
        .isEqualTo(
            "is a character device (mode 20620); only regular files and directories can be"
                + " installed");
    assertThat(openFails(zip(ZipCraft.stored("pkg/sda", "").unixMode(0060660))).problem())
        .startsWith("is a block device (mode 60660)");
    assertThat(openFails(zip(ZipCraft.stored("pkg/sock", "").unixMode(0140755))).problem())
        .startsWith("is a socket (mode 140755)");
  }

  @Test
  void open_refusesDirectoryNameWithFileModeAndTheReverse() throws IOException {
    assertThat(openFails(zip(ZipCraft.directory("pkg/").unixMode(0100644))))
        .hasMessage(damaged("pkg/", "has a name ending in '/' but the mode of a regular file"));
    assertThat(openFails(zip(ZipCraft.stored("pkg", "").unixMode(040755))))
        .hasMessage(damaged("pkg", "has the mode of a directory but a name not ending in '/'"));
  }

  // ---- duplicates ----

  @Test
  void open_refusesExactDuplicate() throws IOException {
    assertThat(
            openFails(
                zip(
                    ZipCraft.stored("pkg/__init__.py", "good"),
                    ZipCraft.stored("pkg/__init__.py", "evil"))))
        .hasMessage(
            damaged(
                "pkg/__init__.py",
                "appears twice in the archive; an installer could take either one"));
  }

  @Test
  void open_refusesDuplicateAfterNormalization() throws IOException {
    assertThat(
            openFails(zip(ZipCraft.stored("pkg/a.py", "good"), ZipCraft.stored("pkg//a.py", "x"))))
        .hasMessage(
            damaged(
                "pkg//a.py",
                "names the same path as entry 'pkg/a.py' (after normalization: 'pkg/a.py'); an"
                    + " installer could take either one"));
    assertThat(openFails(zip(ZipCraft.stored("a.py", "good"), ZipCraft.stored("./a.py", "x"))))
        .hasMessage(
            damaged(
                "./a.py",
                "names the same path as entry 'a.py' (after normalization: 'a.py'); an installer"
                    + " could take either one"));
    assertThat(openFails(zip(ZipCraft.stored("pkg", "x"), ZipCraft.directory("pkg/"))).problem())
        .startsWith("names the same path as entry 'pkg'");
  }

  @Test
  void open_refusesEntryInsideAFile() throws IOException {
    assertThat(openFails(zip(ZipCraft.stored("pkg", "x"), ZipCraft.stored("pkg/a.py", "y"))))
        .hasMessage(damaged("pkg/a.py", "lies inside 'pkg', which is a file in this archive"));
  }

  // ---- local header vs central directory ----

  @Test
  void open_refusesLocalNameMismatch() throws IOException {
    assertThat(openFails(zip(ZipCraft.stored("pkg/safe.py", "x").localName("../evil.py"))))
        .hasMessage(
            damaged(
                "pkg/safe.py",
                "has the name '../evil.py' in its local header (local header and central"
                    + " directory disagree)"));
  }

  @Test
  void open_refusesLocalMethodMismatch() throws IOException {
    assertThat(openFails(zip(ZipCraft.stored("pkg/a.py", "x").localMethod(8))))
        .hasMessage(
            damaged(
                "pkg/a.py",
                "has compression method 8 in its local header but 0 in the central directory"));
  }

  @Test
  void open_refusesLocalSizeOrCrcMismatch() throws IOException {
    assertThat(openFails(zip(ZipCraft.stored("pkg/a.py", "abc").localSizes(2, 2))))
        .hasMessage(
            damaged(
                "pkg/a.py",
                "has CRC 352441c2 and sizes 2/2 in its local header but 352441c2 and 3/3 in the"
                    + " central directory"));
    assertThat(openFails(zip(ZipCraft.stored("pkg/a.py", "abc").localCrc(0x12345678L))).problem())
        .startsWith("has CRC 12345678 and sizes 3/3 in its local header");
  }

  @Test
  void open_refusesLocalFlagsMismatch() throws IOException {
    assertThat(openFails(zip(ZipCraft.stored("pkg/a.py", "abc").localFlags(0x0800))))
        .hasMessage(
            damaged(
                "pkg/a.py",
                "has flags 0x0800 in its local header but 0x0000 in the central directory"));
  }

  @Test
  void open_refusesDataDescriptorThatDisagrees() throws IOException {
    ZipCraft.Entry e = ZipCraft.deflated("pkg/a.py", "hello hello hello").withDescriptor(true);
    e.descriptor[5] ^= 1; // corrupt the CRC in the descriptor
    assertThat(openFails(zip(e)))
        .hasMessage(
            damaged(
                "pkg/a.py",
                "has a data descriptor that is missing or disagrees with the central directory"));
  }

  @Test
  void open_refusesDescriptorEntryWithWrongLocalSizes() throws IOException {
    ZipCraft.Entry e =
        ZipCraft.deflated("pkg/a.py", "hello hello hello").withDescriptor(false).localSizes(1, 1);
    assertThat(openFails(zip(e)))
        .hasMessage(
            damaged(
                "pkg/a.py",
                "has CRC or sizes in its local header that disagree with the central directory"));
  }

  @Test
  void open_refusesMissingLocalHeader() throws IOException {
    ZipCraft.Entry a = ZipCraft.stored("pkg/a.py", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    ZipCraft.Entry b = ZipCraft.stored("pkg/b.py", "x").centralOnly(40);
    assertThat(openFails(zip(a, b)))
        .hasMessage(
            damaged("pkg/b.py", "has no local header where the central directory says (40)"));
  }

  // ---- methods and encryption ----

  @Test
  void open_refusesUnsupportedCompressionMethods() throws IOException {
    String advice =
        "; re-pack the archive with DEFLATE (any wheel built by standard tools uses it)";
    assertThat(openFails(zip(ZipCraft.raw("pkg/a.py", 12, new byte[] {1, 2}, 0, 5))))
        .hasMessage(
            file
                + ": entry 'pkg/a.py' uses compression method 12 (BZIP2), but only STORED (0) and"
                + " DEFLATE (8) are supported"
                + advice);
    assertThat(openFails(zip(ZipCraft.raw("pkg/a.py", 14, new byte[] {1}, 0, 5))).problem())
        .startsWith("uses compression method 14 (LZMA)");
    assertThat(openFails(zip(ZipCraft.raw("pkg/a.py", 93, new byte[] {1}, 0, 5))).problem())
        .startsWith("uses compression method 93 (Zstandard)");
    assertThat(openFails(zip(ZipCraft.raw("pkg/a.py", 77, new byte[] {1}, 0, 5))).problem())
        .startsWith("uses compression method 77, but");
  }

  @Test
  void open_refusesEncryptedEntries() throws IOException {
    String expected =
        ": entry 'pkg/a.py' is encrypted; encrypted entries cannot be installed: use an"
            + " unencrypted archive";
    assertThat(openFails(zip(ZipCraft.stored("pkg/a.py", "abc").flags(0x0001))))
        .hasMessage(file + expected);
    assertThat(openFails(zip(ZipCraft.raw("pkg/a.py", 99, new byte[] {1}, 0, 1))))
        .hasMessage(file + expected);
    assertThat(openFails(zip(ZipCraft.stored("pkg/a.py", "abc").flags(0x0040))))
        .hasMessage(file + expected);
  }

  // ---- layout: overlaps, data outside the file, sizes ----

  @Test
  void open_refusesOverlappingEntries() throws IOException {
    // Entry 'inner' has a valid local header and data, but both lie inside the data of 'outer':
    // the construction of "non-recursive" zip bombs that reuse one compressed kernel many times.
    ZipCraft.Entry inner = ZipCraft.stored("inner.py", "payload");
    ZipCraft.Entry outer = ZipCraft.stored("outer.py", inner.localRecord());
    inner.centralOnly(30 + "outer.py".length());
    assertThat(openFails(zip(outer, inner)))
        .hasMessage(
            damaged(
                "inner.py",
                "overlaps entry 'outer.py' (overlapping entries are how zip bombs multiply their"
                    + " data)"));
  }

  @Test
  void open_refusesFifieldStyleOverlappingBomb() throws IOException {
    // Many central records whose local headers are nested, each entry's data spanning all the
    // following headers plus one shared DEFLATE kernel.
    byte[] kernel = ZipCraft.deflate(new byte[1 << 20], 9);
    long kernelCrc = ZipCraft.crc(new byte[1 << 20]);
    int n = 5;
    ZipCraft.Entry[] entries = new ZipCraft.Entry[n];
    byte[] tail = kernel;
    for (int i = n - 1; i >= 0; i--) {
      String name = "bomb" + i;
      // A stored prefix (the following local headers) is not valid DEFLATE, but the layout
      // check must fire before any content is looked at.
      ZipCraft.Entry e = ZipCraft.raw(name, 8, tail, kernelCrc, 1 << 20);
      entries[i] = e;
      tail = e.localRecord();
    }
    ZipCraft craft = new ZipCraft();
    ZipCraft.Entry first = ZipCraft.raw("bomb0", 8, entries[0].data, kernelCrc, 1 << 20);
    craft.add(first);
    long offset = 30 + 5;
    for (int i = 1; i < n; i++) {
      craft.add(entries[i].centralOnly(offset));
      offset += 30 + 5;
    }
    assertThat(openFails(craft).problem())
        .isEqualTo(
            "overlaps entry 'bomb0' (overlapping entries are how zip bombs multiply their data)");
  }

  @Test
  void open_refusesDataRunningPastTheFile() throws IOException {
    ZipCraft.Entry e = ZipCraft.stored("pkg/a.py", "abc").sizes(1 << 30, 1 << 30);
    e.localSizes(1 << 30, 1 << 30);
    ArchiveException error = openFails(zip(e));
    assertThat(error.problem()).startsWith("has data that runs past the end of the file");
    assertThat(error)
        .hasMessage(
            damaged(
                "pkg/a.py",
                "has data that runs past the end of the file (1073741824 bytes at offset 38)"));
  }

  @Test
  void open_refusesDataRunningIntoTheCentralDirectory() throws IOException {
    ZipCraft.Entry e = ZipCraft.stored("pkg/a.py", "abc").sizes(20, 20).localSizes(20, 20);
    assertThat(openFails(zip(e)))
        .hasMessage(
            damaged(
                "pkg/a.py",
                "has data that runs into the central directory (ends at 58, directory starts at"
                    + " 41)"));
  }

  @Test
  void open_refusesLocalHeaderOutsideTheFile() throws IOException {
    assertThat(openFails(zip(ok(), ZipCraft.stored("pkg/b.py", "x").centralOnly(1 << 20))))
        .hasMessage(damaged("pkg/b.py", "has its local header outside the file (offset 1048576)"));
  }

  @Test
  void open_refusesStoredEntryWithDifferentSizes() throws IOException {
    ZipCraft.Entry e = ZipCraft.stored("pkg/a.py", "abc").sizes(3, 30).localSizes(3, 30);
    assertThat(openFails(zip(e)))
        .hasMessage(
            damaged(
                "pkg/a.py",
                "is STORED but declares 3 bytes stored and 30 bytes of content (bad sizes)"));
  }

  @Test
  void open_refusesDirectoryWithContent() throws IOException {
    ZipCraft.Entry d = ZipCraft.directory("pkg/");
    d.data = new byte[] {'x'};
    d.sizes(1, 1).crc(ZipCraft.crc(d.data));
    assertThat(openFails(zip(d)))
        .hasMessage(damaged("pkg/", "is a directory but declares 1 bytes of content (bad sizes)"));
  }

  @Test
  void open_refusesMalformedZip64Extra() throws IOException {
    ZipCraft.Entry e = ZipCraft.stored("pkg/a.py", "abc").centralExtra(new byte[] {1, 0, 9, 0});
    assertThat(openFails(zip(e)))
        .hasMessage(damaged("pkg/a.py", "has a malformed extra field (runs past its end)"));
    ZipCraft.Entry short64 =
        ZipCraft.stored("pkg/a.py", "abc")
            .sizes(3, 0xFFFF_FFFFL)
            .centralExtra(new byte[] {1, 0, 0, 0});
    assertThat(openFails(zip(short64)).problem())
        .isEqualTo("has a ZIP64 extra field too short for the values it replaces");
  }

  // ---- end records ----

  @Test
  void open_refusesEntryCountThatIsTooHigh() throws IOException {
    // Long names, so that the directory could hold a third record by size alone.
    ZipCraft craft =
        zip(
                ZipCraft.stored("pkg/a_rather_long_module_name.py", "a"),
                ZipCraft.stored("pkg/b_rather_long_module_name.py", "b"))
            .declaredCount(3);
    assertThat(openFails(craft))
        .hasMessage(
            damagedArchive(
                "declares 3 entries, but its central directory holds only 2 (the entry count"
                    + " lies, or the directory is damaged)"));
  }

  @Test
  void open_refusesEntryCountThatIsSlightlyTooHigh() throws IOException {
    ZipCraft craft = zip(ok(), ZipCraft.stored("pkg/b.py", "b")).declaredCount(3);
    assertThat(openFails(craft))
        .hasMessage(
            damagedArchive(
                "declares 3 entries, but its central directory of 115 bytes can hold at most 2"
                    + " (the entry count lies)"));
  }

  @Test
  void open_refusesEntryCountThatIsTooLow() throws IOException {
    ZipCraft craft = zip(ok(), ZipCraft.stored("pkg/b.py", "b")).declaredCount(1);
    assertThat(openFails(craft))
        .hasMessage(
            damagedArchive(
                "has more entries in its central directory than the 1 its end record declares (the"
                    + " entry count lies)"));
  }

  @Test
  void open_refusesEntryCountBeyondWhatTheDirectoryCanHold() throws IOException {
    ZipCraft craft = zip(ok()).declaredCount(1000);
    assertThat(openFails(craft))
        .hasMessage(
            damagedArchive(
                "declares 1000 entries, but its central directory of 61 bytes can hold at most 1"
                    + " (the entry count lies)"));
  }

  @Test
  void open_refusesGarbageAfterTheLastCentralRecord() throws IOException {
    ZipCraft craft = zip(ok()).centralTrailing(new byte[] {1, 2, 3});
    assertThat(openFails(craft))
        .hasMessage(
            damagedArchive("has 3 bytes of unexplained data at the end of its central directory"));
  }

  @Test
  void open_refusesCentralDirectoryNotWhereTheEndRecordSays() throws IOException {
    ZipCraft craft = zip(ok()).prefix("#!/bin/sh\nexec evil\n".getBytes(StandardCharsets.UTF_8));
    byte[] bytes = craft.build();
    // With a prepended script every offset is 20 bytes short of where the data really is.
    Path prepended = dir.resolve("prepended.whl");
    java.nio.file.Files.write(prepended, shiftOffsets(bytes, 20));
    file = prepended;
    assertThatThrownBy(() -> ZipArchive.open(prepended, ZipLimits.lambda()))
        .isInstanceOf(ArchiveException.class)
        .hasMessage(
            damagedArchive(
                "has a central directory that is not where its end record says (offset 45, size"
                    + " 61, but the end record is at 126): data prepended or truncated, or a"
                    + " forged end record"));
  }

  /** Subtracts {@code shift} from the central directory offset in the end record. */
  private static byte[] shiftOffsets(byte[] zip, int shift) {
    ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    int end = zip.length - 22;
    b.putInt(end + 16, b.getInt(end + 16) - shift);
    return zip;
  }

  @Test
  void open_refusesMissingEndRecord() throws IOException {
    byte[] good = zip(ok()).build();
    file = dir.resolve("truncated.whl");
    java.nio.file.Files.write(file, Arrays.copyOf(good, good.length - 5));
    assertThatThrownBy(() -> ZipArchive.open(file, ZipLimits.lambda()))
        .hasMessage(
            damagedArchive(
                "has no end of central directory record (not a zip archive, truncated, or with"
                    + " data appended)"));
  }

  @Test
  void open_refusesDataAfterTheEndRecord() throws IOException {
    assertThat(openFails(zip(ok()).trailing(new byte[] {0, 0, 0, 0})))
        .hasMessage(
            damagedArchive(
                "has no end of central directory record (not a zip archive, truncated, or with"
                    + " data appended)"));
  }

  @Test
  void open_refusesTinyFile() throws IOException {
    file = dir.resolve("tiny.whl");
    java.nio.file.Files.write(file, new byte[] {'P', 'K'});
    assertThatThrownBy(() -> ZipArchive.open(file, ZipLimits.lambda()))
        .hasMessage(file + ": is too small to be a zip archive (2 bytes); it is not a zip archive");
  }

  @Test
  void open_refusesSplitArchives() throws IOException {
    assertThat(openFails(zip(ok()).endDisk(1)))
        .hasMessage(
            file
                + ": spans several disks (a split archive), which is not supported; join the"
                + " parts into one archive");
    assertThat(openFails(zip(ok().diskStart(2))).problem())
        .isEqualTo("starts on disk 2 (a split archive), which is not supported");
  }

  @Test
  void open_refusesMoreEntriesThanTheLimit() throws IOException {
    file = zip(ok(), ZipCraft.stored("b", "b"), ZipCraft.stored("c", "c")).write(dir, "many.whl");
    assertThatThrownBy(() -> ZipArchive.open(file, ZipLimits.lambda().withMaxEntries(2)))
        .hasMessage(
            file
                + ": declares 3 entries, more than the limit of 2; split the content over several"
                + " archives");
  }

  @Test
  void open_refusesZip64EndRecordsThatDisagree() throws IOException {
    ZipCraft craft = zip(ok()).zip64End();
    byte[] bytes = craft.build();
    // Classic record: replace the 0xFFFF entry-count markers with a different count.
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int end = bytes.length - 22;
    b.putShort(end + 8, (short) 7).putShort(end + 10, (short) 7);
    file = dir.resolve("zip64.whl");
    java.nio.file.Files.write(file, bytes);
    assertThatThrownBy(() -> ZipArchive.open(file, ZipLimits.lambda()))
        .hasMessage(damagedArchive("has ZIP64 and classic end records that disagree"));
  }

  // ---- content: bombs, lying sizes, CRC ----

  private ArchiveException readFails(ZipCraft zip, ZipLimits limits) throws IOException {
    file = zip.write(dir, "bomb-1.0-py3-none-any.whl");
    try (ZipArchive archive = ZipArchive.open(file, limits)) {
      for (ZipEntryInfo e : archive.entries()) {
        archive.digest(e);
      }
      throw new AssertionError("read every entry of a hostile archive");
    } catch (ArchiveException e) {
      return e;
    }
  }

  @Test
  void read_stopsHighRatioBombAtTheArchiveLimit() throws IOException {
    byte[] zeros = new byte[8 << 20];
    ZipCraft bomb = zip(ZipCraft.deflated("a.bin", zeros), ZipCraft.deflated("b.bin", zeros));
    ZipLimits limits = ZipLimits.lambda().withMaxArchiveBytes(10 << 20);
    assertThat(readFails(bomb, limits))
        .hasMessage(
            file
                + ": entry 'b.bin' takes the archive past 10485760 bytes unzipped, the per-archive"
                + " limit (a zip bomb, or simply too big for a Lambda layer); a Lambda layer holds"
                + " at most 262144000 bytes unzipped: leave this package out or move it elsewhere"
                + " (EFS)");
  }

  @Test
  void read_refusesEntryDeclaringMoreThanTheLimitBeforeInflating() throws IOException {
    ZipCraft bomb = zip(ZipCraft.deflated("a.bin", new byte[3 << 20]));
    ZipLimits limits = ZipLimits.lambda().withMaxArchiveBytes(1 << 20);
    assertThat(readFails(bomb, limits).problem())
        .isEqualTo("declares 3145728 bytes unzipped, more than the per-archive limit of 1048576");
  }

  @Test
  void read_stopsBombsSpreadOverArchivesAtTheSharedBudget() throws Exception {
    ZipLimits limits = ZipLimits.lambda().withBudget(new ByteBudget(6 << 20));
    Path first = zip(ZipCraft.deflated("a.bin", new byte[4 << 20])).write(dir, "one.whl");
    try (ZipArchive archive = ZipArchive.open(first, limits)) {
      archive.digest(archive.entries().get(0));
      // Reading the same entry again is not charged twice.
      archive.digest(archive.entries().get(0));
    }
    ArchiveException e = readFails(zip(ZipCraft.deflated("b.bin", new byte[4 << 20])), limits);
    assertThat(e)
        .hasMessage(
            file
                + ": entry 'b.bin' takes the archives read so far past 6291456 bytes unzipped in"
                + " total, the limit for one build; a Lambda layer holds at most 262144000 bytes"
                + " unzipped: leave some packages out or split the layer");
    assertThat(limits.budget().used()).isGreaterThan(6 << 20);
  }

  @Test
  void read_refusesContentLargerThanDeclared() throws IOException {
    ZipCraft.Entry e = ZipCraft.deflated("pkg/a.bin", new byte[1 << 20]);
    e.sizes(e.compressedSize, 1000).localSizes(e.compressedSize, 1000);
    assertThat(readFails(zip(e), ZipLimits.lambda()))
        .hasMessage(
            damaged(
                "pkg/a.bin",
                "inflates to more than the 1000 bytes its headers declare (a zip bomb, or the"
                    + " sizes lie)"));
  }

  @Test
  void read_refusesContentSmallerThanDeclared() throws IOException {
    ZipCraft.Entry e = ZipCraft.deflated("pkg/a.bin", new byte[1000]);
    e.sizes(e.compressedSize, 2000).localSizes(e.compressedSize, 2000);
    assertThat(readFails(zip(e), ZipLimits.lambda()))
        .hasMessage(damaged("pkg/a.bin", "inflates to 1000 bytes, but its headers declare 2000"));
  }

  @Test
  void read_refusesCrcMismatch() throws IOException {
    ZipCraft.Entry e = ZipCraft.deflated("pkg/a.py", "print('hello')\n").crc(0xdeadbeefL);
    assertThat(readFails(zip(e), ZipLimits.lambda()))
        .hasMessage(
            damaged(
                "pkg/a.py",
                "fails its CRC-32 check (headers say deadbeef, content gives "
                    + String.format(
                        "%08x", ZipCraft.crc("print('hello')\n".getBytes(StandardCharsets.UTF_8)))
                    + ")"));
    ZipCraft.Entry s = ZipCraft.stored("pkg/b.py", "x = 1\n").crc(1);
    assertThat(readFails(zip(s), ZipLimits.lambda()).problem())
        .startsWith("fails its CRC-32 check (headers say 00000001");
  }

  @Test
  void read_refusesTruncatedDeflateData() throws IOException {
    byte[] content = new byte[100_000];
    new java.util.Random(1).nextBytes(content);
    byte[] deflated = ZipCraft.deflate(content, 6);
    byte[] cut = Arrays.copyOf(deflated, deflated.length / 2);
    ZipCraft.Entry e = ZipCraft.raw("pkg/a.bin", 8, cut, ZipCraft.crc(content), content.length);
    assertThat(readFails(zip(e), ZipLimits.lambda()))
        .hasMessage(
            damaged(
                "pkg/a.bin",
                "has DEFLATE data that stops before its stream ends (truncated, or the sizes"
                    + " lie)"));
  }

  @Test
  void read_refusesDataAfterTheDeflateStream() throws IOException {
    byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
    byte[] deflated = ZipCraft.deflate(content, 6);
    byte[] padded = Arrays.copyOf(deflated, deflated.length + 7);
    ZipCraft.Entry e = ZipCraft.raw("pkg/a.txt", 8, padded, ZipCraft.crc(content), 5);
    assertThat(readFails(zip(e), ZipLimits.lambda()))
        .hasMessage(
            damaged(
                "pkg/a.txt",
                "has 7 bytes of data after the end of its DEFLATE stream (the sizes lie)"));
  }

  @Test
  void read_refusesCorruptDeflateData() throws IOException {
    // BTYPE 11 is reserved: "invalid block type".
    ZipCraft.Entry e = ZipCraft.raw("pkg/a.txt", 8, new byte[] {(byte) 0xff, 0, 0, 0}, 0, 5);
    assertThat(readFails(zip(e), ZipLimits.lambda()).problem())
        .isEqualTo("has corrupt DEFLATE data (invalid block type)");
  }

  @Test
  void stream_reportsFailuresAsIoExceptionsCarryingTheArchiveException() throws IOException {
    ZipCraft.Entry e = ZipCraft.deflated("pkg/a.py", "print('hello')\n").crc(1);
    file = zip(e).write(dir, "crc.whl");
    try (ZipArchive archive = ZipArchive.open(file, ZipLimits.lambda());
        InputStream in = archive.open(archive.entries().get(0))) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasCauseInstanceOf(ArchiveException.class)
          .hasMessageContaining("entry 'pkg/a.py' fails its CRC-32 check");
    } catch (ArchiveException unexpected) {
      throw new AssertionError(unexpected);
    }
  }
}
