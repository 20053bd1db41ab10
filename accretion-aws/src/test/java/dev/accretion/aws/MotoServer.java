package dev.accretion.aws;

import java.net.URI;
import java.time.Duration;

/**
 * The moto server the integration tests talk to; see {@link dev.accretion.testkit.MotoServer}
 * (shared with the CLI's tests).
 */
final class MotoServer {
  static final String ACCESS_KEY = dev.accretion.testkit.MotoServer.ACCESS_KEY;
  static final String SECRET_KEY = dev.accretion.testkit.MotoServer.SECRET_KEY;
  static final String ACCOUNT = dev.accretion.testkit.MotoServer.ACCOUNT;

  private MotoServer() {}

  /** The endpoint, starting moto on first use. */
  static URI endpoint() {
    return dev.accretion.testkit.MotoServer.endpoint();
  }

  /** Settings for talking to moto directly, with small retry delays. */
  static AwsSettings settings() {
    return AwsSettings.emulator(endpoint(), ACCESS_KEY, SECRET_KEY)
        .withRetryBaseDelay(Duration.ofMillis(20));
  }
}
