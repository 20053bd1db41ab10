package dev.accretion.cli;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * {@code --runtime R --arch A} pairs; each value may be a comma list (their cross product). Several
 * pairs may be given: {@code --runtime python3.11 --arch x86_64 --runtime python3.12 --arch arm64}.
 */
final class TargetOptions {
  static final class Pair {
    @Option(
        names = "--runtime",
        required = true,
        paramLabel = "RUNTIME",
        description =
            "Lambda runtime, e.g. python3.12 (comma list allowed). Repeat --runtime/--arch pairs"
                + " for several targets.")
    String runtime;

    @Option(
        names = "--arch",
        paramLabel = "ARCH",
        description = "x86_64 or arm64 (comma list allowed; default: x86_64).")
    String arch;
  }

  @ArgGroup(exclusive = false, multiplicity = "1..*")
  List<Pair> pairs = new ArrayList<>();

  /** The targets, in the order given, duplicates dropped. */
  List<Target> targets(RuntimeMatrix matrix) throws AccretionException {
    LinkedHashSet<Target> out = new LinkedHashSet<>();
    for (Pair pair : pairs) {
      for (String runtime : pair.runtime.split(",")) {
        for (String arch : (pair.arch == null ? "x86_64" : pair.arch).split(",")) {
          out.add(matrix.target(runtime.strip(), arch.strip()));
        }
      }
    }
    return List.copyOf(out);
  }
}
