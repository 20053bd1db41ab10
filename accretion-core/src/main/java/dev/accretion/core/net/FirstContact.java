package dev.accretion.core.net;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lets one request open the connection to an https origin before the others are sent.
 *
 * <p>The JDK's {@link java.net.http.HttpClient} opens a new connection, with a TLS handshake of its
 * own, for every request sent before its first HTTP/2 connection to a host exists: a build that
 * starts 32 downloads at once makes 32 handshakes (each costing CPU in a JVM whose code is not
 * compiled yet) and then keeps one connection. Here the first request to an origin goes alone; the
 * others wait until it has its answer's headers (or failed, or {@code wait} passed) and then share
 * its connection. Plain http has no handshake to save: its requests never wait. Thread-safe; one
 * per HTTP client.
 */
public final class FirstContact {
  private final Map<String, CompletableFuture<Void>> origins = new ConcurrentHashMap<>();
  private final Duration wait;

  /**
   * @param wait the longest a request waits for the first one to an origin; after that it is sent
   *     anyway (on a connection of its own)
   */
  public FirstContact(Duration wait) {
    this.wait = wait;
  }

  /** What a request holds while it is sent; closing it (always, also on failure) lets others go. */
  public interface Ticket extends AutoCloseable {
    @Override
    void close();
  }

  private static final Ticket NOTHING = () -> {};

  /**
   * Call right before sending a request to {@code uri}, and close the ticket once the answer's
   * headers are in or the send failed.
   *
   * @throws InterruptedException when interrupted while waiting for the first request
   */
  public Ticket enter(URI uri) throws InterruptedException {
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      return NOTHING;
    }
    String origin = uri.getHost().toLowerCase(Locale.ROOT) + ":" + uri.getPort();
    CompletableFuture<Void> first = origins.get(origin);
    if (first == null) {
      CompletableFuture<Void> mine = new CompletableFuture<>();
      first = origins.putIfAbsent(origin, mine);
      if (first == null) {
        return () -> mine.complete(null);
      }
    }
    if (!first.isDone()) {
      try {
        first.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // the first answer is slow: go anyway
      }
    }
    return NOTHING;
  }
}
