package dev.accretion.cli;

import dev.accretion.app.progress.ProgressEvent;
import dev.accretion.app.progress.ProgressListener;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Renders use-case progress on stderr in the context's style: on a terminal one self-overwriting
 * status line; in a log one plain line per finished stage; warnings always, each on its own line
 * ({@code accretion: warning: ...}).
 */
final class Progress implements ProgressListener {
  private final PrintWriter err;
  private final Context.ProgressStyle style;
  private final AtomicLong lastDraw = new AtomicLong();
  private volatile boolean dirty;

  Progress(Context context) {
    this.err = context.err();
    this.style = context.progressStyle();
  }

  @Override
  public void onEvent(ProgressEvent event) {
    switch (event) {
      case ProgressEvent.Warning w -> line("accretion: warning: " + w.message());
      case ProgressEvent.Stage s -> {
        if (style == Context.ProgressStyle.PLAIN) {
          line(s.text());
        }
      }
      case ProgressEvent.Activity a -> status(a.text());
      case ProgressEvent.Idle i -> clear();
    }
  }

  private void line(String text) {
    synchronized (err) {
      clear();
      err.println(text);
      err.flush();
    }
  }

  private void status(String text) {
    if (style != Context.ProgressStyle.LIVE) {
      return;
    }
    long now = System.nanoTime();
    long last = lastDraw.get();
    if (now - last < 50_000_000L || !lastDraw.compareAndSet(last, now)) {
      return;
    }
    synchronized (err) {
      String shown = text.length() > 100 ? text.substring(0, 100) : text;
      err.print("\r\033[K" + shown);
      err.flush();
      dirty = true;
    }
  }

  /** Clears the status line, if one is drawn. */
  void clear() {
    synchronized (err) {
      if (dirty) {
        err.print("\r\033[K");
        err.flush();
        dirty = false;
      }
    }
  }
}
