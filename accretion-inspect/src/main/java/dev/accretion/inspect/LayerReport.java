package dev.accretion.inspect;

import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.ContentEntry;
import dev.accretion.pipeline.spi.FoundPackage;
import java.util.List;

/**
 * What one zip holds and whether it fits its targets. Immutable.
 *
 * @param label the zip as named in messages (a path, a layer version ARN, a function name)
 * @param functionCode whether it is a function's own package rather than a layer
 * @param zippedBytes the zip's size
 * @param unzippedBytes the files' uncompressed sizes, as declared
 * @param files regular files
 * @param directories directory entries
 * @param symlinks symbolic links
 * @param bytesRead bytes of the zip actually read (for a remote zip: fetched over HTTP)
 * @param reads reads made (for a remote zip: HTTP requests)
 * @param remote whether the zip was read over the network (else from a local file)
 * @param downloadedWhole whether the zip's server ignored range requests, so it was read whole
 * @param manifest Accretion's manifest when the zip carries one, else null
 * @param packages the packages the inspectors recognized in the content
 * @param manifestOnly packages the manifest lists that the content does not show (e.g. declared by
 *     a command builder)
 * @param folders files by top-level folder, largest first
 * @param unowned files no package owns, by folder, largest first
 * @param largest the largest files, largest first
 * @param elf every ELF file read, by path
 * @param elfUnchecked files not read for ELF content (a remote zip is read only where native code
 *     is likely: {@code .so} and {@code .node} files, executables, {@code bin/}, {@code lib/})
 * @param targets the targets checked
 * @param problems what was found, errors first
 * @param entries every entry (not part of reports; used to merge a function's layers)
 */
public record LayerReport(
    String label,
    boolean functionCode,
    long zippedBytes,
    long unzippedBytes,
    int files,
    int directories,
    int symlinks,
    long bytesRead,
    int reads,
    boolean remote,
    boolean downloadedWhole,
    LayerManifest manifest,
    List<FoundPackage> packages,
    List<FoundPackage> manifestOnly,
    List<FolderSize> folders,
    List<FolderSize> unowned,
    List<EntrySize> largest,
    List<ElfFile> elf,
    int elfUnchecked,
    List<Target> targets,
    List<Problem> problems,
    List<ContentEntry> entries) {

  public LayerReport {
    packages = List.copyOf(packages);
    manifestOnly = List.copyOf(manifestOnly);
    folders = List.copyOf(folders);
    unowned = List.copyOf(unowned);
    largest = List.copyOf(largest);
    elf = List.copyOf(elf);
    targets = List.copyOf(targets);
    problems = List.copyOf(problems);
    entries = List.copyOf(entries);
  }

  /** Whether no problem makes it unfit for a target checked. */
  public boolean fit() {
    return problems.stream().noneMatch(Problem::isError);
  }

  /** How many problems of each severity: errors, warnings, notes. */
  public long count(dev.accretion.pipeline.spi.ContentProblem.Severity severity) {
    return problems.stream().filter(p -> p.severity() == severity).count();
  }
}
