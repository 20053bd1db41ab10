package dev.accretion.inspect;

import dev.accretion.core.AccretionException;
import dev.accretion.core.elf.ElfException;
import dev.accretion.core.elf.ElfInfo;
import dev.accretion.core.elf.ElfScanner;
import dev.accretion.core.elf.ElfVersion;
import dev.accretion.core.runtime.GlibcVersion;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.ContentEntry;
import dev.accretion.pipeline.spi.ContentProblem;
import dev.accretion.pipeline.spi.LayerContent;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The ELF check of a zip: which files are native code, for which machine, needing which glibc; and
 * whether each runs on a target. Files are streamed only until the headers the loader reads have
 * gone past (core's {@link ElfScanner}), so a large library costs its first kilobytes.
 */
final class NativeCode {
  private NativeCode() {}

  /** The ELF files found and how many files were not looked at. */
  record Scan(List<ElfFile> files, int unchecked) {}

  /**
   * Whether a file of a remote zip is worth a request: native code is named {@code .so}/{@code
   * .so.N} or {@code .node}, is executable, or lies in a {@code bin}/{@code lib} folder.
   */
  static boolean likelyNative(ContentEntry e) {
    if (!e.isFile() || e.size() < 52) {
      return false;
    }
    String name = e.fileName();
    String path = "/" + e.path();
    return name.endsWith(".so")
        || name.contains(".so.")
        || name.endsWith(".node")
        || e.isExecutable()
        || path.contains("/bin/")
        || path.contains("/lib/") && !name.contains(".") && !path.contains("/site-packages/")
        || path.startsWith("/lib/");
  }

  static Scan scan(ZipContent content, Function<String, String> owner) throws AccretionException {
    List<ContentEntry> candidates = new ArrayList<>();
    int unchecked = 0;
    for (ContentEntry e : content.entries()) {
      if (!e.isFile() || e.size() < 52) {
        continue;
      }
      // A local zip costs nothing to look at whole; a remote one only where native code is likely.
      if (!content.source().remote() || likelyNative(e)) {
        candidates.add(e);
      } else {
        unchecked++;
      }
    }
    List<ElfFile> found = new ArrayList<>();
    content.read(
        candidates,
        Long.MAX_VALUE,
        new LayerContent.Reader() {
          @Override
          public void read(ContentEntry entry, InputStream in) {
            ElfScanner scanner = new ElfScanner(content.label() + "!" + entry.path());
            byte[] buffer = new byte[16 << 10];
            try {
              int n;
              while ((n = in.read(buffer)) >= 0) {
                scanner.write(buffer, 0, n);
                if (scanner.isNotElf() || scanner.isSettled()) {
                  break;
                }
              }
            } catch (java.io.IOException e) {
              found.add(unreadable(entry, owner, "cannot be read (" + e.getMessage() + ")"));
              return;
            }
            try {
              if (scanner.isNotElf()) {
                scanner.finish(InputStream::nullInputStream); // releases its buffer
                return;
              }
              Optional<ElfInfo> info = scanner.finish(() -> content.open(entry));
              info.ifPresent(i -> found.add(file(entry, owner, i)));
            } catch (ElfException e) {
              found.add(unreadable(entry, owner, e.getMessage()));
            }
          }
        });
    found.sort(Comparator.comparing(ElfFile::path));
    return new Scan(found, unchecked);
  }

  private static ElfFile file(ContentEntry entry, Function<String, String> owner, ElfInfo info) {
    String glibc = info.maxVersion("GLIBC_").map(ElfVersion::toString).orElse(null);
    boolean musl = info.neededLibraries().stream().anyMatch(l -> l.startsWith("libc.musl"));
    return new ElfFile(
        entry.path(),
        owner.apply(entry.path()),
        info.machineName(),
        info.machine(),
        info.elfClass(),
        glibc,
        musl,
        null);
  }

  private static ElfFile unreadable(
      ContentEntry entry, Function<String, String> owner, String why) {
    return new ElfFile(entry.path(), owner.apply(entry.path()), "unknown", 0, 0, null, false, why);
  }

  /** What keeps each ELF file from running on {@code target}. */
  static List<ContentProblem> check(List<ElfFile> files, Target target) {
    List<ContentProblem> out = new ArrayList<>();
    GlibcVersion glibc = target.runtime().glibc();
    String arch = target.architecture().lambdaName();
    for (ElfFile f : files) {
      String who = f.packageName() == null ? "" : " (" + f.packageName() + ")";
      if (f.error() != null) {
        continue; // reported once, without a target
      }
      if (f.machineCode() != target.architecture().elfMachine() || f.elfClass() != 64) {
        out.add(
            ContentProblem.error(
                "elf-machine",
                f.path(),
                f.packageName(),
                f.path()
                    + who
                    + " is "
                    + f.elfClass()
                    + "-bit "
                    + f.machine()
                    + " code; it cannot load on "
                    + arch
                    + " ("
                    + expected(target)
                    + ")",
                f.packageName() == null
                    ? "replace it with a build for " + arch
                    : "install "
                        + f.packageName()
                        + " for "
                        + arch
                        + " (for Python: pip's"
                        + " --platform manylinux2014_"
                        + target.architecture().machine()
                        + " --only-binary=:all:), or run the function on the architecture the"
                        + " layer was built for"));
        continue;
      }
      if (f.musl()) {
        out.add(
            ContentProblem.error(
                "elf-musl",
                f.path(),
                f.packageName(),
                f.path()
                    + who
                    + " is linked against musl libc (built for Alpine), which "
                    + target.runtime().os()
                    + " does not have",
                "use a manylinux (glibc) build of it"));
      }
      if (f.glibc() != null) {
        ElfVersion needs = ElfVersion.of(f.glibc());
        ElfVersion has = ElfVersion.of(glibc.toString());
        if (needs.compareTo(has) > 0) {
          out.add(
              ContentProblem.error(
                  "elf-glibc",
                  f.path(),
                  f.packageName(),
                  f.path()
                      + who
                      + " needs GLIBC_"
                      + f.glibc()
                      + "; "
                      + target.runtime().id()
                      + " runs on "
                      + target.runtime().os()
                      + " with glibc "
                      + glibc,
                  "use an older release of "
                      + (f.packageName() == null ? "it" : f.packageName())
                      + " built for manylinux_2_"
                      + glibc.minor()
                      + " or older, or a runtime on"
                      + " a newer OS (Amazon Linux 2023 has glibc 2.34)"));
        }
      }
    }
    return out;
  }

  private static String expected(Target target) {
    return "it needs 64-bit "
        + (target.architecture().elfMachine() == ElfInfo.EM_X86_64 ? "x86-64" : "AArch64");
  }

  /** The ELF files that could not be read, target-independent. */
  static List<ContentProblem> unreadable(List<ElfFile> files) {
    List<ContentProblem> out = new ArrayList<>();
    for (ElfFile f : files) {
      if (f.error() != null) {
        out.add(
            ContentProblem.warning(
                "elf-unreadable",
                f.path(),
                f.packageName(),
                f.path() + " looks like ELF but " + f.error(),
                "check whether the file is damaged"));
      }
    }
    return out;
  }
}
