package dev.accretion.aws;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SSM parameters a published layer writes its version ARN to. The configured name is a pattern
 * that may hold two placeholders, {@value #RUNTIME} and {@value #ARCH}; it is expanded once per
 * target (runtime × architecture) the Lambda layer serves, and each parameter receives the ARN of
 * that layer's version in the region:
 *
 * <pre>
 * /layers/web-deps/{runtime}/{arch}/arn  →  /layers/web-deps/python3.12/x86_64/arn,
 *                                           /layers/web-deps/python3.13/x86_64/arn, ...
 * </pre>
 *
 * So a function reads the parameter of its own runtime and architecture, whatever the split of the
 * project layer into Lambda layers is. A name without placeholders is one parameter; it is refused
 * (by {@link dev.accretion.aws.project.LayerNaming#plan}) when two Lambda layers of one project
 * layer would write it: a parameter is never shared. A Lambda layer without compatible
 * architectures counts as {@code x86_64}, Lambda's default.
 *
 * <p>Stateless and thread-safe.
 */
public final class SsmParameterNames {
  /** Replaced by the runtime identifier, as Lambda spells it: {@code python3.12}. */
  public static final String RUNTIME = "{runtime}";

  /** Replaced by the architecture: {@code x86_64} or {@code arm64}. */
  public static final String ARCH = "{arch}";

  // PutParameter Name: letters, digits, . - _ and / for hierarchies; at most 2048 characters.
  private static final Pattern SSM_NAME = Pattern.compile("/?[a-zA-Z0-9_.-]+(/[a-zA-Z0-9_.-]+)*");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}?");
  private static final int MAX_LENGTH = 2048;

  private SsmParameterNames() {}

  /**
   * The parameter names for a Lambda layer serving {@code runtimes × architectures}, distinct, in
   * the order of the runtimes, then the architectures.
   *
   * @throws IllegalArgumentException if the pattern uses {@value #RUNTIME} and there are no
   *     runtimes
   */
  public static List<String> expand(
      String pattern, List<String> runtimes, List<String> architectures) {
    List<String> archs = architectures.isEmpty() ? List.of("x86_64") : architectures;
    if (pattern.contains(RUNTIME) && runtimes.isEmpty()) {
      throw new IllegalArgumentException(
          "SSM parameter name '"
              + pattern
              + "' uses "
              + RUNTIME
              + " but the layer has no runtimes");
    }
    List<String> rs = pattern.contains(RUNTIME) ? runtimes : List.of("");
    List<String> as = pattern.contains(ARCH) ? archs : List.of("");
    Set<String> out = new LinkedHashSet<>();
    for (String r : rs) {
      for (String a : as) {
        out.add(name(pattern, r, a));
      }
    }
    return List.copyOf(out);
  }

  /** The parameter name of one target. */
  public static String name(String pattern, String runtime, String architecture) {
    return pattern.replace(RUNTIME, runtime).replace(ARCH, architecture);
  }

  /** Whether the pattern holds a placeholder. */
  public static boolean hasPlaceholders(String pattern) {
    return pattern.contains(RUNTIME) || pattern.contains(ARCH);
  }

  /**
   * Checks a name pattern: only the two placeholders, and a valid SSM parameter name once they are
   * replaced.
   *
   * @throws AccretionException of kind {@link FailureKind#BAD_INPUT} saying what is wrong
   */
  public static void check(String pattern) throws AccretionException {
    String problem = problem(pattern);
    if (problem != null) {
      throw new AccretionException(FailureKind.BAD_INPUT, problem);
    }
  }

  /** What is wrong with a name pattern, or null. */
  static String problem(String pattern) {
    List<String> unknown = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(pattern);
    while (m.find()) {
      if (!m.group().equals(RUNTIME) && !m.group().equals(ARCH)) {
        unknown.add(m.group());
      }
    }
    if (!unknown.isEmpty()) {
      return "SSM parameter name '"
          + pattern
          + "' has "
          + String.join(", ", unknown)
          + ": the only placeholders are "
          + RUNTIME
          + " and "
          + ARCH;
    }
    String sample = name(pattern, "python3.12", "x86_64");
    if (sample.length() > MAX_LENGTH || !SSM_NAME.matcher(sample).matches()) {
      return "SSM parameter name '"
          + pattern
          + "' is not valid: use letters, digits, . - _ and / and the placeholders "
          + RUNTIME
          + " and "
          + ARCH
          + " (e.g. /layers/my-layer/{runtime}/{arch}/arn)";
    }
    return null;
  }
}
