package dev.accretion.aws;

import java.net.URI;

/**
 * A URL that receives an HTTP POST of the publish notification JSON (the same document as the SNS
 * message, see {@link LayerPublishedEvent}).
 *
 * <p>When {@code secret} is not null the request carries {@code X-Accretion-Signature:
 * sha256=<hex>}, the lower-case hex HMAC-SHA256 of the exact request body bytes keyed with the
 * secret's UTF-8 bytes, so the receiver can verify the sender. The body is UTF-8 JSON with {@code
 * Content-Type: application/json}; {@code X-Accretion-Event: layer-published} names the event.
 * Non-2xx answers and I/O errors are retried with exponential backoff (4 attempts); a webhook that
 * still fails is reported in {@link PublishResult#notificationFailures()} and never fails the
 * publish.
 */
public record Webhook(URI url, String secret) {
  /** url is required and must be http or https; secret may be null (unsigned). */
  public Webhook {
    if (url == null
        || url.getScheme() == null
        || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
      throw new IllegalArgumentException("webhook URL '" + url + "' must be http:// or https://");
    }
  }

  @Override
  public String toString() {
    // never print the secret
    return "Webhook[" + url + (secret == null ? "" : ", signed") + "]";
  }
}
