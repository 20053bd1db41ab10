package dev.accretion.pipeline;

import dev.accretion.core.AccretionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for groups of futures so that the same inputs always report the same failure. */
final class Futures {
  private Futures() {}

  /** Waits for every future; the results in order, null where one failed. */
  static <T> List<T> settle(List<CompletableFuture<T>> futures) {
    List<T> results = new ArrayList<>(futures.size());
    for (CompletableFuture<T> f : futures) {
      try {
        results.add(f.join());
      } catch (CompletionException | CancellationException e) {
        results.add(null);
      }
    }
    return results;
  }

  /**
   * The first failure in list order among settled futures (cancellations, which only follow another
   * failure, are skipped); rethrows unexpected runtime failures and errors.
   */
  static <T> AccretionException firstFailure(List<CompletableFuture<T>> futures) {
    for (CompletableFuture<T> f : futures) {
      if (!f.isCompletedExceptionally()) {
        continue;
      }
      try {
        f.join();
      } catch (CancellationException e) {
        continue;
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof CancellationException) {
          continue;
        }
        if (cause instanceof AccretionException ae) {
          return ae;
        }
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        return new AccretionException(String.valueOf(cause), cause);
      }
    }
    return null;
  }
}
