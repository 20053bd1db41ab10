package dev.accretion.inspect;

/**
 * One ELF file of a layer and what the loader will need to run it. Immutable.
 *
 * @param path the file
 * @param packageName the package that owns it ({@code numpy 2.2.6}), or null
 * @param machine the machine name ({@code x86-64}, {@code AArch64})
 * @param machineCode {@code e_machine}
 * @param elfClass 32 or 64
 * @param glibc the newest {@code GLIBC_x.y} symbol version it needs, or null when it needs none
 * @param musl whether it links against musl libc ({@code libc.musl-*.so.1}), which Lambda's Amazon
 *     Linux does not have
 * @param error why the file could not be read as ELF, or null
 */
public record ElfFile(
    String path,
    String packageName,
    String machine,
    int machineCode,
    int elfClass,
    String glibc,
    boolean musl,
    String error) {}
