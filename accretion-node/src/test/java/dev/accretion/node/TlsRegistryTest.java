package dev.accretion.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.Placement;
import dev.accretion.testkit.HttpsFileServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry over https with a private CA: trusted through cafile or ca, refused otherwise. */
class TlsRegistryTest {
  @TempDir Path tmp;

  @Test
  void privateCa_trustedThroughCafileOrCa_refusedWithoutIt() throws Exception {
    Path root = tmp.resolve("root");
    Files.createDirectories(root.resolve("x/-"));
    byte[] tgz =
        new TarBuilder()
            .file("package/package.json", "{\"name\":\"x\",\"version\":\"1.0.0\"}")
            .file("package/index.js", "1")
            .gzip();
    Files.write(root.resolve("x/-/x-1.0.0.tgz"), tgz);
    try (HttpsFileServer server =
        new HttpsFileServer(root, tmp.resolve("tls"), "Accretion npm test CA")) {
      String integrity =
          "sha512-" + Base64.getEncoder().encodeToString(RegistryFixture.digest("SHA-512", tgz));
      Path project = tmp.resolve("p");
      Files.createDirectories(project);
      Files.writeString(
          project.resolve("package.json"), "{\"name\":\"app\",\"dependencies\":{\"x\":\"1.0.0\"}}");
      Files.writeString(
          project.resolve("package-lock.json"),
          NodeBuilderFixtureTest.lock("x", "1.0.0", server.url("x/-/x-1.0.0.tgz"), integrity));

      Files.writeString(project.resolve(".npmrc"), "cafile=" + server.caPem() + "\n");
      assertThat(build(project, tmp.resolve("c1")).files())
          .containsKey("nodejs/node_modules/x/index.js");

      String pem =
          Files.readString(server.caPem())
              .replace("\r\n", "\n")
              .replaceAll("(?m)^#.*$", "")
              .strip()
              .replace("\n", "\\n");
      Files.writeString(project.resolve(".npmrc"), "ca=\"" + pem + "\"\n");
      assertThat(build(project, tmp.resolve("c2")).files())
          .containsKey("nodejs/node_modules/x/index.js");

      Files.delete(project.resolve(".npmrc"));
      assertThatThrownBy(() -> build(project, tmp.resolve("c3")))
          .isInstanceOfSatisfying(
              AccretionException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(FailureKind.UNREACHABLE);
                assertThat(e.getMessage()).contains("TLS").contains("cafile");
              });
    }
  }

  SessionBuild.Result build(Path project, Path cache) throws Exception {
    return SessionBuild.build(
        project.resolve("package.json"),
        SessionBuild.target("nodejs22.x", Architecture.X86_64),
        Placement.LAYER,
        BuilderOptions.none(),
        SessionBuild.context(Map.of(), tmp.resolve("home"), cache, BuildListener.NONE),
        cache.resolve("blobs"),
        null);
  }
}
