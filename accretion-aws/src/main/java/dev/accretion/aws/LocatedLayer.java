package dev.accretion.aws;

/**
 * A Lambda layer found for a {@link LayerQuery} in one region: its name (the project layer's own
 * name, or one derived from it for a target, see {@link LambdaLayerNames}) and its newest version.
 * Immutable.
 */
public record LocatedLayer(String lambdaLayerName, LayerVersionInfo latest) {
  /** {@code web-deps-python312-arm64 (python3.12, python3.13 on arm64)}, for messages. */
  public String describe() {
    String target = targetText();
    return target.isEmpty() ? lambdaLayerName : lambdaLayerName + " (" + target + ")";
  }

  /** What the newest version lists, in words: {@code python3.12, python3.13 on arm64}. */
  public String targetText() {
    String runtimes = String.join(", ", latest.compatibleRuntimes());
    String archs = String.join(", ", latest.compatibleArchitectures());
    return runtimes.isEmpty() ? archs : archs.isEmpty() ? runtimes : runtimes + " on " + archs;
  }
}
