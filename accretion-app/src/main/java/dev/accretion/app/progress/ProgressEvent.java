package dev.accretion.app.progress;

import java.util.Objects;

/**
 * What a use case reports while it works. Three audiences read these: a terminal draws {@link
 * Activity} on one self-overwriting line; a log (CI output, the service's build log) keeps one line
 * per {@link Stage}; everyone shows each {@link Warning}.
 */
public sealed interface ProgressEvent {

  /** Something the user should know that did not stop the work, one line. */
  record Warning(String message) implements ProgressEvent {
    public Warning {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * What is happening right now ("fetching 3/12 wheels, 4.1 MiB of 20 MiB: numpy-....whl 40%"):
   * superseded by the next one, frequent, never worth a log line.
   */
  record Activity(String text) implements ProgressEvent {
    public Activity {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A step finished, as one plain line for a log, as uv and pip print them: "Resolved 12 packages
   * for python3.12 on x86_64 in 1.2 s", "Fetched 12 files, 20.1 MiB in 3.4 s", "Published deps
   * version 4 in eu-west-1".
   */
  record Stage(String text) implements ProgressEvent {
    public Stage {
      Objects.requireNonNull(text, "text");
    }
  }

  /** The current activity ended; a terminal clears its status line. */
  record Idle() implements ProgressEvent {}
}
