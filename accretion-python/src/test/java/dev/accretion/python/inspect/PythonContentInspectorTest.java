package dev.accretion.python.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.ContentEntry;
import dev.accretion.pipeline.spi.ContentProblem;
import dev.accretion.pipeline.spi.ContentReport;
import dev.accretion.pipeline.spi.FoundPackage;
import dev.accretion.pipeline.spi.LayerContent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PythonContentInspectorTest {
  private final PythonContentInspector inspector = new PythonContentInspector();
  private final RuntimeMatrix matrix = RuntimeMatrix.load();

  /** An in-memory layer. */
  static final class Layer implements LayerContent {
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final boolean code;
    int reads;

    Layer(boolean code) {
      this.code = code;
    }

    Layer put(String path, String content) {
      files.put(path, content.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    @Override
    public String label() {
      return "test.zip";
    }

    @Override
    public boolean functionCode() {
      return code;
    }

    @Override
    public List<ContentEntry> entries() {
      List<ContentEntry> out = new ArrayList<>();
      files.forEach(
          (p, b) ->
              out.add(new ContentEntry(p, ContentEntry.Kind.FILE, b.length, b.length, 0, 0644)));
      return out;
    }

    @Override
    public Optional<ContentEntry> entry(String path) {
      return entries().stream().filter(e -> e.path().equals(path)).findFirst();
    }

    @Override
    public void read(Collection<ContentEntry> entries, long maxBytes, Reader reader)
        throws AccretionException {
      reads++;
      for (ContentEntry e : entries) {
        try (InputStream in = new ByteArrayInputStream(files.get(e.path()))) {
          reader.read(e, in);
        } catch (IOException ex) {
          throw new AssertionError(ex);
        }
      }
    }
  }

  static String record(String... rows) {
    return String.join("\n", rows) + "\n";
  }

  static String metadata(String name, String version) {
    return "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n\n";
  }

  private Layer pipStyleLayer() {
    return new Layer(false)
        .put("python/requests/__init__.py", "x = 1\n")
        .put("python/requests/api.py", "y = 2\n")
        .put("python/requests/extra.py", "added later\n")
        .put("python/requests-2.34.2.dist-info/METADATA", metadata("requests", "2.34.2"))
        .put("python/requests-2.34.2.dist-info/INSTALLER", "pip\n")
        .put("python/requests-2.34.2.dist-info/WHEEL", "Wheel-Version: 1.0\nTag: py3-none-any\n")
        .put(
            "python/requests-2.34.2.dist-info/RECORD",
            record(
                "requests/__init__.py,sha256=a,6",
                "requests/api.py,sha256=b,99",
                "requests/gone.py,sha256=c,1",
                "requests/__pycache__/api.cpython-311.pyc,,",
                "../../bin/normalizer,sha256=d,3",
                "requests-2.34.2.dist-info/METADATA,,",
                "requests-2.34.2.dist-info/INSTALLER,,",
                "requests-2.34.2.dist-info/WHEEL,,",
                "requests-2.34.2.dist-info/RECORD,,"))
        .put("python/bin/normalizer", "#!python\n")
        .put("python/boto3-1.35.0.dist-info/METADATA", metadata("boto3", "1.35.0"))
        .put(
            "python/boto3-1.35.0.dist-info/RECORD",
            record("boto3-1.35.0.dist-info/METADATA,,", "boto3-1.35.0.dist-info/RECORD,,"))
        .put("python/fast/_speedups.cpython-312-x86_64-linux-gnu.so", "\u007fELF")
        .put("python/fast-1.0.dist-info/METADATA", metadata("fast", "1.0"))
        .put(
            "python/fast-1.0.dist-info/RECORD",
            record(
                "fast/_speedups.cpython-312-x86_64-linux-gnu.so,,",
                "fast-1.0.dist-info/METADATA,,",
                "fast-1.0.dist-info/RECORD,,"))
        .put(
            "python/setuptools/_vendor/packaging-24.2.dist-info/METADATA",
            metadata("packaging", "24.2"))
        .put("python/setuptools/__init__.py", "")
        .put("python/setuptools-75.0.dist-info/METADATA", metadata("setuptools", "75.0"))
        .put(
            "python/setuptools-75.0.dist-info/RECORD",
            record(
                "setuptools/__init__.py,,",
                "setuptools/_vendor/packaging-24.2.dist-info/METADATA,,",
                "setuptools-75.0.dist-info/METADATA,,",
                "setuptools-75.0.dist-info/RECORD,,"))
        .put(
            "python/lib/python3.12/site-packages/six-1.17.0.dist-info/METADATA",
            metadata("six", "1.17.0"))
        .put(
            "python/lib/python3.12/site-packages/six-1.17.0.dist-info/RECORD",
            record("six-1.17.0.dist-info/METADATA,,", "six-1.17.0.dist-info/RECORD,,"));
  }

  @Test
  void pipLayer_distributionsAndTheirRecords() throws Exception {
    Layer layer = pipStyleLayer();
    ContentReport report = inspector.inspect(layer);
    assertThat(layer.reads).isEqualTo(1);
    assertThat(report.packages())
        .extracting(
            FoundPackage::name, FoundPackage::version, FoundPackage::root, FoundPackage::purl)
        .containsExactlyInAnyOrder(
            tuple("requests", "2.34.2", "python", "pkg:pypi/requests@2.34.2"),
            tuple("boto3", "1.35.0", "python", "pkg:pypi/boto3@1.35.0"),
            tuple("fast", "1.0", "python", "pkg:pypi/fast@1.0"),
            tuple("packaging", "24.2", "python/setuptools/_vendor", "pkg:pypi/packaging@24.2"),
            tuple("setuptools", "75.0", "python", "pkg:pypi/setuptools@75.0"),
            tuple("six", "1.17.0", "python/lib/python3.12/site-packages", "pkg:pypi/six@1.17.0"));
    FoundPackage requests =
        report.packages().stream()
            .filter(p -> p.name().equals("requests"))
            .findFirst()
            .orElseThrow();
    assertThat(requests.files())
        .contains("python/bin/normalizer", "python/requests/__init__.py")
        .doesNotContain("python/requests/extra.py");
    assertThat(requests.facts())
        .containsEntry("installer", "pip")
        .containsEntry("tags", List.of("py3-none-any"));
    assertThat(report.problems())
        .extracting(ContentProblem::code, ContentProblem::packageName)
        .containsExactlyInAnyOrder(
            tuple("record-missing", "requests 2.34.2"),
            tuple("record-missing-pyc", "requests 2.34.2"),
            tuple("record-unlisted", "requests 2.34.2"),
            tuple("record-size", "requests 2.34.2"));
    assertThat(report.problems())
        .filteredOn(p -> p.code().equals("record-missing"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("python/requests/gone.py"));
    assertThat(report.problems())
        .filteredOn(p -> p.code().equals("record-unlisted"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("python/requests/extra.py"));
  }

  @Test
  void check_python311_abiPathAndRuntimeProvided() throws Exception {
    Layer layer = pipStyleLayer();
    ContentReport report = inspector.inspect(layer);
    Target target = matrix.target("python3.11", "x86_64");
    List<ContentProblem> problems = inspector.check(layer, report, target);
    assertThat(problems)
        .extracting(ContentProblem::severity, ContentProblem::code, ContentProblem::packageName)
        .containsExactlyInAnyOrder(
            tuple(ContentProblem.Severity.ERROR, "not-on-path", "six 1.17.0"),
            tuple(ContentProblem.Severity.ERROR, "python-abi", "fast 1.0"),
            tuple(ContentProblem.Severity.WARNING, "shadows-runtime", "boto3 1.35.0"));
    ContentProblem abi =
        problems.stream().filter(p -> p.code().equals("python-abi")).findFirst().orElseThrow();
    assertThat(abi.message())
        .contains(
            "fast 1.0",
            "CPython 3.12",
            "_speedups.cpython-312-x86_64-linux-gnu.so",
            "python3.11 will not import");
    assertThat(abi.advice()).contains("--python-version 3.11");
  }

  @Test
  void check_python312_onlyTheRuntimeProvidedCopyRemains() throws Exception {
    Layer layer = pipStyleLayer();
    ContentReport report = inspector.inspect(layer);
    List<ContentProblem> problems =
        inspector.check(layer, report, matrix.target("python3.12", "arm64"));
    assertThat(problems)
        .extracting(ContentProblem::severity, ContentProblem::code, ContentProblem::packageName)
        .containsExactlyInAnyOrder(
            tuple(ContentProblem.Severity.WARNING, "shadows-runtime", "boto3 1.35.0"),
            tuple(ContentProblem.Severity.NOTE, "shadows-runtime", "six 1.17.0"));
  }

  @Test
  void check_nodeRuntime_saysTheLanguageDiffers() throws Exception {
    Layer layer = pipStyleLayer();
    ContentReport report = inspector.inspect(layer);
    assertThat(inspector.check(layer, report, matrix.target("nodejs20.x", "x86_64")))
        .extracting(ContentProblem::code)
        .containsExactly("language");
  }

  @Test
  void layerWithoutThePythonFolder_isNotOnThePath_butAFunctionPackageIs() throws Exception {
    Layer layer =
        new Layer(false)
            .put("idna/__init__.py", "")
            .put("idna-3.20.dist-info/METADATA", metadata("idna", "3.20"))
            .put(
                "idna-3.20.dist-info/RECORD",
                record(
                    "idna/__init__.py,,",
                    "idna-3.20.dist-info/METADATA,,",
                    "idna-3.20.dist-info/RECORD,,"));
    Target target = matrix.target("python3.12", "x86_64");
    assertThat(inspector.check(layer, inspector.inspect(layer), target))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.code()).isEqualTo("not-on-path");
              assertThat(p.severity()).isEqualTo(ContentProblem.Severity.ERROR);
              assertThat(p.message()).contains("the root of the zip", "python/");
            });
    Layer code = new Layer(true);
    code.files.putAll(layer.files);
    assertThat(inspector.check(code, inspector.inspect(code), target)).isEmpty();
  }

  @Test
  void searchPath_followsLambdasSysPath() throws Exception {
    assertThat(inspector.searchPath(matrix.get("python3.13"), false))
        .containsExactly("python/lib/python3.13/site-packages", "python");
    assertThat(inspector.searchPath(matrix.get("python3.13"), true)).containsExactly("");
    assertThat(inspector.searchPath(matrix.get("java21"), false)).isEmpty();
  }
}
