package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings read from a given environment map, never from the JVM's (no AWS call is made). */
class AwsSettingsTest {
  @TempDir Path home;

  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", home.toString());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void fromEnvironment_readsRegionFromAwsRegionThenAwsDefaultRegion() throws Exception {
    try (AwsClients c =
        new AwsClients(
            AwsSettings.fromEnvironment(
                env("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "us-west-2"), null))) {
      assertThat(c.defaultRegion()).isEqualTo("eu-west-1");
    }
    try (AwsClients c =
        new AwsClients(AwsSettings.fromEnvironment(env("AWS_DEFAULT_REGION", "us-west-2"), null))) {
      assertThat(c.defaultRegion()).isEqualTo("us-west-2");
    }
  }

  @Test
  void fromEnvironment_readsTheProfilesRegionAndKeysFromTheGivenHome() throws Exception {
    Files.createDirectories(home.resolve(".aws"));
    Files.writeString(
        home.resolve(".aws/config"), "[profile dev]\nregion = ap-southeast-2\n[default]\n");
    Files.writeString(
        home.resolve(".aws/credentials"),
        "[dev]\naws_access_key_id = AKIDEV\naws_secret_access_key = secret\n");
    try (AwsClients c =
        new AwsClients(AwsSettings.fromEnvironment(env("AWS_PROFILE", "dev"), null))) {
      assertThat(c.defaultRegion()).isEqualTo("ap-southeast-2");
      c.checkCredentials();
    }
    try (AwsClients c =
        new AwsClients(AwsSettings.fromEnvironment(env(), null).withProfile("dev"))) {
      c.checkCredentials();
    }
  }

  @Test
  void fromEnvironment_withoutRegionNamesAwsRegion() throws Exception {
    try (AwsClients c = new AwsClients(AwsSettings.fromEnvironment(env(), null))) {
      assertThatThrownBy(c::defaultRegion).hasMessageContaining("AWS_REGION");
    }
  }

  @Test
  void fromEnvironment_withoutCredentialsNamesTheStandardVariables() throws Exception {
    try (AwsClients c = new AwsClients(AwsSettings.fromEnvironment(env(), null))) {
      assertThatThrownBy(c::checkCredentials)
          .hasMessageContaining("no AWS credentials found")
          .hasMessageContaining("AWS_ACCESS_KEY_ID")
          .hasMessageContaining("AWS_PROFILE");
    }
    try (AwsClients c =
        new AwsClients(AwsSettings.fromEnvironment(env("AWS_ACCESS_KEY_ID", "AKIA"), null))) {
      assertThatThrownBy(c::checkCredentials)
          .hasMessageContaining("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
    }
    try (AwsClients c =
        new AwsClients(AwsSettings.fromEnvironment(env("AWS_PROFILE", "missing"), null))) {
      assertThatThrownBy(c::checkCredentials)
          .hasMessageContaining("no AWS credentials found for profile 'missing'");
    }
  }

  @Test
  void fromEnvironment_keysWithSessionTokenAreEnough() throws Exception {
    try (AwsClients c =
        new AwsClients(
            AwsSettings.fromEnvironment(
                env(
                    "AWS_ACCESS_KEY_ID", "AKIA",
                    "AWS_SECRET_ACCESS_KEY", "s",
                    "AWS_SESSION_TOKEN", "t"),
                null))) {
      c.checkCredentials();
    }
  }

  @Test
  void fromEnvironment_rejectsAnEndpointWithoutScheme() {
    assertThatThrownBy(
            () -> AwsSettings.fromEnvironment(env("AWS_ENDPOINT_URL", "127.0.0.1:5000"), null))
        .hasMessageContaining("AWS_ENDPOINT_URL='127.0.0.1:5000' is not an endpoint URL");
    assertThatThrownBy(() -> AwsSettings.fromEnvironment(env("AWS_ENDPOINT_URL_S3", "::"), null))
        .hasMessageContaining("AWS_ENDPOINT_URL_S3");
  }

  @Test
  void toString_neverShowsSecrets() throws Exception {
    AwsSettings s =
        AwsSettings.fromEnvironment(env("AWS_SECRET_ACCESS_KEY", "hunter2"), null)
            .withEndpointOverride(URI.create("http://127.0.0.1:1"));
    assertThat(s.toString()).doesNotContain("hunter2");
    assertThat(AwsSettings.emulator(URI.create("http://x:1"), "a", "hunter2").toString())
        .doesNotContain("hunter2");
  }
}
