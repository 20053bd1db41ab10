package dev.accretion.pipeline;

import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.runtime.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The unzipped-size budget of a layer: 262,144,000 bytes (Lambda's limit for a function and all its
 * layers) minus the reserve. Checked twice, on what the package files declare before anything is
 * inflated, and on the real sizes before anything is written; over it, the failure names the
 * largest packages and the ways out (the builder's own, then the ones every layer has).
 */
final class SizeBudget {
  static final String EFS_HINT =
      "for dependencies that cannot fit, side-load them from EFS: `accretion efs install LISTING"
          + " --root /mnt/efs --runtime R` installs each package version once on a file system the"
          + " function mounts, and `accretion efs bootstrap` writes the module that puts them on"
          + " sys.path (see the README's \"EFS side-loading\"); or ship the function as a container"
          + " image (up to 10 GB)";

  private final String layer;
  private final long budgetBytes;
  private final long reserveBytes;
  private final List<String> advice;

  /**
   * @param advice the builder's ways out, one clause each
   */
  SizeBudget(String layer, long budgetBytes, long reserveBytes, List<String> advice) {
    this.layer = layer;
    this.budgetBytes = budgetBytes;
    this.reserveBytes = reserveBytes;
    this.advice = List.copyOf(advice);
  }

  long budgetBytes() {
    return budgetBytes;
  }

  boolean fits(long total) {
    return total <= budgetBytes;
  }

  /**
   * The failure for a layer of {@code total} bytes.
   *
   * @param sizes "name version" to bytes, per package
   * @param verb "declares" (header sizes) or "comes to" (real sizes)
   */
  LayerTooLargeException tooLarge(Target target, long total, Map<String, Long> sizes, String verb) {
    List<Map.Entry<String, Long>> largest = new ArrayList<>(sizes.entrySet());
    largest.sort(
        Map.Entry.<String, Long>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    List<String> names = new ArrayList<>();
    StringBuilder top = new StringBuilder();
    for (int i = 0; i < Math.min(8, largest.size()); i++) {
      Map.Entry<String, Long> e = largest.get(i);
      names.add(e.getKey().split(" ")[0]);
      if (i > 0) {
        top.append(", ");
      }
      top.append(e.getKey()).append(" ").append(Sizes.human(e.getValue()));
    }
    String budget =
        Sizes.human(budgetBytes)
            + " ("
            + ZipLimits.LAMBDA_UNZIPPED_BYTES
            + " bytes, Lambda's unzipped limit for a function and its layers"
            + (reserveBytes > 0 ? ", minus --reserve " + Sizes.human(reserveBytes) : "")
            + ")";
    String problem =
        "layer "
            + layer
            + " for "
            + target
            + " "
            + verb
            + " "
            + Sizes.human(total)
            + " unzipped, over the budget of "
            + budget
            + " by "
            + Sizes.human(total - budgetBytes)
            + ". Largest packages: "
            + top;
    List<String> ways = new ArrayList<>(advice);
    ways.add(EFS_HINT);
    return new LayerTooLargeException(
        problem, "ways out: " + String.join("; ", ways), total, budgetBytes, names);
  }

  static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }
}
