package dev.accretion.python.resolve;

import static dev.accretion.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.python.index.SimpleIndexClient;
import dev.accretion.python.index.WheelMetadataFetcher;
import dev.accretion.python.listing.Origin;
import dev.accretion.python.listing.RootRequirement;
import dev.accretion.python.pep508.Requirement;
import dev.accretion.python.tags.PythonTarget;
import dev.accretion.testkit.SimpleIndexBuilder;
import dev.accretion.testkit.WheelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolverTest {
  static final String CP311 = "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64";
  static final String CP311_GLIBC_228 = "cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64";

  @TempDir Path dir;

  static PythonTarget target(String runtime, String arch) throws AccretionException {
    return PythonTarget.of(RuntimeMatrix.load().target(runtime, arch));
  }

  static List<RootRequirement> reqs(String... lines) throws Exception {
    List<RootRequirement> out = new ArrayList<>();
    int n = 1;
    for (String line : lines) {
      String[] parts = line.split(" --hash=");
      Set<String> hashes = parts.length > 1 ? Set.of(parts[1]) : Set.of();
      out.add(
          new RootRequirement(
              Requirement.parse(parts[0]),
              new Origin(Path.of("requirements.txt"), n++),
              hashes,
              null));
    }
    return out;
  }

  Map<String, String> resolve(ResolveRequest request, SimpleIndexBuilder... indexes)
      throws Exception {
    SimpleIndexClient.Builder builder = SimpleIndexClient.builder();
    for (SimpleIndexBuilder index : indexes) {
      builder.addIndexUrl(index.url());
    }
    try (SimpleIndexClient client = builder.build()) {
      Resolution resolution =
          new Resolver(client, new WheelMetadataFetcher(client)).resolve(request);
      Map<String, String> out = new TreeMap<>();
      for (ResolvedPackage p : resolution.packages()) {
        out.put(p.name().normalized(), p.version().toString());
      }
      return out;
    }
  }

  Map<String, String> resolve(
      String runtime, String arch, SimpleIndexBuilder index, String... lines) throws Exception {
    return resolve(ResolveRequest.of(reqs(lines), target(runtime, arch)), index);
  }

  SimpleIndexBuilder index(String name) {
    return new SimpleIndexBuilder(dir.resolve(name));
  }

  @Test
  void resolve_backtracksToNewestVersionWithCompatibleWheel() throws Exception {
    SimpleIndexBuilder index = index("a");
    index.add(wheel("numpy", "2.4.6").tag(CP311_GLIBC_228));
    index.add(wheel("numpy", "2.3.5").tag(CP311_GLIBC_228));
    index.add(wheel("numpy", "2.2.6").tag(CP311));
    index.add(wheel("pandas", "3.0.0").tag(CP311).requires("numpy>=1.26"));

    assertThat(resolve("python3.11", "x86_64", index, "pandas"))
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("pandas", "3.0.0", "numpy", "2.2.6")));
    // on AL2023 (glibc 2.34) the newest wheel fits: but only cp311 wheels exist, so 3.12 can't
    assertThat(resolve("python3.11", "x86_64", index, "numpy")).containsEntry("numpy", "2.2.6");
  }

  @Test
  void resolve_failure_namesChainPlatformConstraintAndWaysOut() throws Exception {
    SimpleIndexBuilder index = index("a");
    index.add(wheel("numpy", "2.4.6").tag(CP311_GLIBC_228));
    index.add(wheel("numpy", "2.3.5").tag(CP311_GLIBC_228));
    index.add(wheel("numpy", "2.2.6").tag(CP311));
    index.add(wheel("pandas", "3.0.0").tag(CP311).requires("numpy>=2.3"));

    assertThatThrownBy(() -> resolve("python3.11", "x86_64", index, "pandas"))
        .isInstanceOf(ResolutionFailure.class)
        .hasMessageContaining("python3.11 (Amazon Linux 2, glibc 2.26) on x86_64")
        .hasMessageContaining("numpy>=2.3  (required by pandas 3.0.0 <- requirements.txt:1)")
        .hasMessageContaining(
            "numpy 2.4.6, 2.3.5: wheels only for manylinux_2_27_x86_64/manylinux_2_28_x86_64"
                + " (needs glibc 2.27); python3.11 runs on Amazon Linux 2, glibc 2.26")
        .hasMessageContaining(
            "newest numpy that fits this target is 2.2.6, which numpy>=2.3 excludes");
  }

  @Test
  void resolve_failure_suggestsRuntimeWhereTheWheelFits() throws Exception {
    SimpleIndexBuilder index = index("a");
    index.add(wheel("fastlib", "2.0").tag("cp312-abi3-manylinux_2_28_x86_64"));
    index.add(wheel("fastlib", "1.0").tag("cp38-abi3-manylinux_2_17_x86_64"));
    assertThatThrownBy(() -> resolve("python3.11", "x86_64", index, "fastlib>=2"))
        .isInstanceOf(ResolutionFailure.class)
        .hasMessageContaining("fastlib 2.0: wheels only for cp312-abi3")
        .hasMessageContaining(
            "or use python3.12 (Amazon Linux 2023, glibc 2.34), where fastlib 2.0 fits");
  }

  @Test
  void resolve_dropsDependencyWhoseMarkerIsFalseOnTheTarget() throws Exception {
    SimpleIndexBuilder index = index("a");
    index.add(
        wheel("app", "1.0")
            .requires(
                "tomli>=1; python_version < \"3.11\"",
                "arm-only; platform_machine == \"aarch64\""));
    index.add(wheel("tomli", "2.0"));
    index.add(wheel("arm-only", "1.0"));
    assertThat(resolve("python3.11", "x86_64", index, "app")).containsOnlyKeys("app");
    assertThat(resolve("python3.9", "x86_64", index, "app")).containsOnlyKeys("app", "tomli");
    assertThat(resolve("python3.12", "arm64", index, "app")).containsOnlyKeys("app", "arm-only");
  }

  @Test
  void resolve_extrasBringTheirDependenciesAtTheSameVersion() throws Exception {
    SimpleIndexBuilder index = index("a");
    index.add(wheel("requests", "2.0").extra("socks").requires("pysocks; extra == \"socks\""));
    index.add(wheel("requests", "3.0").extra("socks").requires("pysocks>=9; extra == \"socks\""));
    index.add(wheel("pysocks", "1.7"));
    // requests[socks] 3.0 needs pysocks>=9, which doesn't exist: back to 2.0 for both
    assertThat(resolve("python3.11", "x86_64", index, "requests[socks]"))
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("requests", "2.0", "pysocks", "1.7")));
  }

  @Test
  void resolve_conflictingExtrasFailWithBothChains() throws Exception {
    SimpleIndexBuilder index = index("a");
    index.add(
        wheel("lib", "1.0")
            .extra("a", "b")
            .requires("dep==1; extra == \"a\"", "dep==2; extra == \"b\""));
    index.add(wheel("dep", "1"));
    index.add(wheel("dep", "2"));
    assertThatThrownBy(() -> resolve("python3.11", "x86_64", index, "lib[a]", "lib[b]"))
        .isInstanceOf(ResolutionFailure.class)
        .hasMessageContaining("dep==1")
        .hasMessageContaining("dep==2")
        .hasMessageContaining("required by lib 1.0");
  }

  @Test
  void resolve_skipsVersionsWhoseRequiresPythonExcludesTheTarget() throws Exception {
    SimpleIndexBuilder index = index("a");
    // one excluded by the index page's data-requires-python, one only by its METADATA
    index.add(wheel("tool", "3.0").requiresPython(">=3.12"), ">=3.12", null);
    index.add(wheel("tool", "2.0").requiresPython(">=3.12"));
    index.add(wheel("tool", "1.0").requiresPython(">=3.8"));
    assertThat(resolve("python3.11", "x86_64", index, "tool")).containsEntry("tool", "1.0");
    assertThat(resolve("python3.12", "x86_64", index, "tool")).containsEntry("tool", "3.0");
  }

  @Test
  void resolve_usesYankedFilesOnlyWhenPinnedWithEquals() throws Exception {
    SimpleIndexBuilder index = index("a");
    index.add(wheel("lib", "2.0"), null, "broken release");
    index.add(wheel("lib", "1.0"));
    assertThat(resolve("python3.11", "x86_64", index, "lib")).containsEntry("lib", "1.0");
    assertThat(resolve("python3.11", "x86_64", index, "lib==2.0")).containsEntry("lib", "2.0");
  }

  @Test
  void resolve_prereleasesFollowPip() throws Exception {
    SimpleIndexBuilder index = index("a");
    index.add(wheel("beta-only", "2.0b1"));
    index.add(wheel("mixed", "1.0"));
    index.add(wheel("mixed", "2.0rc1"));
    PythonTarget t = target("python3.11", "x86_64");
    // nothing but pre-releases and no specifier: taken
    assertThat(resolve("python3.11", "x86_64", index, "beta-only"))
        .containsEntry("beta-only", "2.0b1");
    // a specifier that doesn't mention a pre-release: pip finds nothing
    assertThatThrownBy(() -> resolve("python3.11", "x86_64", index, "beta-only>=1"))
        .isInstanceOf(ResolutionFailure.class);
    assertThat(resolve("python3.11", "x86_64", index, "mixed")).containsEntry("mixed", "1.0");
    assertThat(resolve("python3.11", "x86_64", index, "mixed>=2.0rc1"))
        .containsEntry("mixed", "2.0rc1");
    ResolveRequest pre =
        new ResolveRequest(
            reqs("mixed"), List.of(), t, true, IndexStrategy.FIRST_INDEX, false, Set.of());
    assertThat(resolve(pre, index)).containsEntry("mixed", "2.0rc1");
  }

  @Test
  void resolve_hashCheckingMode_usesOnlyListedHashesAndRequiresThemForDependencies()
      throws Exception {
    SimpleIndexBuilder index = index("a");
    WheelBuilder one = wheel("lib", "1.0").requires("dep");
    WheelBuilder dep = wheel("dep", "1.0");
    index.add(one).add(dep);
    String libHash =
        WheelBuilder.sha256Hex(Files.readAllBytes(dir.resolve("a/files").resolve(one.filename())));
    String depHash =
        WheelBuilder.sha256Hex(Files.readAllBytes(dir.resolve("a/files").resolve(dep.filename())));
    PythonTarget t = target("python3.11", "x86_64");
    ResolveRequest ok =
        new ResolveRequest(
            reqs("lib==1.0 --hash=sha256:" + libHash, "dep==1.0 --hash=sha256:" + depHash),
            List.of(),
            t,
            false,
            IndexStrategy.FIRST_INDEX,
            true,
            Set.of());
    assertThat(resolve(ok, index)).containsOnlyKeys("lib", "dep");

    ResolveRequest missing =
        new ResolveRequest(
            reqs("lib==1.0 --hash=sha256:" + libHash),
            List.of(),
            t,
            false,
            IndexStrategy.FIRST_INDEX,
            true,
            Set.of());
    assertThatThrownBy(() -> resolve(missing, index))
        .hasMessageContaining("hash-checking mode")
        .hasMessageContaining("dep");

    ResolveRequest wrongHash =
        new ResolveRequest(
            reqs("lib==1.0 --hash=sha256:" + "0".repeat(64), "dep==1.0 --hash=sha256:" + depHash),
            List.of(),
            t,
            false,
            IndexStrategy.FIRST_INDEX,
            true,
            Set.of());
    assertThatThrownBy(() -> resolve(wrongHash, index)).isInstanceOf(ResolutionFailure.class);

    ResolveRequest unpinned =
        new ResolveRequest(
            reqs("lib>=1.0 --hash=sha256:" + libHash),
            List.of(),
            t,
            false,
            IndexStrategy.FIRST_INDEX,
            true,
            Set.of());
    assertThatThrownBy(() -> resolve(unpinned, index))
        .hasMessageContaining("is not pinned with ==");
  }

  @Test
  void resolve_firstIndexWinsUnlessBestMatchIsAsked() throws Exception {
    SimpleIndexBuilder privateIndex = index("private");
    privateIndex.add(wheel("internal-lib", "1.0"));
    SimpleIndexBuilder publicIndex = index("public");
    publicIndex.add(wheel("internal-lib", "99.0")); // the dependency-confusion attack
    PythonTarget t = target("python3.11", "x86_64");
    ResolveRequest first = ResolveRequest.of(reqs("internal-lib"), t);
    assertThat(resolve(first, privateIndex, publicIndex)).containsEntry("internal-lib", "1.0");
    ResolveRequest best =
        new ResolveRequest(
            reqs("internal-lib"), List.of(), t, false, IndexStrategy.BEST_MATCH, false, Set.of());
    assertThat(resolve(best, privateIndex, publicIndex)).containsEntry("internal-lib", "99.0");
  }

  /** An HTTP index on loopback that answers every request with {@code status}. */
  static com.sun.net.httpserver.HttpServer failingIndex(int status) throws Exception {
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    return server;
  }

  static String url(com.sun.net.httpserver.HttpServer server) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/simple/";
  }

  Map<String, String> resolveWith(SimpleIndexClient.Builder builder, ResolveRequest request)
      throws Exception {
    try (SimpleIndexClient client = builder.build()) {
      Resolution resolution =
          new Resolver(client, new WheelMetadataFetcher(client)).resolve(request);
      Map<String, String> out = new TreeMap<>();
      for (ResolvedPackage p : resolution.packages()) {
        out.put(p.name().normalized(), p.version().toString());
      }
      return out;
    }
  }

  @Test
  void resolve_extraIndexesRankBeforeTheIndexUrl() throws Exception {
    SimpleIndexBuilder privateIndex = index("private");
    privateIndex.add(wheel("acme-internal-lib", "1.0"));
    SimpleIndexBuilder publicIndex = index("public");
    publicIndex.add(wheel("acme-internal-lib", "99.0"));
    publicIndex.add(wheel("idna", "3.10"));
    // pip's usual layout: the public index is index-url, the private one an extra index
    dev.accretion.python.index.PipConfiguration pip =
        new dev.accretion.python.index.PipConfiguration(
            publicIndex.url(),
            List.of(privateIndex.url()),
            List.of(),
            false,
            List.of(),
            null,
            null,
            List.of());
    ResolveRequest request =
        ResolveRequest.of(reqs("acme-internal-lib", "idna"), target("python3.11", "x86_64"));
    assertThat(resolveWith(SimpleIndexClient.builder().pipConfiguration(pip), request))
        .containsEntry("acme-internal-lib", "1.0")
        .containsEntry("idna", "3.10");
  }

  @Test
  void resolve_firstIndex_anIndexThatFailsStopsThePackagesItMightOwn() throws Exception {
    SimpleIndexBuilder publicIndex = index("public");
    publicIndex.add(wheel("acme-internal-lib", "99.0"));
    PythonTarget t = target("python3.11", "x86_64");
    com.sun.net.httpserver.HttpServer down = failingIndex(503);
    try {
      SimpleIndexClient.Builder builder =
          SimpleIndexClient.builder().addIndexUrl(url(down)).addIndexUrl(publicIndex.url());
      assertThatThrownBy(
              () -> resolveWith(builder, ResolveRequest.of(reqs("acme-internal-lib"), t)))
          .isInstanceOf(dev.accretion.python.index.IndexUnreachableException.class)
          .hasMessageContaining("cannot resolve acme-internal-lib")
          .hasMessageContaining(url(down))
          .hasMessageContaining("HTTP 503")
          .hasMessageContaining("dependency-confusion guard")
          .satisfies(
              e ->
                  assertThat(((AccretionException) e).kind())
                      .isEqualTo(dev.accretion.core.FailureKind.UNREACHABLE));
      // best-match pools the indexes as pip does: the outage is a warning
      ResolveRequest best =
          new ResolveRequest(
              reqs("acme-internal-lib"),
              List.of(),
              t,
              false,
              IndexStrategy.BEST_MATCH,
              false,
              Set.of());
      List<String> warnings = new ArrayList<>();
      SimpleIndexClient.Builder warned =
          SimpleIndexClient.builder()
              .addIndexUrl(url(down))
              .addIndexUrl(publicIndex.url())
              .listener(
                  new dev.accretion.python.index.IndexListener() {
                    @Override
                    public void warning(String message) {
                      warnings.add(message);
                    }
                  });
      assertThat(resolveWith(warned, best)).containsEntry("acme-internal-lib", "99.0");
      assertThat(warnings).anyMatch(w -> w.contains("HTTP 503"));
    } finally {
      down.stop(0);
    }
  }

  @Test
  void resolve_firstIndex_aTimeoutOrATlsFailureAlsoStopsThePackagesItMightOwn() throws Exception {
    SimpleIndexBuilder publicIndex = index("public");
    publicIndex.add(wheel("acme-internal-lib", "99.0"));
    PythonTarget t = target("python3.11", "x86_64");
    // a private index that accepts the request and never answers (the fault is the timeout)
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    com.sun.net.httpserver.HttpServer silent =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    silent.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    silent.createContext(
        "/",
        exchange -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    silent.start();
    // and one reached over https that answers in plain http: the TLS handshake fails
    java.net.ServerSocket plain =
        new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    Thread answering =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (!plain.isClosed()) {
                    try (java.net.Socket socket = plain.accept()) {
                      socket
                          .getOutputStream()
                          .write(
                              "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    } catch (java.io.IOException e) {
                      // closed at the end of the test
                    }
                  }
                });
    try {
      SimpleIndexClient.Builder slow =
          SimpleIndexClient.builder()
              .requestTimeout(java.time.Duration.ofSeconds(1))
              .addIndexUrl(url(silent))
              .addIndexUrl(publicIndex.url());
      assertThatThrownBy(() -> resolveWith(slow, ResolveRequest.of(reqs("acme-internal-lib"), t)))
          .isInstanceOf(dev.accretion.python.index.IndexUnreachableException.class)
          .hasMessageContaining("cannot resolve acme-internal-lib")
          .hasMessageContaining(url(silent))
          .hasMessageContaining("no answer from 127.0.0.1:")
          .hasMessageNotContaining("99.0");

      String tls = "https://127.0.0.1:" + plain.getLocalPort() + "/simple/";
      SimpleIndexClient.Builder handshake =
          SimpleIndexClient.builder().addIndexUrl(tls).addIndexUrl(publicIndex.url());
      assertThatThrownBy(
              () -> resolveWith(handshake, ResolveRequest.of(reqs("acme-internal-lib"), t)))
          .isInstanceOf(dev.accretion.python.index.IndexUnreachableException.class)
          .hasMessageContaining("cannot resolve acme-internal-lib")
          .hasMessageContaining(tls)
          .hasMessageContaining("the TLS handshake with 127.0.0.1:")
          .hasMessageNotContaining("99.0");
    } finally {
      never.countDown();
      silent.stop(0);
      plain.close();
      answering.join();
    }
  }

  @Test
  void resolve_bestMatch_aPackageNoReadableIndexListsNamesTheUnreachableOne() throws Exception {
    SimpleIndexBuilder other = index("other");
    other.add(wheel("idna", "3.10"));
    PythonTarget t = target("python3.11", "x86_64");
    com.sun.net.httpserver.HttpServer down = failingIndex(502);
    try {
      SimpleIndexClient.Builder builder =
          SimpleIndexClient.builder().addIndexUrl(url(down)).addIndexUrl(other.url());
      ResolveRequest best =
          new ResolveRequest(
              reqs("requests"), List.of(), t, false, IndexStrategy.BEST_MATCH, false, Set.of());
      assertThatThrownBy(() -> resolveWith(builder, best))
          .isInstanceOf(ResolutionFailure.class)
          .hasMessageContaining("no index that could be read lists requests")
          .hasMessageContaining(url(down))
          .hasMessageContaining("HTTP 502")
          .hasMessageNotContaining("no index lists");
    } finally {
      down.stop(0);
    }
  }

  @Test
  void resolve_firstIndex_onlyACleanNotFoundLetsTheNextIndexAnswer() throws Exception {
    SimpleIndexBuilder publicIndex = index("public");
    publicIndex.add(wheel("acme-internal-lib", "99.0"));
    PythonTarget t = target("python3.11", "x86_64");
    com.sun.net.httpserver.HttpServer notFound = failingIndex(404);
    try {
      SimpleIndexClient.Builder builder =
          SimpleIndexClient.builder().addIndexUrl(url(notFound)).addIndexUrl(publicIndex.url());
      assertThat(resolveWith(builder, ResolveRequest.of(reqs("acme-internal-lib"), t)))
          .containsEntry("acme-internal-lib", "99.0");
    } finally {
      notFound.stop(0);
    }
    // an index after the one that has the package may be down: it owns nothing here
    SimpleIndexBuilder privateIndex = index("private");
    privateIndex.add(wheel("acme-internal-lib", "1.0"));
    com.sun.net.httpserver.HttpServer down = failingIndex(500);
    try {
      SimpleIndexClient.Builder builder =
          SimpleIndexClient.builder().addIndexUrl(privateIndex.url()).addIndexUrl(url(down));
      assertThat(resolveWith(builder, ResolveRequest.of(reqs("acme-internal-lib"), t)))
          .containsEntry("acme-internal-lib", "1.0");
    } finally {
      down.stop(0);
    }
  }

  @Test
  void resolve_firstIndex_anEmptyProjectPageOwnsTheNameWithNoFiles() throws Exception {
    SimpleIndexBuilder privateIndex = index("private");
    privateIndex.add(wheel("other", "1.0"));
    Path page = privateIndex.root().resolve("simple/acme-internal-lib/index.html");
    Files.createDirectories(page.getParent());
    Files.writeString(page, "<!DOCTYPE html><html><body></body></html>");
    SimpleIndexBuilder publicIndex = index("public");
    publicIndex.add(wheel("acme-internal-lib", "99.0"));
    PythonTarget t = target("python3.11", "x86_64");
    SimpleIndexClient.Builder builder =
        SimpleIndexClient.builder().addIndexUrl(privateIndex.url()).addIndexUrl(publicIndex.url());
    assertThatThrownBy(() -> resolveWith(builder, ResolveRequest.of(reqs("acme-internal-lib"), t)))
        .isInstanceOf(ResolutionFailure.class)
        .hasMessageContaining("has a project page for acme-internal-lib with no files")
        .hasMessageNotContaining("no index lists");
  }

  @Test
  void resolve_requiresPythonFailure_namesTheCulpritOnceWithItsVersions() throws Exception {
    SimpleIndexBuilder index = index("a");
    for (int i = 1; i <= 6; i++) {
      // the index page doesn't say Requires-Python: only the wheels' METADATA does
      index.add(wheel("foo", i + ".0").requiresPython(">=3.12"));
    }
    index.add(wheel("bar", "1.0").requires("foo"));
    assertThatThrownBy(() -> resolve("python3.11", "x86_64", index, "bar"))
        .isInstanceOf(ResolutionFailure.class)
        .hasMessageContaining("Python 3.11")
        .hasMessageContaining("excluded by the Requires-Python of:")
        .hasMessageContaining(
            "foo 6.0, 5.0, 4.0, ... 1.0 (6 versions) require Python>=3.12  (foo is required by"
                + " bar 1.0 <- requirements.txt:1)")
        .satisfies(
            e ->
                assertThat(e.getMessage().split("Python>=3.12", -1))
                    .as("one line, not one per version")
                    .hasSize(2));
  }

  @Test
  void resolve_severalPackagesWithoutAFittingWheel_areNamedInOneRun() throws Exception {
    SimpleIndexBuilder index = index("a");
    String x86 = "cp312-cp312-manylinux_2_17_x86_64";
    for (String name : List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta")) {
      index.add(wheel(name, "1.0").tag(x86));
    }
    index.add(wheel("idna", "3.10"));
    assertThatThrownBy(
            () ->
                resolve(
                    "python3.12",
                    "arm64",
                    index,
                    "alpha",
                    "idna",
                    "beta",
                    "gamma",
                    "delta",
                    "epsilon",
                    "zeta"))
        .isInstanceOf(ResolutionFailure.class)
        .hasMessageContaining("also failing on their own (5 more requirements")
        .satisfies(
            e -> {
              for (String name : List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta")) {
                assertThat(e.getMessage()).contains(name + " is required as:");
              }
              assertThat(e.getMessage()).doesNotContain("idna is required");
            });
  }

  @Test
  void resolve_severalDependenciesWithoutAFittingWheel_areNamedInOneRun() throws Exception {
    // the listing names one pure package whose dependencies each lack an arm64 wheel
    SimpleIndexBuilder index = index("a");
    String x86 = "cp312-cp312-manylinux_2_17_x86_64";
    for (String name : List.of("alpha", "beta", "gamma")) {
      index.add(wheel(name, "1.0").tag(x86));
    }
    index.add(wheel("idna", "3.10"));
    index.add(wheel("app", "1.0").requires("idna", "alpha", "beta", "gamma"));
    // tool 2.0 asks for a delta without an arm64 wheel, tool 1.0 for one that fits: not a failure
    // of its own, an older tool solves it
    index.add(wheel("delta", "2.0").tag(x86));
    index.add(wheel("delta", "1.0"));
    index.add(wheel("tool", "2.0").requires("delta>=2"));
    index.add(wheel("tool", "1.0").requires("delta<2"));
    assertThatThrownBy(() -> resolve("python3.12", "arm64", index, "app", "tool"))
        .isInstanceOf(ResolutionFailure.class)
        .satisfies(
            e -> {
              assertThat(e.getMessage())
                  .as(e.getMessage())
                  .contains("alpha is required as:")
                  .contains("also failing on their own (2 more requirements")
                  .contains("beta is required as:\n    beta  (required by app 1.0 <- ")
                  .contains("gamma is required as:\n    gamma  (required by app 1.0 <- ")
                  .contains("gamma 1.0: wheels only for x86_64")
                  .doesNotContain("idna is required")
                  .doesNotContain("delta is required");
            });
  }

  @Test
  void resolve_wrongHash_namesTheHashMismatch() throws Exception {
    SimpleIndexBuilder index = index("a");
    index.add(wheel("six", "1.17.0"));
    String wrong = "sha256:" + "0".repeat(64);
    ResolveRequest request =
        new ResolveRequest(
            reqs("six==1.17.0 --hash=" + wrong),
            List.of(),
            target("python3.11", "x86_64"),
            false,
            IndexStrategy.FIRST_INDEX,
            true,
            Set.of());
    assertThatThrownBy(() -> resolve(request, index))
        .isInstanceOf(ResolutionFailure.class)
        .hasMessageContaining("hash mismatch: six-1.17.0-py3-none-any.whl has sha256:")
        .hasMessageContaining("not among the --hash values the listing gives for six")
        .hasMessageNotContaining("versions with a wheel");
  }

  @Test
  void resolve_firstIndexFailureNamesTheVersionsOtherIndexesHave() throws Exception {
    SimpleIndexBuilder first = index("first");
    first.add(wheel("botocore", "1.43.107"));
    SimpleIndexBuilder second = index("second");
    second.add(wheel("botocore", "1.43.106"));
    second.add(wheel("botocore", "1.42.0"));
    PythonTarget t = target("python3.11", "x86_64");
    ResolveRequest request = ResolveRequest.of(reqs("botocore>=1.43,<1.43.107"), t);
    assertThatThrownBy(() -> resolve(request, first, second))
        .isInstanceOf(ResolutionFailure.class)
        .hasMessageContaining("versions with a wheel for this target: 1.43.107")
        .hasMessageContaining("botocore 1.43.106 is also on file:")
        .hasMessageContaining("second/simple/botocore")
        .hasMessageContaining("which the first-index strategy ignores for botocore")
        .hasMessageNotContaining("1.42.0")
        .hasMessageContaining("--index-strategy best-match");
    ResolveRequest best =
        new ResolveRequest(
            reqs("botocore>=1.43,<1.43.107"),
            List.of(),
            t,
            false,
            IndexStrategy.BEST_MATCH,
            false,
            Set.of());
    assertThat(resolve(best, first, second)).containsEntry("botocore", "1.43.106");
  }

  @Test
  void resolve_handlesCyclicDependencies() throws Exception {
    SimpleIndexBuilder index = index("a");
    index.add(wheel("chicken", "1.0").requires("egg"));
    index.add(wheel("egg", "1.0").requires("chicken"));
    assertThat(resolve("python3.11", "x86_64", index, "chicken"))
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("chicken", "1.0", "egg", "1.0")));
  }

  @Test
  void resolve_sdistOnlyProjectIsExplained() throws Exception {
    SimpleIndexBuilder index = index("a");
    index.addFile("oldlib", "oldlib-1.0.tar.gz", new byte[] {1, 2, 3});
    assertThatThrownBy(() -> resolve("python3.11", "x86_64", index, "oldlib"))
        .isInstanceOf(ResolutionFailure.class)
        .hasMessageContaining(
            "oldlib 1.0: only a source distribution (oldlib-1.0.tar.gz); Accretion installs wheels only");
  }

  @Test
  void resolve_unknownProjectSaysNoIndexListsIt() throws Exception {
    SimpleIndexBuilder index = index("a");
    index.add(wheel("something", "1.0"));
    assertThatThrownBy(() -> resolve("python3.11", "x86_64", index, "nonexistent-pkg"))
        .isInstanceOf(ResolutionFailure.class)
        .hasMessageContaining("no index lists nonexistent-pkg");
  }

  @Test
  void resolve_arm64RejectsX86OnlyWheels() throws Exception {
    SimpleIndexBuilder index = index("a");
    index.add(wheel("native", "1.0").tag("cp312-cp312-manylinux_2_17_x86_64"));
    assertThatThrownBy(() -> resolve("python3.12", "arm64", index, "native"))
        .hasMessageContaining("wheels only for x86_64; the target CPU is aarch64 (arm64)");
  }

  @Test
  void resolve_conflictUnrelatedToAnyPinIsNoSolutionNotACrash() throws Exception {
    // bleach is pinned first (listing order); then jinja2 can't pin. Backjumping finds no pin
    // whose dependencies touch the conflict and pops down past the root state: resolvelib raises
    // ResolutionImpossible there, and so must the engine (it used to fail on an empty stack)
    SimpleIndexBuilder index = index("a");
    index.add(wheel("bleach", "6.4.0").requires("webencodings"));
    index.add(wheel("webencodings", "0.5.1"));
    index.add(wheel("jinja2", "3.1.6").requires("MarkupSafe>=2.0"));
    index.add(wheel("markupsafe", "3.0.3").tag(CP311));
    assertThatThrownBy(() -> resolve("python3.12", "x86_64", index, "bleach", "jinja2"))
        .isInstanceOf(ResolutionFailure.class)
        .hasMessageContaining("MarkupSafe>=2.0  (required by jinja2 3.1.6 <- requirements.txt:2)")
        .hasMessageContaining("MarkupSafe 3.0.3: wheels only for cp311-cp311");
  }

  @Test
  void resolve_pinsTheUsersRequirementsInListingOrderAsPipDoes() throws Exception {
    // pip's preference puts user-requested projects in the order written; the first one pinned
    // keeps its newest release and the later one backtracks, so the order decides the answer
    SimpleIndexBuilder index = index("a");
    index.add(wheel("alpha", "2.0").requires("shared==1"));
    index.add(wheel("alpha", "1.0"));
    index.add(wheel("beta", "2.0").requires("shared==2"));
    index.add(wheel("beta", "1.0").requires("shared==1"));
    index.add(wheel("shared", "1"));
    index.add(wheel("shared", "2"));
    assertThat(resolve("python3.11", "x86_64", index, "beta", "alpha"))
        .containsExactlyEntriesOf(
            new TreeMap<>(Map.of("alpha", "1.0", "beta", "2.0", "shared", "2")));
    assertThat(resolve("python3.11", "x86_64", index, "alpha", "beta"))
        .containsExactlyEntriesOf(
            new TreeMap<>(Map.of("alpha", "2.0", "beta", "1.0", "shared", "1")));
  }
}
