package dev.accretion.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only builder of small but loader-shaped ELF shared objects (the same shape as core's own
 * test builder, public so other modules' tests can write native files into layers): ELF header,
 * PT_LOAD and PT_DYNAMIC program headers, a dynamic segment with
 * DT_NEEDED/DT_STRTAB/DT_STRSZ/DT_VERNEED, the dynamic string table and version needs, and matching
 * section headers (.dynstr, .gnu.version_r, .dynamic, .shstrtab) so that readelf can serve as an
 * oracle on the same bytes.
 */
public final class ElfBuilder {
  /** {@code e_machine} of x86-64. */
  public static final int EM_X86_64 = 62;

  /** {@code e_machine} of AArch64. */
  public static final int EM_AARCH64 = 183;

  boolean wide = true;
  boolean bigEndian;
  int machine = EM_X86_64;
  int type = 3;
  long addressBias = 0x1000;

  /** Filler bytes between the program headers and the tables. */
  int padBefore;

  /** Puts the string table after the dynamic segment (as patchelf does), with this filler. */
  int stringsLastAfter = -1;

  final List<String> needed = new ArrayList<>();
  final Map<String, List<String>> versionNeeds = new LinkedHashMap<>();

  /** Adds a version need: {@code need("libc.so.6", "GLIBC_2.17")}. */
  public ElfBuilder need(String library, String... versions) {
    versionNeeds.put(library, List.of(versions));
    return this;
  }

  /** Adds DT_NEEDED entries. */
  public ElfBuilder needed(String... libraries) {
    needed.addAll(List.of(libraries));
    return this;
  }

  /** Offsets of the parts, known after {@link #build()}. */
  long dynstrOffset;

  long verneedOffset;
  long dynamicOffset;
  long fileSize;

  /** The machine ({@link #EM_X86_64} or {@link #EM_AARCH64}). */
  public ElfBuilder machine(int value) {
    machine = value;
    return this;
  }

  /** Bytes of pseudo-random filler after the tables (as code would be). */
  public ElfBuilder trailing(int bytes) {
    trailing = bytes;
    return this;
  }

  int trailing;

  /** The file. */
  public byte[] build() {
    ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    int ehsize = wide ? 64 : 52;
    int phentsize = wide ? 56 : 32;
    int shentsize = wide ? 64 : 40;
    int dynEntry = wide ? 16 : 8;

    // .dynstr
    ByteArrayOutputStream strings = new ByteArrayOutputStream();
    strings.write(0);
    Map<String, Integer> offsets = new LinkedHashMap<>();
    List<String> all = new ArrayList<>(needed);
    for (Map.Entry<String, List<String>> e : versionNeeds.entrySet()) {
      all.add(e.getKey());
      all.addAll(e.getValue());
    }
    for (String s : all) {
      if (!offsets.containsKey(s)) {
        offsets.put(s, strings.size());
        strings.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        strings.write(0);
      }
    }
    byte[] dynstr = strings.toByteArray();

    // .gnu.version_r
    ByteBuffer vn = ByteBuffer.allocate(16 * (versionNeeds.size() + countVersions())).order(order);
    int index = 2;
    int file = 0;
    for (Map.Entry<String, List<String>> e : versionNeeds.entrySet()) {
      file++;
      List<String> versions = e.getValue();
      vn.putShort((short) 1);
      vn.putShort((short) versions.size());
      vn.putInt(offsets.get(e.getKey()));
      vn.putInt(16);
      vn.putInt(file == versionNeeds.size() ? 0 : 16 + 16 * versions.size());
      for (int j = 0; j < versions.size(); j++) {
        vn.putInt((int) elfHash(versions.get(j)));
        vn.putShort((short) 0);
        vn.putShort((short) index++);
        vn.putInt(offsets.get(versions.get(j)));
        vn.putInt(j == versions.size() - 1 ? 0 : 16);
      }
    }
    byte[] verneed = vn.array();

    int dynCount = needed.size() + 2 + (versionNeeds.isEmpty() ? 0 : 2) + 1;
    int dynSize = dynCount * dynEntry;
    long phoff = ehsize;
    long cursor = align(phoff + 2L * phentsize + padBefore, 8);
    if (stringsLastAfter < 0) {
      dynstrOffset = cursor;
      cursor = align(cursor + dynstr.length, 8);
    }
    verneedOffset = cursor;
    cursor = align(cursor + verneed.length, 8);
    dynamicOffset = cursor;
    cursor += dynSize;
    if (stringsLastAfter >= 0) {
      dynstrOffset = align(cursor + stringsLastAfter, 8);
      cursor = dynstrOffset + dynstr.length;
    }
    byte[] shstrtab =
        "\0.dynstr\0.gnu.version_r\0.dynamic\0.shstrtab\0".getBytes(StandardCharsets.US_ASCII);
    long shstrtabOffset = cursor;
    cursor = align(cursor + shstrtab.length, 8);
    long shoff = cursor;
    fileSize = shoff + 5L * shentsize + trailing;

    ByteBuffer out = ByteBuffer.allocate((int) fileSize).order(order);
    // ELF header
    out.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) (wide ? 2 : 1), (byte) (bigEndian ? 2 : 1), 1});
    out.position(16);
    out.putShort((short) type);
    out.putShort((short) machine);
    out.putInt(1);
    putAddress(out, 0); // entry
    putAddress(out, phoff);
    putAddress(out, shoff);
    out.putInt(0); // flags
    out.putShort((short) ehsize);
    out.putShort((short) phentsize);
    out.putShort((short) 2);
    out.putShort((short) shentsize);
    out.putShort((short) 5);
    out.putShort((short) 4);
    // Program headers: one PT_LOAD for the whole file, PT_DYNAMIC.
    out.position((int) phoff);
    programHeader(out, 1, 0, addressBias, fileSize, 5);
    programHeader(out, 2, dynamicOffset, dynamicOffset + addressBias, dynSize, 6);
    // Tables
    out.put((int) dynstrOffset, dynstr);
    out.put((int) verneedOffset, verneed);
    out.position((int) dynamicOffset);
    for (String library : needed) {
      dynamic(out, 1, offsets.get(library));
    }
    dynamic(out, 5, dynstrOffset + addressBias);
    dynamic(out, 10, dynstr.length);
    if (!versionNeeds.isEmpty()) {
      dynamic(out, 0x6ffffffeL, verneedOffset + addressBias);
      dynamic(out, 0x6fffffffL, versionNeeds.size());
    }
    dynamic(out, 0, 0);
    out.put((int) shstrtabOffset, shstrtab);
    // Section headers: null, .dynstr, .gnu.version_r, .dynamic, .shstrtab
    out.position((int) shoff);
    section(out, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    section(out, 1, 3, 2, dynstrOffset + addressBias, dynstrOffset, dynstr.length, 0, 0, 0);
    section(
        out,
        9,
        0x6ffffffe,
        2,
        verneedOffset + addressBias,
        verneedOffset,
        verneed.length,
        1,
        versionNeeds.size(),
        0);
    section(out, 24, 6, 3, dynamicOffset + addressBias, dynamicOffset, dynSize, 1, 0, dynEntry);
    section(out, 33, 3, 0, 0, shstrtabOffset, shstrtab.length, 0, 0, 0);
    java.util.Random random = new java.util.Random(trailing);
    byte[] filler = new byte[trailing];
    random.nextBytes(filler);
    out.put(filler);
    return out.array();
  }

  private int countVersions() {
    return versionNeeds.values().stream().mapToInt(List::size).sum();
  }

  private void putAddress(ByteBuffer out, long value) {
    if (wide) {
      out.putLong(value);
    } else {
      out.putInt((int) value);
    }
  }

  private void programHeader(
      ByteBuffer out, int type, long offset, long vaddr, long size, int flags) {
    if (wide) {
      out.putInt(type).putInt(flags).putLong(offset).putLong(vaddr).putLong(vaddr);
      out.putLong(size).putLong(size).putLong(8);
    } else {
      out.putInt(type).putInt((int) offset).putInt((int) vaddr).putInt((int) vaddr);
      out.putInt((int) size).putInt((int) size).putInt(flags).putInt(4);
    }
  }

  private void dynamic(ByteBuffer out, long tag, long value) {
    putAddress(out, tag);
    putAddress(out, value);
  }

  private void section(
      ByteBuffer out,
      int name,
      int type,
      long flags,
      long addr,
      long offset,
      long size,
      int link,
      int info,
      long entsize) {
    out.putInt(name).putInt(type);
    putAddress(out, flags);
    putAddress(out, addr);
    putAddress(out, offset);
    putAddress(out, size);
    out.putInt(link).putInt(info);
    putAddress(out, 8);
    putAddress(out, entsize);
  }

  private static long align(long value, int alignment) {
    return (value + alignment - 1) / alignment * alignment;
  }

  /** The System V ELF hash (vna_hash). */
  static long elfHash(String name) {
    long h = 0;
    for (byte b : name.getBytes(StandardCharsets.US_ASCII)) {
      h = (h << 4) + (b & 0xff);
      long g = h & 0xf0000000L;
      if (g != 0) {
        h ^= g >>> 24;
      }
      h &= ~g;
    }
    return h;
  }

  /** A typical x86-64 extension module needing glibc up to 2.28 and libstdc++. */
  public static ElfBuilder glibc228() {
    return new ElfBuilder()
        .needed("libstdc++.so.6", "libm.so.6", "libc.so.6")
        .need("libm.so.6", "GLIBC_2.2.5", "GLIBC_2.27")
        .need("libstdc++.so.6", "CXXABI_1.3.9", "GLIBCXX_3.4.21", "GLIBCXX_3.4.9")
        .need("libc.so.6", "GLIBC_2.14", "GLIBC_2.28", "GLIBC_2.2.5", "GLIBC_PRIVATE");
  }
}
