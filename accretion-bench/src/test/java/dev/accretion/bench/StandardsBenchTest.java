package dev.accretion.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The benchmark code on a tiny hand-made corpus, so that {@code ./mvnw verify} catches a benchmark
 * that no longer runs or no longer reads the corpus format of {@code bench/standards.py}. Times
 * nothing; JMH runs only from {@code bench/standards.sh}.
 */
class StandardsBenchTest {
  private static final String SHA = "ab".repeat(32);

  @TempDir Path dir;

  private void write(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  private StandardsCorpus tinyCorpus() throws Exception {
    write("versions.txt", "2.0", "1.0.0", "1.0rc1", "v1.5.post2");
    write("specifiers.txt", ">=1.0", "<2,!=1.5.post2");
    write("contains.txt", "0 0", "0 2", "1 3", "1 1");
    write("requires-dist.txt", "a>=1", "b[x]; python_version < \"3.9\"", "c; extra == \"dev\"");
    write("markers.txt", "python_version < \"3.9\"", "extra == \"dev\"", "os_name == \"posix\"");
    write(
        "metadata/00000.METADATA",
        "Metadata-Version: 2.1",
        "Name: demo",
        "Version: 1.0",
        "Requires-Dist: a>=1",
        "Requires-Dist: c; extra == \"dev\"",
        "",
        "Body.");
    write("pages.tsv", "00000\tfile:///mirror/simple/demo/\tfile:///mirror/simple");
    write(
        "pages/00000.html",
        "<!DOCTYPE html><html><body>",
        "<a href=\"../../files/demo-1.0-py3-none-any.whl#sha256=" + SHA + "\">demo</a>",
        "</body></html>");
    write(
        "pages/00000.json",
        "{\"meta\": {\"api-version\": \"1.1\"}, \"name\": \"demo\", \"versions\": [], \"files\": [",
        "{\"filename\": \"demo-1.0-py3-none-any.whl\",",
        " \"url\": \"../../files/demo-1.0-py3-none-any.whl\", \"hashes\": {\"sha256\": \""
            + SHA
            + "\"}}]}");
    return StandardsCorpus.load(dir);
  }

  @Test
  void answers_countWhatEachBenchmarkComputes() throws Exception {
    Map<String, Object> answers = tinyCorpus().answers();

    assertThat(answers)
        .containsEntry("versions", 4)
        .containsEntry("specifiers", 2)
        .containsEntry("containsPairs", 4)
        // >=1.0 holds for 2.0, not 1.0rc1; <2,!=1.5.post2 holds for 1.0.0, not 1.5.post2
        .containsEntry("containsTrue", 2)
        .containsEntry("requirements", 3)
        .containsEntry("markers", 3)
        // python3.11 is not < 3.9; no extra requested; Lambda is posix
        .containsEntry("markersTrue", 1)
        .containsEntry("metadata", 1)
        .containsEntry("metadataRequiresDist", 2)
        .containsEntry("pages", 1)
        .containsEntry("htmlFiles", 1)
        .containsEntry("jsonFiles", 1)
        // 2.0 > 1.0.0 > 1.0rc1 < 1.5.post2
        .containsEntry("compareLess", 1);
    assertThat(answers.get("sortedDigest"))
        .isEqualTo(StandardsCorpus.digest(List.of("1.0rc1", "1.0.0", "1.5.post2", "2.0")));
  }

  @Test
  void everyBenchmark_runsOverTheCorpus() throws Exception {
    StandardsBench bench = new StandardsBench();
    bench.prepare(tinyCorpus());
    Blackhole bh =
        new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is"
                + " dangerous.");

    bench.versionParse(bh);
    bench.specifierParse(bh);
    bench.requirementParse(bh);
    bench.metadataParse(bh);
    bench.pageParseHtml(bh);
    bench.pageParseJson(bh);

    assertThat(bench.versionSort()).extracting(Object::toString).startsWith("1.0rc1");
    assertThat(bench.versionCompare()).isEqualTo(1);
    assertThat(bench.specifierContains()).isEqualTo(2);
    assertThat(bench.markerEvaluate()).isEqualTo(1);
  }

  @Test
  void load_namesTheScriptWhenTheFolderIsNoCorpus() {
    assertThatThrownBy(() -> StandardsCorpus.load(dir))
        .hasMessageContaining("bench/standards.py corpus");
  }

  @Test
  void main_writesTheEnvironmentBothSidesEvaluateAgainst() throws Exception {
    tinyCorpus();

    StandardsCorpus.main(new String[] {dir.toString()});

    assertThat(Files.readString(dir.resolve("environment.json")))
        .contains("\"python_version\": \"3.11\"")
        .contains("\"platform_machine\": \"x86_64\"");
    assertThat(Files.readString(dir.resolve("java-answers.json"))).contains("\"markersTrue\": 1");
    assertThat(Files.readString(dir.resolve("java-first-pass.json")))
        .contains("\"versionParse\": ", "\"pageParseJson\": ");
  }
}
