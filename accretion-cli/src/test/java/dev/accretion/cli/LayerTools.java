package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.testkit.Python;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tools people build layers with, run as they would run them: pip (python3.11, wheels from the
 * local mirror through pip's own configuration), npm, Maven, Info-ZIP's zip.
 */
final class LayerTools {
  private LayerTools() {}

  static Python.Result run(Path dir, Map<String, String> env, String... command)
      throws IOException {
    Python.Result r = Python.exec(prefixCd(dir, command), null, env, 900);
    assertThat(r.code())
        .as("%s failed:\n%s\n%s", String.join(" ", command), r.stdout(), r.stderr())
        .isZero();
    return r;
  }

  /** Python.exec has no working directory: run through sh -c 'cd DIR && exec ...'. */
  private static List<String> prefixCd(Path dir, String... command) {
    StringBuilder line = new StringBuilder("cd '" + dir + "' && exec");
    for (String c : command) {
      line.append(" '").append(c.replace("'", "'\\''")).append('\'');
    }
    return List.of("sh", "-c", line.toString());
  }

  /** {@code zip -q -r -X ZIP FOLDERS...} in {@code dir}. */
  static Path zip(Path dir, String zip, String... folders) throws IOException {
    List<String> command = new ArrayList<>(List.of("zip", "-q", "-r", "-X", zip));
    command.addAll(List.of(folders));
    run(dir, Map.of(), command.toArray(String[]::new));
    return dir.resolve(zip);
  }

  /**
   * {@code python3.11 -m pip install --target TARGET ARGS... --report report.json} and the
   * distributions pip says it installed, as normalized {@code name==version}.
   */
  static Set<String> pip(Path dir, String target, String... args) throws IOException {
    Path report = dir.resolve("pip-report-" + target.replace('/', '_') + ".json");
    List<String> command =
        new ArrayList<>(
            List.of(
                Python.of("3.11").executable().toString(),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--retries",
                "0",
                "--disable-pip-version-check",
                "--target",
                target,
                "--report",
                report.toString()));
    command.addAll(List.of(args));
    run(dir, Map.of(), command.toArray(String[]::new));
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    Set<String> installed = new TreeSet<>();
    for (JsonNode item : json.path("install")) {
      installed.add(
          normalize(item.path("metadata").path("name").asText())
              + "=="
              + item.path("metadata").path("version").asText());
    }
    return installed;
  }

  /**
   * The first {@code file:} index of pip's configuration (the machine's wheel mirror), for builds
   * that must not fall back to an unreachable PyPI.
   */
  static String mirrorIndex() throws IOException {
    Python.Result r = Python.of("3.11").run(List.of("-m", "pip", "config", "list"), null);
    for (String line : r.stdout().split("\n")) {
      if (line.contains("index-url=")) {
        for (String url : line.substring(line.indexOf('=') + 1).replace("'", "").split("\\s+")) {
          if (url.startsWith("file:")) {
            return url;
          }
        }
      }
    }
    throw new AssertionError("pip's configuration names no file: index (the local mirror)");
  }

  static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
  }
}
