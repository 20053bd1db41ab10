package dev.accretion.cli;

import static dev.accretion.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.accretion.testkit.SimpleIndexBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dependency-confusion guard through the CLI's defaults: the indexes come from pip's
 * configuration in a test HOME (no index flags), the strategy is the default one.
 */
class IndexGuardCliTest {
  @TempDir Path dir;
  SimpleIndexBuilder privateIndex;
  SimpleIndexBuilder publicIndex;
  Path home;

  @BeforeEach
  void setUp() throws Exception {
    privateIndex = new SimpleIndexBuilder(dir.resolve("private"));
    privateIndex.add(wheel("acme-internal-lib", "1.0"));
    publicIndex = new SimpleIndexBuilder(dir.resolve("public"));
    publicIndex.add(wheel("acme-internal-lib", "99.0"));
    publicIndex.add(wheel("idna", "3.10"));
    home = Files.createDirectories(dir.resolve("home"));
    Files.writeString(dir.resolve("requirements.txt"), "acme-internal-lib\n");
  }

  /** The CLI with only HOME and PIP_CONFIG_FILE set, pip.conf holding {@code config}. */
  CliRun lock(String config, String... more) throws Exception {
    Path pipConf = home.resolve("pip.conf");
    Files.writeString(pipConf, config);
    Map<String, String> env =
        Map.of("HOME", home.toString(), "PIP_CONFIG_FILE", pipConf.toString());
    String[] args = new String[5 + more.length];
    args[0] = "lock";
    args[1] = "requirements.txt";
    args[2] = "--runtime";
    args[3] = "python3.12";
    args[4] = "--cache-dir=" + dir.resolve("cache");
    System.arraycopy(more, 0, args, 5, more.length);
    return CliRun.run(env, dir, args);
  }

  static HttpServer failing(int status) throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    return server;
  }

  @Test
  void lock_privateExtraIndexWinsOverThePublicIndexUrl() throws Exception {
    CliRun run =
        lock(
            "[global]\nindex-url = "
                + publicIndex.url()
                + "\nextra-index-url = "
                + privateIndex.url()
                + "\n");
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(Files.readString(dir.resolve("pylock.toml")))
        .contains("name = \"acme-internal-lib\"\nversion = \"1.0\"")
        .doesNotContain("99.0");
  }

  @Test
  void lock_aPrivateIndexAnswering503StopsTheResolution_bestMatchWarnsAndGoesOn() throws Exception {
    HttpServer down = failing(503);
    try {
      String privateUrl = "http://127.0.0.1:" + down.getAddress().getPort() + "/simple/";
      String config =
          "[global]\nindex-url = " + publicIndex.url() + "\nextra-index-url = " + privateUrl + "\n";
      CliRun run = lock(config);
      assertThat(run.code()).as(run.toString()).isEqualTo(1);
      assertThat(run.err())
          .contains("cannot resolve acme-internal-lib")
          .contains("index " + privateUrl + " is unreachable")
          .contains("HTTP 503")
          .doesNotContain("Exception")
          .doesNotContain("\tat ");
      assertThat(dir.resolve("pylock.toml")).doesNotExist();

      CliRun best = lock(config, "--index-strategy", "best-match");
      assertThat(best.code()).as(best.toString()).isZero();
      assertThat(best.err()).contains(privateUrl).contains("HTTP 503");
      assertThat(Files.readString(dir.resolve("pylock.toml"))).contains("version = \"99.0\"");
    } finally {
      down.stop(0);
    }
  }

  /**
   * This machine's layout: two file:// extra indexes and no index-url, so pip's default PyPI is the
   * last index, and it is unreachable here. What the file indexes have resolves; what none has
   * fails naming PyPI as unreachable rather than "no index lists it".
   */
  @Test
  void lock_machineLayout_fileIndexesResolveAndAMissingPackageNamesPypiUnreachable()
      throws Exception {
    Path userConf = home.resolve(".config/pip/pip.conf");
    Files.createDirectories(userConf.getParent());
    Files.writeString(
        userConf,
        "[global]\nextra-index-url = " + privateIndex.url() + " " + publicIndex.url() + "\n");
    Map<String, String> env = Map.of("HOME", home.toString());
    Files.writeString(dir.resolve("requirements.txt"), "acme-internal-lib\nidna\n");
    CliRun ok =
        CliRun.run(
            env,
            dir,
            "lock",
            "requirements.txt",
            "--runtime",
            "python3.12",
            "--cache-dir=" + dir.resolve("cache"));
    assertThat(ok.code()).as(ok.toString()).isZero();
    assertThat(Files.readString(dir.resolve("pylock.toml")))
        .contains("version = \"1.0\"")
        .contains("name = \"idna\"");

    Files.writeString(dir.resolve("requirements.txt"), "acme-no-such-project\n");
    CliRun missing =
        CliRun.run(
            env,
            dir,
            "lock",
            "requirements.txt",
            "--runtime",
            "python3.12",
            "--cache-dir=" + dir.resolve("cache"));
    assertThat(missing.code()).as(missing.toString()).isEqualTo(1);
    assertThat(missing.err())
        .contains("cannot resolve acme-no-such-project")
        .contains("https://pypi.org/simple/ is unreachable")
        .contains(privateIndex.url())
        .doesNotContain("no index lists");
  }
}
