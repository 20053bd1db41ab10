package dev.accretion.testkit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Patches Unix modes into the central directory of a zip the JDK wrote (it can't set them). */
final class ZipModes {
  private ZipModes() {}

  static byte[] setUnixModes(byte[] zip, Map<String, Integer> modes) {
    byte[] out = zip.clone();
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    int eocd = -1;
    for (int i = out.length - 22; i >= 0; i--) {
      if (b.getInt(i) == 0x06054b50) {
        eocd = i;
        break;
      }
    }
    int count = Short.toUnsignedInt(b.getShort(eocd + 10));
    int offset = b.getInt(eocd + 16);
    for (int n = 0; n < count; n++) {
      int nameLength = Short.toUnsignedInt(b.getShort(offset + 28));
      int extraLength = Short.toUnsignedInt(b.getShort(offset + 30));
      int commentLength = Short.toUnsignedInt(b.getShort(offset + 32));
      String name = new String(out, offset + 46, nameLength, StandardCharsets.UTF_8);
      Integer mode = modes.get(name);
      if (mode != null) {
        b.putShort(offset + 4, (short) ((3 << 8) | 20)); // version made by: Unix
        b.putInt(offset + 38, ((0100000 | mode) << 16));
      }
      offset += 46 + nameLength + extraLength + commentLength;
    }
    return out;
  }
}
