package dev.accretion.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Renders library progress on stderr: one self-overwriting line on an interactive terminal, nothing
 * otherwise. Warnings are always printed, each on its own line.
 */
final class Progress {
  private final PrintWriter err;
  private final boolean draw;
  private final AtomicLong lastDraw = new AtomicLong();
  private volatile String label = "";
  private volatile boolean dirty;

  Progress(Context context) {
    this.err = context.err();
    this.draw = context.interactive();
  }

  void label(String label) {
    this.label = label;
  }

  public void warning(String message) {
    synchronized (err) {
      clear();
      err.println("accretion: warning: " + message);
      err.flush();
    }
  }

  public void progress(long done, long requested) {
    status(label + ": " + done + "/" + requested + " index pages");
  }

  void status(String text) {
    if (!draw) {
      return;
    }
    long now = System.nanoTime();
    long last = lastDraw.get();
    if (now - last < 50_000_000L || !lastDraw.compareAndSet(last, now)) {
      return;
    }
    synchronized (err) {
      String line = text.length() > 100 ? text.substring(0, 100) : text;
      err.print("\r\033[K" + line);
      err.flush();
      dirty = true;
    }
  }

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
