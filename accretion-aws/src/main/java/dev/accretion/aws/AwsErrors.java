package dev.accretion.aws;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** Classifies SDK failures and words them for users. */
final class AwsErrors {
  private AwsErrors() {}

  enum Kind {
    /** The service refused the request before doing anything (HTTP 429): safe to resend. */
    THROTTLED,
    /** The request may or may not have been carried out: timeouts, resets, 5xx. */
    AMBIGUOUS,
    /** The service refused the request (4xx): resending will not help. */
    DEFINITE
  }

  static Kind classify(Throwable e) {
    if (e instanceof AwsServiceException ase) {
      String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
      if (ase.statusCode() == 429
          || "TooManyRequestsException".equals(code)
          || ase.isThrottlingException()) {
        return Kind.THROTTLED;
      }
      if (ase.statusCode() >= 500) {
        return Kind.AMBIGUOUS;
      }
      return Kind.DEFINITE;
    }
    // Client-side failures (timeouts, connection reset, unreadable response) happen after the
    // request may already have reached the service.
    return Kind.AMBIGUOUS;
  }

  static String errorCode(Throwable e) {
    if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
      return ase.awsErrorDetails().errorCode();
    }
    return null;
  }

  static int status(Throwable e) {
    return e instanceof AwsServiceException ase ? ase.statusCode() : 0;
  }

  /** The service's own message (or the client-side one), on one line. */
  static String message(Throwable e) {
    String m;
    if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
      String code = ase.awsErrorDetails().errorCode();
      String text = ase.awsErrorDetails().errorMessage();
      m = (code == null ? "" : code + ": ") + (text == null ? "HTTP " + ase.statusCode() : text);
    } else if (e instanceof SdkException) {
      m = e.getMessage();
    } else if (e instanceof IllegalStateException && e.getMessage() != null) {
      // Accretion's own wording of a failed step (RegionPublisher), already for people
      m = e.getMessage();
    } else {
      m = e.toString();
    }
    if (m == null) {
      m = e.getClass().getSimpleName();
    }
    return m.replace('\n', ' ').strip();
  }

  /** Full-jitter exponential backoff: a random delay in [0, base * 2^attempt], capped. */
  static Duration backoff(Duration base, int attempt) {
    long cap = base.toMillis() * 50;
    long max = Math.min(cap, base.toMillis() << Math.min(attempt, 20));
    return Duration.ofMillis(base.toMillis() / 2 + ThreadLocalRandom.current().nextLong(max + 1));
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing off", e);
    }
  }
}
