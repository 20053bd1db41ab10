package dev.accretion.python.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.python.PackageName;
import dev.accretion.testkit.HttpsFileServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pip's {@code cert} against a real https index whose certificate comes from a private CA, which
 * the JDK's default trust store does not know.
 */
class CaBundleTest {
  @TempDir static Path dir;
  private static HttpsFileServer server;
  private static String index;

  @BeforeAll
  static void start() throws Exception {
    Path root = dir.resolve("www");
    Files.createDirectories(root.resolve("simple/demo"));
    Files.writeString(
        root.resolve("simple/demo/index.html"),
        "<!DOCTYPE html><html><body><a href=\"/files/demo-1.0-py3-none-any.whl#sha256="
            + "ab".repeat(32)
            + "\">demo-1.0-py3-none-any.whl</a></body></html>\n");
    server = new HttpsFileServer(root, dir.resolve("tls"), "Accretion test CA");
    index = server.url("simple/");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static PipConfiguration pip(Map<String, String> env) throws Exception {
    Map<String, String> all = new HashMap<>(env);
    all.put("PIP_CONFIG_FILE", "/dev/null");
    all.put("PIP_INDEX_URL", index);
    return PipConfiguration.load(all, Files.createDirectories(dir.resolve("home")));
  }

  @Test
  void pipCertFromTheEnvironmentLetsThePrivateCaIndexBeRead() throws Exception {
    String pem = server.caPem().toString();
    PipConfiguration pip = pip(Map.of("PIP_CERT", pem));
    assertThat(pip.cert()).isEqualTo(pem);
    try (SimpleIndexClient client = SimpleIndexClient.builder().pipConfiguration(pip).build()) {
      List<ProjectPage> pages = client.pages(PackageName.parse("demo"));
      assertThat(pages).hasSize(1);
      assertThat(pages.get(0).files()).hasSize(1);
      assertThat(pages.get(0).files().get(0).filename()).isEqualTo("demo-1.0-py3-none-any.whl");
    }
  }

  @Test
  void certInPipConfIsResolvedAgainstTheWorkingDirectory() throws Exception {
    Path conf = dir.resolve("pip.conf");
    Files.writeString(conf, "[global]\nindex-url = " + index + "\ncert = tls/ca.pem\n");
    PipConfiguration pip =
        PipConfiguration.load(
            Map.of("PIP_CONFIG_FILE", conf.toString()), Files.createDirectories(dir.resolve("h")));
    assertThat(pip.cert()).isEqualTo("tls/ca.pem");
    try (SimpleIndexClient client =
        SimpleIndexClient.builder().pipConfiguration(pip).workingDirectory(dir).build()) {
      assertThat(client.pages(PackageName.parse("demo"))).hasSize(1);
    }
  }

  @Test
  void withoutTheBundleTheHandshakeFailsAndTheErrorSaysWhatToSet() throws Exception {
    try (SimpleIndexClient client =
        SimpleIndexClient.builder().pipConfiguration(pip(Map.of())).build()) {
      assertThatThrownBy(() -> client.pages(PackageName.parse("demo")))
          .isInstanceOf(IndexUnreachableException.class)
          .hasMessageContaining("index " + index + " is unreachable")
          .hasMessageContaining("TLS handshake with 127.0.0.1:")
          .hasMessageContaining("PIP_CERT");
    }
  }

  @Test
  void theBundleReplacesTheDefaultTrustSoAnotherCaIsNotEnough() throws Exception {
    Path other;
    try (HttpsFileServer unrelated =
        new HttpsFileServer(dir.resolve("www"), dir.resolve("other-tls"), "Unrelated CA")) {
      other = unrelated.caPem();
    }
    try (SimpleIndexClient client =
        SimpleIndexClient.builder()
            .pipConfiguration(pip(Map.of()))
            .caBundle(other.toString())
            .build()) {
      assertThatThrownBy(() -> client.pages(PackageName.parse("demo")))
          .isInstanceOf(IndexUnreachableException.class)
          .hasMessageContaining("TLS handshake")
          .hasMessageContaining("checked against the CA bundle " + other + " only");
    }
  }

  @Test
  void missingOrMalformedBundlesAreRefusedNamingTheFileAndTheSetting() throws Exception {
    Path missing = dir.resolve("nowhere.pem");
    assertThatThrownBy(
            () ->
                SimpleIndexClient.builder()
                    .pipConfiguration(pip(Map.of("PIP_CERT", missing.toString())))
                    .build())
        .isInstanceOf(IndexException.class)
        .hasMessageContaining("CA bundle " + missing + " does not exist")
        .hasMessageContaining("PIP_CERT");
    assertThatThrownBy(() -> SimpleIndexClient.builder().caBundle(dir.toString()).build())
        .isInstanceOf(IndexException.class)
        .hasMessageContaining("CA bundle " + dir + " is not a readable file");
    // the contents are read at the first https request, and a bad file fails it (not "unreachable")
    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, "not a certificate\n");
    try (SimpleIndexClient client =
        SimpleIndexClient.builder()
            .pipConfiguration(pip(Map.of()))
            .caBundle(garbage.toString())
            .build()) {
      assertThatThrownBy(() -> client.pages(PackageName.parse("demo")))
          .isInstanceOf(IndexException.class)
          .isNotInstanceOf(IndexUnreachableException.class)
          .hasMessageContaining("CA bundle " + garbage + " is not a PEM file of certificates")
          .hasMessageContaining("cert in pip.conf");
    }
  }
}
