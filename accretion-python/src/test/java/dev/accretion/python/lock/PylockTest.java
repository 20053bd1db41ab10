package dev.accretion.python.lock;

import static dev.accretion.python.lock.LockScenario.find;
import static dev.accretion.python.lock.LockScenario.names;
import static dev.accretion.python.lock.LockScenario.target;
import static dev.accretion.python.lock.LockScenario.versions;
import static dev.accretion.python.lock.LockScenario.wheels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.python.listing.ListingException;
import dev.accretion.python.resolve.Resolution;
import dev.accretion.python.resolve.ResolvedPackage;
import dev.accretion.python.tags.PythonTarget;
import dev.accretion.python.tags.Tag;
import dev.accretion.testkit.Python;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PylockTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  LockScenario scenario;
  Path app;

  @BeforeEach
  void setUp() throws Exception {
    scenario = new LockScenario(dir);
    app = scenario.fixture("pylock/app.pylock.toml", "app", "pylock.toml");
  }

  @Test
  void select_matchesPackagingPylockForEveryTargetExtraAndGroup() throws Exception {
    List<String[]> targets =
        List.of(
            new String[] {"python3.11", "x86_64"},
            new String[] {"python3.11", "arm64"},
            new String[] {"python3.12", "x86_64"},
            new String[] {"python3.12", "arm64"},
            new String[] {"python3.13", "x86_64"});
    List<Set<String>> extrasChoices = List.of(Set.of(), Set.of("aws"));
    List<Set<String>> groupChoices = List.of(Set.of(), Set.of("dev"));
    StringBuilder stdin = new StringBuilder();
    List<Map<String, String>> ours = new ArrayList<>();
    List<String> asked = new ArrayList<>();
    for (String[] t : targets) {
      PythonTarget target = target(t[0], t[1]);
      List<List<String>> tags = new ArrayList<>();
      for (Tag tag : target.tags()) {
        tags.add(List.of(tag.interpreter(), tag.abi(), tag.platform()));
      }
      for (Set<String> extras : extrasChoices) {
        for (Set<String> groups : groupChoices) {
          Map<String, Object> q = new LinkedHashMap<>();
          q.put("file", app.toString());
          q.put("env", target.markerEnvironment());
          q.put("tags", tags);
          q.put("extras", List.copyOf(extras));
          q.put("groups", List.copyOf(groups));
          stdin.append(JSON.writeValueAsString(q)).append('\n');
          asked.add(t[0] + "/" + t[1] + " extras " + extras + " groups " + groups);
          Map<String, String> selected = new TreeMap<>();
          try {
            Resolution r = scenario.lock(app, t[0], t[1], extras, groups);
            for (ResolvedPackage p : r.packages()) {
              selected.put(
                  p.name().normalized(), p.version() + " " + p.distribution().file().filename());
            }
          } catch (LockSelectionException e) {
            selected.put("error", "error");
          }
          ours.add(selected);
        }
      }
    }
    String out =
        Python.of("3.11")
            .script(
                """
                import json, sys, tomllib
                from packaging.pylock import Pylock
                from packaging.tags import Tag
                for line in sys.stdin:
                    q = json.loads(line)
                    with open(q["file"], "rb") as f:
                        lock = Pylock.from_dict(tomllib.load(f))
                    try:
                        picked = lock.select(
                            environment=q["env"],
                            tags=[Tag(*t) for t in q["tags"]],
                            extras=q["extras"],
                            dependency_groups=q["groups"] or None,
                        )
                        result = {}
                        for package, dist in picked:
                            if not dist.filename.endswith(".whl"):
                                raise ValueError("not a wheel")
                            result[package.name] = "%s %s" % (package.version, dist.filename)
                    except Exception:
                        result = {"error": "error"}
                    print(json.dumps(result, sort_keys=True))
                """,
                stdin.toString());
    String[] answers = out.strip().split("\n");
    assertThat(answers).hasSize(ours.size());
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < answers.length; i++) {
      Map<String, String> expected = new TreeMap<>();
      JsonNode node = JSON.readTree(answers[i]);
      node.fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asText()));
      if (!expected.equals(ours.get(i))) {
        differences.add(asked.get(i) + ": packaging " + expected + ", Accretion " + ours.get(i));
      }
    }
    assertThat(differences).isEmpty();
    // and the oracle did answer something worth comparing
    assertThat(ours.get(0)).containsKey("fastcodec").doesNotContainKey("error");
  }

  @Test
  void select_flatLock_keepsTheLocksDependencyEdgesForInformation() throws Exception {
    Resolution r = scenario.lock(app, "python3.11", "x86_64", Set.of("aws"), Set.of());
    assertThat(find(r, "botocore").orElseThrow().requiredBy())
        .containsExactly("boto3", "s3transfer");
    assertThat(find(r, "boto3").orElseThrow().requiredBy()).containsExactly("listing");
    assertThat(find(r, "boto3").orElseThrow().dependencies())
        .containsExactly("botocore", "jmespath", "s3transfer");
    assertThat(find(r, "boto3").orElseThrow().metadata().license()).isEqualTo("Apache-2.0");
  }

  @Test
  void aWheelUrlOfDevZero_stopsAtTheDeclaredSize() throws Exception {
    String text =
        """
        lock-version = "1.0"
        created-by = "pip"

        [[packages]]
        name = "six"
        version = "1.17.0"
        wheels = [{ name = "six-1.17.0-py2.py3-none-any.whl", url = "file:///dev/zero", size = 1000, hashes = { sha256 = "0000000000000000000000000000000000000000000000000000000000000000" } }]
        """;
    Path lock = scenario.write(text, "zero", "pylock.toml");
    assertThatThrownBy(() -> scenario.lock(lock, "python3.12", "x86_64"))
        .isInstanceOf(dev.accretion.core.AccretionException.class)
        .hasMessageContaining("/dev/zero")
        .hasMessageContaining("larger than the 1000 bytes the lock says");
  }

  @Test
  void wheelPaths_areRelativeToTheLockFile_andArchivesThatAreWheelsCount() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("paths/wheels"));
    String six = "six-1.17.0-py2.py3-none-any.whl";
    Files.copy(Path.of(scenario.facts.get(six).url()), folder.resolve(six));
    String urllib3 = "urllib3-2.8.0-py3-none-any.whl";
    String text =
        scenario.render(
            """
            lock-version = "1.0"
            created-by = "pip"

            [[packages]]
            name = "six"
            version = "1.17.0"
            wheels = [{ name = "six-1.17.0-py2.py3-none-any.whl", path = "wheels/six-1.17.0-py2.py3-none-any.whl", hashes = { sha256 = "{{sha256:six-1.17.0-py2.py3-none-any.whl}}" } }]

            [[packages]]
            name = "urllib3"
            version = "2.8.0"
            archive = { url = "{{url:urllib3-2.8.0-py3-none-any.whl}}", hashes = { sha256 = "{{sha256:urllib3-2.8.0-py3-none-any.whl}}" } }
            """);
    Path lock = scenario.write(text, "paths", "pylock.toml");
    Resolution r = scenario.lock(lock, "python3.12", "arm64");
    assertThat(wheels(r)).containsEntry("six", six).containsEntry("urllib3", urllib3);
    ResolvedPackage p = find(r, "six").orElseThrow();
    assertThat(p.distribution().file().url()).isEqualTo(folder.resolve(six).toUri());
    assertThat(p.direct()).isTrue();
    // no size in the lock: the local file's size is used
    assertThat(p.distribution().file().size()).hasValue(scenario.facts.get(six).size());
  }

  @Test
  void sdistVcsDirectoryAndNonWheelArchives_areReportedByName() throws Exception {
    String text =
        scenario.render(
            """
            lock-version = "1.0"
            created-by = "pdm"

            [[packages]]
            name = "legacy-thing"
            version = "0.9"
            index = "{{index:legacy_thing-0.9.tar.gz}}"
            sdist = { url = "{{url:legacy_thing-0.9.tar.gz}}", hashes = { sha256 = "{{sha256:legacy_thing-0.9.tar.gz}}" } }

            [[packages]]
            name = "tool"
            vcs = { type = "git", url = "https://github.com/example/tool.git", commit-id = "0123456789abcdef0123456789abcdef01234567" }

            [[packages]]
            name = "mine"
            directory = { path = "../mine", editable = true }

            [[packages]]
            name = "zipped"
            version = "1.0"
            archive = { url = "https://example.com/zipped-1.0.zip", hashes = { sha256 = "00" } }
            """);
    Path lock = scenario.write(text, "unbuilt", "pylock.toml");
    assertThatThrownBy(() -> scenario.lock(lock, "python3.12", "x86_64"))
        .isInstanceOf(LockSelectionException.class)
        .hasMessageContaining("legacy-thing 0.9 comes from an sdist only (legacy_thing-0.9.tar.gz)")
        .hasMessageContaining(
            "tool comes from a git checkout of https://github.com/example/tool.git")
        .hasMessageContaining("mine comes from the local directory ../mine (editable)")
        .hasMessageContaining(
            "zipped 1.0 comes from the archive https://example.com/zipped-1.0.zip (not a wheel)")
        .hasMessageContaining("Accretion installs wheels only");
  }

  @Test
  void lockVersion_majorTwoIsRefused_minorNewerIsReadWithANote() throws Exception {
    Path two =
        scenario.write(
            "lock-version = \"2.0\"\ncreated-by = \"x\"\npackages = []\n", "v2", "pylock.toml");
    assertThatThrownBy(() -> PylockReader.read(two))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining(two + ":1: lock-version 2.0 is not supported");
    Path minor =
        scenario.write(
            "lock-version = \"1.3\"\ncreated-by = \"x\"\npackages = []\n", "v13", "pylock.toml");
    assertThat(PylockReader.read(minor).notes())
        .singleElement()
        .asString()
        .contains("reads it as 1.0");
    Path bad =
        scenario.write(
            "lock-version = \"1.0\"\ncreated-by = \"x\"\n\n[[packages]]\nname = \"six\"\n"
                + "version = \"1\"\nmarker = \"python_version >>\"\n"
                + "wheels = [{ url = \"https://x/six-1-py3-none-any.whl\", hashes = { sha256 = \"00\" } }]\n",
            "badmarker",
            "pylock.toml");
    assertThatThrownBy(() -> PylockReader.read(bad))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining(bad + ":7: packages[0] (six): invalid marker");
  }

  @Test
  void environmentsAndDuplicateSelections_areErrors() throws Exception {
    String mac =
        Files.readString(app)
            .replace(
                "environments = [\"sys_platform == 'linux'\"]",
                "environments = [\"sys_platform == 'darwin'\"]");
    Path macLock = scenario.write(mac, "mac", "pylock.toml");
    assertThatThrownBy(() -> scenario.lock(macLock, "python3.12", "x86_64"))
        .isInstanceOf(LockSelectionException.class)
        .hasMessageContaining("only for the environments 'sys_platform == 'darwin''");
    String overlapping =
        Files.readString(app)
            .replace(
                "marker = \"python_full_version >= '3.12'\"",
                "marker = \"python_full_version >= '3.11'\"");
    Path both = scenario.write(overlapping, "both", "pylock.toml");
    assertThatThrownBy(() -> scenario.lock(both, "python3.11", "x86_64"))
        .isInstanceOf(LockSelectionException.class)
        .hasMessageContaining("the lock selects fastcodec twice");
  }

  @Test
  void selectedPackageWhoseRequiresPythonFails_isAnError() throws Exception {
    String text =
        Files.readString(app)
            .replace(
                "name = \"boto3\"\nversion = \"1.43.107\"\nmarker = \"'aws' in extras\"\n"
                    + "requires-python = \">=3.10\"",
                "name = \"boto3\"\nversion = \"1.43.107\"\nmarker = \"'aws' in extras\"\n"
                    + "requires-python = \">=3.12\"");
    Path lock = scenario.write(text, "rp", "pylock.toml");
    assertThat(names(scenario.lock(lock, "python3.11", "x86_64"))).doesNotContain("boto3");
    assertThatThrownBy(() -> scenario.lock(lock, "python3.11", "x86_64", Set.of("aws"), Set.of()))
        .isInstanceOf(LockSelectionException.class)
        .hasMessageContaining("boto3 1.43.107 requires Python >=3.12; python3.11 is Python 3.11");
  }

  @Test
  void defaultGroups_applyUnlessGroupsAreNamed_asPackagingDoes() throws Exception {
    String text =
        Files.readString(app)
            .replace("dependency-groups = [\"dev\"]", "dependency-groups = [\"dev\", \"runtime\"]")
            .replace("default-groups = []", "default-groups = [\"runtime\"]")
            .replace(
                "name = \"six\"\nversion = \"1.17.0\"\n",
                "name = \"six\"\nversion = \"1.17.0\"\nmarker = \"'runtime' in dependency_groups\"\n");
    Path lock = scenario.write(text, "groups", "pylock.toml");
    assertThat(names(scenario.lock(lock, "python3.12", "x86_64"))).contains("six");
    Resolution dev = scenario.lock(lock, "python3.12", "x86_64", Set.of(), Set.of("dev"));
    assertThat(names(dev)).contains("colorama").doesNotContain("six");
    assertThat(dev.warnings()).singleElement().asString().contains("default groups (runtime)");
    assertThat(
            names(scenario.lock(lock, "python3.12", "x86_64", Set.of(), Set.of("dev", "runtime"))))
        .contains("colorama", "six");
  }

  @Test
  void remoteWheelWithoutSha256_isRefused() throws Exception {
    String text =
        """
        lock-version = "1.0"
        created-by = "x"

        [[packages]]
        name = "six"
        version = "1.17.0"
        wheels = [{ url = "https://files.example/six-1.17.0-py2.py3-none-any.whl", hashes = { sha512 = "ab" } }]
        """;
    Path lock = scenario.write(text, "nosha", "pylock.toml");
    assertThatThrownBy(() -> scenario.lock(lock, "python3.12", "x86_64"))
        .isInstanceOf(LockSelectionException.class)
        .hasMessageContaining(
            "six 1.17.0: the lock gives no sha256 for six-1.17.0-py2.py3-none-any.whl (only sha512)");
  }

  @Test
  void roundTrip_aLockWrittenByAccretionReadsBackToTheSamePackagesAndFiles() throws Exception {
    Path requirements =
        scenario.write(
            "boto3==1.43.107\nfastcodec>=1.5\nx86-helper; platform_machine == 'x86_64'\n",
            "roundtrip",
            "requirements.txt");
    for (String[] t :
        List.of(new String[] {"python3.11", "x86_64"}, new String[] {"python3.12", "arm64"})) {
      Resolution resolved;
      String written;
      try (Locker locker = Locker.open(requirements, scenario.options(Set.of(), Set.of()))) {
        resolved = locker.resolve(target(t[0], t[1]));
        written = PylockWriter.write(resolved, new FileFacts(locker.client()));
      }
      Path pylock =
          scenario.write(
              written, "roundtrip", "pylock." + t[0].replace(".", "") + "-" + t[1] + ".toml");
      Resolution back = scenario.lock(pylock, t[0], t[1]);
      assertThat(versions(back)).isEqualTo(versions(resolved)).isNotEmpty();
      assertThat(wheels(back)).isEqualTo(wheels(resolved));
      for (ResolvedPackage p : resolved.packages()) {
        ResolvedPackage q = find(back, p.name().normalized()).orElseThrow();
        assertThat(q.distribution().file().url()).isEqualTo(p.distribution().file().url());
        assertThat(q.distribution().file().sha256()).isEqualTo(p.distribution().file().sha256());
        assertThat(q.distribution().file().index()).isEqualTo(p.distribution().file().index());
        assertThat(q.requiredBy()).isEqualTo(p.requiredBy());
        assertThat(q.dependencies()).isEqualTo(p.dependencies());
        assertThat(q.metadata().version()).isEqualTo(p.metadata().version());
      }
      // and writing the read-back resolution gives the same bytes
      try (Locker locker = Locker.open(pylock, scenario.options(Set.of(), Set.of()))) {
        assertThat(
                PylockWriter.write(
                    locker.resolve(target(t[0], t[1])), new FileFacts(locker.client())))
            .isEqualTo(written);
      }
    }
    assertThat(
            names(
                scenario.lock(
                    scenario.dir.resolve("roundtrip/pylock.python312-arm64.toml"),
                    "python3.12",
                    "arm64")))
        .contains("boto3", "fastcodec")
        .doesNotContain("x86-helper");
  }
}
