package dev.accretion.core.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Test-only zip crafting at the byte level: every header field of the local and central records can
 * be set on its own, so tests can build the broken and hostile archives that {@link
 * java.util.zip.ZipOutputStream} refuses to write.
 */
final class ZipCraft {
  /** One entry; local header fields default to the central ones. */
  static final class Entry {
    byte[] name;
    int method;
    int flags;
    long crc;
    long compressedSize;
    long uncompressedSize;
    byte[] data = new byte[0];
    int madeBy = 3 << 8 | 20;
    int versionNeeded = 20;
    long externalAttributes = 0100644L << 16;
    byte[] centralExtra = new byte[0];
    byte[] localExtra = new byte[0];
    byte[] localName;
    Integer localMethod;
    Integer localFlags;
    Long localCrc;
    Long localCompressedSize;
    Long localUncompressedSize;
    byte[] descriptor;
    Long offset;
    boolean centralOnly;
    int diskStart;

    Entry name(String value) {
      name = value.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    Entry rawName(byte[] value) {
      name = value;
      return this;
    }

    Entry flags(int value) {
      flags = value;
      return this;
    }

    Entry method(int value) {
      method = value;
      return this;
    }

    Entry crc(long value) {
      crc = value;
      return this;
    }

    Entry sizes(long compressed, long uncompressed) {
      compressedSize = compressed;
      uncompressedSize = uncompressed;
      return this;
    }

    Entry unixMode(int mode) {
      madeBy = 3 << 8 | 20;
      externalAttributes = (long) mode << 16;
      return this;
    }

    Entry madeBy(int value) {
      madeBy = value;
      return this;
    }

    Entry externalAttributes(long value) {
      externalAttributes = value;
      return this;
    }

    Entry localName(String value) {
      localName = value.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    Entry localMethod(int value) {
      localMethod = value;
      return this;
    }

    Entry localFlags(int value) {
      localFlags = value;
      return this;
    }

    Entry localCrc(long value) {
      localCrc = value;
      return this;
    }

    Entry localSizes(long compressed, long uncompressed) {
      localCompressedSize = compressed;
      localUncompressedSize = uncompressed;
      return this;
    }

    Entry centralExtra(byte[] value) {
      centralExtra = value;
      return this;
    }

    Entry localExtra(byte[] value) {
      localExtra = value;
      return this;
    }

    /** Uses a data descriptor: bit 3 set, zero CRC/sizes in the local header, descriptor after. */
    Entry withDescriptor(boolean signature) {
      flags |= 0x08;
      localCrc = 0L;
      localCompressedSize = 0L;
      localUncompressedSize = 0L;
      ByteBuffer d = ByteBuffer.allocate(signature ? 16 : 12).order(ByteOrder.LITTLE_ENDIAN);
      if (signature) {
        d.putInt(0x08074b50);
      }
      d.putInt((int) crc).putInt((int) compressedSize).putInt((int) uncompressedSize);
      descriptor = d.array();
      return this;
    }

    Entry descriptor(byte[] value) {
      descriptor = value;
      return this;
    }

    /** Central record points at {@code value} instead of this entry's own local header. */
    Entry offset(long value) {
      offset = value;
      return this;
    }

    /** Only a central record is written (with {@link #offset}); no local header or data. */
    Entry centralOnly(long value) {
      centralOnly = true;
      offset = value;
      return this;
    }

    Entry diskStart(int value) {
      diskStart = value;
      return this;
    }

    /** The local header, name, extra, data and descriptor of this entry. */
    byte[] localRecord() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] lname = localName != null ? localName : name;
      ByteBuffer h = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
      h.putInt(0x04034b50);
      h.putShort((short) versionNeeded);
      h.putShort((short) (localFlags != null ? localFlags : flags));
      h.putShort((short) (localMethod != null ? localMethod : method));
      h.putShort((short) 0);
      h.putShort((short) 0x21);
      h.putInt((int) (localCrc != null ? localCrc : crc));
      h.putInt((int) (localCompressedSize != null ? localCompressedSize : compressedSize));
      h.putInt((int) (localUncompressedSize != null ? localUncompressedSize : uncompressedSize));
      h.putShort((short) lname.length);
      h.putShort((short) localExtra.length);
      out.writeBytes(h.array());
      out.writeBytes(lname);
      out.writeBytes(localExtra);
      out.writeBytes(data);
      if (descriptor != null) {
        out.writeBytes(descriptor);
      }
      return out.toByteArray();
    }

    byte[] centralRecord(long localOffset) {
      ByteBuffer h = ByteBuffer.allocate(46).order(ByteOrder.LITTLE_ENDIAN);
      h.putInt(0x02014b50);
      h.putShort((short) madeBy);
      h.putShort((short) versionNeeded);
      h.putShort((short) flags);
      h.putShort((short) method);
      h.putShort((short) 0);
      h.putShort((short) 0x21);
      h.putInt((int) crc);
      h.putInt((int) compressedSize);
      h.putInt((int) uncompressedSize);
      h.putShort((short) name.length);
      h.putShort((short) centralExtra.length);
      h.putShort((short) 0);
      h.putShort((short) diskStart);
      h.putShort((short) 0);
      h.putInt((int) externalAttributes);
      h.putInt((int) localOffset);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(h.array());
      out.writeBytes(name);
      out.writeBytes(centralExtra);
      return out.toByteArray();
    }
  }

  static Entry stored(String name, byte[] content) {
    Entry e = new Entry().name(name);
    e.method = 0;
    e.data = content.clone();
    e.crc = crc(content);
    e.compressedSize = content.length;
    e.uncompressedSize = content.length;
    e.versionNeeded = 10;
    return e;
  }

