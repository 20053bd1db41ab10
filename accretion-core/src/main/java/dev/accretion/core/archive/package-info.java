/**
 * Zip archives for layer builds: a strict reader for archives that may be hostile ({@link
 * dev.accretion.core.archive.ZipArchive}) and a writer of byte-reproducible zips that copies wheel
 * entries raw ({@link dev.accretion.core.archive.ReproducibleZipWriter}).
 *
 * <p>The usual install loop, for each wheel:
 *
 * <pre>{@code
 * ZipLimits limits = ZipLimits.lambda();            // one per build: its budget is shared
 * try (ZipArchive wheel = ZipArchive.open(file, limits)) {
 *   for (ZipEntryInfo entry : wheel.entries()) {
 *     if (entry.isDirectory()) continue;
 *     ElfScanner elf = new ElfScanner(file.getFileName() + "!" + entry.path());
 *     EntryDigest digest = wheel.digest(entry, elf);  // inflates once: CRC, size, sha256, ELF
 *     // compare digest.recordHash() and digest.size() with the wheel's RECORD row
 *     Optional<ElfInfo> info = elf.finish(() -> wheel.open(entry));
 *     writer.addRaw("python/" + entry.path(), wheel, entry, digest.sha256Hex(), packageName);
 *   }
 *   ZipResult layer = writer.write(target);         // archives must still be open here
 * }
 * }</pre>
 *
 * <p>Measured on this project's 2-core build machine (see {@code bench/archive-layer.md}): numpy,
 * pandas, scipy, lxml and botocore (7,332 entries, 254 MB unzipped, 90 MB zipped) read, verified,
 * ELF-scanned and written in about 1.2 s with a peak RSS of about 135 MB for the whole JVM.
 */
package dev.accretion.core.archive;
