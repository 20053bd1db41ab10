package dev.accretion.pipeline.spi;

import dev.accretion.core.runtime.Target;
import java.util.Objects;

/**
 * What a builder reports while it works; the pipeline adds its own events (fetching, assembling,
 * writing) in {@code dev.accretion.pipeline.PipelineEvent}. The CLI draws progress from events, the
 * service keeps them as the build log.
 */
public interface BuildEvent {

  /** Something the user should know that did not stop the build, one line. */
  record Warning(String message) implements BuildEvent {
    public Warning {
      Objects.requireNonNull(message, "message");
    }
  }

  /** Resolution for {@code target} starts. */
  record Resolving(Target target) implements BuildEvent {
    public Resolving {
      Objects.requireNonNull(target, "target");
    }
  }

  /** Resolution for {@code target} finished with {@code packages} packages. */
  record Resolved(Target target, int packages, long millis) implements BuildEvent {
    public Resolved {
      Objects.requireNonNull(target, "target");
    }
  }

  /**
   * A line of output from work the builder runs (a custom command's stdout and stderr), for
   * streaming as progress.
   */
  record Output(String line) implements BuildEvent {
    public Output {
      Objects.requireNonNull(line, "line");
    }
  }

  /** Free-form progress of a builder step: {@code done} of {@code total} (-1 when unknown). */
  record Step(String what, long done, long total) implements BuildEvent {
    public Step {
      Objects.requireNonNull(what, "what");
    }
  }
}
