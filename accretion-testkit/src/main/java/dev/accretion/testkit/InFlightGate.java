package dev.accretion.testkit;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the calls in progress at once (downloads a fixture serves, say) and can hold them until
 * enough are in progress: {@link #holdUntil holdUntil(n, millis)} makes each call wait in {@link
 * #enter} until {@code n} are in at once (after which none waits any more), or at most {@code
 * millis}. A test then sees how many calls a client overlaps however slowly it starts them: with
 * fewer than {@code n} at once it only gets slower, and {@link #most} says how many there were.
 * Thread-safe.
 */
public final class InFlightGate {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger most = new AtomicInteger();
  private int holdUntil;
  private long holdNanos;
  private boolean reached;

  /** Holds calls until {@code count} are in progress at once, each at most {@code millis}. */
  public synchronized InFlightGate holdUntil(int count, int millis) {
    holdUntil = count;
    holdNanos = millis * 1_000_000L;
    reached = false;
    most.set(0);
    return this;
  }

  /** A call starts: counted, then held as {@link #holdUntil} says. */
  public void enter() throws InterruptedException {
    int now = inFlight.incrementAndGet();
    most.accumulateAndGet(now, Math::max);
    synchronized (this) {
      if (holdUntil > 0 && now >= holdUntil) {
        reached = true;
        notifyAll();
      }
      long until = System.nanoTime() + holdNanos;
      while (holdUntil > 0 && !reached && System.nanoTime() < until) {
        wait(Math.max(1, (until - System.nanoTime()) / 1_000_000L));
      }
    }
  }

  /** A call ends (call this before answering, so the client may start the next one at once). */
  public void exit() {
    inFlight.decrementAndGet();
  }

  /** The most calls that were in progress at once since the last {@link #holdUntil}. */
  public int most() {
    return most.get();
  }
}
