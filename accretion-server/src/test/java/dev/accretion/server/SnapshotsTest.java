package dev.accretion.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SnapshotsTest {
  private final AtomicInteger loads = new AtomicInteger();

  private Optional<String> load(String value) {
    loads.incrementAndGet();
    return Optional.ofNullable(value);
  }

  @Test
  void aPresentValueIsServedWithoutLoadingUntilItExpires() throws Exception {
    Snapshots<String, String> s = new Snapshots<>(10);
    assertThat(s.get("k", () -> load("one"))).contains("one");
    assertThat(s.get("k", () -> load("two"))).contains("one");
    assertThat(loads).hasValue(1);

    Thread.sleep(Snapshots.TTL_NANOS / 1_000_000 + 50);
    assertThat(s.get("k", () -> load("two"))).contains("two");
    assertThat(loads).hasValue(2);
  }

  @Test
  void anAbsentValueIsNeverKept() throws Exception {
    Snapshots<String, String> s = new Snapshots<>(10);
    assertThat(s.get("k", () -> load(null))).isEmpty();
    assertThat(s.get("k", () -> load("now"))).contains("now");
    assertThat(loads).hasValue(2);
  }

  @Test
  void clearMakesTheNextReadLoad() throws Exception {
    Snapshots<String, String> s = new Snapshots<>(10);
    s.get("k", () -> load("old"));
    s.clear();
    assertThat(s.get("k", () -> load("new"))).contains("new");
  }

  @Test
  void aLoadThatAWriteOverlapsKeepsNothing() throws Exception {
    Snapshots<String, String> s = new Snapshots<>(10);
    // the write (and its clear) happens while the read is loading the old value
    assertThat(
            s.get(
                "k",
                () -> {
                  s.clear();
                  return load("old");
                }))
        .contains("old");
    assertThat(s.get("k", () -> load("new"))).contains("new");
  }

  @Test
  void aGoneValueIsDroppedAndTheLimitBoundsTheKeys() throws Exception {
    Snapshots<String, String> s = new Snapshots<>(2);
    s.get("a", () -> load("1"));
    s.get("b", () -> load("2"));
    s.get("c", () -> load("3")); // over the limit: the others go
    loads.set(0);
    s.get("a", () -> load("1"));
    assertThat(loads).hasValue(1);
  }
}
