package dev.accretion.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FirstContactTest {
  private static final URI A = URI.create("https://registry.example/a.tgz");
  private static final URI B = URI.create("https://REGISTRY.example/b.tgz");

  /** Enters on another thread; the future completes when enter returned. */
  private static CompletableFuture<Void> enterElsewhere(FirstContact contact, URI uri) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            contact.enter(uri).close();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        },
        r -> Thread.ofVirtual().start(r));
  }

  @Test
  void laterRequestsToTheOriginWaitUntilTheFirstTicketIsClosed() throws Exception {
    FirstContact contact = new FirstContact(Duration.ofMinutes(1));
    FirstContact.Ticket first = contact.enter(A);
    CompletableFuture<Void> second = enterElsewhere(contact, B); // same host, other case
    Thread.sleep(200);
    assertThat(second).isNotDone();
    first.close();
    second.get(10, TimeUnit.SECONDS);
    // once the first is answered, nobody waits any more
    FirstContact.Ticket later = contact.enter(A);
    later.close();
  }

  @Test
  void otherOriginsAndPlainHttpDoNotWait() throws Exception {
    FirstContact contact = new FirstContact(Duration.ofMinutes(1));
    FirstContact.Ticket first = contact.enter(A);
    enterElsewhere(contact, URI.create("https://registry.example:8443/a.tgz"))
        .get(10, TimeUnit.SECONDS);
    enterElsewhere(contact, URI.create("https://other.example/a.tgz")).get(10, TimeUnit.SECONDS);
    enterElsewhere(contact, URI.create("http://registry.example/a.tgz")).get(10, TimeUnit.SECONDS);
    first.close();
  }

  @Test
  void aSlowFirstRequestHoldsTheOthersNoLongerThanTheWait() throws Exception {
    FirstContact contact = new FirstContact(Duration.ofMillis(300));
    FirstContact.Ticket first = contact.enter(A);
    long start = System.nanoTime();
    enterElsewhere(contact, A).get(10, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    first.close();
  }
}
