package dev.accretion.app;

import dev.accretion.app.progress.ProgressListener;
import dev.accretion.core.runtime.Target;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The warning for a target whose runtime reached Lambda's deprecation date. */
public final class Deprecations {
  private Deprecations() {}

  /** Warns about {@code target}'s runtime if it is deprecated today (UTC). */
  public static void warnIfDeprecated(Target target, ProgressListener listener) {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    target
        .runtime()
        .deprecation()
        .filter(d -> !today.isBefore(d))
        .ifPresent(
            d ->
                listener.warning(
                    target.runtime().id()
                        + " reached Lambda's deprecation date on "
                        + d
                        + target
                            .runtime()
                            .blockFunctionUpdate()
                            .map(u -> "; function updates are blocked from " + u)
                            .orElse("")
                        + ". Plan a move to a newer runtime (accretion runtimes lists them)."));
  }
}
