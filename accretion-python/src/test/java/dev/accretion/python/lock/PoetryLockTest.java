package dev.accretion.python.lock;

import static dev.accretion.python.lock.LockScenario.find;
import static dev.accretion.python.lock.LockScenario.names;
import static dev.accretion.python.lock.LockScenario.versions;
import static dev.accretion.python.lock.LockScenario.wheels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.python.listing.ListingException;
import dev.accretion.python.pep440.Version;
import dev.accretion.python.resolve.Resolution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PoetryLockTest {
  @TempDir Path dir;
  LockScenario scenario;

  @BeforeEach
  void setUp() throws Exception {
    scenario = new LockScenario(dir);
  }

  /** The same project locked by three Poetry generations. */
  Path project(String layout) throws Exception {
    Path lock =
        scenario.fixture("poetry/v" + layout + ".poetry.lock", "svc" + layout, "poetry.lock");
    switch (layout) {
      case "1.1" -> scenario.fixture("poetry/v1.pyproject.toml", "svc" + layout, "pyproject.toml");
      case "2.0" -> scenario.fixture("poetry/v2.pyproject.toml", "svc" + layout, "pyproject.toml");
      default -> {} // 2.1 needs no pyproject.toml
    }
    return lock;
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.1", "2.0", "2.1"})
  void everyLayout_selectsPerTargetAndFindsTheFilesOnTheIndexes(String layout) throws Exception {
    Path lock = project(layout);
    Resolution py311 = scenario.lock(lock, "python3.11", "x86_64");
    assertThat(versions(py311))
        .containsOnlyKeys("fastcodec", "python-dateutil", "six", "typing-extensions", "x86-helper")
        .containsEntry("fastcodec", "1.5");
    assertThat(wheels(py311))
        .containsEntry(
            "fastcodec",
            "fastcodec-1.5-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    // the lock has no URLs: the file was found on the configured indexes, with the lock's hash
    String six = "six-1.17.0-py2.py3-none-any.whl";
    assertThat(find(py311, "six").orElseThrow().distribution().file().url())
        .isEqualTo(scenario.facts.get(six).url());
    assertThat(find(py311, "six").orElseThrow().distribution().file().sha256())
        .contains(scenario.facts.get(six).sha256());

    Resolution arm = scenario.lock(lock, "python3.12", "arm64");
    assertThat(names(arm)).containsExactly("arm-helper", "fastcodec", "python-dateutil", "six");
    assertThat(wheels(arm))
        .containsEntry("fastcodec", "fastcodec-2.0-cp312-cp312-manylinux_2_28_aarch64.whl");

    Resolution aws = scenario.lock(lock, "python3.12", "x86_64", Set.of("aws"), Set.of());
    assertThat(names(aws))
        .contains("boto3", "botocore", "jmespath", "s3transfer", "urllib3")
        .doesNotContain("colorama", "typing-extensions");
    Resolution dev = scenario.lock(lock, "python3.11", "x86_64", Set.of(), Set.of("dev"));
    assertThat(names(dev)).contains("colorama").doesNotContain("boto3");
  }

  @Test
  void walk_recordsWhoRequiresWhat() throws Exception {
    Resolution r = scenario.lock(project("2.0"), "python3.11", "x86_64", Set.of("aws"), Set.of());
    assertThat(find(r, "six").orElseThrow().requiredBy()).containsExactly("python-dateutil");
    assertThat(find(r, "python-dateutil").orElseThrow().requiredBy())
        .containsExactly("botocore", "listing");
    assertThat(find(r, "botocore").orElseThrow().dependencies())
        .containsExactly("jmespath", "python-dateutil", "urllib3");
  }

  @Test
  void groupMarkersPerGroup_poetry21() throws Exception {
    Path lock = project("2.1");
    // typing-extensions: main only below 3.12, dev below 3.13
    assertThat(names(scenario.lock(lock, "python3.12", "x86_64")))
        .doesNotContain("typing-extensions");
    assertThat(names(scenario.lock(lock, "python3.12", "x86_64", Set.of(), Set.of("dev"))))
        .contains("typing-extensions", "colorama");
    assertThat(names(scenario.lock(lock, "python3.13", "x86_64", Set.of(), Set.of("dev"))))
        .doesNotContain("typing-extensions");
  }

  @Test
  void indexHashDifferentFromTheLock_isAHashMismatchNamingPackageFileAndBothHashes()
      throws Exception {
    Path lock = project("2.0");
    String real = scenario.facts.get("six-1.17.0-py2.py3-none-any.whl").sha256();
    String bogus = "ab".repeat(32);
    Files.writeString(lock, Files.readString(lock).replace(real, bogus));
    assertThatThrownBy(() -> scenario.lock(lock, "python3.11", "x86_64"))
        .isInstanceOf(LockSelectionException.class)
        .hasMessageContaining("six 1.17.0: hash mismatch for six-1.17.0-py2.py3-none-any.whl")
        .hasMessageContaining("the lock says sha256 " + bogus)
        .hasMessageContaining("has sha256 " + real);
  }

  @Test
  void olderLayoutWithoutPyproject_isRefusedWithTheReason() throws Exception {
    Path lock = scenario.fixture("poetry/v1.1.poetry.lock", "alone", "poetry.lock");
    assertThatThrownBy(() -> PoetryLockReader.read(lock))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("lock-version 1.1")
        .hasMessageContaining("reads them from pyproject.toml beside the lock");
  }

  @Test
  void poetry012HashesOnly_areMatchedOnTheIndexByHash() throws Exception {
    String text =
        scenario.render(
            """
            [[package]]
            category = "main"
            description = "Python 2 and 3 compatibility utilities"
            name = "six"
            optional = false
            python-versions = ">=2.7, !=3.0.*, !=3.1.*, !=3.2.*"
            version = "1.17.0"

            [metadata]
            content-hash = "3b2c4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d"
            python-versions = "^3.8"

            [metadata.hashes]
            six = ["{{sha256:six-1.17.0-py2.py3-none-any.whl}}", "30639c035cdb23534cd4aa2dd52c3bf48f06e5f4a941509c8bafd8ce11080259"]
            """);
    scenario.write(text, "old", "poetry.lock");
    scenario.write(
        "[tool.poetry]\nname = \"old\"\nversion = \"1\"\n\n[tool.poetry.dependencies]\n"
            + "python = \"^3.8\"\nsix = \"^1.16\"\n",
        "old",
        "pyproject.toml");
    Resolution r = scenario.lock(dir.resolve("old/poetry.lock"), "python3.12", "arm64");
    assertThat(wheels(r)).containsExactly(Map.entry("six", "six-1.17.0-py2.py3-none-any.whl"));
  }

  @Test
  void sourcesThatNeedABuild_andMissingFiles_areReported() throws Exception {
    String text =
        scenario.render(
            """
            [[package]]
            name = "internal-lib"
            version = "0.4.0"
            description = ""
            optional = false
            python-versions = "^3.11"
            groups = ["main"]
            files = []
            develop = false

            [package.source]
            type = "git"
            url = "https://github.com/example/internal-lib.git"
            reference = "v0.4.0"
            resolved_reference = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"

            [[package]]
            name = "ghost"
            version = "1.0.0"
            description = ""
            optional = false
            python-versions = "*"
            groups = ["main"]
            files = [
                {file = "ghost-1.0.0-py3-none-any.whl", hash = "sha256:0000000000000000000000000000000000000000000000000000000000000000"},
            ]

            [metadata]
            lock-version = "2.1"
            python-versions = "^3.11"
            content-hash = "00"
            """);
    Path lock = scenario.write(text, "needsbuild", "poetry.lock");
    assertThatThrownBy(() -> scenario.lock(lock, "python3.12", "x86_64"))
        .isInstanceOf(LockSelectionException.class)
        .hasMessageContaining(
            "internal-lib 0.4.0 comes from the git repository https://github.com/example/internal-lib.git at 9f8e7d6c")
        .hasMessageContaining("ghost 1.0.0: the lock records the file names but not where they are")
        .hasMessageContaining("ghost-1.0.0-py3-none-any.whl");
  }

  @Test
  void lockVersionThree_isRefused_andPythonOutsideTheProjectsRange() throws Exception {
    Path v3 =
        scenario.write(
            "[metadata]\nlock-version = \"3.0\"\npython-versions = \"*\"\ncontent-hash = \"0\"\n",
            "v3",
            "poetry.lock");
    assertThatThrownBy(() -> PoetryLockReader.read(v3))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining(v3 + ":2: metadata: poetry.lock lock-version 3.0 is not supported");
    Path lock = project("2.1");
    assertThatThrownBy(() -> scenario.lock(lock, "python3.10", "x86_64"))
        .isInstanceOf(LockSelectionException.class)
        .hasMessageContaining("was locked for Python python >=3.11,<4.0");
  }

  @Test
  void constraint_caretTildeAndUnions() throws Exception {
    PoetryConstraint caret = PoetryConstraint.parse("^1.2.3");
    assertThat(List.of("1.2.3", "1.9", "2.0").stream().map(v -> caret.allows(version(v))))
        .containsExactly(true, true, false);
    PoetryConstraint zero = PoetryConstraint.parse("^0.2.3");
    assertThat(zero.allows(version("0.2.9"))).isTrue();
    assertThat(zero.allows(version("0.3.0"))).isFalse();
    PoetryConstraint tilde = PoetryConstraint.parse("~1.2");
    assertThat(tilde.allows(version("1.2.9"))).isTrue();
    assertThat(tilde.allows(version("1.3"))).isFalse();
    PoetryConstraint union = PoetryConstraint.parse(">=1.25.4,<2.2.0 || >2.2.0,<3");
    assertThat(union.allows(version("2.2.0"))).isFalse();
    assertThat(union.allows(version("2.8.0"))).isTrue();
    assertThat(PoetryConstraint.parse("*").allows(version("9"))).isTrue();
    assertThat(PoetryConstraint.parse(">= 2.7, != 3.0.*").allows(version("3.0.1"))).isFalse();
    PoetryConstraint python = PoetryConstraint.parse("^3.11");
    assertThat(python.allowsPython(version("3.12"), version("3.12.11"))).isTrue();
    assertThat(python.allowsPython(version("3.10"), version("3.10.18"))).isFalse();
    PoetryConstraint full = PoetryConstraint.parse(">=3.11.4");
    assertThat(full.allowsPython(version("3.11"), version("3.11.2"))).isFalse();
  }

  private static Version version(String text) {
    return Version.tryParse(text).orElseThrow();
  }
}
