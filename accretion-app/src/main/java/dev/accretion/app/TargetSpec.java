package dev.accretion.app;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The Lambda targets a request names, as text: {@code runtime × architecture} pairs, each side a
 * comma list whose cross product is meant ({@code --runtime python3.11,python3.12 --arch
 * x86_64,arm64} is four targets). Several pairs may be given for targets that are not a full
 * product. Immutable; {@link #targets} checks the names against the runtime matrix.
 *
 * @param pairs at least one pair, in the order given
 */
public record TargetSpec(List<Pair> pairs) {
  /** The architecture of a pair that names none. */
  public static final String DEFAULT_ARCHITECTURE = "x86_64";

  /**
   * One {@code --runtime R --arch A} pair.
   *
   * @param runtimes a runtime id or a comma list of them, e.g. {@code python3.12,python3.13}
   * @param architectures an architecture or a comma list, or null for {@value
   *     #DEFAULT_ARCHITECTURE}
   */
  public record Pair(String runtimes, String architectures) {
    public Pair {
      Objects.requireNonNull(runtimes, "runtimes");
    }
  }

  public TargetSpec {
    pairs = List.copyOf(pairs);
  }

  /** One pair. */
  public static TargetSpec of(String runtimes, String architectures) {
    return new TargetSpec(List.of(new Pair(runtimes, architectures)));
  }

  /** The product of two lists (an empty architecture list means {@value #DEFAULT_ARCHITECTURE}). */
  public static TargetSpec product(List<String> runtimes, List<String> architectures) {
    return of(
        String.join(",", runtimes),
        architectures.isEmpty() ? null : String.join(",", architectures));
  }

  /**
   * The targets, in the order given, duplicates dropped.
   *
   * @throws AccretionException a usage failure when no target is named; a bad-input failure naming
   *     an unknown runtime or architecture (with the closest known one)
   */
  public List<Target> targets(RuntimeMatrix matrix) throws AccretionException {
    if (pairs.isEmpty()) {
      throw Usage.error("name at least one target: --runtime RUNTIME [--arch ARCH]");
    }
    LinkedHashSet<Target> out = new LinkedHashSet<>();
    for (Pair pair : pairs) {
      for (String runtime : split(pair.runtimes())) {
        for (String arch :
            split(pair.architectures() == null ? DEFAULT_ARCHITECTURE : pair.architectures())) {
          out.add(matrix.target(runtime, arch));
        }
      }
    }
    return List.copyOf(out);
  }

  private static List<String> split(String list) {
    List<String> out = new ArrayList<>();
    for (String part : list.split(",")) {
      out.add(part.strip());
    }
    return out;
  }
}
