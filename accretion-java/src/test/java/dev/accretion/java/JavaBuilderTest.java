package dev.accretion.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.pipeline.spi.Builder;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.ResolvedPackage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java builder against small Maven repositories the tests write (on disk and over HTTP with
 * basic auth): layout, locks, checksums, missing artifacts, credentials, mirrors, offline, class
 * file versions, name clashes, listings and runtimes.
 */
class JavaBuilderTest {

  @TempDir Path dir;
  TestRepository repo;
  Path home;

  @BeforeEach
  void setUp() throws Exception {
    repo = new TestRepository(dir.resolve("repo"));
    home = Files.createDirectories(dir.resolve("home"));
    repo.artifact("org.example", "core", "1.0").publish();
    repo.artifact("org.example", "util", "2.0").dependsOn("org.example:core:1.0").publish();
    repo.artifact("org.example", "util", "1.5").dependsOn("org.example:core:1.0").publish();
    repo.artifact("org.example", "app", "3.0")
        .dependsOn("org.example:util:1.5")
        .dependsOn("org.example:testonly:1.0:test")
        .publish();
  }

  SessionDriver driver(String cache) {
    return new SessionDriver(dir.resolve(cache), home, Map.of());
  }

  Path listing(String name, String text) throws Exception {
    Path p = dir.resolve("project").resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  BuilderOptions local() {
    return BuilderOptions.none()
        .with("repository", "local::" + repo.url())
        .with("offline", "false");
  }

  @Test
  void builder_isFoundWithServiceLoader() {
    assertThat(ServiceLoader.load(Builder.class).stream().map(p -> p.get().id())).contains("java");
  }

  @Test
  void coordinates_resolveNearestWins_layOutJars_andReportTheLoser() throws Exception {
    Path list =
        listing(
            "maven.txt",
            """
            # the app pulls util 1.5; the direct 2.0 is nearer and wins
            org.example:app:3.0
            org.example:util:2.0   # direct
            """);
    var r =
        driver("cache")
            .build(
                list,
                local(),
                SessionDriver.target("java21", Architecture.X86_64),
                dir.resolve("l"));
    assertThat(r.resolution().packages())
        .extracting(ResolvedPackage::name, ResolvedPackage::version)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("org.example:app", "3.0"),
            org.assertj.core.groups.Tuple.tuple("org.example:core", "1.0"),
            org.assertj.core.groups.Tuple.tuple("org.example:util", "2.0"));
    assertThat(r.resolution().notes())
        .containsExactly(
            "org.example:util 1.5 requested by org.example:app:3.0 lost to 2.0 (Maven's"
                + " nearest-wins rule)");
    assertThat(JavaTools.digests(dir.resolve("l/java/lib")).keySet())
        .containsExactly("app-3.0.jar", "core-1.0.jar", "util-2.0.jar");
    assertThat(Files.readAllBytes(dir.resolve("l/java/lib/util-2.0.jar")))
        .isEqualTo(Files.readAllBytes(repo.artifact("org.example", "util", "2.0").jar()));
    ResolvedPackage app = r.resolution().packages().get(0);
    assertThat(app.purl()).isEqualTo("pkg:maven/org.example/app@3.0");
    assertThat(app.dependencies()).containsExactly("org.example:util");
    assertThat(app.facts()).containsEntry("repository", "local").containsEntry("scope", "compile");
    assertThat(r.installed().get(0).opened().license()).isEqualTo("Test License");
    assertThat(r.installed().get(0).opened().facts()).containsEntry("javaVersion", 8);
  }

  @Test
  void lock_isDeterministic_andABuildFromItResolvesNothing() throws Exception {
    Path list = listing("maven.txt", "org.example:app:3.0\n");
    var target = SessionDriver.target("java21", Architecture.X86_64);
    var first = driver("cache1").build(list, local(), target, dir.resolve("l1"));
    var second = driver("cache2").build(list, local(), target, dir.resolve("l2"));
    assertThat(first.lock().content()).isEqualTo(second.lock().content());
    assertThat(first.lock().fileName()).isEqualTo("test-java21-x86_64.java-lock.json");
    assertThat(first.lock().format()).isEqualTo("java-lock");

    // the POMs are gone: only a build that resolves nothing can still succeed
    try (var files = Files.walk(repo.root)) {
      for (Path f : files.filter(f -> f.toString().contains(".pom")).toList()) {
        Files.delete(f);
      }
    }
    Path lock = dir.resolve("project").resolve("app.java-lock.json");
    Files.write(lock, first.lock().content());
    assertThat(new JavaBuilder().detect(lock)).contains(JavaBuilder.LOCK);
    var fromLock = driver("cache3").build(lock, local(), target, dir.resolve("l3"));
    assertThat(JavaTools.digests(dir.resolve("l3/java/lib")))
        .isEqualTo(JavaTools.digests(dir.resolve("l1/java/lib")));
    assertThat(fromLock.lock().content()).isEqualTo(first.lock().content());
  }

