package dev.accretion.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Writes tar.gz files entry by entry for tests, hostile ones included: any name, type, mode, link
 * target, and a declared size that differs from the data.
 */
public final class TarBuilder {
  private final ByteArrayOutputStream tar = new ByteArrayOutputStream();

  public TarBuilder file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
  }

  public TarBuilder file(String name, byte[] content, int mode) {
    return entry(name, '0', mode, "", content, content.length);
  }

  public TarBuilder dir(String name) {
    return entry(name, '5', 0755, "", new byte[0], 0);
  }

  public TarBuilder symlink(String name, String target) {
    return entry(name, '2', 0777, target, new byte[0], 0);
  }

  public TarBuilder hardlink(String name, String target) {
    return entry(name, '1', 0644, target, new byte[0], 0);
  }

  public TarBuilder device(String name) {
    return entry(name, '3', 0644, "", new byte[0], 0);
  }

  public TarBuilder fifo(String name) {
    return entry(name, '6', 0644, "", new byte[0], 0);
  }

  /** A pax header giving the next entry a long path. */
  public TarBuilder paxPath(String path) {
    byte[] rec = paxRecord("path", path);
    return entry("PaxHeader/x", 'x', 0644, "", rec, rec.length);
  }

  private static byte[] paxRecord(String key, String value) {
    String body = " " + key + "=" + value + "\n";
    int len = body.getBytes(StandardCharsets.UTF_8).length;
    int total = len + String.valueOf(len).length();
    if (String.valueOf(total).length() != String.valueOf(len).length()) {
      total++;
    }
    return (total + body).getBytes(StandardCharsets.UTF_8);
  }

  /** An entry whose header claims {@code declaredSize} bytes while {@code data} is written. */
  public TarBuilder entry(
      String name, char type, int mode, String link, byte[] data, long declaredSize) {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(n, 0, h, 0, Math.min(n.length, 100));
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, declaredSize);
    octal(h, 136, 12, 0);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    h[156] = (byte) type;
    byte[] l = link.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(l, 0, h, 157, Math.min(l.length, 100));
    System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
    h[263] = '0';
    h[264] = '0';
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    String chk = String.format("%06o", sum);
    System.arraycopy(chk.getBytes(StandardCharsets.US_ASCII), 0, h, 148, 6);
    h[154] = 0;
    h[155] = ' ';
    tar.writeBytes(h);
    tar.writeBytes(data);
    int pad = (int) ((512 - (data.length % 512)) % 512);
    tar.writeBytes(new byte[pad]);
    return this;
  }

  private static void octal(byte[] h, int off, int len, long v) {
    String s = String.format("%0" + (len - 1) + "o", v);
    if (s.length() > len - 1) {
      // GNU base-256 for sizes that do not fit
      h[off] = (byte) 0x80;
      for (int i = len - 1; i > 0; i--) {
        h[off + i] = (byte) (v & 0xff);
        v >>>= 8;
      }
      return;
    }
    System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
    h[off + len - 1] = 0;
  }

  /** The archive, uncompressed, with the two end blocks. */
  public byte[] tar() {
    byte[] body = tar.toByteArray();
    return java.util.Arrays.copyOf(body, body.length + 1024);
  }

  /** The archive, gzip-compressed, with the two end blocks. */
  public byte[] gzip() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(tar.toByteArray());
        gz.write(new byte[1024]);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
