package dev.accretion.python.listing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PyProjectTest {
  @TempDir Path dir;

  static final String PYPROJECT =
      """
      [project]
      name = "app"
      version = "1.0"
      dependencies = [
        "requests>=2",
        "pydantic",
      ]

      [project.optional-dependencies]
      AWS = ["boto3"]
      data = ["pandas"]

      [dependency-groups]
      test = ["pytest", {include-group = "lint"}]
      lint = ["ruff"]
      loop-a = [{include-group = "loop-b"}]
      loop-b = [{include-group = "loop-a"}]
      """;

  List<String> read(Set<String> extras, Set<String> groups) throws Exception {
    Path file = dir.resolve("pyproject.toml");
    Files.writeString(file, PYPROJECT);
    return PyProject.read(file, extras, groups, true).stream()
        .map(r -> r.requirement().toString())
        .toList();
  }

  @Test
  void read_projectDependenciesWithSelectedExtrasAndGroups() throws Exception {
    assertThat(read(Set.of(), Set.of())).containsExactly("requests>=2", "pydantic");
    assertThat(read(Set.of("aws"), Set.of())).containsExactly("requests>=2", "pydantic", "boto3");
    assertThat(read(Set.of(), Set.of("test")))
        .containsExactly("requests>=2", "pydantic", "pytest", "ruff");
  }

  @Test
  void read_recordsTheLineOfEachRequirement() throws Exception {
    Path file = dir.resolve("pyproject.toml");
    Files.writeString(file, PYPROJECT);
    RootRequirement first = PyProject.read(file, Set.of(), Set.of(), true).get(0);
    assertThat(first.origin().line()).isEqualTo(5);
  }

  @Test
  void read_unknownExtraOrGroupListsTheAvailableOnes() {
    assertThatThrownBy(() -> read(Set.of("gpu"), Set.of()))
        .hasMessageContaining("no optional dependencies named 'gpu'")
        .hasMessageContaining("AWS, data");
    assertThatThrownBy(() -> read(Set.of(), Set.of("docs")))
        .hasMessageContaining("no dependency group 'docs'");
  }

  @Test
  void read_refusesGroupCycles() {
    assertThatThrownBy(() -> read(Set.of(), Set.of("loop-a")))
        .hasMessageContaining("includes itself: loop-a -> loop-b -> loop-a");
  }

  @Test
  void read_reportsTomlErrorsWithLine() throws Exception {
    Path file = dir.resolve("pyproject.toml");
    Files.writeString(file, "[project]\ndependencies = [\"a\",\n");
    assertThatThrownBy(() -> PyProject.read(file, Set.of(), Set.of(), true))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("pyproject.toml:")
        .hasMessageContaining("invalid TOML");
  }

  @Test
  void read_badRequirementNamesFileAndLine() throws Exception {
    Path file = dir.resolve("pyproject.toml");
    Files.writeString(
        file, "[project]\nname = \"x\"\ndependencies = [\n  \"ok\",\n  \"bad spec ==\",\n]\n");
    assertThatThrownBy(() -> PyProject.read(file, Set.of(), Set.of(), true))
        .hasMessageContaining("pyproject.toml:5")
        .hasMessageContaining("'bad spec =='");
  }
}
