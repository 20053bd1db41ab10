package dev.accretion.pipeline;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.elf.ElfInfo;
import dev.accretion.core.elf.ElfVersion;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.LayerFile;
import dev.accretion.pipeline.spi.OpenedPackage;
import java.util.Optional;

/**
 * The check every native file of a layer must pass, whatever its language: an ELF object built for
 * the target's machine ({@code e_machine}) that needs no {@code GLIBC_x.y} symbol version newer
 * than the target's glibc. A package whose platform claims lie (a wheel tagged manylinux2014 that
 * needs glibc 2.34) is refused with {@link FailureKind#REFUSED}, naming the file and the package.
 */
public final class ElfCheck {
  private ElfCheck() {}

  /**
   * @param noun what the builder calls its package files ("wheel")
   * @param opened the package the file belongs to, or null for a file of no package
   */
  public static void check(LayerFile file, Target target, OpenedPackage opened, String noun)
      throws AccretionException {
    ElfInfo elf = file.elf();
    if (elf == null) {
      return;
    }
    String entry = file.content() instanceof LayerFile.Raw raw ? raw.entry().name() : file.path();
    String where;
    String who;
    String name;
    String claim = null;
    if (opened != null) {
      var pkg = opened.pkg();
      name = pkg.name();
      who = "package " + pkg.name() + " " + pkg.version();
      where =
          (pkg.source() == null ? "package " + pkg.label() : noun + " " + pkg.source().filename());
      claim = opened.platformClaim();
    } else {
      name = null;
      who = "a file of no package";
      where = "layer file";
    }
    int machine = target.architecture().elfMachine();
    if (elf.machine() != machine) {
      throw new AccretionException(
          FailureKind.REFUSED,
          where
              + ": file '"
              + entry
              + "' is native code for "
              + elf.machineName()
              + " ("
              + who
              + "), but "
              + target
              + " runs "
              + (machine == ElfInfo.EM_X86_64 ? "x86-64" : "AArch64")
              + (claim == null ? "" : "; " + claim + " are wrong"),
          name == null
              ? "leave the file out"
              : "pin another release of " + name + ", or report the wrong claim to its publisher",
          null);
    }
    Optional<ElfVersion> glibc = elf.maxGlibc();
    ElfVersion targetGlibc = ElfVersion.of(target.runtime().glibc().toString());
    if (glibc.isPresent() && glibc.get().compareTo(targetGlibc) > 0) {
      throw new AccretionException(
          FailureKind.REFUSED,
          where
              + ": file '"
              + entry
              + "' needs GLIBC_"
              + glibc.get()
              + " ("
              + who
              + "), but "
              + target.describe()
              + " has glibc "
              + target.runtime().glibc()
              + (claim == null ? "" : "; " + claim + " claim it runs there"),
          (name == null
                  ? "leave the file out"
                  : "pin a release of " + name + " that runs on glibc " + target.runtime().glibc())
              + ", use a runtime with a newer glibc (accretion runtimes lists them)"
              + (claim == null ? "" : ", and report the wrong claim to its publisher"),
          null);
    }
  }
}
