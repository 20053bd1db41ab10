package dev.accretion.core.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * A small fixed layer built from a crafted source wheel (whose DEFLATE bytes are fixed here, so the
 * fixture never depends on the JDK's zlib) plus generated entries. Also runnable as a program, so a
 * child JVM with another time zone, locale and umask can build it: {@code main(outputZip, seed)}
 * prints the zip's sha256.
 */
final class ReproducibilityFixture {
  /**
   * DEFLATE of {@link #MODULE_TEXT} as no plain deflate call makes it: made once with Python's
   * zlib, strategy Z_HUFFMAN_ONLY and a Z_SYNC_FLUSH after 50 bytes (an empty stored block in the
   * middle).
   */
  static final byte[] MODULE_DEFLATED =
      HexFormat.of()
          .parseHex(
              "4a494d53c848cdc9c9d7d0b4e252505050284a2d292dca5350cf48cdc9c9d751c849ac4c2d52e74a494d"
                  + "53c848cdc9c9d7d004000000ffff05c1b109c0300c04c05e537ca7043c81b731f8838ac7026117"
                  + "de3e77dd00a0b84f2d7850ca068dcb729bfc1094f279bb0140719f5af0a0940d1a97e5f603");

  static final byte[] MODULE_TEXT =
      "def hello():\n    return 'hello, layer'\n".repeat(3).getBytes(StandardCharsets.UTF_8);

  /** A raw DEFLATE stream made of one stored block (BFINAL=1, BTYPE=00) holding "hi!\n". */
  static final byte[] STORED_BLOCK_DEFLATE = {
    1, 4, 0, (byte) 0xfb, (byte) 0xff, 'h', 'i', '!', '\n'
  };

  private ReproducibilityFixture() {}

  /** Writes the source wheel of the fixture into {@code dir}. */
  static Path sourceWheel(Path dir) throws IOException {
    ZipCraft craft =
        new ZipCraft()
            .add(
                ZipCraft.raw(
                    "pkg/hello.py",
                    8,
                    MODULE_DEFLATED,
                    ZipCraft.crc(MODULE_TEXT),
                    MODULE_TEXT.length),
                ZipCraft.raw(
                        "pkg/tool",
                        8,
                        STORED_BLOCK_DEFLATE,
                        ZipCraft.crc("hi!\n".getBytes(StandardCharsets.US_ASCII)),
                        4)
                    .unixMode(0100775),
                ZipCraft.stored("pkg/data.txt", "plain data\n").unixMode(0100600),
                ZipCraft.directory("pkg/"));
    return craft.write(dir, "pkg-1.0-py3-none-any.whl");
  }

  /** Adds the fixture's entries to a writer in an order shuffled by {@code seed} (0: as listed). */
  static ReproducibleZipWriter fill(ZipArchive wheel, long seed) throws ArchiveException {
    List<Runnable> adds = new ArrayList<>();
    ReproducibleZipWriter writer = new ReproducibleZipWriter();
    for (ZipEntryInfo e : wheel.entries()) {
      if (e.isDirectory()) {
        continue;
      }
      String sha = wheel.digest(e).sha256Hex();
      String target = e.path().equals("pkg/tool") ? "bin/tool" : "python/" + e.path();
      adds.add(() -> writer.addRaw(target, wheel, e, sha, "pkg"));
    }
    adds.add(
        () ->
            writer.addBytes(
                "python/pkg-1.0.dist-info/INSTALLER",
                "accretion\n".getBytes(StandardCharsets.UTF_8),
                false,
                "pkg"));
    adds.add(
        () ->
            writer.addBytes(
                "python/pkg/données-é.txt",
                "unicode name\n".getBytes(StandardCharsets.UTF_8),
                false,
                "pkg"));
    adds.add(
        () ->
            writer.addBytes(
                "python/pkg-extra.pth", "pkg\n".getBytes(StandardCharsets.UTF_8), false, "other"));
    adds.add(() -> writer.addBytes("python/pkg/__init__.py", new byte[0], false, "pkg"));
    adds.add(() -> writer.addBytes("python/pkg/__init__.py", new byte[0], false, "other"));
    adds.add(
        () ->
            writer.addBytes(
                "bin/run", "#!/bin/sh\necho run\n".getBytes(StandardCharsets.UTF_8), true, "pkg"));
    adds.add(() -> writer.addDirectory("python/pkg/empty", "pkg"));
    adds.add(() -> writer.addDirectory("python", "pkg"));
    if (seed != 0) {
      Collections.shuffle(adds, new Random(seed));
    }
    adds.forEach(Runnable::run);
    return writer;
  }

  /** Builds the fixture layer at {@code output} with entries added in {@code seed} order. */
  static ZipResult build(Path workDir, Path output, long seed)
      throws IOException, ArchiveException {
    Files.createDirectories(workDir);
    Path wheel = sourceWheel(workDir);
    try (ZipArchive archive = ZipArchive.open(wheel, ZipLimits.lambda())) {
      return fill(archive, seed).write(output);
    }
  }

  public static void main(String[] args) throws Exception {
    Path output = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    ZipResult result = build(output.resolveSibling("work-" + seed), output, seed);
    System.out.println(result.sha256Hex() + " " + result.contentDigest());
  }
}
