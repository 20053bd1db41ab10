package dev.accretion.aws;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Sends the notification JSON to webhooks; see {@link Webhook} for the wire contract. */
final class WebhookSender {
  static final int MAX_ATTEMPTS = 4;

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final Duration baseDelay;

  WebhookSender(Duration baseDelay) {
    this.baseDelay = baseDelay;
  }

  /** The signature header value for a body: {@code sha256=<hex HMAC-SHA256>}. */
  static String signature(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Posts the body; returns null on success or a message saying what failed. */
  String send(Webhook hook, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(hook.url())
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("X-Accretion-Event", "layer-published")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (hook.secret() != null) {
      b.header("X-Accretion-Signature", signature(hook.secret(), body));
    }
    HttpRequest request = b.build();
    String last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 == 2) {
          return null;
        }
        last = "HTTP " + r.statusCode();
        if (r.statusCode() / 100 == 4 && r.statusCode() != 429 && r.statusCode() != 408) {
          break; // the receiver rejects this request; resending will not change that
        }
      } catch (IOException e) {
        last = describe(e);
        if (last.equals("unknown host") && hook.url().getHost() != null) {
          last += " " + hook.url().getHost();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "webhook " + hook.url() + " interrupted";
      }
      if (attempt < MAX_ATTEMPTS) {
        AwsErrors.sleep(AwsErrors.backoff(baseDelay, attempt));
      }
    }
    return "webhook "
        + hook.url()
        + " failed after "
        + MAX_ATTEMPTS
        + " attempts: "
        + last
        + "; the layer was published, the webhook was not told";
  }

  /**
   * Why a request did not get an answer, in a few words on one line: {@code connection refused},
   * {@code unknown host ci.example}, {@code no answer within 30 s}, {@code TLS failure: ...}; the
   * JDK's exceptions often carry no message of their own.
   */
  static String describe(IOException e) {
    String unreachable = AwsErrors.unreachableCause(e);
    if (unreachable != null) {
      return unreachable;
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no answer within 30 s";
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        return "TLS failure: " + oneLine(t.getMessage());
      }
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return oneLine(t.getMessage());
      }
    }
    return "connection failed (" + e.getClass().getSimpleName() + ")";
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "no detail";
    }
    String line = s.replace('\n', ' ').replace('\r', ' ').strip();
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
