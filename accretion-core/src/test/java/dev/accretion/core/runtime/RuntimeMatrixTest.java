package dev.accretion.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeMatrixTest {
  private final RuntimeMatrix matrix = RuntimeMatrix.load();

  @Test
  void load_bundledListsEveryRuntimeOfTheIssueInOrder() {
    assertThat(matrix.all())
        .extracting(Runtime::id)
        .containsExactly(
            "python3.9",
            "python3.10",
            "python3.11",
            "python3.12",
            "python3.13",
            "python3.14",
            "nodejs18.x",
            "nodejs20.x",
            "nodejs22.x",
            "nodejs24.x",
            "java11",
            "java17",
            "java21",
            "java25");
  }

  @Test
  void load_bundledPutsEachRuntimeOnItsAmazonLinuxAndGlibc() throws AccretionException {
    for (String al2 : List.of("python3.9", "python3.10", "python3.11", "nodejs18.x", "java11")) {
      Runtime runtime = matrix.get(al2);
      assertThat(runtime.os()).as(al2).isEqualTo("Amazon Linux 2");
      assertThat(runtime.glibc()).as(al2).isEqualTo(new GlibcVersion(2, 26));
    }
    assertThat(matrix.get("java17").os()).isEqualTo("Amazon Linux 2");
    for (String al2023 :
        List.of(
            "python3.12",
            "python3.13",
            "python3.14",
            "nodejs20.x",
            "nodejs22.x",
            "nodejs24.x",
            "java21",
            "java25")) {
      Runtime runtime = matrix.get(al2023);
      assertThat(runtime.os()).as(al2023).isEqualTo("Amazon Linux 2023");
      assertThat(runtime.glibc()).as(al2023).isEqualTo(new GlibcVersion(2, 34));
    }
    for (Runtime runtime : matrix.all()) {
      assertThat(runtime.architectures()).containsExactly(Architecture.X86_64, Architecture.ARM64);
      assertThat(runtime.layerPaths()).contains("bin", "lib");
    }
  }

  @Test
  void load_bundledGivesLanguageVersionsAndLayerPaths() throws AccretionException {
    Runtime python = matrix.get("python3.12");
    assertThat(python.language()).isEqualTo(Language.PYTHON);
    assertThat(python.languageVersion()).isEqualTo("3.12");
    assertThat(python.representativeFullVersion()).hasValueSatisfying(v -> v.startsWith("3.12."));
    assertThat(python.layerPaths())
        .containsExactly("python", "python/lib/python3.12/site-packages", "bin", "lib");

    Runtime node = matrix.get("nodejs20.x");
    assertThat(node.language()).isEqualTo(Language.NODEJS);
    assertThat(node.languageVersion()).isEqualTo("20");
    assertThat(node.layerPaths())
        .containsExactly("nodejs/node_modules", "nodejs/node20/node_modules", "bin", "lib");

    Runtime java = matrix.get("java21");
    assertThat(java.language()).isEqualTo(Language.JAVA);
    assertThat(java.languageVersion()).isEqualTo("21");
    assertThat(java.layerPaths()).containsExactly("java/lib", "bin", "lib");
    assertThat(matrix.all(Language.JAVA)).extracting(Runtime::id).hasSize(4);
  }

  @Test
  void load_bundledHasAnnouncedDeprecationDates() throws AccretionException {
    assertThat(matrix.get("python3.9").deprecation()).contains(LocalDate.of(2025, 12, 15));
    assertThat(matrix.get("nodejs18.x").deprecation()).contains(LocalDate.of(2025, 9, 1));
    for (Runtime runtime : matrix.all()) {
      // block-function-create could not be confirmed; the row says so instead of guessing
      if (runtime.blockFunctionCreate().isEmpty()) {
        assertThat(runtime.notes()).as(runtime.id()).contains("block-function-create");
      }
      runtime
          .deprecation()
          .ifPresent(
              deprecated ->
                  runtime
                      .blockFunctionUpdate()
                      .ifPresent(blocked -> assertThat(blocked).isAfterOrEqualTo(deprecated)));
    }
  }

  @Test
  void isDeprecated_countsFromTheDeprecationDay() throws AccretionException {
    Runtime python39 = matrix.get("python3.9");
    assertThat(matrix.isDeprecated(python39, LocalDate.of(2025, 12, 14))).isFalse();
    assertThat(matrix.isDeprecated(python39, LocalDate.of(2025, 12, 15))).isTrue();
    assertThat(matrix.isDeprecated(matrix.get("python3.14"), LocalDate.of(2026, 1, 1))).isFalse();
  }

  @Test
  void get_unknownIdListsKnownOnesAndSuggestsTheClosest() {
    assertThatThrownBy(() -> matrix.get("Python3.12"))
        .isInstanceOf(AccretionException.class)
        .hasMessageContaining("unknown Lambda runtime 'Python3.12'")
        .hasMessageContaining("did you mean 'python3.12'?")
        .hasMessageContaining("Known runtimes: python3.9, python3.10");
    assertThatThrownBy(() -> matrix.get("nodejs20"))
        .hasMessageContaining("did you mean 'nodejs20.x'?");
    assertThatThrownBy(() -> matrix.get("dotnet8")).hasMessageNotContaining("did you mean");
  }

  @Test
  void target_checksArchitectureAndPrintsRuntimeSlashArchitecture() throws AccretionException {
    Target target = matrix.target("python3.12", "aarch64");
    assertThat(target.architecture()).isEqualTo(Architecture.ARM64);
    assertThat(target).hasToString("python3.12/arm64");
    assertThat(target.describe()).isEqualTo("python3.12 (Amazon Linux 2023, glibc 2.34) on arm64");

    Runtime x86Only =
        new Runtime(
            "python3.99",
            Language.PYTHON,
            "3.99",
            "3.99.0",
            "Amazon Linux 2023",
            new GlibcVersion(2, 34),
            List.of(Architecture.X86_64),
            List.of("python"),
            null,
            null,
            null,
            null);
    assertThatThrownBy(() -> Target.of(x86Only, Architecture.ARM64))
        .isInstanceOf(AccretionException.class)
        .hasMessage("Lambda runtime python3.99 is not offered on arm64; it runs on x86_64");
    assertThatThrownBy(() -> new Target(x86Only, Architecture.ARM64))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void architecture_parsesEverySpellingAndGivesEachStandardsName() throws AccretionException {
    assertThat(Architecture.parse("x86_64")).isEqualTo(Architecture.X86_64);
    assertThat(Architecture.parse("AMD64")).isEqualTo(Architecture.X86_64);
    assertThat(Architecture.parse("arm64")).isEqualTo(Architecture.ARM64);
    assertThat(Architecture.parse("aarch64")).isEqualTo(Architecture.ARM64);
    assertThat(Architecture.X86_64.machine()).isEqualTo("x86_64");
    assertThat(Architecture.ARM64.machine()).isEqualTo("aarch64");
    assertThat(Architecture.ARM64.lambdaName()).isEqualTo("arm64");
    assertThat(Architecture.X86_64.elfMachine()).isEqualTo(62);
    assertThat(Architecture.ARM64.elfMachine()).isEqualTo(183);
    assertThatThrownBy(() -> Architecture.parse("i686"))
        .isInstanceOf(AccretionException.class)
        .hasMessageContaining("'i686'")
        .hasMessageContaining("x86_64")
        .hasMessageContaining("arm64");
  }

  @Test
  void glibcVersion_parsesAndOrdersNumerically() throws AccretionException {
    assertThat(GlibcVersion.parse("2.26")).isEqualTo(new GlibcVersion(2, 26));
    assertThat(GlibcVersion.parse("2.5")).isLessThan(GlibcVersion.parse("2.26"));
    assertThat(GlibcVersion.parse("2.34")).hasToString("2.34");
    assertThatThrownBy(() -> GlibcVersion.parse("2.x"))
        .isInstanceOf(AccretionException.class)
        .hasMessageContaining("'2.x'");
  }

  private static final String ROW =
      """
          {
            "id": "python3.15",
            "language": "python",
            "languageVersion": "3.15",
            "fullVersion": "3.15.0",
            "os": "Amazon Linux 2023",
            "glibc": "2.34",
            "architectures": ["x86_64", "arm64"],
            "layerPaths": ["python", "python/lib/python3.15/site-packages", "bin", "lib"],
            "deprecation": null,
            "blockFunctionCreate": null,
            "blockFunctionUpdate": "2031-08-31"
          }""";

  private static RuntimeMatrix load(String json) throws AccretionException {
    return RuntimeMatrix.load(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
  }

  private static String matrixWith(String row) {
    return "{\n  \"runtimes\": [\n" + row + "\n  ]\n}\n";
  }

  @Test
  void load_aNewRuntimeIsJustANewRow() throws AccretionException {
    RuntimeMatrix custom = load(matrixWith(ROW));
    Runtime runtime = custom.get("python3.15");
    assertThat(runtime.glibc()).isEqualTo(new GlibcVersion(2, 34));
    assertThat(runtime.blockFunctionUpdate()).contains(LocalDate.of(2031, 8, 31));
    assertThat(runtime.deprecation()).isEmpty();
    assertThat(runtime.notes()).isNull();
  }

  @Test
  void load_rejectsUnknownKeyNamingLineRowAndKey() {
    String json = matrixWith(ROW.replace("\"glibc\": \"2.34\"", "\"glibcc\": \"2.34\""));
    assertThatThrownBy(() -> load(json))
        .isInstanceOf(AccretionException.class)
        .hasMessageStartingWith("test.json line 9, row 1 (python3.15): unknown key \"glibcc\"");
  }

  @Test
  void load_rejectsMissingKeyNamingTheRow() {
    String json = matrixWith(ROW.replace("\"deprecation\": null,", ""));
    assertThatThrownBy(() -> load(json))
        .hasMessage(
            "test.json line 3, row 1 (python3.15): missing key \"deprecation\" (write null if it"
                + " has no value)");
  }

  @Test
  void load_rejectsMalformedValuesQuotingThem() {
    assertThatThrownBy(() -> load(matrixWith(ROW.replace("\"2.34\"", "\"2.x\""))))
        .hasMessageContaining("line 9, row 1 (python3.15): \"glibc\" invalid glibc version '2.x'");
    assertThatThrownBy(() -> load(matrixWith(ROW.replace("\"2031-08-31\"", "\"2031-02-30\""))))
        .hasMessageContaining("line 14, row 1 (python3.15): \"blockFunctionUpdate\" is")
        .hasMessageContaining("2031-02-30");
    assertThatThrownBy(() -> load(matrixWith(ROW.replace("\"arm64\"]", "\"aarch64\"]"))))
        .hasMessageContaining("\"architectures\" has 'aarch64'");
    assertThatThrownBy(() -> load(matrixWith(ROW.replace("\"3.15.0\"", "null"))))
        .hasMessageContaining("\"fullVersion\" is required for Python");
    assertThatThrownBy(() -> load(matrixWith(ROW.replace("\"bin\"", "\"../bin\""))))
        .hasMessageContaining("\"layerPaths\" has '../bin'");
    assertThatThrownBy(() -> load(matrixWith(ROW.replace("\"python\",", "\"nodejs\","))))
        .hasMessageContaining("\"id\" is 'python3.15' but the language is nodejs");
  }

  @Test
  void load_rejectsDuplicateIdsAndDuplicateKeys() {
    assertThatThrownBy(() -> load(matrixWith(ROW + ",\n" + ROW)))
        .hasMessageContaining("row 2: duplicate runtime id 'python3.15' (first defined on line 3)");
    String duplicateKey = matrixWith(ROW.replace("\"os\":", "\"glibc\": \"2.34\",\n \"os\":"));
    assertThatThrownBy(() -> load(duplicateKey))
        .hasMessageContaining("test.json line 10, column 3")
        .hasMessageContaining("not valid JSON")
        .hasMessageContaining("glibc");
  }

  @Test
  void load_rejectsBrokenJsonWithLineAndColumn() {
    assertThatThrownBy(() -> load("{\n  \"runtimes\": [\n    {\"id\": \"python3.15\",,}\n  ]\n}"))
        .hasMessageStartingWith("test.json line 3, column 25: not valid JSON");
    assertThatThrownBy(() -> load("{\"runtimes\": []}")).hasMessageContaining("array is empty");
    assertThatThrownBy(() -> load("[]")).hasMessageContaining("expected a JSON object");
  }
}
