package dev.accretion.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.app.Environment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamReleaseTest {
  @TempDir Path dir;

  private static LayerDefinition def(String file, String content, String runtime) {
    return new LayerDefinition(
        "l",
        file,
        content,
        List.of(new LayerDefinition.Target(runtime, "x86_64")),
        List.of("us-east-1"),
        List.of(),
        null,
        null,
        null,
        null);
  }

  private static Map<String, Object> packument(String latest, String... versions) {
    Map<String, Object> vs = new LinkedHashMap<>();
    for (String v : versions) {
      vs.put(v, Map.of("name", "p", "version", v));
    }
    return Map.of("dist-tags", Map.of("latest", latest), "versions", vs);
  }

  private static final LayerDefinition NPM =
      def(
          "package.json",
          "{\"dependencies\":{\"direct\":\"~1.2.0\"},\"optionalDependencies\":{\"opt\":\"latest\"}}",
          "nodejs22.x");

  @Test
  void npmPick_takesTheVersionTheListingsRangeResolvesTo_whenNewerThanTheLock() {
    assertThat(UpstreamRelease.npmPick(NPM, "direct", "1.2.0", packument("1.2.0", "1.2.0")))
        .isEmpty();
    assertThat(
            UpstreamRelease.npmPick(
                NPM, "direct", "1.2.0", packument("2.0.0", "1.2.0", "1.2.5", "1.3.0", "2.0.0")))
        .contains("1.2.5");
    // the latest tag wins when it is in range, as npm picks it
    assertThat(
            UpstreamRelease.npmPick(
                NPM, "direct", "1.2.0", packument("1.2.3", "1.2.0", "1.2.3", "1.2.9")))
        .contains("1.2.3");
    assertThat(
            UpstreamRelease.npmPick(NPM, "direct", "1.2.0", packument("1.3.0", "1.2.0", "1.3.0")))
        .as("outside ~1.2.0")
        .isEmpty();
    assertThat(UpstreamRelease.npmPick(NPM, "opt", "1.0.0", packument("3.0.0", "1.0.0", "3.0.0")))
        .as("a tag follows the tag")
        .contains("3.0.0");
  }

  @Test
  void npmPick_aPackageOnlyOthersDependOn_takesNewerVersionsOfItsMajorOnly() {
    assertThat(
            UpstreamRelease.npmPick(
                NPM, "transitive", "4.1.0", packument("5.0.0", "4.1.0", "4.2.0", "5.0.0")))
        .contains("4.2.0");
    assertThat(UpstreamRelease.npmPick(NPM, "transitive", "4.1.0", packument("5.0.0", "5.0.0")))
        .isEmpty();
  }

  @Test
  void npm_aLockListingIsInstalledAsItIs_noReleaseChangesIt() {
    LayerDefinition lock = def("package-lock.json", "{}", "nodejs22.x");
    assertThat(UpstreamRelease.npmPick(lock, "x", "1.0.0", packument("1.0.1", "1.0.1"))).isEmpty();
    assertThat(UpstreamRelease.npmCouldChange(lock, "x", "1.0.0", "1.0.1")).isFalse();
  }

  @Test
  void npmCouldChange_inRangeAndNewer_notPrereleasesOrOlder() {
    assertThat(UpstreamRelease.npmCouldChange(NPM, "direct", "1.2.0", "1.2.7")).isTrue();
    assertThat(UpstreamRelease.npmCouldChange(NPM, "direct", "1.2.0", "1.3.0")).isFalse();
    assertThat(UpstreamRelease.npmCouldChange(NPM, "direct", "1.2.3", "1.2.1")).isFalse();
    assertThat(UpstreamRelease.npmCouldChange(NPM, "direct", "1.2.0", "1.2.8-rc.1")).isFalse();
    assertThat(UpstreamRelease.npmCouldChange(NPM, "direct", "1.2.0", "not-a-version")).isFalse();
  }

  @Test
  void npmDocument_comesFromTheScopesRegistry_withItsCredentials_inTheAbbreviatedForm()
      throws Exception {
    Files.writeString(
        dir.resolve(".npmrc"),
        "registry=http://127.0.0.1:1/npm/\n"
            + "@corp:registry=http://127.0.0.1:2/corp/\n"
            + "//127.0.0.1:2/corp/:_authToken=sekret\n");
    Environment env = new Environment(Map.of(), dir, dir);
    UpstreamRelease.Document plain = UpstreamRelease.npmDocument(env, "left-pad");
    assertThat(plain.url()).isEqualTo("http://127.0.0.1:1/npm/left-pad");
    assertThat(plain.headers()).doesNotContainKey("Authorization");
    assertThat(plain.headers().get("Accept")).startsWith("application/vnd.npm.install-v1+json");
    UpstreamRelease.Document scoped = UpstreamRelease.npmDocument(env, "@corp/lib");
    assertThat(scoped.url()).isEqualTo("http://127.0.0.1:2/corp/@corp%2flib");
    assertThat(scoped.headers()).containsEntry("Authorization", "Bearer sekret");
  }

  private static final String POM =
      """
      <project>
        <modelVersion>4.0.0</modelVersion>
        <groupId>x</groupId><artifactId>fn</artifactId><version>1</version>
        <properties><jackson.range>[2.17,3.0)</jackson.range></properties>
        <dependencies>
          <dependency><groupId>com.fasterxml.jackson.core</groupId>
            <artifactId>jackson-core</artifactId><version>${jackson.range}</version></dependency>
          <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId>
            <version>2.0.9</version></dependency>
          <dependency><groupId>org.junit</groupId><artifactId>junit</artifactId>
            <version>[5,6)</version><scope>test</scope></dependency>
        </dependencies>
      </project>
      """;

  @Test
  void maven_aRangeInThePomTakesNewerReleasesInside_anExactPinNone() {
    LayerDefinition d = def("pom.xml", POM, "java21");
    String core = "com.fasterxml.jackson.core:jackson-core";
    assertThat(UpstreamRelease.mavenCouldChange(d, core, "2.17.0", "2.18.1")).isTrue();
    assertThat(UpstreamRelease.mavenCouldChange(d, core, "2.17.0", "3.0.0")).isFalse();
    assertThat(UpstreamRelease.mavenCouldChange(d, core, "2.18.1", "2.17.3")).isFalse();
    assertThat(UpstreamRelease.mavenCouldChange(d, core, "2.17.0", "2.19.0-SNAPSHOT")).isFalse();
    assertThat(UpstreamRelease.mavenCouldChange(d, "org.slf4j:slf4j-api", "2.0.9", "2.0.17"))
        .as("an exact version never moves")
        .isFalse();
    assertThat(UpstreamRelease.mavenCouldChange(d, "org.junit:junit", "5.0", "5.1"))
        .as("test scope is not in the layer")
        .isFalse();
    assertThat(UpstreamRelease.mavenRanged(d, core)).isTrue();
    assertThat(UpstreamRelease.mavenRanged(d, "org.slf4j:slf4j-api")).isFalse();
    assertThat(
            UpstreamRelease.mavenPick(
                d, core, "2.17.0", List.of("2.16.0", "2.18.1", "2.17.2", "3.1")))
        .contains("2.18.1");
  }

  @Test
  void maven_aCoordinateList() {
    LayerDefinition d = def("deps.coordinates", "g:a:[1.0,2.0)\ng:b:1.0\n", "java21");
    assertThat(UpstreamRelease.mavenCouldChange(d, "g:a", "1.0", "1.5")).isTrue();
    assertThat(UpstreamRelease.mavenCouldChange(d, "g:a", "1.0", "2.0")).isFalse();
    assertThat(UpstreamRelease.mavenCouldChange(d, "g:b", "1.0", "1.5")).isFalse();
    assertThat(UpstreamRelease.mavenHasRanges(d)).isTrue();
    assertThat(UpstreamRelease.mavenHasRanges(def("c.coordinates", "g:b:1.0\n", "java21")))
        .isFalse();
  }

  @Test
  void mavenDocuments_throughTheSettingsMirror_withItsServersCredentials() throws Exception {
    Files.createDirectories(dir.resolve(".m2"));
    Files.writeString(
        dir.resolve(".m2/settings.xml"),
        "<settings><servers><server><id>corp</id><username>u</username>"
            + "<password>p</password></server></servers>"
            + "<mirrors><mirror><id>corp</id><mirrorOf>central</mirrorOf>"
            + "<url>https://repo.corp.example/maven</url></mirror></mirrors></settings>\n");
    Environment env = new Environment(Map.of(), dir, dir);
    List<UpstreamRelease.Document> docs =
        UpstreamRelease.mavenDocuments(
            env, def("c.coordinates", "g.h:a:[1,2)\n", "java21"), "g.h:a");
    assertThat(docs).hasSize(1);
    assertThat(docs.get(0).url())
        .isEqualTo("https://repo.corp.example/maven/g/h/a/maven-metadata.xml");
    assertThat(docs.get(0).headers()).containsEntry("Authorization", "Basic dTpw");
    // without settings: Maven Central
    Path bare = dir.resolve("bare");
    Files.createDirectories(bare);
    assertThat(
            UpstreamRelease.mavenDocuments(
                    new Environment(Map.of(), bare, bare),
                    def("c.coordinates", "g.h:a:[1,2)\n", "java21"),
                    "g.h:a")
                .get(0)
                .url())
        .isEqualTo("https://repo.maven.apache.org/maven2/g/h/a/maven-metadata.xml");
  }

  @Test
  void mavenVersions_readsTheMetadataVersions() {
    assertThat(
            UpstreamRelease.mavenVersions(
                "<metadata><versioning><latest>1.1</latest><versions><version>1.0</version>"
                    + "<version> 1.1 </version></versions></versioning></metadata>"))
        .containsExactly("1.0", "1.1");
  }
}
