package dev.accretion.testkit;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link HttpsFileServer#beforeAnswer} hook that holds the first request's answer back for a
 * while and counts the requests that arrive before it is answered: a client that waits for its
 * first answer before sending more (to share that connection) has none.
 */
public final class FirstAnswerHold implements Consumer<String> {
  private final long holdMillis;
  private final AtomicInteger arrived = new AtomicInteger();
  private final AtomicBoolean firstAnswered = new AtomicBoolean();
  private final AtomicInteger beforeFirstAnswer = new AtomicInteger();

  public FirstAnswerHold(long holdMillis) {
    this.holdMillis = holdMillis;
  }

  @Override
  public void accept(String path) {
    if (arrived.getAndIncrement() == 0) {
      try {
        Thread.sleep(holdMillis); // a client that does not wait sends the others meanwhile
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      firstAnswered.set(true);
    } else if (!firstAnswered.get()) {
      beforeFirstAnswer.incrementAndGet();
    }
  }

  /** Requests that arrived so far. */
  public int arrived() {
    return arrived.get();
  }

  /** Requests that arrived while the first one's answer was held back. */
  public int beforeFirstAnswer() {
    return beforeFirstAnswer.get();
  }
}
