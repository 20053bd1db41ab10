package dev.accretion.python.listing;

import static dev.accretion.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequirementsTxtTest {
  @TempDir Path dir;

  RequirementsTxt.Parsed parse(String text) throws Exception {
    return parse(text, Map.of());
  }

  RequirementsTxt.Parsed parse(String text, Map<String, String> env) throws Exception {
    Path file = dir.resolve("requirements.txt");
    Files.writeString(file, text);
    return new RequirementsTxt(env).parse(file);
  }

  static List<String> texts(List<RootRequirement> reqs) {
    return reqs.stream().map(r -> r.requirement().toString()).toList();
  }

  @Test
  void parse_readsRequirementsExtrasMarkersCommentsAndContinuations() throws Exception {
    RequirementsTxt.Parsed p =
        parse(
            "# a comment\n"
                + "requests[socks]>=2.31  # trailing comment\n"
                + "numpy>=1.26,\\\n"
                + "   <2.3\n"
                + "\n"
                + "tomli; python_version < \"3.11\"\n");
    assertThat(texts(p.requirements()))
        .containsExactly(
            "requests[socks]>=2.31", "numpy<2.3,>=1.26", "tomli; python_version < \"3.11\"");
    assertThat(p.requirements().get(1).origin().line()).isEqualTo(3);
    assertThat(p.requirements().get(2).origin().toString()).endsWith("requirements.txt:6");
  }

  @Test
  void parse_followsIncludesAndConstraintsRelativeToTheFile() throws Exception {
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/base.txt"), "boto3\n-c constraints.txt\n");
    Files.writeString(dir.resolve("sub/constraints.txt"), "botocore<1.40\n");
    RequirementsTxt.Parsed p = parse("-r sub/base.txt\npydantic\n");
    assertThat(texts(p.requirements())).containsExactly("boto3", "pydantic");
    assertThat(texts(p.constraints())).containsExactly("botocore<1.40");
  }

  @Test
  void parse_refusesIncludeCycles() {
    assertThatThrownBy(
            () -> {
              Files.writeString(dir.resolve("other.txt"), "-r requirements.txt\n");
              parse("-r other.txt\n");
            })
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("includes itself");
  }

  @Test
  void parse_readsIndexOptionsAndFlags() throws Exception {
    RequirementsTxt.Parsed p =
        parse(
            "--index-url https://private.example/simple\n"
                + "--extra-index-url https://mirror.example/simple\n"
                + "-f ./wheels\n"
                + "--pre\n"
                + "--only-binary :all:\n"
                + "--no-binary lxml\n"
                + "requests\n");
    assertThat(p.indexOptions().indexUrl()).isEqualTo("https://private.example/simple");
    assertThat(p.indexOptions().extraIndexUrls()).containsExactly("https://mirror.example/simple");
    assertThat(p.indexOptions().findLinks()).containsExactly(dir.resolve("wheels").toString());
    assertThat(p.pre()).isTrue();
    assertThat(p.noBinary()).containsExactly("lxml");
  }

  @Test
  void parse_expandsUpperCaseEnvironmentVariablesOnly() throws Exception {
    RequirementsTxt.Parsed p =
        parse(
            "--index-url https://${TOKEN}@private.example/simple\nlib==${VERSION}\n"
                + "--extra-index-url https://x.example/${lower}\n",
            Map.of("TOKEN", "s3cret", "VERSION", "1.2"));
    assertThat(p.indexOptions().indexUrl()).isEqualTo("https://s3cret@private.example/simple");
    assertThat(texts(p.requirements())).first().isEqualTo("lib==1.2");
    assertThat(p.indexOptions().extraIndexUrls()).containsExactly("https://x.example/${lower}");
  }

  @Test
  void parse_unsetVariable_saysItIsNotSet() {
    assertThatThrownBy(() -> parse("requests\nlib==${LIB_VERSION}\n"))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("requirements.txt:2: LIB_VERSION is not set")
        .hasMessageNotContaining("invalid requirement");
  }

  @Test
  void parse_namedUrlRequirementsEndingInWheelOrArchive_areDirectReferences() throws Exception {
    RequirementsTxt.Parsed p =
        parse(
            "acme @ https://files.example/acme-1.0-py3-none-any.whl\n"
                + "other[x] @ file:///srv/wheels/other-2.0-py3-none-any.whl ;"
                + " python_version >= \"3\"\n"
                + "sdist-thing @ https://files.example/sdist-thing-1.0.tar.gz\n");
    List<RootRequirement> reqs = p.requirements();
    assertThat(reqs.get(0).requirement().name().normalized()).isEqualTo("acme");
    assertThat(reqs.get(0).directUrl())
        .hasToString("https://files.example/acme-1.0-py3-none-any.whl");
    assertThat(reqs.get(1).requirement().extras()).containsExactly("x");
    assertThat(reqs.get(1).directUrl())
        .hasToString("file:///srv/wheels/other-2.0-py3-none-any.whl");
    assertThat(reqs.get(1).requirement().marker()).isNotNull();
    assertThat(reqs.get(2).directUrl()).hasToString("https://files.example/sdist-thing-1.0.tar.gz");
  }

  @Test
  void parse_devZeroInclude_stopsAtTheSizeLimit() {
    assertThatThrownBy(() -> parse("idna\n-r /dev/zero\n"))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining(
            "requirements.txt:2: requirements file '/dev/zero' is larger than 16 MiB")
        .satisfies(
            e ->
                assertThat(((ListingException) e).kind())
                    .isEqualTo(dev.accretion.core.FailureKind.TOO_LARGE));
  }

  @Test
  void parse_includeChainTooDeep_isAnErrorWithFileAndLine() throws Exception {
    for (int i = 0; i < 2000; i++) {
      Files.writeString(dir.resolve("r" + i + ".txt"), "-r r" + (i + 1) + ".txt\n");
    }
    Files.writeString(dir.resolve("r2000.txt"), "idna\n");
    assertThatThrownBy(() -> new RequirementsTxt(Map.of()).parse(dir.resolve("r0.txt")))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining(".txt:1: -r/-c includes nest more than 64 files deep");
  }

  @Test
  void parse_includeGraphWithManyPaths_readsEachFileOnce() throws Exception {
    // level i includes level i+1 twice, through two files: 2^30 paths to the last level
    for (int i = 0; i < 30; i++) {
      Files.writeString(
          dir.resolve("a" + i + ".txt"), "pkg-a" + i + "\n-r b" + i + ".txt\n-r c" + i + ".txt\n");
      Files.writeString(dir.resolve("b" + i + ".txt"), "-r a" + (i + 1) + ".txt\n");
      Files.writeString(dir.resolve("c" + i + ".txt"), "-r a" + (i + 1) + ".txt\n");
    }
    Files.writeString(dir.resolve("a30.txt"), "last\n");
    RequirementsTxt.Parsed p = new RequirementsTxt(Map.of()).parse(dir.resolve("a0.txt"));
    assertThat(p.requirements()).hasSize(31);
  }

  @Test
  void parse_duplicateLines_areMergedOnce() throws Exception {
    RequirementsTxt.Parsed p = parse("idna>=3\n".repeat(32_000) + "six\n");
    assertThat(texts(p.requirements())).containsExactly("idna>=3", "six");
  }

  @Test
  void parse_tooManyDistinctRequirements_isADocumentedLimit() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 10_001; i++) {
      text.append("unknown-name-").append(i).append('\n');
    }
    assertThatThrownBy(() -> parse(text.toString()))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("requirements.txt:10001: more than 10000 distinct requirements");
  }

  @Test
  void parse_nulInAnIncludePath_namesFileAndLine() {
    assertThatThrownBy(() -> parse("idna\n-r bad\u0000name.txt\n"))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("requirements.txt:2: 'bad")
        .hasMessageContaining("is not a valid file path");
  }

  @Test
  void parse_hugeLine_isQuotedAsABoundedExcerpt() {
    String line = "requests>=1.0 " + "x".repeat(5_000_000);
    assertThatThrownBy(() -> parse(line + "\n"))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("requirements.txt:1:")
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(1_000));
  }

  @Test
  void parse_collectsHashesAndTurnsOnHashCheckingMode() throws Exception {
    String hash = "a".repeat(64);
    RequirementsTxt.Parsed p =
        parse(
            "six==1.17.0 \\\n    --hash=sha256:"
                + hash
                + " \\\n    --hash=sha256:"
                + "B".repeat(64)
                + "\n");
    assertThat(p.hashChecking()).isTrue();
    assertThat(p.requirements().get(0).hashes())
        .containsExactlyInAnyOrder("sha256:" + hash, "sha256:" + "b".repeat(64));
    assertThat(parse("six\n").hashChecking()).isFalse();
    assertThat(parse("--require-hashes\nsix\n").hashChecking()).isTrue();
  }

  @Test
  void parse_refusesEditableWithTheReason() {
    assertThatThrownBy(() -> parse("-e ./mypkg\n"))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("requirements.txt:1")
        .hasMessageContaining("editable requirement '-e ./mypkg' can't go into a Lambda layer")
        .hasMessageContaining("list the .whl file instead");
  }

  @Test
  void parse_refusesSourceTreesAndSdists() throws Exception {
    Files.createDirectories(dir.resolve("mypkg"));
    assertThatThrownBy(() -> parse("./mypkg\n"))
        .hasMessageContaining("'./mypkg' is a source folder; Accretion installs wheels only");
    Files.write(dir.resolve("lib-1.0.tar.gz"), new byte[] {1});
    assertThatThrownBy(() -> parse("./lib-1.0.tar.gz\n"))
        .hasMessageContaining("is not a wheel (.whl)");
  }

  @Test
  void parse_acceptsLocalWheelPathsWithMarkers() throws Exception {
    Path wheel = wheel("mylib", "1.0").writeTo(dir.resolve("dist"));
    RequirementsTxt.Parsed p =
        parse("./dist/" + wheel.getFileName() + "; python_version >= \"3.9\"\n");
    RootRequirement r = p.requirements().get(0);
    assertThat(r.requirement().name().normalized()).isEqualTo("mylib");
    assertThat(r.directUrl()).isEqualTo(wheel.toUri());
    assertThat(r.requirement().marker()).isNotNull();
  }

  @Test
  void parse_quotesBadRequirementWithLineAndPosition() {
    assertThatThrownBy(() -> parse("ok\nbroken>=1.0 extra\n"))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("requirements.txt:2")
        .hasMessageContaining("'broken>=1.0 extra'")
        .hasMessageContaining("position");
  }

  @Test
  void parse_namesMissingIncludedFile() {
    assertThatThrownBy(() -> parse("-r nowhere.txt\n"))
        .hasMessageContaining("requirements.txt:1")
        .hasMessageContaining("nowhere.txt' does not exist");
  }

  @Test
  void parse_rejectsUnknownOptions() {
    assertThatThrownBy(() -> parse("--frobnicate\n"))
        .hasMessageContaining("unknown option '--frobnicate'");
  }
}
