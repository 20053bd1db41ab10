package dev.accretion.core.elf;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an ELF file says about where it can run, as the dynamic loader reads it (from the program
 * headers and the dynamic segment, not the section headers, which the loader ignores).
 *
 * @param elfClass 32 or 64
 * @param byteOrder little or big endian
 * @param machine {@code e_machine}: 62 x86-64, 183 AArch64, ...
 * @param type {@code e_type}: 1 relocatable, 2 executable, 3 shared object (also PIE), 4 core
 * @param neededLibraries {@code DT_NEEDED} entries, in order
 * @param versionNeeds every required symbol version ({@code DT_VERNEED}, the {@code .gnu.version_r}
 *     data), in order
 */
public record ElfInfo(
    int elfClass,
    ByteOrder byteOrder,
    int machine,
    int type,
    List<String> neededLibraries,
    List<VersionNeed> versionNeeds) {

  /** {@code e_machine} of x86-64. */
  public static final int EM_X86_64 = 62;

  /** {@code e_machine} of AArch64 (Lambda's arm64). */
  public static final int EM_AARCH64 = 183;

  private static final Map<Integer, String> MACHINES =
      Map.ofEntries(
          Map.entry(2, "SPARC"),
          Map.entry(3, "i386"),
          Map.entry(8, "MIPS"),
          Map.entry(20, "PowerPC"),
          Map.entry(21, "PowerPC64"),
          Map.entry(22, "S/390"),
          Map.entry(40, "ARM"),
          Map.entry(43, "SPARC V9"),
          Map.entry(50, "IA-64"),
          Map.entry(EM_X86_64, "x86-64"),
          Map.entry(EM_AARCH64, "AArch64"),
          Map.entry(243, "RISC-V"),
          Map.entry(258, "LoongArch"));

  /**
   * One required symbol version.
   *
   * @param library the library that must provide it ({@code vn_file}, e.g. {@code libc.so.6})
   * @param version the version name ({@code vna_name}, e.g. {@code GLIBC_2.17})
   */
  public record VersionNeed(String library, String version) {
    public VersionNeed {
      Objects.requireNonNull(library, "library");
      Objects.requireNonNull(version, "version");
    }
  }

  public ElfInfo {
    if (elfClass != 32 && elfClass != 64) {
      throw new IllegalArgumentException("ELF class must be 32 or 64: " + elfClass);
    }
    Objects.requireNonNull(byteOrder, "byteOrder");
    neededLibraries = List.copyOf(neededLibraries);
    versionNeeds = List.copyOf(versionNeeds);
  }

  /** A name for {@link #machine()}: "x86-64", "AArch64", ..., or "machine N". */
  public String machineName() {
    return MACHINES.getOrDefault(machine, "machine " + machine);
  }

  /** A name for {@link #type()}: "relocatable", "executable", "shared object", "core", ... */
  public String typeName() {
    return switch (type) {
      case 0 -> "none";
      case 1 -> "relocatable";
      case 2 -> "executable";
      case 3 -> "shared object";
      case 4 -> "core";
      default -> "type " + type;
    };
  }

  /**
   * The highest numeric version among the required versions named {@code prefix + number} (for
   * example prefix {@code GLIBC_}); names like {@code GLIBC_PRIVATE} are ignored.
   */
  public Optional<ElfVersion> maxVersion(String prefix) {
    ElfVersion max = null;
    for (VersionNeed need : versionNeeds) {
      if (need.version().startsWith(prefix)) {
        Optional<ElfVersion> v = ElfVersion.parse(need.version().substring(prefix.length()));
        if (v.isPresent() && (max == null || v.get().compareTo(max) > 0)) {
          max = v.get();
        }
      }
    }
    return Optional.ofNullable(max);
  }

  /** The highest {@code GLIBC_x.y} required: the oldest glibc this file can load with. */
  public Optional<ElfVersion> maxGlibc() {
    return maxVersion("GLIBC_");
  }

  /** The highest {@code GLIBCXX_x.y.z} required (libstdc++). */
  public Optional<ElfVersion> maxGlibcxx() {
    return maxVersion("GLIBCXX_");
  }

  /** The highest {@code CXXABI_x.y.z} required (libstdc++). */
  public Optional<ElfVersion> maxCxxabi() {
    return maxVersion("CXXABI_");
  }
}
