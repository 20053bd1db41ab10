package dev.accretion.python.pep508;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The values PEP 508 environment markers are evaluated against, keyed by marker variable name
 * ({@code python_version}, {@code platform_machine}, ...; see {@link #VARIABLES}).
 *
 * <p>A marker that uses a variable this environment does not define cannot be evaluated ({@link
 * Marker#evaluate} throws {@link MarkerEvaluationException}); {@code packaging} would take the
 * value from the running interpreter, which a Lambda target is not. {@code extra} need not be
 * given: it is an argument of {@link Marker#evaluate(MarkerEnvironment, String)}.
 *
 * @param values variable name to value; copied, no null keys or values
 */
public record MarkerEnvironment(Map<String, String> values) {
  /** The PEP 508 environment marker variables. */
  public static final Set<String> VARIABLES =
      Set.of(
          "implementation_name",
          "implementation_version",
          "os_name",
          "platform_machine",
          "platform_release",
          "platform_system",
          "platform_version",
          "python_full_version",
          "platform_python_implementation",
          "python_version",
          "sys_platform");

  public MarkerEnvironment {
    values = Map.copyOf(Objects.requireNonNull(values, "values"));
  }

  /** An environment with the given values. */
  public static MarkerEnvironment of(Map<String, String> values) {
    return new MarkerEnvironment(values);
  }

  /** The value of a variable, or null if this environment does not define it. */
  public String get(String variable) {
    return values.get(variable);
  }

  /** This environment with one variable set (added or replaced). */
  public MarkerEnvironment with(String variable, String value) {
    Map<String, String> copy = new HashMap<>(values);
    copy.put(Objects.requireNonNull(variable, "variable"), Objects.requireNonNull(value, "value"));
    return new MarkerEnvironment(copy);
  }
}
