package dev.accretion.python.resolve.engine;

import dev.accretion.core.AccretionException;
import java.util.List;

/**
 * No set of candidates satisfies every requirement. Carries the requirements (each with the
 * candidate that brought it) of the conflict the engine could not get past; the caller turns them
 * into an explanation.
 */
public final class ResolutionImpossible extends AccretionException {
  private static final long serialVersionUID = 1L;

  private final transient List<Provider.Information<?, ?>> causes;

  ResolutionImpossible(List<? extends Provider.Information<?, ?>> causes) {
    super("no solution: the requirements conflict");
    this.causes = List.copyOf(causes);
  }

  /** The requirements involved in the final conflict, with their parents (null = the user). */
  public List<Provider.Information<?, ?>> causes() {
    return causes;
  }
}
