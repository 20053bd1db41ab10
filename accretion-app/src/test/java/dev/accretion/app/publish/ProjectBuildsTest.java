package dev.accretion.app.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.app.Environment;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.aws.Notifications;
import dev.accretion.aws.Sharing;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.testkit.SimpleIndexBuilder;
import dev.accretion.testkit.WheelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Project layers built from their listing: several builds at once in one JVM on one cache (as a
 * service would run them), with no lock of the caller's, all succeed with the same bytes.
 */
class ProjectBuildsTest {
  @TempDir Path temp;

  @Test
  void concurrentBuildsOnOneCache_allSucceedWithTheSameBytes() throws Exception {
    SimpleIndexBuilder index = new SimpleIndexBuilder(temp.resolve("index"));
    index.add(WheelBuilder.wheel("tiny", "1.0").file("tiny/__init__.py", "T = 1\n"));
    index.add(
        WheelBuilder.wheel("webby", "2.0")
            .file("webby/__init__.py", "import tiny\n")
            .requires("tiny"));
    Environment env =
        Environment.of(
            Map.of(
                "PIP_CONFIG_FILE", "/dev/null",
                "PIP_INDEX_URL", index.url(),
                "HOME", temp.toString()),
            temp);
    int builds = 4;
    List<ProjectFile.LayerConfig> layers = new ArrayList<>();
    for (int i = 0; i < builds; i++) {
      Path project = Files.createDirectories(temp.resolve("p" + i));
      Files.writeString(project.resolve("requirements.txt"), "webby\n");
      layers.add(
          new ProjectFile.LayerConfig(
              "web",
              Path.of("requirements.txt"),
              List.of(),
              List.of("python3.12", "python3.13"),
              List.of("x86_64"),
              List.of(),
              Sharing.privateOnly(),
              null,
              "",
              null,
              null,
              Notifications.none(),
              List.of(),
              project.resolve("accretion.toml"),
              1));
    }
    ProjectBuilds source = new ProjectBuilds(env, temp.resolve("cache"), ProgressListener.NONE);
    CyclicBarrier start = new CyclicBarrier(builds);
    ExecutorService pool = Executors.newFixedThreadPool(builds);
    try {
      List<Future<List<BuiltArtifact>>> futures = new ArrayList<>();
      for (ProjectFile.LayerConfig layer : layers) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return source.artifacts(layer);
                }));
      }
      String sha = null;
      for (Future<List<BuiltArtifact>> f : futures) {
        List<BuiltArtifact> artifacts = f.get();
        assertThat(artifacts).hasSize(1);
        assertThat(artifacts.get(0).runtimes()).containsExactly("python3.12", "python3.13");
        if (sha == null) {
          sha = artifacts.get(0).sha256Hex();
        }
        assertThat(artifacts.get(0).sha256Hex()).isEqualTo(sha);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < builds; i++) {
      assertThat(temp.resolve("p" + i + "/dist")).isDirectoryContaining("glob:**.zip");
    }
  }
}
