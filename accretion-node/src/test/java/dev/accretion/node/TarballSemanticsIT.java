package dev.accretion.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.runtime.Architecture;
import dev.accretion.node.json.JsonText;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.LayerFile;
import dev.accretion.pipeline.spi.Placement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Odd but legitimate tarballs, served by a registry the test runs, installed by npm 11 and by the
 * builder from the same lock: the files must come out the same (npm's extraction rules: any top
 * folder name stripped, {@code .gitignore} renamed, links and folders skipped, the later of two
 * entries wins, long pax paths, a bin's Windows line ending on its {@code #!} line fixed, execute
 * bits kept).
 */
class TarballSemanticsIT {
  @TempDir Path tmp;

  @Test
  void oddTarballs_installAsNpmInstallsThem() throws Exception {
    try (RegistryFixture registry = new RegistryFixture()) {
      TarBuilder odd =
          new TarBuilder()
              .dir("node-odd/")
              .file(
                  "node-odd/package.json",
                  "{\"name\":\"odd\",\"version\":\"1.0.0\",\"bin\":{\"odd\":\"./bin/cli.js\"}}")
              .file(
                  "node-odd/bin/cli.js",
                  "#!/usr/bin/env node\r\nconsole.log('odd')\r\n".getBytes(StandardCharsets.UTF_8),
                  0644)
              .file("node-odd/run.sh", "echo hi\n".getBytes(StandardCharsets.UTF_8), 0755)
              .file("node-odd/group-x.sh", "echo g\n".getBytes(StandardCharsets.UTF_8), 0654)
              .file("node-odd/.gitignore", "root-git")
              .file("node-odd/lib/.npmignore", "lib-npm")
              .file("node-odd/lib/.gitignore", "lib-git")
              .file("node-odd/lib/index.js", "module.exports = 'first'")
              .file("node-odd/lib/index.js", "module.exports = 'second'")
              .symlink("node-odd/lib/alias.js", "index.js")
              .file("top-level-file.txt", "dropped")
              .paxPath("node-odd/" + "deep/".repeat(40) + "file.js")
              .file("placeholder", "deep");
      registry.publish(
          JsonText.parseObject(
              "{\"name\":\"odd\",\"version\":\"1.0.0\",\"bin\":{\"odd\":\"./bin/cli.js\"}}"),
          odd.gzip());
      registry.publish(
          JsonText.parseObject(
              "{\"name\":\"@scope/plain\",\"version\":\"2.0.0\",\"dependencies\":{\"odd\":\"^1.0.0\"}}"),
          Map.of("index.js", "module.exports = require('odd/lib')", "README.md", "x"));

      Path project = tmp.resolve("project");
      Files.createDirectories(project);
      Files.writeString(
          project.resolve("package.json"),
          "{\"name\":\"p\",\"version\":\"1.0.0\",\"dependencies\":{\"@scope/plain\":\"^2.0.0\"}}");
      List<String> npmArgs =
          List.of(
              "--registry=" + registry.url(),
              "--cache=" + tmp.resolve("npm-cache"),
              "--no-audit",
              "--no-fund",
              "--loglevel=error",
              "--ignore-scripts");
      NodeTools.run(
              concat(
                  List.of(
                      "npm",
                      "install",
                      "--package-lock-only",
                      "--omit-lockfile-registry-resolved=false"),
                  npmArgs),
              project,
              null,
              Map.of())
          .requireSuccess("npm install --package-lock-only against the test registry");
      NodeTools.run(concat(List.of("npm", "ci", "--omit=dev"), npmArgs), project, null, Map.of())
          .requireSuccess("npm ci");
      Map<String, String> npmTree = NpmCiDifferentialIT.tree(project.resolve("node_modules"));

      Path cache = tmp.resolve("cache");
      SessionBuild.Result r =
          SessionBuild.build(
              project.resolve("package.json"),
              SessionBuild.target("nodejs20.x", Architecture.X86_64),
              Placement.LAYER,
              BuilderOptions.none(),
              SessionBuild.context(Map.of(), tmp.resolve("home"), cache, BuildListener.NONE),
              cache.resolve("blobs"),
              null);
      Map<String, String> mine = new TreeMap<>();
      for (LayerFile f : r.files().values()) {
        String p = f.path().substring("nodejs/node_modules/".length());
        if (!p.equals(".package-lock.json")) {
          mine.put(p, f.sha256() + (f.executable() ? " x" : ""));
        }
      }
      assertThat(mine).isEqualTo(npmTree);
      assertThat(mine)
          .containsKey("odd/.npmignore")
          .containsKey("odd/lib/.npmignore")
          .doesNotContainKey("odd/lib/alias.js");
    }
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
