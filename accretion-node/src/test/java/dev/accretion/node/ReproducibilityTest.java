package dev.accretion.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.Target;
import dev.accretion.node.json.JsonText;
import dev.accretion.node.json.JsonValues;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.LayerFile;
import dev.accretion.pipeline.spi.Placement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builder's output depends only on its inputs: the same files, bytes, modes, lock and hidden
 * lockfile whatever the cache folder, the order of the lock's entries or of package.json's
 * dependencies.
 */
class ReproducibilityTest {
  @TempDir Path tmp;

  @Test
  void sameInputs_sameLayerFiles_whateverTheCacheAndTheOrder() throws Exception {
    try (RegistryFixture r = new RegistryFixture()) {
      for (String n : List.of("a", "b", "c", "d", "e")) {
        r.publish(
            NodeBuilderFixtureTest.m(
                "name",
                n,
                "version",
                "1.0.0",
                "dependencies",
                Map.of("shared", n.equals("a") ? "^1.0.0" : "^2.0.0")),
            Map.of("index.js", "module.exports = '" + n + "'", "bin/x", "x"));
      }
      r.publish(
          NodeBuilderFixtureTest.m("name", "shared", "version", "1.0.0"), Map.of("index.js", "1"));
      r.publish(
          NodeBuilderFixtureTest.m("name", "shared", "version", "2.0.0"), Map.of("index.js", "2"));
      Map<String, Object> deps = new LinkedHashMap<>();
      for (String n : List.of("a", "b", "c", "d", "e")) {
        deps.put(n, "^1.0.0");
      }
      Path p1 = project(deps, r);
      Result first = build(p1, tmp.resolve("cache1"));
      // the lock the first build wrote, with its entries and package.json's dependencies shuffled
      Map<String, Object> lock =
          JsonText.parseObject(new String(first.lock(), java.nio.charset.StandardCharsets.UTF_8));
      List<Map.Entry<String, Object>> entries =
          new ArrayList<>(JsonValues.map(lock, "packages").entrySet());
      Collections.shuffle(entries, new Random(7));
      Map<String, Object> shuffled = new LinkedHashMap<>();
      entries.forEach(e -> shuffled.put(e.getKey(), e.getValue()));
      lock.put("packages", shuffled);
      List<String> names = new ArrayList<>(deps.keySet());
      Collections.shuffle(names, new Random(3));
      Map<String, Object> deps2 = new LinkedHashMap<>();
      names.forEach(n -> deps2.put(n, "^1.0.0"));
      Path p2 = project(deps2, r);
      Files.writeString(p2.resolve("package-lock.json"), JsonText.write(lock));
      Result second = build(p2, tmp.resolve("other-cache"));
      assertThat(second.files()).isEqualTo(first.files());
      Result third = build(p1, tmp.resolve("cache1"));
      assertThat(third.files()).isEqualTo(first.files());
      assertThat(third.lock()).isEqualTo(first.lock());
    }
  }

  record Result(Map<String, String> files, byte[] lock) {}

  Path project(Map<String, Object> deps, RegistryFixture r) throws Exception {
    Path p = Files.createTempDirectory(tmp, "p");
    Files.writeString(
        p.resolve("package.json"),
        JsonText.write(
            NodeBuilderFixtureTest.m("name", "app", "version", "1.0.0", "dependencies", deps)));
    Files.writeString(p.resolve(".npmrc"), "registry=" + r.url() + "\n");
    return p;
  }

  Result build(Path project, Path cache) throws Exception {
    Target t = SessionBuild.target("nodejs22.x", Architecture.ARM64);
    SessionBuild.Result r =
        SessionBuild.build(
            project.resolve("package.json"),
            t,
            Placement.LAYER,
            BuilderOptions.none(),
            SessionBuild.context(Map.of(), tmp.resolve("home"), cache, BuildListener.NONE),
            cache.resolve("blobs"),
            null);
    Map<String, String> files = new LinkedHashMap<>();
    for (LayerFile f : r.files().values()) {
      byte[] b = ((LayerFile.Compressed) f.content()).uncompressed();
      files.put(
          f.path(),
          f.sha256() + " " + f.size() + " " + f.executable() + " " + SessionBuild.sha256Hex(b));
    }
    return new Result(
        files, r.session().lockFile(r.resolution(), "app", null).orElseThrow().content());
  }
}
