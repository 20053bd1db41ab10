package dev.accretion.python.builder;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes zip files byte by byte for tests, including the broken and hostile kinds a wheel must be
 * refused for: every header field can be overridden. Entries are STORED unless asked otherwise, so
 * the bytes do not depend on any zlib build. Not thread-safe.
 */
final class ZipBytes {
  /** One entry; fields left null take the true value. */
  static final class Entry {
    String name;
    byte[] data = new byte[0];
    int method = 0;
    int unixMode = 0100644;
    int flags = 0x0800;
    Long crc;
    Long declaredSize;
    Long compressedSize;
    String localName;
    Integer localMethod;
    byte[] payload;

    Entry(String name, byte[] data) {
      this.name = name;
      this.data = data;
    }
  }

  final List<Entry> entries = new ArrayList<>();

  Entry add(String name, byte[] data) {
    Entry e = new Entry(name, data);
    entries.add(e);
    return e;
  }

  Entry add(String name, String text) {
    return add(name, text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] deflate(byte[] data) {
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
    d.setInput(data);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[65536];
    while (!d.finished()) {
      int n = d.deflate(buffer);
      out.write(buffer, 0, n);
    }
    d.end();
    return out.toByteArray();
  }

  byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<long[]> offsets = new ArrayList<>();
    List<byte[]> payloads = new ArrayList<>();
    for (Entry e : entries) {
      byte[] payload = e.payload != null ? e.payload : e.method == 8 ? deflate(e.data) : e.data;
      payloads.add(payload);
      CRC32 crc = new CRC32();
      crc.update(e.data);
      long crcValue = e.crc != null ? e.crc : crc.getValue();
      long size = e.declaredSize != null ? e.declaredSize : e.data.length;
      long compressed = e.compressedSize != null ? e.compressedSize : payload.length;
      byte[] name = (e.localName != null ? e.localName : e.name).getBytes(StandardCharsets.UTF_8);
      offsets.add(new long[] {out.size()});
      ByteBuffer h = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
      h.putInt(0x04034b50)
          .putShort((short) 20)
          .putShort((short) e.flags)
          .putShort((short) (e.localMethod != null ? e.localMethod : e.method))
          .putShort((short) 0)
          .putShort((short) 0x21)
          .putInt((int) crcValue)
          .putInt((int) compressed)
          .putInt((int) size)
          .putShort((short) name.length)
          .putShort((short) 0);
      out.writeBytes(h.array());
      out.writeBytes(name);
      out.writeBytes(payload);
    }
    int centralStart = out.size();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      byte[] payload = payloads.get(i);
      CRC32 crc = new CRC32();
      crc.update(e.data);
      long crcValue = e.crc != null ? e.crc : crc.getValue();
      long size = e.declaredSize != null ? e.declaredSize : e.data.length;
      long compressed = e.compressedSize != null ? e.compressedSize : payload.length;
      byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
      ByteBuffer c = ByteBuffer.allocate(46).order(ByteOrder.LITTLE_ENDIAN);
      c.putInt(0x02014b50)
          .putShort((short) (3 << 8 | 20))
          .putShort((short) 20)
          .putShort((short) e.flags)
          .putShort((short) e.method)
          .putShort((short) 0)
          .putShort((short) 0x21)
          .putInt((int) crcValue)
          .putInt((int) compressed)
          .putInt((int) size)
          .putShort((short) name.length)
          .putShort((short) 0)
          .putShort((short) 0)
          .putShort((short) 0)
          .putShort((short) 0)
          .putInt(e.unixMode << 16)
          .putInt((int) offsets.get(i)[0]);
      out.writeBytes(c.array());
      out.writeBytes(name);
    }
    int centralSize = out.size() - centralStart;
    ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
    end.putInt(0x06054b50)
        .putShort((short) 0)
        .putShort((short) 0)
        .putShort((short) entries.size())
        .putShort((short) entries.size())
        .putInt(centralSize)
        .putInt(centralStart)
        .putShort((short) 0);
    out.writeBytes(end.array());
    return out.toByteArray();
  }
}