  @Test
  void lock_withAWrongHash_failsTheDownload() throws Exception {
    Path list = listing("maven.txt", "org.example:core:1.0\n");
    var target = SessionDriver.target("java21", Architecture.X86_64);
    var first = driver("cache1").build(list, local(), target, dir.resolve("l1"));
    String text = new String(first.lock().content(), StandardCharsets.UTF_8);
    String sha = first.resolution().packages().get(0).source().sha256().orElseThrow().hex();
    Path lock = dir.resolve("project").resolve("x.java-lock.json");
    Files.writeString(lock, text.replace(sha, "0".repeat(64)));
    assertThatThrownBy(() -> driver("cache2").build(lock, local(), target, dir.resolve("l2")))
        .isInstanceOf(AccretionException.class)
        .hasMessageContaining("sha256 mismatch");
  }

  @Test
  void checksumMismatch_inTheRepository_isRefused() throws Exception {
    var bad = repo.artifact("org.example", "tampered", "1.0").publish();
    // the jar changes after its .sha1 was published
    Files.write(bad.jar(), repo.artifact("org.example", "tampered", "1.0").major(53).jarBytes());
    Path list = listing("maven.txt", "org.example:tampered:1.0\n");
    assertThatThrownBy(
            () ->
                driver("cache")
                    .build(
                        list,
                        local(),
                        SessionDriver.target("java21", Architecture.X86_64),
                        dir.resolve("l")))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.REFUSED);
              assertThat(e.getMessage()).contains("checksum").contains("tampered");
            });
  }

  @Test
  void missingArtifact_isNotFound_namingIt() throws Exception {
    Path list = listing("maven.txt", "org.example:nothere:9.9\n");
    assertThatThrownBy(
            () ->
                driver("cache")
                    .build(
                        list,
                        local(),
                        SessionDriver.target("java21", Architecture.X86_64),
                        dir.resolve("l")))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND);
              assertThat(e.getMessage()).contains("org.example:nothere").contains("9.9");
            });
  }

  @Test
  void privateRepository_overHttp_usesTheServerCredentialsOfSettings() throws Exception {
    try (var server = new BasicAuthRepositoryServer(repo.root, "deployer", "s3cret")) {
      Path list = listing("maven.txt", "org.example:app:3.0\n");
      BuilderOptions options = BuilderOptions.none().with("repository", "private::" + server.url());
      var target = SessionDriver.target("java21", Architecture.X86_64);

      assertThatThrownBy(() -> driver("cache0").build(list, options, target, dir.resolve("l0")))
          .isInstanceOfSatisfying(
              AccretionException.class,
              e -> {
                assertThat(e.getMessage()).contains("401");
                assertThat(e.kind()).isEqualTo(FailureKind.UNREACHABLE);
                assertThat(e.advice()).contains("<server>");
              });

      Path settings = dir.resolve("settings.xml");
      Files.writeString(
          settings,
          """
          <settings>
            <servers>
              <server><id>private</id><username>deployer</username><password>${env.REPO_PASSWORD}</password></server>
            </servers>
          </settings>
          """);
      var driver =
          new SessionDriver(dir.resolve("cache1"), home, Map.of("REPO_PASSWORD", "s3cret"));
      var r =
          driver.build(
              list, options.with("settings", settings.toString()), target, dir.resolve("l1"));
      assertThat(JavaTools.digests(dir.resolve("l1/java/lib")).keySet())
          .containsExactly("app-3.0.jar", "core-1.0.jar", "util-1.5.jar");
      assertThat(r.resolution().packages().get(0).source().url().toString())
          .startsWith(server.url());
      // the selector text never holds the password
      try (var s =
          driver.open(
              list, options.with("settings", settings.toString()), new java.util.ArrayList<>())) {
        assertThat(s.selectorText().orElseThrow()).contains("deployer").doesNotContain("s3cret");
      }
    }
  }

  @Test
  void userSettingsInHome_mirrorCentralToAnotherRepository() throws Exception {
    Files.createDirectories(home.resolve(".m2"));
    Files.writeString(
        home.resolve(".m2/settings.xml"),
        "<settings><mirrors><mirror><id>corp</id><mirrorOf>*</mirrorOf><url>"
            + repo.url()
            + "</url></mirror></mirrors></settings>");
    Path list = listing("maven.txt", "org.example:core:1.0\n");
    // no repository option: Central is asked for, and the mirror answers
    var r =
        driver("cache")
            .build(
                list,
                BuilderOptions.none(),
                SessionDriver.target("java25", Architecture.ARM64),
                dir.resolve("l"));
    assertThat(r.resolution().packages())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.facts()).containsEntry("repository", "central");
              assertThat(p.source().url().toString()).startsWith(MavenResolver.CENTRAL_URL);
            });
  }

  @Test
  void plainHttpRepositoriesOffLoopback_areBlockedAsMavenDoes() throws Exception {
    Path list = listing("maven.txt", "org.example:core:1.0\n");
    assertThatThrownBy(
            () ->
                driver("cache")
                    .build(
                        list,
                        BuilderOptions.none()
                            .with("repository", "plain::http://repo.invalid/maven2"),
                        SessionDriver.target("java21", Architecture.X86_64),
                        dir.resolve("l")))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.UNREACHABLE);
              assertThat(e.getMessage()).contains("Blocked mirror").contains("repo.invalid");
            });
  }

  @Test
  void offline_usesOnlyTheLocalRepository() throws Exception {
    Path list = listing("maven.txt", "org.example:app:3.0\n");
    var target = SessionDriver.target("java21", Architecture.X86_64);
    assertThatThrownBy(
            () ->
                driver("fresh")
                    .build(list, local().with("offline", "true"), target, dir.resolve("l0")))
        .isInstanceOfSatisfying(
            AccretionException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
    driver("cache").build(list, local(), target, dir.resolve("l1"));
    driver("cache").build(list, local().with("offline", "true"), target, dir.resolve("l2"));
    assertThat(JavaTools.digests(dir.resolve("l2/java/lib")))
        .isEqualTo(JavaTools.digests(dir.resolve("l1/java/lib")));
  }

  @Test
  void classesForANewerJava_failNamingTheJarAndTheRuntime() throws Exception {
    repo.artifact("org.example", "modern", "1.0").major(61).publish();
    Path list = listing("maven.txt", "org.example:modern:1.0\n");
    assertThatThrownBy(
            () ->
                driver("cache")
                    .build(
                        list,
                        local(),
                        SessionDriver.target("java11", Architecture.X86_64),
                        dir.resolve("l")))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.REFUSED);
              assertThat(e.getMessage())
                  .contains("modern-1.0.jar")
                  .contains("Java 17")
                  .contains("java11");
            });
    var ok =
        driver("cache")
            .build(
                list,
                local(),
                SessionDriver.target("java17", Architecture.X86_64),
                dir.resolve("l2"));
    assertThat(ok.installed().get(0).opened().facts()).containsEntry("javaVersion", 17);
  }

  @Test
  void multiReleaseJars_areCheckedPerRelease() throws Exception {
    repo.artifact("org.example", "mr", "1.0")
        .multiRelease()
        .entry("META-INF/versions/21/org/example/mr/Fast.class", TestRepository.classHeader(65))
        .entry("module-info.class", TestRepository.classHeader(53))
        .publish();
    Path list = listing("maven.txt", "org.example:mr:1.0\n");
    var r =
        driver("cache")
            .build(
                list,
                local(),
                SessionDriver.target("java11", Architecture.X86_64),
                dir.resolve("l"));
    assertThat(r.installed().get(0).opened().facts())
        .containsEntry("javaVersion", 8)
        .containsEntry("multiRelease", List.of(21));
  }

  @Test
  void sameFileNameInTwoGroups_getsTheGroupIdOnBoth() throws Exception {
    repo.artifact("org.one", "common", "1.0").publish();
    repo.artifact("org.two", "common", "1.0").publish();
    Path list = listing("maven.txt", "org.two:common:1.0\norg.one:common:1.0\n");
    driver("cache")
        .build(
            list, local(), SessionDriver.target("java21", Architecture.X86_64), dir.resolve("l"));
    assertThat(JavaTools.digests(dir.resolve("l/java/lib")).keySet())
        .containsExactly("org.one.common-1.0.jar", "org.two.common-1.0.jar");
  }

  @Test
  void pom_withLocalParent_propertiesManagementAndExclusions() throws Exception {
    listing(
        "pom.xml",
        """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>org.example</groupId><artifactId>parent</artifactId><version>1</version>
          <packaging>pom</packaging>
          <properties><util.version>2.0</util.version></properties>
          <dependencyManagement><dependencies>
            <dependency><groupId>org.example</groupId><artifactId>util</artifactId><version>${util.version}</version></dependency>
          </dependencies></dependencyManagement>
        </project>
        """);
    Path pom =
        listing(
            "fn/pom.xml",
            """
            <project xmlns="http://maven.apache.org/POM/4.0.0">
              <modelVersion>4.0.0</modelVersion>
              <parent><groupId>org.example</groupId><artifactId>parent</artifactId><version>1</version></parent>
              <artifactId>my-function</artifactId>
              <dependencies>
                <dependency><groupId>org.example</groupId><artifactId>app</artifactId><version>3.0</version>
                  <exclusions><exclusion><groupId>org.example</groupId><artifactId>core</artifactId></exclusion></exclusions>
                </dependency>
              </dependencies>
            </project>
            """);
    var r =
        driver("cache")
            .build(
                pom,
                local(),
                SessionDriver.target("java21", Architecture.X86_64),
                dir.resolve("l"));
    // util is managed from 1.5 to 2.0 by the parent; core is excluded
    assertThat(JavaTools.digests(dir.resolve("l/java/lib")).keySet())
        .containsExactly("app-3.0.jar", "util-2.0.jar");
    assertThat(r.resolution().notes())
        .containsExactly(
            "org.example:util 1.5 requested by org.example:app:3.0 managed to 2.0"
                + " (dependencyManagement)");
    try (var s = driver("cache").open(pom, local(), new java.util.ArrayList<>())) {
      assertThat(s.defaultName()).isEqualTo("my-function");
      assertThat(s.selectorText().orElseThrow())
          .contains("parent " + dir.resolve("project/pom.xml"));
    }
  }

  @Test
  void listings_areDetectedByName_andCoordinateTextByContent() throws Exception {
    JavaBuilder b = new JavaBuilder();
    assertThat(b.detect(Path.of("pom.xml"))).contains(JavaBuilder.POM);
    assertThat(b.detect(Path.of("maven.txt"))).contains(JavaBuilder.COORDINATES);
    assertThat(b.detect(listing("deps.txt", "com.google.guava:guava:33.4.0-jre\n")))
        .contains(JavaBuilder.COORDINATES);
    assertThat(b.detect(listing("requirements.txt", "requests==2.32.3\n"))).isEmpty();
    assertThat(b.detect(listing("other.txt", "requests==2.32.3\n"))).isEmpty();
    assertThat(b.detect(Path.of("package-lock.json"))).isEmpty();
  }

  @Test
  void badCoordinate_isBadInputNamingFileAndLine() throws Exception {
    Path list = listing("maven.txt", "# ok\norg.example:core:1.0\nnot a coordinate\n");
    assertThatThrownBy(
            () -> driver("c").open(list, BuilderOptions.none(), new java.util.ArrayList<>()))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.BAD_INPUT);
              assertThat(e.getMessage()).contains("maven.txt:3").contains("not a coordinate");
            });
  }

  @Test
  void aPythonRuntime_isAUsageErrorNamingBoth() throws Exception {
    Path list = listing("maven.txt", "org.example:core:1.0\n");
    try (var s = driver("c").open(list, BuilderOptions.none(), new java.util.ArrayList<>())) {
      assertThatThrownBy(() -> s.resolve(SessionDriver.target("python3.12", Architecture.X86_64)))
          .isInstanceOfSatisfying(
              AccretionException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(FailureKind.USAGE);
                assertThat(e.getMessage()).contains("python3.12").contains("maven.txt");
              });
    }
  }

  @Test
  void unknownOption_isAUsageError() throws Exception {
    Path list = listing("maven.txt", "org.example:core:1.0\n");
    assertThatThrownBy(
            () ->
                driver("c")
                    .open(
                        list,
                        BuilderOptions.none().with("index-url", "x"),
                        new java.util.ArrayList<>()))
        .isInstanceOfSatisfying(
            AccretionException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.USAGE));
  }

  @Test
  void namedSettingsFile_mustExist() throws Exception {
    Path list = listing("maven.txt", "org.example:core:1.0\n");
    assertThatThrownBy(
            () ->
                driver("c")
                    .open(
                        list,
                        BuilderOptions.none().with("settings", "nope.xml"),
                        new java.util.ArrayList<>()))
        .isInstanceOfSatisfying(
            AccretionException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.NOT_FOUND));
  }
}
