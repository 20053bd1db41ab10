package dev.accretion.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.Target;
import dev.accretion.node.json.JsonText;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.Digest;
import dev.accretion.pipeline.spi.LayerFile;
import dev.accretion.pipeline.spi.Placement;
import dev.accretion.pipeline.spi.ResolvedPackage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builder against a registry served by the test: private scopes and credentials, dependency
 * confusion, integrity, hostile tarballs, platform filtering with libc from the registry, install
 * scripts and native addons, lock problems.
 */
class NodeBuilderFixtureTest {
  @TempDir Path tmp;
  RegistryFixture pub;
  RegistryFixture corp;
  static final Target X64 = SessionBuild.target("nodejs22.x", Architecture.X86_64);
  static final Target ARM = SessionBuild.target("nodejs22.x", Architecture.ARM64);

  @BeforeEach
  void start() throws Exception {
    pub = new RegistryFixture();
    corp = new RegistryFixture();
  }

  @AfterEach
  void stop() {
    pub.close();
    corp.close();
  }

  static Map<String, Object> m(Object... kv) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.put((String) kv[i], kv[i + 1]);
    }
    return out;
  }

  Path project(Map<String, Object> packageJson, String npmrc) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "project");
    Files.writeString(dir.resolve("package.json"), JsonText.write(packageJson));
    if (npmrc != null) {
      Files.writeString(dir.resolve(".npmrc"), npmrc);
    }
    return dir;
  }

  SessionBuild.Result build(
      Path listing, Target target, Map<String, String> env, BuilderOptions options)
      throws Exception {
    Map<String, String> e = new HashMap<>(env);
    Path cache = tmp.resolve("cache");
    return SessionBuild.build(
        listing,
        target,
        Placement.LAYER,
        options,
        SessionBuild.context(e, tmp.resolve("home"), cache, BuildListener.NONE),
        cache.resolve("blobs"),
        Files.createTempDirectory(tmp, "out"));
  }

  SessionBuild.Result build(Path listing, Target target) throws Exception {
    return build(listing, target, Map.of(), BuilderOptions.none());
  }

  static String registryRc(RegistryFixture r) {
    return "registry=" + r.url() + "\n";
  }

  @Test
  void privateScope_comesFromItsRegistryWithItsToken_andTheTokenGoesNowhereElse() throws Exception {
    corp.requireAuthorization("Bearer s3cret");
    corp.publish(
        m("name", "@corp/lib", "version", "1.2.0", "dependencies", m("left-pad", "^1.0.0")),
        Map.of("index.js", "module.exports = 1"));
    pub.publish(
        m("name", "left-pad", "version", "1.3.0"), Map.of("index.js", "module.exports = 2"));
    String host = corp.url().replace("http:", "");
    Path p =
        project(
            m("name", "app", "version", "1.0.0", "dependencies", m("@corp/lib", "^1.0.0")),
            registryRc(pub)
                + "@corp:registry="
                + corp.url()
                + "\n"
                + host
                + ":_authToken=${CORP_TOKEN}\n");
    SessionBuild.Result r =
        build(
            p.resolve("package.json"), X64, Map.of("CORP_TOKEN", "s3cret"), BuilderOptions.none());
    assertThat(r.files())
        .containsKeys(
            "nodejs/node_modules/@corp/lib/index.js", "nodejs/node_modules/left-pad/index.js");
    assertThat(pub.requests()).isNotEmpty().allSatisfy(q -> assertThat(q.authorization()).isNull());
    assertThat(corp.requests())
        .isNotEmpty()
        .allSatisfy(q -> assertThat(q.authorization()).isEqualTo("Bearer s3cret"));
    ResolvedPackage lib =
        r.resolution().packages().stream()
            .filter(x -> x.name().equals("@corp/lib"))
            .findFirst()
            .orElseThrow();
    assertThat(lib.purl()).isEqualTo("pkg:npm/%40corp/lib@1.2.0");
    assertThat(lib.source().digests())
        .containsExactly(Digest.fromSri(corp.integrity("@corp/lib", "1.2.0")));

    // the lock written for it installs the same, from the lock alone
    byte[] lock = r.session().lockFile(r.resolution(), "app", null).orElseThrow().content();
    Files.write(p.resolve("package-lock.json"), lock);
    SessionBuild.Result again =
        build(
            p.resolve("package.json"), X64, Map.of("CORP_TOKEN", "s3cret"), BuilderOptions.none());
    assertThat(again.files().keySet()).isEqualTo(r.files().keySet());
  }

  @Test
  void aLockThatDisagreesWithPackageJson_isRefusedAsNpmCiRefusesIt() throws Exception {
    // the check runs when the lock is first needed (resolving), not when the listing is opened
    Path p = project(m("name", "app", "version", "1.0.0", "dependencies", m("x", "^1.0.0")), null);
    Files.writeString(
        p.resolve("package-lock.json"),
        JsonText.write(
            m(
                "name",
                "app",
                "version",
                "1.0.0",
                "lockfileVersion",
                3,
                "requires",
                true,
                "packages",
                m("", m("name", "app", "version", "1.0.0")))));
    assertThatThrownBy(() -> build(p.resolve("package.json"), X64))
        .isInstanceOfSatisfying(
            AccretionException.class, e -> assertThat(e.getMessage()).contains("not in sync", "x"));
  }

  @Test
  void wrongToken_failsNamingTheRegistryAndTheSetting() throws Exception {
    corp.requireAuthorization("Bearer right");
    corp.publish(m("name", "@corp/lib", "version", "1.0.0"), Map.of("index.js", ""));
    Path p =
        project(
            m("name", "app", "version", "1.0.0", "dependencies", m("@corp/lib", "1.0.0")),
            "@corp:registry="
                + corp.url()
                + "\n"
                + corp.url().replace("http:", "")
                + ":_authToken=wrong\n");
    assertThatThrownBy(() -> build(p.resolve("package.json"), X64))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.UNREACHABLE);
              assertThat(e.getMessage()).contains("401").contains(":_authToken");
            });
  }

  @Test
  void basicAuth_fromUsernameAndPassword_orAuth() throws Exception {
    String basic =
        "Basic " + Base64.getEncoder().encodeToString("me:pw".getBytes(StandardCharsets.UTF_8));
    pub.requireAuthorization(basic);
    pub.publish(m("name", "x", "version", "1.0.0"), Map.of("index.js", ""));
    String host = pub.url().replace("http:", "");
    String pw = Base64.getEncoder().encodeToString("pw".getBytes(StandardCharsets.UTF_8));
    Path p =
        project(
            m("name", "app", "dependencies", m("x", "1")),
            registryRc(pub) + host + ":username=me\n" + host + ":_password=" + pw + "\n");
    assertThat(build(p.resolve("package.json"), X64).files())
        .containsKey("nodejs/node_modules/x/index.js");
    Path q =
        project(
            m("name", "app", "dependencies", m("x", "1")),
            registryRc(pub)
                + host
                + ":_auth="
                + Base64.getEncoder().encodeToString("me:pw".getBytes(StandardCharsets.UTF_8))
                + "\n");
    assertThat(build(q.resolve("package.json"), X64).files())
        .containsKey("nodejs/node_modules/x/index.js");
  }

  @Test
  void registryFromEnvironment_andUserNpmrc() throws Exception {
    pub.publish(m("name", "x", "version", "1.0.0"), Map.of("index.js", ""));
    Path p = project(m("name", "app", "dependencies", m("x", "1")), null);
    assertThat(
            build(
                    p.resolve("package.json"),
                    X64,
                    Map.of("NPM_CONFIG_REGISTRY", pub.url()),
                    BuilderOptions.none())
                .files())
        .containsKey("nodejs/node_modules/x/index.js");
    Files.createDirectories(tmp.resolve("home"));
    Files.writeString(tmp.resolve("home/.npmrc"), registryRc(pub));
    assertThat(build(p.resolve("package.json"), X64).files())
        .containsKey("nodejs/node_modules/x/index.js");
  }

  @Test
  void scopedPackageFromAnotherRegistry_isRefused() throws Exception {
    pub.publish(m("name", "@corp/lib", "version", "1.0.0"), Map.of("index.js", "evil"));
    corp.publish(m("name", "@corp/lib", "version", "1.0.0"), Map.of("index.js", "good"));
    Path p =
        project(
            m("name", "app", "dependencies", m("@corp/lib", "1.0.0")),
            "@corp:registry=" + corp.url() + "\n");
    Files.writeString(
        p.resolve("package-lock.json"),
        lock(
            "@corp/lib",
            "1.0.0",
            pub.url() + "@corp/lib/-/lib-1.0.0.tgz",
            pub.integrity("@corp/lib", "1.0.0")));
    assertThatThrownBy(() -> build(p.resolve("package.json"), X64))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.REFUSED);
              assertThat(e.getMessage()).contains("@corp/lib").contains("scope");
            });
  }

  static String lock(String name, String version, String resolved, String integrity) {
    Map<String, Object> entry = m("version", version);
    if (resolved != null) {
      entry.put("resolved", resolved);
    }
    if (integrity != null) {
      entry.put("integrity", integrity);
    }
    return lockOf(
        m("", m("name", "app", "dependencies", m(name, version)), "node_modules/" + name, entry));
  }

  /** A lockfileVersion 3 lock of the app {@code app} with these {@code packages} entries. */
  static String lockOf(Map<String, Object> packages) {
    return JsonText.write(
        m(
            "name",
            "app",
            "lockfileVersion",
            new java.math.BigDecimal(3),
            "requires",
            true,
            "packages",
            packages));
  }

  @Test
  void integrityFromTheLock_isWhatTheSourcePromises_andAMismatchIsRefused() throws Exception {
    String url = pub.publish(m("name", "x", "version", "1.0.0"), Map.of("index.js", ""));
    String good = pub.integrity("x", "1.0.0");
    String other = "sha512-" + Base64.getEncoder().encodeToString(new byte[64]);
    Path p = project(m("name", "app", "dependencies", m("x", "1.0.0")), null);
    Files.writeString(
        p.resolve("package-lock.json"),
        lock(
            "x",
            "1.0.0",
            url,
            "sha1-" + Base64.getEncoder().encodeToString(new byte[20]) + " " + other));
    assertThatThrownBy(() -> build(p.resolve("package.json"), X64))
        .isInstanceOfSatisfying(
            AccretionException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.REFUSED));
    // only the strongest algorithm is promised when the lock has several
    var session =
        new NodeBuilder()
            .open(
                new dev.accretion.pipeline.spi.BuildInput(
                    p.resolve("package.json"),
                    null,
                    BuilderOptions.none(),
                    SessionBuild.context(
                        Map.of(), tmp.resolve("home"), tmp.resolve("c2"), BuildListener.NONE)));
    assertThat(session.resolve(X64).packages().get(0).source().digests())
        .extracting(Digest::algorithm)
        .containsExactly("sha512");
  }

  @Test
  void lockWithoutResolved_fetchesFromTheRegistryConvention_andSha1OnlyLocksVerifySha1()
      throws Exception {
    pub.publish(m("name", "x", "version", "1.0.0"), Map.of("index.js", "x"));
    Path p = project(m("name", "app", "dependencies", m("x", "1.0.0")), registryRc(pub));
    Files.writeString(
        p.resolve("package-lock.json"), lock("x", "1.0.0", null, pub.integrity("x", "1.0.0")));
    SessionBuild.Result r = build(p.resolve("package.json"), X64);
    assertThat(r.files()).containsKey("nodejs/node_modules/x/index.js");
    assertThat(r.resolution().packages().get(0).source().url().toString())
        .isEqualTo(pub.url() + "x/-/x-1.0.0.tgz");
    // a lock with only a sha1 (old registries): that is what is verified
    byte[] tgz = pub.requests().isEmpty() ? null : null;
    String sha1 =
        "sha1-"
            + Base64.getEncoder()
                .encodeToString(
                    RegistryFixture.digest("SHA-1", fetchTarball(pub.url() + "x/-/x-1.0.0.tgz")));
    Files.writeString(p.resolve("package-lock.json"), lock("x", "1.0.0", null, sha1));
    SessionBuild.Result old = build(p.resolve("package.json"), X64);
    assertThat(old.resolution().packages().get(0).source().digests())
        .extracting(Digest::algorithm)
        .containsExactly("sha1");
    assertThat(tgz).isNull();
  }

  static byte[] fetchTarball(String url) throws Exception {
    try (var in = java.net.URI.create(url).toURL().openStream()) {
      return in.readAllBytes();
    }
  }

  // ---- hostile tarballs

  AccretionException hostile(TarBuilder tar) throws Exception {
    return hostile(tar, BuilderOptions.none());
  }

  AccretionException hostile(TarBuilder tar, BuilderOptions options) throws Exception {
    String url = pub.publish(m("name", "h", "version", "1.0.0"), tar.gzip());
    Path p = project(m("name", "app", "dependencies", m("h", "1.0.0")), null);
    Files.writeString(
        p.resolve("package-lock.json"), lock("h", "1.0.0", url, pub.integrity("h", "1.0.0")));
    Path out = tmp.resolve("hostile-out");
    try {
      build(p.resolve("package.json"), X64, Map.of(), options);
    } catch (AccretionException e) {
      assertThat(e.kind()).isEqualTo(FailureKind.REFUSED);
      assertThat(out).doesNotExist();
      return e;
    }
    throw new AssertionError("the hostile tarball was accepted");
  }

  static TarBuilder pkg() {
    return new TarBuilder().file("package/package.json", "{\"name\":\"h\",\"version\":\"1.0.0\"}");
  }

  @Test
  void hostileTarballs_areRefused() throws Exception {
    assertThat(hostile(pkg().file("package/../../etc/passwd", "x")).getMessage()).contains("..");
    assertThat(hostile(pkg().file("/etc/passwd", "x")).getMessage()).contains("absolute");
    assertThat(hostile(pkg().file("C:/Windows/evil.dll", "x")).getMessage()).contains("absolute");
    assertThat(hostile(pkg().file("c:evil.js", "x")).getMessage()).contains("absolute");
    assertThat(hostile(pkg().symlink("package/evil", "D:/secrets")).getMessage())
        .contains("outside the package");
    assertThat(hostile(pkg().symlink("package/evil", "../../../etc/passwd")).getMessage())
        .contains("outside the package");
    assertThat(hostile(pkg().symlink("package/evil", "/etc/passwd")).getMessage())
        .contains("outside the package");
    assertThat(hostile(pkg().hardlink("package/evil", "other/etc")).getMessage())
        .contains("outside the package");
    assertThat(hostile(pkg().device("package/dev")).getMessage()).contains("device");
    assertThat(hostile(pkg().fifo("package/fifo")).getMessage()).contains("FIFO");
    assertThat(hostile(pkg().file("other/index.js", "x")).getMessage())
        .contains("outside its package folder");
    assertThat(
            hostile(pkg().entry("package/big", '0', 0644, "", new byte[0], 300_000_000L))
                .getMessage())
        .contains("size bomb");
    assertThat(hostile(pkg().file("package/a\\b.js", "x")).getMessage()).contains("backslash");
    TarBuilder many = pkg();
    for (int i = 0; i < 30; i++) {
      many.file("package/f" + i, "x");
    }
    // a count bomb, against a build whose limits allow fewer entries: through the public reader
    assertThatThrownBy(
            () ->
                dev.accretion.node.tarball.Tarball.read(
                    write(many.gzip()),
                    "h",
                    dev.accretion.core.archive.ZipLimits.lambda().withMaxEntries(10)))
        .hasMessageContaining("more than 10 entries");
    // a gzip bomb: a small valid tar, then zeros that inflate past what any package may hold
    byte[] tar = pkg().tar();
    java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bomb)) {
      gz.write(tar);
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 80; i++) {
        gz.write(zeros);
      }
    }
    assertThatThrownBy(
            () ->
                dev.accretion.node.tarball.Tarball.read(
                    write(bomb.toByteArray()),
                    "h",
                    dev.accretion.core.archive.ZipLimits.lambda().withMaxArchiveBytes(4096)))
        .hasMessageContaining("inflates to more than")
        .hasMessageContaining("gzip bomb");
    // a damaged gzip stream (its CRC-32 no longer matches) is refused, not half read
    byte[] damaged = pkg().gzip();
    damaged[damaged.length - 6] ^= 1;
    assertThatThrownBy(
            () ->
                dev.accretion.node.tarball.Tarball.read(
                    write(damaged), "h", dev.accretion.core.archive.ZipLimits.lambda()))
        .hasMessageContaining("not a valid gzip stream")
        .hasMessageContaining("CRC-32");
    // a tarball cut inside an entry's data, a small entry and one over 1 MiB (read two ways)
    for (int size : new int[] {1000, 3 << 20}) {
      byte[] whole = pkg().file("package/last.bin", new byte[size], 0644).tar();
      int padded = (size + 511) / 512 * 512;
      byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 1024 - padded + size / 2);
      java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
        out.write(cut);
      }
      assertThatThrownBy(
              () ->
                  dev.accretion.node.tarball.Tarball.read(
                      write(gz.toByteArray()), "h", dev.accretion.core.archive.ZipLimits.lambda()))
          .as("cut inside an entry of " + size + " bytes")
          .hasMessageContaining("ends inside an entry's data (truncated)");
    }
    TarBuilder wrongName =
        new TarBuilder().file("package/package.json", "{\"name\":\"other\",\"version\":\"1.0.0\"}");
    assertThat(hostile(wrongName).getMessage()).contains("other@1.0.0").contains("h@1.0.0");
    TarBuilder wrongVersion =
        new TarBuilder().file("package/package.json", "{\"name\":\"h\",\"version\":\"6.6.6\"}");
    assertThat(hostile(wrongVersion).getMessage()).contains("6.6.6");
    assertThat(hostile(new TarBuilder().file("package/index.js", "x")).getMessage())
        .contains("no package.json");
  }

  Path write(byte[] b) throws Exception {
    Path f = Files.createTempFile(tmp, "t", ".tgz");
    Files.write(f, b);
    return f;
  }

  @Test
  void tarballLayout_asNpmExtractsIt() throws Exception {
    TarBuilder t =
        new TarBuilder()
            .file(
                "node-x/package.json",
                "{\"name\":\"h\",\"version\":\"1.0.0\",\"bin\":{\"h\":\"./cli.js\"}}")
            .file(
                "node-x/cli.js",
                "#!/usr/bin/env node\r\nconsole.log(1)\r\n".getBytes(StandardCharsets.UTF_8),
                0644)
            .file("node-x/run.sh", "echo".getBytes(StandardCharsets.UTF_8), 0755)
            .file("node-x/big.js", "module.exports = 1;\n".repeat(500))
            .file("node-x/lib/.gitignore", "a")
            .file("node-x/.npmignore", "b")
            .file("node-x/.gitignore", "c")
            .symlink("node-x/link.js", "cli.js")
            .file("node-x/dup.js", "first")
            .file("node-x/dup.js", "second")
            .dir("node-x/empty/")
            .paxPath("node-x/" + "d/".repeat(60) + "deep.js")
            .file("ignored-by-pax", "deep");
    String url = pub.publish(m("name", "h", "version", "1.0.0"), t.gzip());
    Path p = project(m("name", "app", "dependencies", m("h", "1.0.0")), null);
    Files.writeString(
        p.resolve("package-lock.json"), lock("h", "1.0.0", url, pub.integrity("h", "1.0.0")));
    SessionBuild.Result r = build(p.resolve("package.json"), X64);
    Map<String, LayerFile> f = r.files();
    String base = "nodejs/node_modules/h/";
    assertThat(text(f.get(base + "cli.js"))).isEqualTo("#!/usr/bin/env node\nconsole.log(1)\r\n");
    assertThat(f.get(base + "cli.js").executable()).isTrue();
    assertThat(f.get(base + "run.sh").executable()).isTrue();
    assertThat(f.get(base + "package.json").executable()).isFalse();
    assertThat(text(f.get(base + "lib/.npmignore"))).isEqualTo("a");
    assertThat(text(f.get(base + ".npmignore"))).isEqualTo("b");
    assertThat(f).doesNotContainKeys(base + ".gitignore", base + "link.js", base + "empty");
    assertThat(text(f.get(base + "dup.js"))).isEqualTo("second");
    assertThat(text(f.get(base + "d/".repeat(60) + "deep.js"))).isEqualTo("deep");
    assertThat(r.notes()).anyMatch(n -> n.contains("link.js"));
    // every file comes compressed from the opener: from the tarball's own matches, or searched
    // anew for the bin whose shebang line was rewritten; either inflates to the file
    for (String path :
        List.of(
            base + "run.sh",
            base + "cli.js",
            base + "big.js",
            base + "d/".repeat(60) + "deep.js")) {
      LayerFile.Compressed c = (LayerFile.Compressed) f.get(path).content();
      assertThat(c.ready()).as(path).isNotNull();
      assertThat(c.ready().content()).isSameAs(c.bytes());
      byte[] deflated = c.ready().deflated();
      if (deflated != null) {
        // held only deflated until the zip is written
        assertThat(c.bytes()).as(path).isNull();
        java.util.zip.Inflater inf = new java.util.zip.Inflater(true);
        inf.setInput(deflated);
        byte[] back = new byte[c.ready().size()];
        assertThat(inf.inflate(back)).isEqualTo(back.length);
        assertThat(back).isEqualTo(c.uncompressed());
      } else {
        assertThat(c.bytes()).as(path).hasSize(c.ready().size());
      }
    }
    assertThat(((LayerFile.Compressed) f.get(base + "big.js").content()).ready().deflated())
        .as("a file that deflates")
        .isNotNull();
    assertThat(text(f.get(base + "big.js"))).isEqualTo("module.exports = 1;\n".repeat(500));
    assertThat(f.get(base + "big.js").size()).isEqualTo(20 * 500);
  }

  static String text(LayerFile f) {
    return new String(((LayerFile.Compressed) f.content()).uncompressed(), StandardCharsets.UTF_8);
  }

  // ---- platform

  @Test
  void optionalPlatformPackages_fitTheTarget_libcReadFromTheRegistryWhenTheLockLacksIt()
      throws Exception {
    Map<String, Object> gnu =
        m(
            "name",
            "n-linux-x64-gnu",
            "version",
            "1.0.0",
            "os",
            List.of("linux"),
            "cpu",
            List.of("x64"),
            "libc",
            List.of("glibc"));
    Map<String, Object> musl =
        m(
            "name",
            "n-linux-x64-musl",
            "version",
            "1.0.0",
            "os",
            List.of("linux"),
            "cpu",
            List.of("x64"),
            "libc",
            List.of("musl"));
    Map<String, Object> arm =
        m(
            "name",
            "n-linux-arm64-gnu",
            "version",
            "1.0.0",
            "os",
            List.of("linux"),
            "cpu",
            List.of("arm64"));
    Map<String, Object> mac =
        m(
            "name",
            "n-darwin-arm64",
            "version",
            "1.0.0",
            "os",
            List.of("darwin"),
            "cpu",
            List.of("arm64"));
    Map<String, Object> main =
        m(
            "name",
            "n",
            "version",
            "1.0.0",
            "optionalDependencies",
            m(
                "n-linux-x64-gnu",
                "1.0.0",
                "n-linux-x64-musl",
                "1.0.0",
                "n-linux-arm64-gnu",
                "1.0.0",
                "n-darwin-arm64",
                "1.0.0"));
    for (Map<String, Object> x : List.of(gnu, musl, arm, mac, main)) {
      pub.publish(x, Map.of("index.js", (String) x.get("name")));
    }
    Path p = project(m("name", "app", "dependencies", m("n", "1.0.0")), registryRc(pub));
    // a lock as npm < 11.11 writes it: os and cpu, no libc
    Map<String, Object> packages = new LinkedHashMap<>();
    packages.put("", m("name", "app", "dependencies", m("n", "1.0.0")));
    packages.put(
        "node_modules/n",
        m(
            "version",
            "1.0.0",
            "resolved",
            pub.url() + "n/-/n-1.0.0.tgz",
            "integrity",
            pub.integrity("n", "1.0.0"),
            "optionalDependencies",
            main.get("optionalDependencies")));
    for (Map<String, Object> x : List.of(gnu, musl, arm, mac)) {
      String name = (String) x.get("name");
      packages.put(
          "node_modules/" + name,
          m(
              "version",
              "1.0.0",
              "resolved",
              pub.url() + name + "/-/" + name + "-1.0.0.tgz",
              "integrity",
              pub.integrity(name, "1.0.0"),
              "optional",
              true,
              "os",
              x.get("os"),
              "cpu",
              x.get("cpu")));
    }
    Files.writeString(
        p.resolve("package-lock.json"),
        JsonText.write(
            m(
                "name",
                "app",
                "lockfileVersion",
                new java.math.BigDecimal(3),
                "packages",
                packages)));
    SessionBuild.Result x64 = build(p.resolve("package.json"), X64);
    assertThat(x64.resolution().packages())
        .extracting(ResolvedPackage::name)
        .containsExactly("n", "n-linux-x64-gnu");
    assertThat(x64.resolution().notes())
        .anyMatch(n -> n.contains("n-linux-x64-musl") && n.contains("libc musl"));
    assertThat(x64.resolution().notes())
        .anyMatch(n -> n.contains("n-darwin-arm64") && n.contains("os darwin"));
    SessionBuild.Result arm64 = build(p.resolve("package.json"), ARM);
    assertThat(arm64.resolution().packages())
        .extracting(ResolvedPackage::name)
        .containsExactly("n", "n-linux-arm64-gnu");
  }

  @Test
  void requiredPackageForAnotherPlatform_failsNamingIt() throws Exception {
    pub.publish(
        m("name", "mac-only", "version", "1.0.0", "os", List.of("darwin")), Map.of("index.js", ""));
    Path p = project(m("name", "app", "dependencies", m("mac-only", "1.0.0")), registryRc(pub));
    assertThatThrownBy(() -> build(p.resolve("package.json"), X64))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.CONFLICT);
              assertThat(e.getMessage()).contains("mac-only@1.0.0").contains("os darwin");
            });
  }

  @Test
  void enginesExcludingTheTargetsNode_isAWarning() throws Exception {
    pub.publish(
        m("name", "new", "version", "1.0.0", "engines", m("node", ">=24")), Map.of("index.js", ""));
    Path p = project(m("name", "app", "dependencies", m("new", "1.0.0")), registryRc(pub));
    SessionBuild.Result r = build(p.resolve("package.json"), X64);
    assertThat(r.warnings())
        .anyMatch(w -> w.contains("new@1.0.0") && w.contains(">=24") && w.contains("Node.js 22"));
    assertThat(
            build(p.resolve("package.json"), SessionBuild.target("nodejs24.x", Architecture.X86_64))
                .warnings())
        .noneMatch(w -> w.contains("engines"));
  }

  // ---- install scripts and native addons

  @Test
  void installScripts_areNotRun_andReported() throws Exception {
    pub.publish(
        m("name", "s", "version", "1.0.0", "scripts", m("postinstall", "node setup.js")),
        Map.of("setup.js", "throw 1"));
    Path p = project(m("name", "app", "dependencies", m("s", "1.0.0")), registryRc(pub));
    SessionBuild.Result r = build(p.resolve("package.json"), X64);
    assertThat(r.warnings()).anyMatch(w -> w.contains("s@1.0.0") || w.contains("s 1.0.0"));
    assertThat(r.installed().get(0).opened().facts()).containsEntry("installScriptsRun", false);
  }

  @Test
  void nativeAddonWithoutPrebuilt_failsWithTheWaysOut_allowUnbuiltOrOptionalLetsItThrough()
      throws Exception {
    pub.publish(
        m("name", "addon", "version", "1.0.0", "scripts", m("install", "node-gyp rebuild")),
        Map.of("binding.gyp", "{}", "index.js", ""));
    Path p = project(m("name", "app", "dependencies", m("addon", "1.0.0")), registryRc(pub));
    assertThatThrownBy(() -> build(p.resolve("package.json"), X64))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.REFUSED);
              assertThat(e.problem())
                  .contains("addon 1.0.0")
                  .contains("native addon")
                  .contains("linux/x64");
              assertThat(e.advice()).contains("allow-unbuilt=addon").contains("prebuilt");
            });
    SessionBuild.Result allowed =
        build(
            p.resolve("package.json"),
            X64,
            Map.of(),
            BuilderOptions.none().with("allow-unbuilt", "addon"));
    assertThat(allowed.files()).containsKey("nodejs/node_modules/addon/index.js");
    assertThat(allowed.warnings()).anyMatch(w -> w.contains("allow-unbuilt"));
    Path q =
        project(m("name", "app", "optionalDependencies", m("addon", "1.0.0")), registryRc(pub));
    SessionBuild.Result optional = build(q.resolve("package.json"), X64);
    assertThat(optional.files()).doesNotContainKey("nodejs/node_modules/addon/index.js");
    assertThat(optional.warnings()).anyMatch(w -> w.contains("left out optional addon 1.0.0"));
  }

  // ---- lock problems

  @Test
  void lockfileVersion1_isRefusedWithTheUpgradeCommand() throws Exception {
    Path p = project(m("name", "app", "dependencies", m("x", "1.0.0")), null);
    Files.writeString(
        p.resolve("package-lock.json"),
        "{\"name\":\"app\",\"lockfileVersion\":1,\"dependencies\":{\"x\":{\"version\":\"1.0.0\"}}}");
    assertThatThrownBy(() -> build(p.resolve("package.json"), X64))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.BAD_INPUT);
              assertThat(e.getMessage())
                  .contains("lockfileVersion 1")
                  .contains("npm install --package-lock-only");
            });
  }

  @Test
  void lockOutOfSyncWithPackageJson_isRefusedNamingThePackage() throws Exception {
    String url = pub.publish(m("name", "x", "version", "1.0.0"), Map.of("index.js", ""));
    Path p = project(m("name", "app", "dependencies", m("x", "^2.0.0", "y", "^1.0.0")), null);
    Files.writeString(
        p.resolve("package-lock.json"), lock("x", "1.0.0", url, pub.integrity("x", "1.0.0")));
    assertThatThrownBy(() -> build(p.resolve("package.json"), X64))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.BAD_INPUT);
              assertThat(e.getMessage())
                  .contains("Missing: y@^1.0.0 from lock file")
                  .contains("Invalid: lock file's x@1.0.0 does not satisfy x@^2.0.0");
            });
  }

  @Test
  void gitDependencyInLock_isAClearError() throws Exception {
    Path p = project(m("name", "app", "dependencies", m("x", "github:a/x")), null);
    Files.writeString(
        p.resolve("package-lock.json"),
        lock("x", "1.0.0", "git+ssh://git@github.com/a/x.git#abc", null));
    assertThatThrownBy(() -> build(p.resolve("package.json"), X64)).hasMessageContaining("git");
  }

  @Test
  void functionPlacement_putsPackagesUnderNodeModules() throws Exception {
    pub.publish(m("name", "x", "version", "1.0.0"), Map.of("index.js", ""));
    Path p = project(m("name", "app", "dependencies", m("x", "1")), registryRc(pub));
    Path cache = tmp.resolve("cache");
    SessionBuild.Result r =
        SessionBuild.build(
            p.resolve("package.json"),
            X64,
            Placement.FUNCTION,
            BuilderOptions.none(),
            SessionBuild.context(Map.of(), tmp.resolve("home"), cache, BuildListener.NONE),
            cache.resolve("blobs"),
            null);
    assertThat(r.files())
        .containsKeys("node_modules/x/index.js", "node_modules/.package-lock.json");
  }

  @Test
  void unknownOption_isAUsageError() {
    assertThatThrownBy(
            () ->
                build(
                    project(m("name", "a"), null).resolve("package.json"),
                    X64,
                    Map.of(),
                    BuilderOptions.none().with("index-url", "x")))
        .isInstanceOfSatisfying(
            AccretionException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.USAGE));
  }
}
