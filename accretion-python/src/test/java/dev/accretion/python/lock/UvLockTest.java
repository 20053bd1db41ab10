package dev.accretion.python.lock;

import static dev.accretion.python.lock.LockScenario.find;
import static dev.accretion.python.lock.LockScenario.names;
import static dev.accretion.python.lock.LockScenario.versions;
import static dev.accretion.python.lock.LockScenario.wheels;
import static dev.accretion.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.python.listing.ListingException;
import dev.accretion.python.resolve.Resolution;
import dev.accretion.python.resolve.ResolvedPackage;
import dev.accretion.testkit.WheelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UvLockTest {
  @TempDir Path dir;
  LockScenario scenario;
  Path app;

  @BeforeEach
  void setUp() throws Exception {
    scenario = new LockScenario(dir);
    app = scenario.fixture("uv/app.uv.lock", "app", "uv.lock");
  }

  @Test
  void python311OnX86_takesTheOldForkAndTheX86OnlyPackage() throws Exception {
    Resolution r = scenario.lock(app, "python3.11", "x86_64");
    assertThat(versions(r))
        .containsExactly(
            Map.entry("fastcodec", "1.5"),
            Map.entry("python-dateutil", "2.9.0.post0"),
            Map.entry("six", "1.17.0"),
            Map.entry("typing-extensions", "4.16.0"),
            Map.entry("x86-helper", "1.0"));
    assertThat(wheels(r))
        .containsEntry(
            "fastcodec",
            "fastcodec-1.5-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    ResolvedPackage six = find(r, "six").orElseThrow();
    assertThat(six.requiredBy()).containsExactly("python-dateutil");
    assertThat(six.distribution().file().sha256())
        .contains(scenario.facts.get("six-1.17.0-py2.py3-none-any.whl").sha256());
    assertThat(six.distribution().file().size())
        .hasValue(scenario.facts.get("six-1.17.0-py2.py3-none-any.whl").size());
    assertThat(six.direct()).isFalse();
    assertThat(find(r, "python-dateutil").orElseThrow().requiredBy()).containsExactly("listing");
    assertThat(find(r, "python-dateutil").orElseThrow().dependencies()).containsExactly("six");
    // METADATA was read from the wheel: the license travels downstream
    assertThat(find(r, "x86-helper").orElseThrow().metadata().licenseExpression()).isEqualTo("MIT");
    assertThat(r.rounds()).isZero();
  }

  @Test
  void python312OnArm64_takesTheNewForkTheAarch64WheelAndDropsPackagesMarkedForOlderPython()
      throws Exception {
    Resolution r = scenario.lock(app, "python3.12", "arm64");
    assertThat(names(r)).containsExactly("arm-helper", "fastcodec", "python-dateutil", "six");
    assertThat(wheels(r))
        .containsEntry("fastcodec", "fastcodec-2.0-cp312-cp312-manylinux_2_28_aarch64.whl");
    Resolution x86 = scenario.lock(app, "python3.12", "x86_64");
    assertThat(names(x86)).containsExactly("fastcodec", "python-dateutil", "six", "x86-helper");
    assertThat(wheels(x86))
        .containsEntry(
            "fastcodec",
            "fastcodec-2.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    Resolution py313 = scenario.lock(app, "python3.13", "x86_64");
    assertThat(wheels(py313))
        .containsEntry("fastcodec", "fastcodec-2.0-cp313-cp313-manylinux_2_28_x86_64.whl");
  }

  @Test
  void extraAndGroup_bringTheirPackagesOnlyWhenRequested() throws Exception {
    Resolution aws = scenario.lock(app, "python3.11", "x86_64", Set.of("aws"), Set.of());
    assertThat(versions(aws))
        .containsEntry("boto3", "1.43.107")
        .containsEntry("botocore", "1.43.107")
        .containsEntry("jmespath", "1.1.0")
        .containsEntry("s3transfer", "0.19.2")
        .containsEntry("urllib3", "2.8.0")
        .doesNotContainKey("colorama");
    assertThat(find(aws, "botocore").orElseThrow().requiredBy())
        .containsExactly("boto3", "s3transfer");
    // an extra of the project that asks for another of its extras (app[all] -> app[aws])
    assertThat(names(scenario.lock(app, "python3.11", "x86_64", Set.of("all"), Set.of())))
        .isEqualTo(names(aws));
    Resolution dev = scenario.lock(app, "python3.11", "x86_64", Set.of(), Set.of("dev"));
    assertThat(names(dev)).contains("colorama").doesNotContain("boto3");
    assertThatThrownBy(() -> scenario.lock(app, "python3.11", "x86_64", Set.of("gcp"), Set.of()))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("has no extra 'gcp'; it offers all, aws");
    assertThatThrownBy(() -> scenario.lock(app, "python3.11", "x86_64", Set.of(), Set.of("docs")))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("no dependency group 'docs'; it offers dev");
  }

  @Test
  void pythonOutsideRequiresPython_isRefusedWithTheLocksRange() throws Exception {
    assertThatThrownBy(() -> scenario.lock(app, "python3.10", "x86_64"))
        .isInstanceOf(LockSelectionException.class)
        .hasMessageContaining("was locked for Python >=3.11")
        .hasMessageContaining("python3.10 is Python 3.10");
  }

  @Test
  void supportedMarkers_limitTheTargetsTheLockIsFor() throws Exception {
    String text =
        Files.readString(app)
            .replace(
                "requires-python = \">=3.11\"\n",
                "requires-python = \">=3.11\"\nsupported-markers = [\n"
                    + "    \"sys_platform == 'darwin'\",\n]\n");
    Path mac = scenario.write(text, "mac", "uv.lock");
    assertThatThrownBy(() -> scenario.lock(mac, "python3.12", "x86_64"))
        .isInstanceOf(LockSelectionException.class)
        .hasMessageContaining("only for the environments 'sys_platform == 'darwin''");
  }

  @Test
  void failures_nameEachPackageTheTargetAndWhyEachFileDoesNotFit() throws Exception {
    Path failing = scenario.fixture("uv/failing.uv.lock", "service", "uv.lock");
    assertThatThrownBy(() -> scenario.lock(failing, "python3.12", "arm64"))
        .isInstanceOf(LockSelectionException.class)
        .hasMessageContaining(
            "can't be installed on python3.12 (Amazon Linux 2023, glibc 2.34) on arm64")
        .hasMessageContaining(
            "charset-normalizer 3.5.2: no wheel for python3.12 (Amazon Linux 2023, glibc 2.34) on"
                + " arm64")
        .hasMessageContaining(
            "charset_normalizer-3.5.2-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64"
                + ".manylinux_2_28_x86_64.whl: wheels only for cp311-cp311")
        .hasMessageContaining("legacy-thing 0.9 comes from an sdist only (legacy_thing-0.9.tar.gz")
        .hasMessageContaining("Accretion installs wheels only");
    // on python3.11/x86_64 the binary wheel fits: only the sdist is left
    assertThatThrownBy(() -> scenario.lock(failing, "python3.11", "x86_64"))
        .isInstanceOf(LockSelectionException.class)
        .satisfies(
            e ->
                assertThat(((LockSelectionException) e).problems())
                    .singleElement()
                    .asString()
                    .startsWith("legacy-thing 0.9"));
  }

  @Test
  void localWheelWhoseBytesDifferFromTheLockedHash_isAHashMismatch() throws Exception {
    String real = scenario.facts.get("six-1.17.0-py2.py3-none-any.whl").sha256();
    String text = Files.readString(app).replace(real, "0".repeat(64));
    Path tampered = scenario.write(text, "tampered", "uv.lock");
    assertThatThrownBy(() -> scenario.lock(tampered, "python3.11", "x86_64"))
        .isInstanceOf(LockSelectionException.class)
        .hasMessageContaining("six 1.17.0: hash mismatch for six-1.17.0-py2.py3-none-any.whl")
        .hasMessageContaining("the lock says sha256 " + "0".repeat(64))
        .hasMessageContaining("has sha256 " + real);
  }

  @Test
  void conflictMarkers_followTheExtrasActiveInTheInstall() throws Exception {
    scenario.add(wheel("codec-user", "1.0").requires("fastcodec"));
    String registry = scenario.render("{{index:codec_user-1.0-py3-none-any.whl}}");
    String text =
        scenario.render(
            """
            version = 1
            revision = 3
            requires-python = ">=3.11"
            conflicts = [[
                { package = "proj", extra = "new" },
                { package = "proj", extra = "old" },
            ]]

            [[package]]
            name = "codec-user"
            version = "1.0"
            source = { registry = "REG" }
            dependencies = [
                { name = "fastcodec", version = "1.5", source = { registry = "REG" }, marker = "extra != 'extra-4-proj-new'" },
                { name = "fastcodec", version = "2.0", source = { registry = "REG" }, marker = "extra == 'extra-4-proj-new'" },
            ]
            wheels = [
                { url = "{{url:codec_user-1.0-py3-none-any.whl}}", hash = "sha256:{{sha256:codec_user-1.0-py3-none-any.whl}}" },
            ]

            [[package]]
            name = "fastcodec"
            version = "1.5"
            source = { registry = "REG" }
            wheels = [
                { url = "{{url:fastcodec-1.5-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl}}", hash = "sha256:{{sha256:fastcodec-1.5-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl}}" },
            ]

            [[package]]
            name = "fastcodec"
            version = "2.0"
            source = { registry = "REG" }
            wheels = [
                { url = "{{url:fastcodec-2.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl}}", hash = "sha256:{{sha256:fastcodec-2.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl}}" },
            ]

            [[package]]
            name = "proj"
            version = "0.1.0"
            source = { virtual = "." }
            dependencies = [
                { name = "codec-user" },
            ]

            [package.optional-dependencies]
            new = [
                { name = "codec-user" },
            ]
            old = [
                { name = "codec-user" },
            ]
            """
                .replace("REG", registry));
    Path lock = scenario.write(text, "conflicts", "uv.lock");
    assertThat(versions(scenario.lock(lock, "python3.11", "x86_64")))
        .containsEntry("fastcodec", "1.5");
    assertThat(versions(scenario.lock(lock, "python3.12", "x86_64", Set.of("new"), Set.of())))
        .containsEntry("fastcodec", "2.0")
        .containsEntry("codec-user", "1.0");
  }

  @Test
  void read_refusesOtherVersionsAndMalformedToml_withFileAndLine() throws Exception {
    Path v2 = scenario.write("version = 2\n[[package]]\nname = \"a\"\n", "v2", "uv.lock");
    assertThatThrownBy(() -> UvLockReader.read(v2))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining(v2 + ":1:")
        .hasMessageContaining("uv.lock version 2 is not supported");
    Path broken =
        scenario.write(
            "version = 1\n\n[[package]]\nname = \"a\nversion = 1\n", "broken", "uv.lock");
    assertThatThrownBy(() -> UvLockReader.read(broken))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining(broken + ":4:")
        .hasMessageContaining("invalid TOML");
    Path noSource =
        scenario.write(
            "version = 1\n\n[[package]]\nname = \"a\"\nversion = \"1\"\n", "nosource", "uv.lock");
    assertThatThrownBy(() -> UvLockReader.read(noSource))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining(":3: package[0] (a): 'source' is missing");
  }

  @Test
  void gitAndDirectorySources_areReportedAsNeedingABuild() throws Exception {
    String text =
        """
        version = 1
        revision = 3
        requires-python = ">=3.11"

        [[package]]
        name = "proj"
        version = "0.1.0"
        source = { editable = "." }
        dependencies = [
            { name = "from-git" },
            { name = "sibling" },
        ]

        [[package]]
        name = "from-git"
        version = "0.3.0"
        source = { git = "https://github.com/example/from-git?rev=v0.3.0#4f2c1d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e" }

        [[package]]
        name = "sibling"
        version = "0.1.0"
        source = { directory = "../sibling" }
        """;
    Path lock = scenario.write(text, "vcs", "uv.lock");
    assertThatThrownBy(() -> scenario.lock(lock, "python3.12", "x86_64"))
        .isInstanceOf(LockSelectionException.class)
        .hasMessageContaining(
            "from-git 0.3.0 comes from the git repository https://github.com/example/from-git")
        .hasMessageContaining("sibling 0.1.0 comes from the local directory ../sibling");
  }

  @Test
  void workspaceMembers_pathSourcesAndLocalRegistries() throws Exception {
    Path wheels = Files.createDirectories(dir.resolve("ws/wheels"));
    Path registry = Files.createDirectories(dir.resolve("localwheels"));
    Path vendored = wheel("vendored", "1.0").writeTo(wheels);
    Path localreg = wheel("localreg", "1.0").writeTo(registry);
    String text =
        """
        version = 1
        revision = 3
        requires-python = ">=3.11"

        [manifest]
        members = [
            "api",
            "worker",
        ]

        [[package]]
        name = "api"
        version = "0.1.0"
        source = { editable = "packages/api" }
        dependencies = [
            { name = "localreg" },
        ]

        [[package]]
        name = "localreg"
        version = "1.0"
        source = { registry = "../localwheels" }
        wheels = [
            { path = "localreg-1.0-py3-none-any.whl", hash = "sha256:LOCALREG" },
        ]

        [[package]]
        name = "vendored"
        version = "1.0"
        source = { path = "wheels/vendored-1.0-py3-none-any.whl" }
        wheels = [
            { filename = "vendored-1.0-py3-none-any.whl", hash = "sha256:VENDORED" },
        ]

        [[package]]
        name = "worker"
        version = "0.1.0"
        source = { editable = "packages/worker" }
        dependencies = [
            { name = "vendored" },
        ]
        """
            .replace("LOCALREG", WheelBuilder.sha256Hex(Files.readAllBytes(localreg)))
            .replace("VENDORED", WheelBuilder.sha256Hex(Files.readAllBytes(vendored)));
    Path lock = scenario.write(text, "ws", "uv.lock");
    Resolution r = scenario.lock(lock, "python3.12", "arm64");
    assertThat(names(r)).containsExactly("localreg", "vendored");
    assertThat(find(r, "vendored").orElseThrow().distribution().file().url())
        .isEqualTo(vendored.toUri());
    assertThat(find(r, "vendored").orElseThrow().direct()).isTrue();
    assertThat(find(r, "localreg").orElseThrow().distribution().file().url())
        .isEqualTo(localreg.toUri());
    assertThat(UvLockReader.read(lock).notes()).anyMatch(w -> w.contains("every workspace member"));
    // a member that another member depends on is a local project: it would have to be built
    Path nested =
        scenario.write(
            text.replace(
                    "{ name = \"localreg\" },",
                    "{ name = \"localreg\" },\n    { name = \"worker\" },")
                .replace("members = [\n    \"api\",\n    \"worker\",\n]", "members = [\"api\"]"),
            "ws2",
            "uv.lock");
    assertThatThrownBy(() -> scenario.lock(nested, "python3.12", "arm64"))
        .isInstanceOf(LockSelectionException.class)
        .hasMessageContaining("worker 0.1.0 comes from the editable project packages/worker");
  }
}