  static Entry stored(String name, String content) {
    return stored(name, content.getBytes(StandardCharsets.UTF_8));
  }

  static Entry deflated(String name, byte[] content) {
    Entry e = new Entry().name(name);
    e.method = 8;
    e.data = deflate(content, Deflater.DEFAULT_COMPRESSION);
    e.crc = crc(content);
    e.compressedSize = e.data.length;
    e.uncompressedSize = content.length;
    return e;
  }

  static Entry deflated(String name, String content) {
    return deflated(name, content.getBytes(StandardCharsets.UTF_8));
  }

  /** An entry whose stored bytes are exactly {@code data} (any method). */
  static Entry raw(String name, int method, byte[] data, long crc, long uncompressedSize) {
    Entry e = new Entry().name(name);
    e.method = method;
    e.data = data.clone();
    e.crc = crc;
    e.compressedSize = data.length;
    e.uncompressedSize = uncompressedSize;
    return e;
  }

  static Entry directory(String name) {
    Entry e = new Entry().name(name);
    e.versionNeeded = 10;
    e.externalAttributes = 040755L << 16 | 0x10;
    return e;
  }

  static long crc(byte[] content) {
    CRC32 c = new CRC32();
    c.update(content);
    return c.getValue();
  }

  static byte[] deflate(byte[] content, int level) {
    Deflater deflater = new Deflater(level, true);
    deflater.setInput(content);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    while (!deflater.finished()) {
      int n = deflater.deflate(buffer);
      out.write(buffer, 0, n);
    }
    deflater.end();
    return out.toByteArray();
  }

  /** A ZIP64 extended information extra field holding {@code values} (8 bytes each). */
  static byte[] zip64Extra(long... values) {
    ByteBuffer b = ByteBuffer.allocate(4 + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) 1).putShort((short) (8 * values.length));
    for (long v : values) {
      b.putLong(v);
    }
    return b.array();
  }

  private final List<Entry> entries = new ArrayList<>();
  private byte[] prefix = new byte[0];
  private byte[] comment = new byte[0];
  private byte[] trailing = new byte[0];
  private byte[] centralTrailing = new byte[0];
  private Integer declaredCount;
  private Long declaredCentralSize;
  private Long declaredCentralOffset;
  private int endDisk;
  private boolean zip64End;

  ZipCraft add(Entry... more) {
    entries.addAll(List.of(more));
    return this;
  }

  ZipCraft prefix(byte[] value) {
    prefix = value;
    return this;
  }

  ZipCraft comment(String value) {
    comment = value.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  ZipCraft trailing(byte[] value) {
    trailing = value;
    return this;
  }

  /** Bytes placed after the last central record (inside the declared central directory). */
  ZipCraft centralTrailing(byte[] value) {
    centralTrailing = value;
    return this;
  }

  ZipCraft declaredCount(int value) {
    declaredCount = value;
    return this;
  }

  ZipCraft declaredCentralSize(long value) {
    declaredCentralSize = value;
    return this;
  }

  ZipCraft declaredCentralOffset(long value) {
    declaredCentralOffset = value;
    return this;
  }

  ZipCraft endDisk(int value) {
    endDisk = value;
    return this;
  }

  /** Writes ZIP64 end record and locator, with "see ZIP64" markers in the classic record. */
  ZipCraft zip64End() {
    zip64End = true;
    return this;
  }

  byte[] build() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(prefix);
    List<Long> offsets = new ArrayList<>();
    for (Entry e : entries) {
      if (e.centralOnly) {
        offsets.add(e.offset);
        continue;
      }
      long own = out.size();
      out.writeBytes(e.localRecord());
      offsets.add(e.offset != null ? e.offset : own);
    }
    long centralStart = out.size();
    for (int i = 0; i < entries.size(); i++) {
      out.writeBytes(entries.get(i).centralRecord(offsets.get(i)));
    }
    out.writeBytes(centralTrailing);
    long centralSize = out.size() - centralStart;
    int count = declaredCount != null ? declaredCount : entries.size();
    long size = declaredCentralSize != null ? declaredCentralSize : centralSize;
    long offset = declaredCentralOffset != null ? declaredCentralOffset : centralStart;
    if (zip64End) {
      long zip64Offset = out.size();
      ByteBuffer z = ByteBuffer.allocate(56 + 20).order(ByteOrder.LITTLE_ENDIAN);
      z.putInt(0x06064b50).putLong(44).putShort((short) 0x032d).putShort((short) 45);
      z.putInt(0).putInt(0).putLong(count).putLong(count).putLong(size).putLong(offset);
      z.putInt(0x07064b50).putInt(0).putLong(zip64Offset).putInt(1);
      out.writeBytes(z.array());
    }
    ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
    end.putInt(0x06054b50);
    end.putShort((short) endDisk).putShort((short) endDisk);
    end.putShort((short) (zip64End ? 0xFFFF : count));
    end.putShort((short) (zip64End ? 0xFFFF : count));
    end.putInt(zip64End ? -1 : (int) size);
    end.putInt(zip64End ? -1 : (int) offset);
    end.putShort((short) comment.length);
    out.writeBytes(end.array());
    out.writeBytes(comment);
    out.writeBytes(trailing);
    return out.toByteArray();
  }

  Path write(Path directory, String fileName) throws IOException {
    Path file = directory.resolve(fileName);
    Files.write(file, build());
    return file;
  }
}
