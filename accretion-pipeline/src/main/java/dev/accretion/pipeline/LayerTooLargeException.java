package dev.accretion.pipeline;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.List;

/**
 * A layer that would not fit Lambda's unzipped size limit (262,144,000 bytes for a function and all
 * its layers) minus the space reserved for the rest. The problem names the layer, the target, the
 * size and the largest packages; the advice lists the ways out. Kind {@link FailureKind#TOO_LARGE}.
 */
public class LayerTooLargeException extends AccretionException {
  private static final long serialVersionUID = 1L;

  private final long unzippedBytes;
  private final long budgetBytes;
  private final List<String> largest;

  LayerTooLargeException(
      String problem, String advice, long unzippedBytes, long budgetBytes, List<String> largest) {
    super(FailureKind.TOO_LARGE, problem, advice, null);
    this.unzippedBytes = unzippedBytes;
    this.budgetBytes = budgetBytes;
    this.largest = List.copyOf(largest);
  }

  /** The layer's unzipped size (declared or actual). */
  public long unzippedBytes() {
    return unzippedBytes;
  }

  /** The budget it exceeds. */
  public long budgetBytes() {
    return budgetBytes;
  }

  /** The largest packages, largest first, by name. */
  public List<String> largest() {
    return largest;
  }
}
