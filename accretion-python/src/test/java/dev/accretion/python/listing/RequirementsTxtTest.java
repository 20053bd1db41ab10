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
