package dev.accretion.python.lock;

import static dev.accretion.python.lock.LockScenario.names;
import static dev.accretion.python.lock.LockScenario.wheels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.python.listing.ListingException;
import dev.accretion.python.resolve.Resolution;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipfileLockTest {
  @TempDir Path dir;
  LockScenario scenario;
  Path lock;

  @BeforeEach
  void setUp() throws Exception {
    scenario = new LockScenario(dir);
    lock = scenario.fixture("pipfile/app.Pipfile.lock", "app", "Pipfile.lock");
  }

  @Test
  void default_isInstalledPerTarget_filesFoundOnTheIndexesByHash() throws Exception {
    Resolution x86 = scenario.lock(lock, "python3.11", "x86_64");
    assertThat(names(x86))
        .containsExactly("fastcodec", "python-dateutil", "six", "typing-extensions", "x86-helper");
    assertThat(wheels(x86))
        .containsEntry(
            "fastcodec",
            "fastcodec-1.5-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    Resolution arm = scenario.lock(lock, "python3.11", "arm64");
    assertThat(names(arm))
        .containsExactly("arm-helper", "fastcodec", "python-dateutil", "six", "typing-extensions");
    assertThat(wheels(arm))
        .containsEntry(
            "fastcodec",
            "fastcodec-1.5-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl");
  }

  @Test
  void develop_isAddedWithGroupDevelopOrDev() throws Exception {
    assertThat(names(scenario.lock(lock, "python3.11", "x86_64"))).doesNotContain("colorama");
    for (String group : new String[] {"develop", "dev"}) {
      assertThat(names(scenario.lock(lock, "python3.11", "x86_64", Set.of(), Set.of(group))))
          .contains("colorama", "six", "fastcodec");
    }
    assertThatThrownBy(() -> scenario.lock(lock, "python3.11", "x86_64", Set.of(), Set.of("docs")))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("no dependency group 'docs'; it offers dev, develop");
  }

  @Test
  void aLockForPython311_onPython312_namesThePackageWithoutAWheelAndTheTarget() throws Exception {
    assertThatThrownBy(() -> scenario.lock(lock, "python3.12", "x86_64"))
        .isInstanceOf(LockSelectionException.class)
        .hasMessageContaining(
            "fastcodec 1.5: no wheel for python3.12 (Amazon Linux 2023, glibc 2.34) on x86_64")
        .hasMessageContaining("wheels only for cp311-cp311; python3.12 is CPython 3.12");
  }

  @Test
  void indexFileWhoseHashIsNotInTheLock_isAHashMismatch() throws Exception {
    String real = scenario.facts.get("typing_extensions-4.16.0-py3-none-any.whl").sha256();
    String bogus = "cd".repeat(32);
    Files.writeString(lock, Files.readString(lock).replace(real, bogus));
    assertThatThrownBy(() -> scenario.lock(lock, "python3.11", "x86_64"))
        .isInstanceOf(LockSelectionException.class)
        .hasMessageContaining("typing-extensions 4.16.0: hash mismatch")
        .hasMessageContaining("typing_extensions-4.16.0-py3-none-any.whl (sha256 " + real)
        .hasMessageContaining("the lock accepts only sha256:" + bogus);
  }

  @Test
  void sources_expandEnvironmentVariables_andAreSearchedFirst() throws Exception {
    Path p =
        scenario.write(
            """
            {
                "_meta": {
                    "pipfile-spec": 6,
                    "sources": [
                        {"name": "corp", "url": "https://${CORP_USER}:${CORP_TOKEN}@pypi.corp.example/simple", "verify_ssl": true}
                    ]
                },
                "default": {
                    "six": {"hashes": ["sha256:00"], "index": "corp", "version": "==1.17.0"}
                },
                "develop": {}
            }
            """,
            "corp",
            "Pipfile.lock");
    LockedListing listing =
        PipfileLockReader.read(p, Map.of("CORP_USER", "ci", "CORP_TOKEN", "s3cret"));
    assertThat(listing.indexes())
        .containsExactly(URI.create("https://ci:s3cret@pypi.corp.example/simple"));
    LockedPackage six =
        listing.packages().stream()
            .filter(x -> x.name().normalized().equals("six"))
            .findFirst()
            .orElseThrow();
    // credentials never travel with the package: the client keeps them per host
    assertThat(six.searchIndexes())
        .containsExactly(URI.create("https://pypi.corp.example/simple/"));
    assertThatThrownBy(() -> PipfileLockReader.read(p, Map.of()))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("uses $CORP_USER, which is not set");
  }

  @Test
  void malformedJsonAndEntries_nameFileLineAndEntry() throws Exception {
    Path broken =
        scenario.write(
            "{\n  \"_meta\": {\n    \"pipfile-spec\": 6,\n  }\n}\n", "broken", "Pipfile.lock");
    assertThatThrownBy(() -> PipfileLockReader.read(broken, Map.of()))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining(broken + ":4:")
        .hasMessageContaining("invalid JSON");
    Path unpinned =
        scenario.write(
            "{\"_meta\": {\"pipfile-spec\": 6}, \"default\": {\"six\": {\"version\": \">=1\"}}}",
            "unpinned",
            "Pipfile.lock");
    assertThatThrownBy(() -> PipfileLockReader.read(unpinned, Map.of()))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("default.six: version '>=1' is not pinned with ==");
    Path future = scenario.write("{\"_meta\": {\"pipfile-spec\": 7}}", "future", "Pipfile.lock");
    assertThatThrownBy(() -> PipfileLockReader.read(future, Map.of()))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("pipfile-spec 7 is not supported");
  }

  @Test
  void editableAndGitEntries_areReported() throws Exception {
    Path p =
        scenario.write(
            """
            {
                "_meta": {"pipfile-spec": 6, "sources": []},
                "default": {
                    "mylib": {"editable": true, "path": "./libs/mylib"},
                    "tool": {"git": "https://github.com/example/tool.git", "ref": "0123456789abcdef0123456789abcdef01234567"}
                },
                "develop": {}
            }
            """,
            "editable",
            "Pipfile.lock");
    assertThatThrownBy(() -> scenario.lock(p, "python3.12", "x86_64"))
        .isInstanceOf(LockSelectionException.class)
        .hasMessageContaining("mylib comes from the editable local path ./libs/mylib")
        .hasMessageContaining(
            "tool comes from the git repository https://github.com/example/tool.git");
  }
}
