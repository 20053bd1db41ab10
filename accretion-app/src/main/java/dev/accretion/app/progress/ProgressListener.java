package dev.accretion.app.progress;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Receives a use case's {@link ProgressEvent}s; the use cases never print. Called from the use
 * case's worker threads, possibly concurrently: implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface ProgressListener {
  /** A listener that ignores everything. */
  ProgressListener NONE = event -> {};

  void onEvent(ProgressEvent event);

  default void warning(String message) {
    onEvent(new ProgressEvent.Warning(message));
  }

  default void activity(String text) {
    onEvent(new ProgressEvent.Activity(text));
  }

  default void stage(String text) {
    onEvent(new ProgressEvent.Stage(text));
  }

  default void idle() {
    onEvent(new ProgressEvent.Idle());
  }

  /**
   * {@code listener}, passing each distinct warning once (issue 17: a Pipfile.lock's note came
   * seven times, once per target and again at the end); other events pass unchanged. Applying it to
   * an already deduplicating listener changes nothing.
   */
  static ProgressListener warningsOnce(ProgressListener listener) {
    if (listener instanceof WarningsOnce) {
      return listener;
    }
    return new WarningsOnce(listener);
  }

  /**
   * {@code listener} with {@code prefix} before every activity and stage line ("building web-deps:
   * "), for work done on behalf of a larger one.
   */
  static ProgressListener prefixed(ProgressListener listener, String prefix) {
    return event ->
        listener.onEvent(
            switch (event) {
              case ProgressEvent.Activity a -> new ProgressEvent.Activity(prefix + a.text());
              case ProgressEvent.Stage s -> new ProgressEvent.Stage(prefix + s.text());
              default -> event;
            });
  }

  /** See {@link #warningsOnce}. */
  final class WarningsOnce implements ProgressListener {
    private final ProgressListener delegate;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    private WarningsOnce(ProgressListener delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onEvent(ProgressEvent event) {
      if (event instanceof ProgressEvent.Warning w && !seen.add(w.message())) {
        return;
      }
      delegate.onEvent(event);
    }
  }
}
