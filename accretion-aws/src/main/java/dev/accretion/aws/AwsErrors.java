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

  /**
   * Whether the failure is that the endpoint could not be reached at all (connection refused,
   * unknown host, no route, connect timeout): nothing reached AWS, so credentials and permissions
   * are not the question.
   */
  static boolean isUnreachable(Throwable e) {
    return unreachableCause(e) != null;
  }

  /**
   * Why the endpoint could not be reached, in a few words ({@code connection refused}, {@code
   * unknown host sts.example}), or null when the failure is something else.
   */
  static String unreachableCause(Throwable e) {
    // The most telling cause first: an unresolved name is wrapped in a ConnectException by the
    // JDK's HTTP client.
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.UnknownHostException) {
        return "unknown host" + (t.getMessage() == null ? "" : " " + firstWord(t.getMessage()));
      }
      if (t instanceof java.nio.channels.UnresolvedAddressException) {
        return "unknown host";
      }
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.NoRouteToHostException) {
        return "no route to host";
      }
      if (t instanceof java.net.http.HttpConnectTimeoutException
          || t.getClass().getSimpleName().equals("ConnectTimeoutException")) {
        return "connection timed out";
      }
      if (t instanceof java.net.ConnectException) {
        String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(java.util.Locale.ROOT);
        return m.contains("timed out") ? "connection timed out" : "connection refused";
      }
    }
    return null;
  }

  private static String firstWord(String s) {
    String t = s.strip();
    int space = t.indexOf(' ');
    String word = space < 0 ? t : t.substring(0, space);
    return word.endsWith(":") ? word.substring(0, word.length() - 1) : word;
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
