package dev.accretion.core.elf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads ELF headers the way the dynamic loader does: ELF header, program headers, {@code
 * PT_DYNAMIC}, then the dynamic string table and {@code DT_VERNEED} chain, mapping addresses to
 * file offsets through the {@code PT_LOAD} segments. Every read is bounds-checked against the file
 * size and every table and chain is capped, so a hostile file ends in an {@link ElfException}.
 */
final class ElfParser {
  static final long VERSION_TABLE_HINT = 64 << 10;
  static final long STRING_TABLE_HINT_LIMIT = 16 << 20;

  private static final int PT_LOAD = 1;
  private static final int PT_DYNAMIC = 2;
  private static final long DT_NULL = 0;
  private static final long DT_NEEDED = 1;
  private static final long DT_STRTAB = 5;
  private static final long DT_STRSZ = 10;
  private static final long DT_VERNEED = 0x6ffffffeL;
  private static final long DT_VERNEEDNUM = 0x6fffffffL;
  private static final int MAX_PROGRAM_HEADERS = 65_536;
  private static final long MAX_DYNAMIC_BYTES = 1 << 20;
  private static final int MAX_NEEDED = 4096;
  private static final int MAX_VERSION_FILES = 4096;
  private static final int MAX_VERSION_NEEDS = 65_536;
  private static final int MAX_STRING = 4096;

  /** Random access to the bytes of one file. */
  interface Source {
    /** The file size. */
    long size();

    /**
     * Reads exactly {@code length} bytes at {@code position} (the parser checks bounds first).
     *
     * @throws NeedBytes if a streaming source does not hold those bytes
     */
    byte[] read(long position, int length) throws IOException;

    /** Tells a streaming source that a range will be read (no-op for random access sources). */
    default void hint(long position, long length) {}
  }

  /** Thrown by a streaming {@link Source} that does not (yet) hold a range. */
  static final class NeedBytes extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long position;
    final int length;

