package dev.accretion.cli;

import static dev.accretion.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.python.PackageName;
import dev.accretion.python.index.IndexFile;
import dev.accretion.python.index.PipConfiguration;
import dev.accretion.python.index.ProjectPage;
import dev.accretion.python.index.SimpleIndexClient;
import dev.accretion.python.lock.LockedListing;
import dev.accretion.python.lock.LockedPackage;
import dev.accretion.python.lock.PylockReader;
import dev.accretion.testkit.SimpleIndexBuilder;
import dev.accretion.testkit.WheelBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code accretion lock <lock file>} in-process, for every lock format. */
class LockCommandLockFilesTest {
  record Run(int code, String out, String err) {}

  record Facts(String url, String sha256, long size, String index) {}

  static final String SIX = "six-1.17.0-py2.py3-none-any.whl";
  static final String X86 =
      "fastcodec-1.5-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl";
  static final String ARM =
      "fastcodec-1.5-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl";

  @TempDir Path dir;
  Map<String, String> env;
  Map<String, Facts> files = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    SimpleIndexBuilder index = new SimpleIndexBuilder(dir.resolve("index"));
    for (WheelBuilder w :
        List.of(
            wheel("fastcodec", "1.5").tag("cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64"),
            wheel("fastcodec", "1.5")
                .tag("cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64"),
            wheel("colorama", "0.4.6").metadata("License: BSD"))) {
      index.add(w);
      Path f = index.root().resolve("files").resolve(w.filename());
      files.put(
          w.filename(),
          new Facts(
              f.toUri().toString(),
              WheelBuilder.sha256Hex(Files.readAllBytes(f)),
              Files.size(f),
              index.url()));
    }
    // a real wheel of the machine's mirror, found through its pip configuration
    PipConfiguration pip =
        PipConfiguration.load(System.getenv(), Path.of(System.getProperty("user.home")));
    List<String> mirror = new ArrayList<>();
    pip.extraIndexUrls().stream().filter(u -> u.startsWith("file:")).forEach(mirror::add);
    assertThat(mirror).as("pip's configuration names the local mirror").isNotEmpty();
    SimpleIndexClient.Builder builder = SimpleIndexClient.builder();
    mirror.forEach(builder::addIndexUrl);
    try (SimpleIndexClient client = builder.build()) {
      for (ProjectPage page : client.pages(PackageName.of("six"))) {
        for (IndexFile f : page.files()) {
          if (f.filename().equals(SIX) && !files.containsKey(SIX)) {
            files.put(
                SIX,
                new Facts(
                    f.url().toString(),
                    f.sha256().orElseThrow(),
                    Files.size(Path.of(f.url())),
                    f.index().toString()));
          }
        }
      }
    }
    assertThat(files).as("the mirror has " + SIX).containsKey(SIX);
    env = new HashMap<>();
    env.put("HOME", dir.resolve("home").toString());
    env.put("PIP_CONFIG_FILE", "/dev/null");
    env.put("PIP_INDEX_URL", index.url());
    env.put("PIP_EXTRA_INDEX_URL", String.join(" ", mirror));
    env.put("ACCRETION_CACHE_DIR", dir.resolve("cache").toString());
  }

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), env, dir);
    return new Run(code, out.toString(), err.toString());
  }

  String url(String f) {
    return files.get(f).url();
  }

  String sha(String f) {
    return files.get(f).sha256();
  }

  Path write(String project, String name, String text) throws Exception {
    Path folder = Files.createDirectories(dir.resolve(project));
    return Files.writeString(folder.resolve(name), text);
  }

  static Map<String, String> lockedVersions(Path pylock) throws Exception {
    LockedListing listing = PylockReader.read(pylock);
    Map<String, String> out = new TreeMap<>();
    for (LockedPackage p : listing.packages()) {
      if (p.kind() != LockedPackage.Kind.PROJECT) {
        out.put(p.name().normalized(), p.version() + " " + p.files().get(0).filename());
      }
    }
    return out;
  }

  String uvLock() {
    String registry = files.get(X86).index().replaceAll("/$", "");
    String mirror = files.get(SIX).index().replaceAll("/$", "");
    return """
        version = 1
        revision = 3
        requires-python = ">=3.11"

        [[package]]
        name = "colorama"
        version = "0.4.6"
        source = { registry = "%1$s" }
        wheels = [
            { url = "%3$s", hash = "sha256:%4$s" },
        ]

        [[package]]
        name = "fastcodec"
        version = "1.5"
        source = { registry = "%1$s" }
        wheels = [
            { url = "%5$s", hash = "sha256:%6$s", size = %7$d },
            { url = "%8$s", hash = "sha256:%9$s", size = %10$d },
        ]

        [[package]]
        name = "fn"
        version = "0.1.0"
        source = { virtual = "." }
        dependencies = [
            { name = "fastcodec" },
            { name = "six", marker = "platform_machine == 'aarch64'" },
        ]

        [package.dev-dependencies]
        dev = [
            { name = "colorama" },
        ]

        [[package]]
        name = "six"
        version = "1.17.0"
        source = { registry = "%2$s" }
        wheels = [
            { url = "%11$s", hash = "sha256:%12$s" },
        ]
        """
        .formatted(
            registry,
            mirror,
            url("colorama-0.4.6-py3-none-any.whl"),
            sha("colorama-0.4.6-py3-none-any.whl"),
            url(X86),
            sha(X86),
            files.get(X86).size(),
            url(ARM),
            sha(ARM),
            files.get(ARM).size(),
            url(SIX),
            sha(SIX));
  }

  @Test
  void uvLock_writesAPylockPerTargetWithTheWheelThatFits() throws Exception {
    Path lock = write("uv", "uv.lock", uvLock());
    Run x86 = run("lock", "uv/uv.lock", "--runtime", "python3.11", "--arch", "x86_64");
    assertThat(x86.code()).as(x86.err()).isZero();
    assertThat(x86.out())
        .contains("Locked 1 packages for python3.11 (Amazon Linux 2, glibc 2.26) on x86_64")
        .contains(X86);
    assertThat(lockedVersions(lock.resolveSibling("pylock.toml")))
        .containsExactly(Map.entry("fastcodec", "1.5 " + X86));

    Run arm =
        run("lock", "uv/uv.lock", "--runtime", "python3.11", "--arch", "arm64", "--group", "dev");
    assertThat(arm.code()).as(arm.err()).isZero();
    assertThat(lockedVersions(lock.resolveSibling("pylock.toml")))
        .containsExactly(
            Map.entry("colorama", "0.4.6 colorama-0.4.6-py3-none-any.whl"),
            Map.entry("fastcodec", "1.5 " + ARM),
            Map.entry("six", "1.17.0 " + SIX));
  }

  @Test
  void uvLock_noWheelForTheTarget_exitsOneNamingPackageAndTarget() throws Exception {
    write("uv", "uv.lock", uvLock());
    Run run = run("lock", "uv/uv.lock", "--runtime", "python3.12", "--arch", "arm64");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains("accretion: error: uv.lock can't be installed on python3.12")
        .contains("fastcodec 1.5: no wheel for python3.12 (Amazon Linux 2023, glibc 2.34) on arm64")
        .contains(ARM + ": wheels only for cp311-cp311");
    assertThat(Files.exists(dir.resolve("uv/pylock.toml"))).isFalse();
  }

  @Test
  void poetryLock_jsonSummary() throws Exception {
    write(
        "poetry",
        "poetry.lock",
        """
        # This file is automatically @generated by Poetry 2.1.3 and should not be changed by hand.

        [[package]]
        name = "fastcodec"
        version = "1.5"
        description = "Fast codecs"
        optional = false
        python-versions = ">=3.11"
        groups = ["main"]
        files = [
            {file = "%s", hash = "sha256:%s"},
            {file = "%s", hash = "sha256:%s"},
        ]

        [[package]]
        name = "six"
        version = "1.17.0"
        description = "Python 2 and 3 compatibility utilities"
        optional = false
        python-versions = "!=3.0.*,!=3.1.*,!=3.2.*,>=2.7"
        groups = ["main"]
        markers = "python_version < \\"3.12\\""
        files = [
            {file = "%s", hash = "sha256:%s"},
        ]

        [metadata]
        lock-version = "2.1"
        python-versions = ">=3.11,<4.0"
        content-hash = "1b0c6f3d2e4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c"
        """
            .formatted(X86, sha(X86), ARM, sha(ARM), SIX, sha(SIX)));
    Run run =
        run("lock", "poetry/poetry.lock", "--runtime", "python3.11", "--arch", "arm64", "--json");
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    JsonNode lock = json.get("locks").get(0);
    assertThat(lock.get("runtime").asText()).isEqualTo("python3.11");
    assertThat(lock.get("architecture").asText()).isEqualTo("arm64");
    List<String> wheels = new ArrayList<>();
    lock.get("packages").forEach(p -> wheels.add(p.get("wheel").asText()));
    assertThat(wheels).containsExactly(ARM, SIX);
    assertThat(lock.get("packages").get(0).get("sha256").asText()).isEqualTo(sha(ARM));
  }

  @Test
  void pipfileLock_severalTargets_andTheDevelopCategory() throws Exception {
    write(
        "pipenv",
        "Pipfile.lock",
        """
        {
            "_meta": {
                "hash": {"sha256": "7d1f0b6a5c4e3d2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b"},
                "pipfile-spec": 6,
                "requires": {"python_version": "3.11"},
                "sources": [{"name": "pypi", "url": "%s", "verify_ssl": true}]
            },
            "default": {
                "fastcodec": {"hashes": ["sha256:%s", "sha256:%s"], "index": "pypi", "version": "==1.5"}
            },
            "develop": {
                "six": {"hashes": ["sha256:%s"], "markers": "python_version >= '2.7'", "version": "==1.17.0"}
            }
        }
        """
            .formatted(files.get(X86).index(), sha(X86), sha(ARM), sha(SIX)));
    Run run =
        run(
            "lock",
            "pipenv/Pipfile.lock",
            "--runtime",
            "python3.11",
            "--arch",
            "x86_64,arm64",
            "--group",
            "develop");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(lockedVersions(dir.resolve("pipenv/pylock.python311-x86_64.toml")))
        .containsExactly(Map.entry("fastcodec", "1.5 " + X86), Map.entry("six", "1.17.0 " + SIX));
    assertThat(lockedVersions(dir.resolve("pipenv/pylock.python311-arm64.toml")))
        .containsExactly(Map.entry("fastcodec", "1.5 " + ARM), Map.entry("six", "1.17.0 " + SIX));
  }

  @Test
  void pylock_isReadBackAndWrittenPerTarget_besideTheInput() throws Exception {
    Path input =
        write(
            "pep751",
            "pylock.toml",
            """
            lock-version = "1.0"
            environments = ["sys_platform == 'linux'"]
            requires-python = ">=3.11"
            extras = ["cli"]
            dependency-groups = []
            default-groups = []
            created-by = "pdm"

            [[packages]]
            name = "colorama"
            version = "0.4.6"
            marker = "'cli' in extras"
            wheels = [{ url = "%s", hashes = { sha256 = "%s" } }]

            [[packages]]
            name = "fastcodec"
            version = "1.5"
            wheels = [
                { url = "%s", hashes = { sha256 = "%s" } },
                { url = "%s", hashes = { sha256 = "%s" } },
            ]
            """
                .formatted(
                    url("colorama-0.4.6-py3-none-any.whl"),
                    sha("colorama-0.4.6-py3-none-any.whl"),
                    url(X86),
                    sha(X86),
                    url(ARM),
                    sha(ARM)));
    Run run =
        run(
            "lock",
            "pep751/pylock.toml",
            "--runtime",
            "python3.11",
            "--arch",
            "arm64",
            "--extra",
            "cli");
    assertThat(run.code()).as(run.err()).isZero();
    Path out = dir.resolve("pep751/pylock.python311-arm64.toml");
    assertThat(lockedVersions(out))
        .containsExactly(
            Map.entry("colorama", "0.4.6 colorama-0.4.6-py3-none-any.whl"),
            Map.entry("fastcodec", "1.5 " + ARM));
    assertThat(Files.readString(input)).contains("created-by = \"pdm\"");
    Run typo = run("lock", "pep751/pylock.toml", "--runtime", "python3.11", "--extra", "clli");
    assertThat(typo.code()).isEqualTo(1);
    assertThat(typo.err()).contains("has no extra 'clli'; it offers cli");
  }
}
