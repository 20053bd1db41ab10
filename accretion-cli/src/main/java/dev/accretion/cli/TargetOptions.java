package dev.accretion.cli;

import dev.accretion.app.TargetSpec;
import java.util.List;
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

  private TargetOptions() {}

  /** The pairs as the request's target spec. */
  static TargetSpec spec(List<Pair> pairs) {
    return new TargetSpec(pairs.stream().map(p -> new TargetSpec.Pair(p.runtime, p.arch)).toList());
  }
}
