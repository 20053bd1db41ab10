package dev.accretion.core.archive;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte count shared by several archives: every byte inflated from any archive opened with the
 * same {@link ZipLimits} is charged here, so one build cannot unpack more than {@link #limit()}
 * bytes in total however the content is spread over wheels. Thread-safe.
 */
public final class ByteBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();

  /**
   * @param limit the most bytes that may be charged; must be positive
   */
  public ByteBudget(long limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("byte budget must be positive: " + limit);
    }
    this.limit = limit;
  }

  /** An effectively unlimited budget ({@link Long#MAX_VALUE} bytes). */
  public static ByteBudget unlimited() {
    return new ByteBudget(Long.MAX_VALUE);
  }

  public long limit() {
    return limit;
  }

  /** Bytes charged so far (may exceed the limit by the charge that crossed it). */
  public long used() {
    return used.get();
  }

  /**
   * Charges {@code bytes}; returns false if the total now exceeds the limit (the charge is kept, so
   * once exceeded the budget stays exceeded). Public so that readers of archives other than zips
   * (npm tarballs) charge the same build-wide budget.
   */
  public boolean charge(long bytes) {
    long total = used.accumulateAndGet(bytes, ByteBudget::saturatedAdd);
    return total <= limit;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
