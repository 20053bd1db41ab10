package dev.accretion.python.resolve.engine;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * No set of candidates satisfies every requirement. Carries the requirements (each with the
 * candidate that brought it) of the conflict the engine could not get past; the caller turns them
 * into an explanation.
 */
public final class ResolutionImpossible extends AccretionException {
  private static final long serialVersionUID = 1L;

  private final transient List<Provider.Information<?, ?>> causes;
  private final transient Map<Object, List<Provider.Information<?, ?>>> requiredBy;

  ResolutionImpossible(
      List<? extends Provider.Information<?, ?>> causes,
      Map<?, ? extends List<? extends Provider.Information<?, ?>>> requiredBy) {
    super(FailureKind.CONFLICT, "no solution: the requirements conflict");
    this.causes = List.copyOf(causes);
    Map<Object, List<Provider.Information<?, ?>>> copy = new LinkedHashMap<>();
    requiredBy.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    this.requiredBy = Collections.unmodifiableMap(copy);
  }

  /**
   * For every identifier known when the engine gave up, who required it (requirement and parent
   * candidate); used to explain how a conflicting requirement was reached from the user's list.
   */
  public Map<Object, List<Provider.Information<?, ?>>> requiredBy() {
    return requiredBy;
  }

  /** The requirements involved in the final conflict, with their parents (null = the user). */
  public List<Provider.Information<?, ?>> causes() {
    return causes;
  }
}
