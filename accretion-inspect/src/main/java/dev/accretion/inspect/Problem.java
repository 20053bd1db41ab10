package dev.accretion.inspect;

import dev.accretion.pipeline.spi.ContentProblem;
import java.util.Objects;

/**
 * A problem found by an inspection, with where it applies. Immutable.
 *
 * @param severity {@link ContentProblem.Severity#ERROR} makes the layer or function unfit
 * @param code a stable id ({@code elf-machine}, {@code elf-glibc}, {@code python-abi}, ...)
 * @param target the target it applies to ({@code python3.11/x86_64}), or null for every target
 * @param layer the layer (version ARN or file) it was found in, or null for the function itself
 * @param path the file or folder concerned, or null
 * @param packageName the package concerned ({@code numpy 2.2.6}), or null
 * @param message what is wrong
 * @param advice what to do, or null
 */
public record Problem(
    ContentProblem.Severity severity,
    String code,
    String target,
    String layer,
    String path,
    String packageName,
    String message,
    String advice) {

  public Problem {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  static Problem of(ContentProblem p, String target, String layer) {
    return new Problem(
        p.severity(), p.code(), target, layer, p.path(), p.packageName(), p.message(), p.advice());
  }

  /** The same problem, found in {@code layer}. */
  Problem inLayer(String layerLabel) {
    return new Problem(severity, code, target, layerLabel, path, packageName, message, advice);
  }

  public boolean isError() {
    return severity == ContentProblem.Severity.ERROR;
  }
}
