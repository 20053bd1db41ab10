package dev.accretion.python.install;

import dev.accretion.core.archive.EntryDigest;
import dev.accretion.core.archive.ZipArchive;
import dev.accretion.core.archive.ZipEntryInfo;
import dev.accretion.core.elf.ElfInfo;
import dev.accretion.python.PackageName;
import dev.accretion.python.metadata.CoreMetadata;
import dev.accretion.python.pep440.Version;
import dev.accretion.python.tags.WheelFilename;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A wheel whose structure and content {@link WheelInspector} verified: every file was inflated
 * once, its CRC-32, size and RECORD hash checked, and every ELF file read. What remains to decide
 * depends on the target (machine, glibc, interpreter path, layout) and is {@link WheelInstaller}'s
 * job. Holds the open {@link ZipArchive}, whose entries are later copied raw into the layer; the
 * caller closes it. Immutable otherwise; thread-safe.
 *
 * @param archive the open wheel
 * @param filename the wheel's parsed file name
 * @param name the distribution name (equal to the filename's, the .dist-info folder's and
 *     METADATA's)
 * @param version the distribution version (equal in the same three places)
 * @param metadata the wheel's own METADATA
 * @param distInfo the {@code .dist-info} folder name as the wheel writes it
 * @param files every file (not directory) of the wheel, in archive order
 * @param recordWarnings RECORD problems that {@code allowBadRecord} downgraded to warnings; empty
 *     when RECORD matched
 */
public record InspectedWheel(
    ZipArchive archive,
    WheelFilename filename,
    PackageName name,
    Version version,
    CoreMetadata metadata,
    String distInfo,
    List<WheelFile> files,
    List<String> recordWarnings) {

  public InspectedWheel {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(filename, "filename");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(distInfo, "distInfo");
    files = List.copyOf(files);
    recordWarnings = List.copyOf(recordWarnings);
  }

  /** Where a wheel file goes, by the install scheme of the wheel specification. */
  public enum Scheme {
    /** Outside {@code .dist-info} and {@code .data}: the wheel's root (purelib or platlib). */
    ROOT,
    /** Inside the {@code .dist-info} folder. */
    DIST_INFO,
    /** {@code .data/purelib}. */
    PURELIB,
    /** {@code .data/platlib}. */
    PLATLIB,
    /** {@code .data/scripts}. */
    SCRIPTS,
    /** {@code .data/headers}. */
    HEADERS,
    /** {@code .data/data}. */
    DATA
  }

  /**
   * One file of the wheel.
   *
   * @param entry the zip entry
   * @param scheme where it installs
   * @param path its path within the scheme (for ROOT and DIST_INFO: the entry path)
   * @param digest the verified content digest
   * @param elf what the file says as an ELF object; null if it is not ELF
   */
  public record WheelFile(
      ZipEntryInfo entry, Scheme scheme, String path, EntryDigest digest, ElfInfo elf) {
    public WheelFile {
      Objects.requireNonNull(entry, "entry");
      Objects.requireNonNull(scheme, "scheme");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(digest, "digest");
    }

    /** The ELF view of the file, if it is an ELF object. */
    public Optional<ElfInfo> elfInfo() {
      return Optional.ofNullable(elf);
    }
  }

  /** "numpy 2.2.6 (numpy-2.2.6-cp311-...whl)", for messages. */
  public String describe() {
    return name.normalized() + " " + version + " (" + filename.filename() + ")";
  }
}
