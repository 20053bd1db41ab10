package dev.accretion.node.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** npm's configuration files, environment variables and credential rules. */
class NpmConfigTest {
  @TempDir Path tmp;

  @Test
  void ini_asNpmReadsIt() {
    Map<String, Object> m =
        Ini.parse(
            """
            ; comment
            # comment
            registry = https://r.example/ ; trailing comment
            quoted = "a;b#c"
            single = 'x'
            escaped = a\\;b
            flag
            ca[] = one
            ca[] = two
            [section]
            ignored = yes
            """);
    assertThat(m)
        .containsEntry("registry", "https://r.example/")
        .containsEntry("quoted", "a;b#c")
        .containsEntry("single", "x")
        .containsEntry("escaped", "a;b")
        .containsEntry("flag", "true")
        .containsEntry("ca", java.util.List.of("one", "two"))
        .doesNotContainKey("ignored");
  }

  @Test
  void preferOnline_fromTheEnvironmentOrAFile_offByDefault() throws Exception {
    assertThat(NpmConfig.load(Map.of(), tmp, tmp, Map.of()).preferOnline()).isFalse();
    assertThat(
            NpmConfig.load(Map.of("npm_config_prefer_online", "true"), tmp, tmp, Map.of())
                .preferOnline())
        .isTrue();
    Files.writeString(tmp.resolve(".npmrc"), "prefer-online=true\n");
    assertThat(NpmConfig.load(Map.of(), tmp, tmp, Map.of()).preferOnline()).isTrue();
  }

  @Test
  void envReplace_likeNpm() {
    Map<String, String> env = Map.of("TOKEN", "t0k");
    assertThat(NpmConfig.envReplace("${TOKEN}", env)).isEqualTo("t0k");
    assertThat(NpmConfig.envReplace("${MISSING}", env)).isEqualTo("${MISSING}");
    assertThat(NpmConfig.envReplace("${MISSING?}", env)).isEmpty();
    assertThat(NpmConfig.envReplace("\\${TOKEN}", env)).isEqualTo("${TOKEN}");
  }

  @Test
  void places_globalUserProjectEnvironment_laterWins() throws Exception {
    // a node binary on PATH gives npm's prefix, whose etc/npmrc is the global configuration
    Path prefix = tmp.resolve("prefix");
    Files.createDirectories(prefix.resolve("bin"));
    Files.createDirectories(prefix.resolve("etc"));
    Path node = prefix.resolve("bin/node");
    Files.writeString(node, "#!/bin/sh\n");
    Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(
        prefix.resolve("etc/npmrc"),
        "registry=https://global/\n@a:registry=https://a-global/\n@b:registry=https://b-global/\n@c:registry=https://c-global/\n");
    Path home = tmp.resolve("home");
    Files.createDirectories(home);
    Files.writeString(
        home.resolve(".npmrc"), "@b:registry=https://b-user/\n@c:registry=https://c-user/\n");
    Path project = tmp.resolve("project");
    Files.createDirectories(project);
    Files.writeString(project.resolve(".npmrc"), "@c:registry=https://c-project/\n");
    Map<String, String> env = Map.of("PATH", prefix.resolve("bin").toString());
    NpmConfig c = NpmConfig.load(env, home, project, Map.of());
    assertThat(c.registry()).isEqualTo("https://global/");
    assertThat(c.registryFor("@a/x")).isEqualTo("https://a-global/");
    assertThat(c.registryFor("@b/x")).isEqualTo("https://b-user/");
    assertThat(c.registryFor("@c/x")).isEqualTo("https://c-project/");
    assertThat(c.registryFor("plain")).isEqualTo("https://global/");
    assertThat(c.files()).hasSize(3);

    NpmConfig e =
        NpmConfig.load(
            Map.of(
                "PATH",
                prefix.resolve("bin").toString(),
                "NPM_CONFIG_REGISTRY",
                "https://env",
                "npm_config_@c:registry",
                "https://c-env/"),
            home,
            project,
            Map.of());
    assertThat(e.registry()).isEqualTo("https://env/");
    assertThat(e.registryFor("@c/x")).isEqualTo("https://c-env/");
    assertThat(NpmConfig.load(env, home, project, Map.of("registry", "https://option/")).registry())
        .isEqualTo("https://option/");

    Path other = tmp.resolve("other.npmrc");
    Files.writeString(other, "registry=https://userconfig/\n");
    assertThat(
            NpmConfig.load(
                    Map.of("NPM_CONFIG_USERCONFIG", other.toString()),
                    home,
                    tmp.resolve("none"),
                    Map.of())
                .registry())
        .isEqualTo("https://userconfig/");
    assertThat(NpmConfig.load(Map.of(), home, tmp.resolve("none"), Map.of()).registry())
        .isEqualTo(NpmConfig.DEFAULT_REGISTRY);
  }

  @Test
  void authorization_walksUpTheUrlsPath_andFallsBackToTheRegistryOnItsHost() {
    NpmConfig c =
        NpmConfig.of(
            Map.of(
                "registry", "https://npm.corp/api/npm/",
                "//npm.corp/api/npm/:_authToken", "T",
                "//other.corp/:_auth", "dXNlcjpwdw==",
                "//basic.corp/:username", "me",
                "//basic.corp/:_password", "cHc="));
    assertThat(c.authorization("https://npm.corp/api/npm/x/-/x-1.tgz", c.registry()))
        .contains("Bearer T");
    assertThat(c.authorization("https://npm.corp/files/x.tgz", c.registry())).contains("Bearer T");
    assertThat(c.authorization("https://other.corp/x.tgz", c.registry()))
        .contains("Basic dXNlcjpwdw==");
    assertThat(c.authorization("https://basic.corp/x.tgz", c.registry()))
        .contains("Basic bWU6cHc=");
    assertThat(c.authorization("https://registry.npmjs.org/x", c.registry())).isEmpty();
  }

  @Test
  void replaceRegistryHost_likeNpm() {
    NpmConfig c = NpmConfig.of(Map.of("registry", "https://mirror.corp/npm/"));
    assertThat(c.replaceRegistry("https://registry.npmjs.org/x/-/x-1.0.0.tgz"))
        .isEqualTo("https://mirror.corp/npm/x/-/x-1.0.0.tgz");
    assertThat(c.replaceRegistry("https://registry.yarnpkg.com/x/-/x-1.0.0.tgz"))
        .isEqualTo("https://mirror.corp/npm/x/-/x-1.0.0.tgz");
    assertThat(c.replaceRegistry("https://elsewhere/x.tgz")).isEqualTo("https://elsewhere/x.tgz");
    NpmConfig never =
        NpmConfig.of(Map.of("registry", "https://mirror.corp/", "replace-registry-host", "never"));
    assertThat(never.replaceRegistry("https://registry.npmjs.org/x/-/x-1.0.0.tgz"))
        .isEqualTo("https://registry.npmjs.org/x/-/x-1.0.0.tgz");
    NpmConfig always =
        NpmConfig.of(Map.of("registry", "https://mirror.corp/", "replace-registry-host", "always"));
    assertThat(always.replaceRegistry("https://elsewhere/x.tgz"))
        .isEqualTo("https://mirror.corp/x.tgz");
  }

  @Test
  void selectorText_namesHostsWithCredentials_butNotTheSecrets() {
    NpmConfig c = NpmConfig.of(Map.of("registry", "https://r/", "//r/:_authToken", "SECRET"));
    assertThat(c.selectorText())
        .contains("registry=https://r/")
        .contains("//r/:_authToken=<set>")
        .doesNotContain("SECRET");
  }
}
