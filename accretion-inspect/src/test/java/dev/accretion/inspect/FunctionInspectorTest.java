package dev.accretion.inspect;

import static dev.accretion.inspect.ZipInspectorTest.packageJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.accretion.core.runtime.RuntimeMatrix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionInspectorTest {
  @TempDir Path dir;

  @Test
  void threeLayers_overlapsAndTwoVersions_reportedWithTheWinner() throws Exception {
    Path code =
        new TestZip()
            .file("index.js", "exports.handler = async () => 1;\n")
            .file("node_modules/uuid/package.json", packageJson("uuid", "11.0.0"))
            .write(dir.resolve("code.zip"));
    Path a =
        new TestZip()
            .file("nodejs/node_modules/ms/package.json", packageJson("ms", "2.0.0"))
            .file("nodejs/node_modules/ms/index.js", "old")
            .file("nodejs/node_modules/uuid/package.json", packageJson("uuid", "9.0.1"))
            .file("shared/config.json", "{}")
            .write(dir.resolve("a.zip"));
    Path b =
        new TestZip()
            .file("nodejs/node_modules/ms/package.json", packageJson("ms", "2.1.3"))
            .file("nodejs/node_modules/ms/index.js", "new!")
            .file("shared/config.json", "{}")
            .write(dir.resolve("b.zip"));
    Path c =
        new TestZip()
            .file("nodejs/node_modules/debug/package.json", packageJson("debug", "4.4.0"))
            .file("shared/config.json", "{}")
            .write(dir.resolve("c.zip"));
    RuntimeMatrix matrix = RuntimeMatrix.load();
    FunctionInspector inspector = new FunctionInspector(ZipInspector.standard(), matrix);
    List<ZipSource> layers = new ArrayList<>();
    try (ZipSource codeSource = FileZipSource.open(code, "fn");
        ZipSource la = FileZipSource.open(a, "layer-a:1");
        ZipSource lb = FileZipSource.open(b, "layer-b:1");
        ZipSource lc = FileZipSource.open(c, "layer-c:1")) {
      layers.addAll(List.of(la, lb, lc));
      FunctionReport r =
          inspector.inspect(
              new FunctionRequest(
                  "fn", codeSource, layers, matrix.target("nodejs20.x", "x86_64"), "nodejs20.x"));
      assertThat(r.overlaps())
          .extracting(
              FunctionReport.Overlap::path,
              FunctionReport.Overlap::winner,
              FunctionReport.Overlap::identical)
          .containsExactly(
              tuple("nodejs/node_modules/ms/index.js", "layer-b:1", false),
              tuple("nodejs/node_modules/ms/package.json", "layer-b:1", false),
              tuple("shared/config.json", "layer-c:1", true));
      assertThat(r.overlaps().get(2).layers())
          .containsExactly("layer-a:1", "layer-b:1", "layer-c:1");
      assertThat(r.versionConflicts())
          .extracting(
              c1 -> c1.name(),
              c1 -> c1.winner().layer(),
              c1 -> c1.winner().version(),
              FunctionReport.VersionConflict::mixed)
          .containsExactly(
              tuple("ms", "layer-b:1", "2.1.3", true), tuple("uuid", "fn", "11.0.0", false));
      assertThat(r.problems())
          .extracting(Problem::code, Problem::severity)
          .contains(
              tuple("two-versions", dev.accretion.pipeline.spi.ContentProblem.Severity.ERROR),
              tuple("shadowed-version", dev.accretion.pipeline.spi.ContentProblem.Severity.WARNING),
              tuple("overlap", dev.accretion.pipeline.spi.ContentProblem.Severity.WARNING),
              tuple("overlap-identical", dev.accretion.pipeline.spi.ContentProblem.Severity.NOTE));
      Problem two =
          r.problems().stream()
              .filter(p -> p.code().equals("two-versions"))
              .findFirst()
              .orElseThrow();
      assertThat(two.message())
          .contains(
              "ms is in 2 versions",
              "2.1.3 in layer-b:1",
              "2.0.0 in layer-a:1",
              "/opt/nodejs/node_modules");
      long sum = r.code().unzippedBytes();
      for (LayerReport l : r.layers()) {
        sum += l.unzippedBytes();
      }
      assertThat(r.unzippedBytes()).isEqualTo(sum);
      assertThat(r.fit()).isFalse();
    }
  }
}
