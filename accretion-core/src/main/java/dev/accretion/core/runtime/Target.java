package dev.accretion.core.runtime;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What an artifact is built for: one Lambda runtime on one architecture. Immutable.
 *
 * @param runtime the runtime; never null
 * @param architecture an architecture the runtime supports; never null
 */
public record Target(Runtime runtime, Architecture architecture) {

  /**
   * @throws IllegalArgumentException if the runtime does not support the architecture; use {@link
   *     #of} for a checked failure with a message for users
   */
  public Target {
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(architecture, "architecture");
    if (!runtime.supports(architecture)) {
      throw new IllegalArgumentException(unsupported(runtime, architecture));
    }
  }

  /**
   * Makes a target, checking that Lambda offers the runtime on the architecture.
   *
   * @throws AccretionException naming the architectures the runtime does support
   */
  public static Target of(Runtime runtime, Architecture architecture) throws AccretionException {
    if (!runtime.supports(architecture)) {
      throw new AccretionException(FailureKind.BAD_INPUT, unsupported(runtime, architecture));
    }
    return new Target(runtime, architecture);
  }

  private static String unsupported(Runtime runtime, Architecture architecture) {
    return "Lambda runtime "
        + runtime.id()
        + " is not offered on "
        + architecture.lambdaName()
        + "; it runs on "
        + runtime.architectures().stream()
            .map(Architecture::lambdaName)
            .collect(Collectors.joining(", "));
  }

  /** For messages: {@code python3.11 (Amazon Linux 2, glibc 2.26) on x86_64}. */
  public String describe() {
    return runtime.describe() + " on " + architecture.lambdaName();
  }

  /** {@code python3.12/arm64}. */
  @Override
  public String toString() {
    return runtime.id() + "/" + architecture.lambdaName();
  }
}
