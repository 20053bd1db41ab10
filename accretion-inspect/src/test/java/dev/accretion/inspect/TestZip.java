package dev.accretion.inspect;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes test zips with Unix modes (made-by Unix), stored or deflated entries. */
final class TestZip {
  private record Item(String path, byte[] content, int mode, boolean stored) {}

  private final List<Item> items = new ArrayList<>();

  TestZip file(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.UTF_8));
  }

  TestZip file(String path, byte[] content) {
    items.add(new Item(path, content, 0100644, false));
    return this;
  }

  TestZip stored(String path, byte[] content) {
    items.add(new Item(path, content, 0100644, true));
    return this;
  }

  TestZip executable(String path, byte[] content) {
    items.add(new Item(path, content, 0100755, false));
    return this;
  }

  Path write(Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Item i : items) {
        ZipEntry e = new ZipEntry(i.path());
        e.setTime(315532800000L);
        if (i.stored()) {
          CRC32 crc = new CRC32();
          crc.update(i.content());
          e.setMethod(ZipEntry.STORED);
          e.setSize(i.content().length);
          e.setCompressedSize(i.content().length);
          e.setCrc(crc.getValue());
        }
        zip.putNextEntry(e);
        zip.write(i.content());
        zip.closeEntry();
      }
    }
    return UnixModes.set(file, items.stream().map(Item::mode).toList());
  }

  /** java.util.zip writes no Unix modes: patch made-by and external attributes afterwards. */
  static final class UnixModes {
    static Path set(Path file, List<Integer> modes) throws IOException {
      byte[] b = Files.readAllBytes(file);
      int i = 0;
      int n = 0;
      while (i + 46 <= b.length) {
        if ((b[i] & 0xff) == 0x50 && b[i + 1] == 0x4b && b[i + 2] == 1 && b[i + 3] == 2) {
          int mode = modes.get(n++);
          b[i + 5] = 3; // made by Unix
          int external = mode << 16;
          b[i + 38] = (byte) external;
          b[i + 39] = (byte) (external >> 8);
          b[i + 40] = (byte) (external >> 16);
          b[i + 41] = (byte) (external >> 24);
          int nameLength = (b[i + 28] & 0xff) | (b[i + 29] & 0xff) << 8;
          int extra = (b[i + 30] & 0xff) | (b[i + 31] & 0xff) << 8;
          int comment = (b[i + 32] & 0xff) | (b[i + 33] & 0xff) << 8;
          i += 46 + nameLength + extra + comment;
        } else {
          i++;
        }
      }
      Files.write(file, b);
      return file;
    }
  }
}
