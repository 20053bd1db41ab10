/**
 * ELF inspection for layer builds: which machine a shared library is for, and which glibc (and
 * libstdc++) symbol versions it needs, read as the dynamic loader reads them. {@link
 * dev.accretion.core.elf.ElfInspector} works on files, channels and bytes; {@link
 * dev.accretion.core.elf.ElfScanner} inspects content while it streams past (for example while a
 * wheel entry is hashed), so most libraries are never read twice.
 */
package dev.accretion.core.elf;