    NeedBytes(long position, int length) {
      super(null, null, false, false);
      this.position = position;
      this.length = length;
    }
  }

  private final Source source;
  private final String name;
  private final long size;
  private boolean wide;
  private boolean bigEndian;

  private ElfParser(Source source, String name) {
    this.source = source;
    this.name = name;
    this.size = source.size();
  }

  /**
   * Parses {@code source}: empty if it does not start with the ELF magic.
   *
   * @throws ElfException if it is ELF but malformed, or cannot be read
   * @throws NeedBytes from streaming sources
   */
  static Optional<ElfInfo> parse(Source source, String name) throws ElfException {
    try {
      return new ElfParser(source, name).parse();
    } catch (IOException e) {
      throw new ElfException(name, "could not be read (" + e + ")", "check the file", e);
    } catch (NeedBytes e) {
      throw e;
    } catch (RuntimeException e) {
      // Every read is bounds-checked; this is a last line of defence, not a path taken.
      throw new ElfException(name, "could not be parsed (" + e + ")", ElfException.DAMAGED, e);
    }
  }

  static boolean hasMagic(byte[] b, int length) {
    return length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
  }

  private Optional<ElfInfo> parse() throws IOException, ElfException {
    if (size < 4) {
      return Optional.empty();
    }
    byte[] magic = source.read(0, 4);
    if (!hasMagic(magic, 4)) {
      return Optional.empty();
    }
    if (size < 16) {
      throw fail("is truncated: " + size + " bytes, shorter than an ELF identification");
    }
    byte[] ident = source.read(0, 16);
    int elfClass = ident[4];
    if (elfClass != 1 && elfClass != 2) {
      throw fail("has an unknown ELF class " + elfClass + " (neither 32- nor 64-bit)");
    }
    wide = elfClass == 2;
    int data = ident[5];
    if (data != 1 && data != 2) {
      throw fail("has an unknown ELF data encoding " + data + " (neither little nor big endian)");
    }
    bigEndian = data == 2;
    if (ident[6] != 1) {
      throw fail("has an unknown ELF version " + ident[6]);
    }
    int headerSize = wide ? 64 : 52;
    if (size < headerSize) {
      throw fail(
          "is truncated: " + size + " bytes, shorter than its " + headerSize + "-byte ELF header");
    }
    byte[] h = source.read(0, headerSize);
    int type = u16(h, 16);
    int machine = u16(h, 18);
    long phoff = wide ? u64(h, 32) : u32(h, 28);
    long shoff = wide ? u64(h, 40) : u32(h, 32);
    int phentsize = u16(h, wide ? 54 : 42);
    long phnum = u16(h, wide ? 56 : 44);
    int shentsize = u16(h, wide ? 58 : 46);
    int shnum = u16(h, wide ? 60 : 48);
    List<String> needed = new ArrayList<>();
    List<ElfInfo.VersionNeed> needs = new ArrayList<>();
    if (phnum == 0xFFFF) {
      // PN_XNUM: the real count is sh_info of section header 0 (ELF gABI, "Extended numbering").
      int minimum = wide ? 64 : 40;
      if (shoff == 0 || shentsize < minimum || !fits(shoff, minimum)) {
        throw fail("uses extended program header numbering without a valid section header 0");
      }
      byte[] s0 = source.read(shoff, minimum);
      phnum = u32(s0, wide ? 44 : 28);
    }
    if (phnum == 0) {
      return Optional.of(info(elfClass, machine, type, needed, needs));
    }
    int minimumEntry = wide ? 56 : 32;
    if (phentsize < minimumEntry) {
      throw fail(
          "has program header entries of " + phentsize + " bytes (at least " + minimumEntry + ")");
    }
    if (phnum > MAX_PROGRAM_HEADERS) {
      throw fail("has " + phnum + " program headers, implausibly many");
    }
    long tableBytes = phnum * phentsize;
    if (tableBytes > MAX_DYNAMIC_BYTES * 16) {
      throw fail("has a program header table of " + tableBytes + " bytes, implausibly large");
    }
    if (!fits(phoff, tableBytes)) {
      throw fail(
          "has a program header table that runs past the end of the file (offset "
              + Long.toUnsignedString(phoff)
              + ", "
              + phnum
              + " entries of "
              + phentsize
              + " bytes, file of "
              + size
              + " bytes)");
    }
    List<long[]> loads = new ArrayList<>();
    long dynamicOffset = -1;
    long dynamicSize = 0;
    byte[] table = source.read(phoff, (int) tableBytes);
    for (int i = 0; i < phnum; i++) {
      int p = i * phentsize;
      long pType = u32(table, p);
      long offset = wide ? u64(table, p + 8) : u32(table, p + 4);
      long vaddr = wide ? u64(table, p + 16) : u32(table, p + 8);
      long filesz = wide ? u64(table, p + 32) : u32(table, p + 16);
      if (pType == PT_LOAD) {
        loads.add(new long[] {offset, vaddr, filesz});
      } else if (pType == PT_DYNAMIC && dynamicOffset < 0) {
        dynamicOffset = offset;
        dynamicSize = filesz;
      }
    }
    if (dynamicOffset < 0) {
      return Optional.of(info(elfClass, machine, type, needed, needs));
    }
    if (!fits(dynamicOffset, dynamicSize)) {
      throw fail(
          "has a dynamic segment outside the file (offset "
              + Long.toUnsignedString(dynamicOffset)
              + ", "
              + Long.toUnsignedString(dynamicSize)
              + " bytes)");
    }
    if (dynamicSize > MAX_DYNAMIC_BYTES) {
      throw fail("has a dynamic segment of " + dynamicSize + " bytes, implausibly large");
    }
    int entrySize = wide ? 16 : 8;
    byte[] dynamic = source.read(dynamicOffset, (int) dynamicSize);
    List<Long> neededOffsets = new ArrayList<>();
    long strtab = -1;
    long strsz = -1;
    long verneed = -1;
    long verneednum = -1;
    for (int p = 0; p + entrySize <= dynamic.length; p += entrySize) {
      long tag = wide ? u64(dynamic, p) : u32(dynamic, p);
      long value = wide ? u64(dynamic, p + 8) : u32(dynamic, p + 4);
      if (tag == DT_NULL) {
        break;
      } else if (tag == DT_NEEDED) {
        if (neededOffsets.size() >= MAX_NEEDED) {
          throw fail("has more than " + MAX_NEEDED + " DT_NEEDED entries");
        }
        neededOffsets.add(value);
      } else if (tag == DT_STRTAB) {
        strtab = value;
      } else if (tag == DT_STRSZ) {
        strsz = value;
      } else if (tag == DT_VERNEED) {
        verneed = value;
      } else if (tag == DT_VERNEEDNUM) {
        verneednum = value;
      }
    }
    if (neededOffsets.isEmpty() && verneed == -1) {
      return Optional.of(info(elfClass, machine, type, needed, needs));
    }
    if (strtab == -1 || strsz == -1) {
      throw fail("has dynamic entries that name strings but no DT_STRTAB/DT_STRSZ");
    }
    long strtabOffset = toOffset(loads, strtab, "DT_STRTAB");
    if (!fits(strtabOffset, strsz)) {
      throw fail(
          "has a dynamic string table that runs past the end of the file (offset "
              + strtabOffset
              + ", "
              + Long.toUnsignedString(strsz)
              + " bytes)");
    }
    if (strsz <= STRING_TABLE_HINT_LIMIT) {
      source.hint(strtabOffset, strsz);
    }
    long verneedOffset = verneed == -1 ? -1 : toOffset(loads, verneed, "DT_VERNEED");
    if (verneedOffset >= 0) {
      source.hint(verneedOffset, Math.min(VERSION_TABLE_HINT, size - verneedOffset));
    }
    for (long offset : neededOffsets) {
      needed.add(string(strtabOffset, strsz, offset, "DT_NEEDED"));
    }
    if (verneedOffset >= 0) {
      readVersionNeeds(verneedOffset, verneednum, strtabOffset, strsz, needs);
    }
    return Optional.of(info(elfClass, machine, type, needed, needs));
  }

  private ElfInfo info(
      int elfClass, int machine, int type, List<String> needed, List<ElfInfo.VersionNeed> needs) {
    return new ElfInfo(
        elfClass == 2 ? 64 : 32,
        bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN,
        machine,
        type,
        needed,
        needs);
  }

  /** Elf_Verneed / Elf_Vernaux (16 bytes each in both classes), linked by relative offsets. */
  private void readVersionNeeds(
      long start, long count, long strtab, long strsz, List<ElfInfo.VersionNeed> out)
      throws IOException, ElfException {
    long position = start;
    int files = 0;
    while (count < 0 || files < count) {
      if (++files > MAX_VERSION_FILES) {
        throw fail("has more than " + MAX_VERSION_FILES + " version need entries");
      }
      if (!fits(position, 16)) {
        throw fail("has a version need entry outside the file (offset " + position + ")");
      }
      byte[] vn = source.read(position, 16);
      int auxCount = u16(vn, 2);
      String file = string(strtab, strsz, u32(vn, 4), "vn_file");
      long aux = position + u32(vn, 8);
      long next = u32(vn, 12);
      for (int j = 0; j < auxCount; j++) {
        if (out.size() >= MAX_VERSION_NEEDS) {
          throw fail("has more than " + MAX_VERSION_NEEDS + " required versions");
        }
        if (!fits(aux, 16)) {
          throw fail("has a version need entry outside the file (offset " + aux + ")");
        }
        byte[] vna = source.read(aux, 16);
        out.add(new ElfInfo.VersionNeed(file, string(strtab, strsz, u32(vna, 8), "vna_name")));
        long auxNext = u32(vna, 12);
        if (auxNext == 0) {
          break;
        }
        aux += auxNext;
      }
      if (next == 0) {
        break;
      }
      position += next;
    }
  }

  /** A NUL-terminated string at {@code offset} of the string table. */
  private String string(long table, long tableSize, long offset, String what)
      throws IOException, ElfException {
    if (offset < 0 || offset >= tableSize) {
      throw fail(
          "has a "
              + what
              + " string offset "
              + Long.toUnsignedString(offset)
              + " outside its string table of "
              + tableSize
              + " bytes");
    }
    long position = table + offset;
    long available = Math.min(MAX_STRING, tableSize - offset);
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    int chunk = 64;
    long read = 0;
    while (read < available) {
      int n = (int) Math.min(chunk, available - read);
      byte[] b = source.read(position + read, n);
      for (int i = 0; i < n; i++) {
        if (b[i] == 0) {
          text.write(b, 0, i);
          return text.toString(StandardCharsets.UTF_8);
        }
      }
      text.write(b, 0, n);
      read += n;
      chunk = 1024;
    }
    throw fail(
        "has a "
            + what
            + " string at offset "
            + offset
            + " without a terminating NUL (within "
            + available
            + " bytes)");
  }

  private long toOffset(List<long[]> loads, long address, String what) throws ElfException {
    for (long[] load : loads) {
      long delta = address - load[1];
      if (Long.compareUnsigned(address, load[1]) >= 0 && Long.compareUnsigned(delta, load[2]) < 0) {
        long offset = load[0] + delta;
        if (offset >= 0 && offset < size) {
          return offset;
        }
      }
    }
    throw fail(
        "has a "
            + what
            + " address 0x"
            + Long.toHexString(address)
            + " that no loadable segment maps to the file");
  }

  /** Whether {@code length} bytes at {@code offset} (both unsigned) lie inside the file. */
  private boolean fits(long offset, long length) {
    return offset >= 0 && length >= 0 && offset <= size && length <= size - offset;
  }

  private ElfException fail(String problem) {
    return new ElfException(name, problem);
  }

  private int u16(byte[] b, int p) {
    return bigEndian
        ? (b[p] & 0xff) << 8 | (b[p + 1] & 0xff)
        : (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
  }

  private long u32(byte[] b, int p) {
    return bigEndian
        ? (long) u16(b, p) << 16 | u16(b, p + 2)
        : u16(b, p) | (long) u16(b, p + 2) << 16;
  }

  /** Unsigned 64-bit; values past 2^63 come out negative and fail the bounds checks. */
  private long u64(byte[] b, int p) {
    return bigEndian ? u32(b, p) << 32 | u32(b, p + 4) : u32(b, p) | u32(b, p + 4) << 32;
  }
}
