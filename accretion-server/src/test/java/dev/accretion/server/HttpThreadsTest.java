package dev.accretion.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.junit.jupiter.api.Test;

/** The service's HTTP threads: virtual ones by default on JDK 24+, else Javalin's pool. */
class HttpThreadsTest {
  private record Seen(boolean virtual, ThreadPool pool) {}

  private static Seen configured(String setting) {
    AtomicReference<Seen> seen = new AtomicReference<>();
    Javalin.create(
        c -> {
          Api.httpThreads(c, setting);
          seen.set(new Seen(c.concurrency.useVirtualThreads, c.jetty.threadPool));
        });
    return seen.get();
  }

  @Test
  void theDefaultIsVirtualThreadsFromJdk24() {
    assertThat(configured(null).virtual()).isEqualTo(Runtime.version().feature() >= 24);
    assertThat(configured(" ").virtual()).isEqualTo(Runtime.version().feature() >= 24);
  }

  @Test
  void thePropertyChoosesPlatformVirtualOrAPoolSize() {
    assertThat(configured("platform").virtual()).isFalse();
    assertThat(configured("virtual").virtual()).isTrue();
    Seen sized = configured("16");
    assertThat(sized.virtual()).isFalse();
    assertThat(sized.pool())
        .isInstanceOfSatisfying(
            QueuedThreadPool.class, p -> assertThat(p.getMaxThreads()).isEqualTo(16));
  }
}
