package dev.accretion.aws;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;

/**
 * Which layer a read command is about: a layer name as the user gives it — a project layer's name
 * ({@code web-deps}) or a Lambda layer's name ({@code web-deps-python312-arm64}) — and optionally
 * the target it must serve. {@code runtime} (a Lambda identifier such as {@code python3.12}) and
 * {@code architecture} ({@code x86_64} or {@code arm64}) may each be null: no constraint. {@link
 * LayerCatalog#locate} finds the Lambda layer. Immutable.
 */
public record LayerQuery(String layerName, String runtime, String architecture) {
  /**
   * @throws IllegalArgumentException if {@code layerName} is null
   */
  public LayerQuery {
    if (layerName == null) {
      throw new IllegalArgumentException("layerName is required");
    }
  }

  /**
   * A checked query without a target: the layer of that name.
   *
   * @throws AccretionException of kind {@link FailureKind#USAGE} for an invalid layer name
   */
  public static LayerQuery of(String layerName) throws AccretionException {
    return of(layerName, null, null);
  }

  /**
   * A checked query.
   *
   * @throws AccretionException of kind {@link FailureKind#USAGE} for an invalid layer name, an
   *     unknown runtime or architecture
   */
  public static LayerQuery of(String layerName, String runtime, String architecture)
      throws AccretionException {
    LayerQuery q = new LayerQuery(layerName, runtime, architecture);
    q.check();
    return q;
  }

  /** Whether a runtime or an architecture is given. */
  public boolean hasTarget() {
    return runtime != null || architecture != null;
  }

  /**
   * Whether a version listing {@code runtimes} and {@code architectures} serves the target. A
   * version without compatible architectures counts as {@code x86_64}, Lambda's default.
   */
  public boolean servedBy(java.util.List<String> runtimes, java.util.List<String> architectures) {
    boolean runtimeOk = runtime == null || runtimes.contains(runtime);
    boolean archOk =
        architecture == null
            || architectures.contains(architecture)
            || architectures.isEmpty() && architecture.equals("x86_64");
    return runtimeOk && archOk;
  }

  /** The target in words, for messages: {@code python3.12 on arm64}, {@code arm64}, or empty. */
  public String targetText() {
    if (runtime != null && architecture != null) {
      return runtime + " on " + architecture;
    }
    return runtime != null ? runtime : architecture == null ? "" : architecture;
  }

  void check() throws AccretionException {
    try {
      PublishValidation.checkLayerName(layerName);
      if (runtime != null) {
        PublishValidation.checkRuntime(runtime);
      }
      if (architecture != null) {
        PublishValidation.checkArchitecture(architecture);
      }
    } catch (AccretionException e) {
      throw AccretionException.as(FailureKind.USAGE, e);
    }
  }
}
