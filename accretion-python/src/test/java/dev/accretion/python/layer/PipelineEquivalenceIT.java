package dev.accretion.python.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.core.cache.Cache;
import dev.accretion.core.cache.CacheListener;
import dev.accretion.core.cache.CacheLocation;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.BuildRequest;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.LayerPipeline;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.python.lock.Locker;
import dev.accretion.python.resolve.IndexStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real wheels from the local mirror (compressed entries, native libraries, scripts), built by the
 * Python layer builder and by the layer pipeline with the Python builder: every installed file is
 * the same, and the targets share zips the same way.
 */
class PipelineEquivalenceIT {
  @TempDir Path temp;

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({
    "'pandas\nnumpy\n', python3.11/x86_64",
    "'boto3\nclick\nattrs\n', python3.12/x86_64 python3.13/x86_64",
    "'pydantic\nlxml\npyyaml\npillow\n', python3.11/x86_64",
    "'bcrypt\npsutil\n', python3.12/x86_64 python3.13/x86_64"
  })
  void realWheels_installTheSameFiles(String requirements, String targetSpecs) throws Exception {
    Path dir = Files.createDirectories(temp.resolve("proj"));
    Path listing = dir.resolve("requirements.txt");
    Files.writeString(listing, requirements);
    List<Target> targets = new ArrayList<>();
    for (String spec : targetSpecs.split(" ")) {
      String[] p = spec.split("/");
      targets.add(RuntimeMatrix.load().target(p[0], p[1]));
    }
    Path cacheDir = temp.resolve("cache");
    Path home = Path.of(System.getProperty("user.home"));
    Locker.Options options =
        new Locker.Options(
            null,
            Set.of(),
            Set.of(),
            Locker.IndexOverrides.none(),
            IndexStrategy.FIRST_INDEX,
            false,
            cacheDir.resolve("http"),
            System.getenv(),
            home,
            dir,
            null);
    List<BuiltArtifact> old =
        new PythonLayerBuilder(
                Cache.open(CacheLocation.of(cacheDir), CacheListener.none()),
                LayerBuildListener.NONE)
            .build(LayerBuildRequest.of(listing, options, targets, dir.resolve("old")))
            .artifacts();
    List<BuiltArtifact> now =
        new LayerPipeline(BuilderRegistry.load())
            .build(
                BuildRequest.of(
                    listing,
                    targets,
                    dir.resolve("new"),
                    new BuildContext(System.getenv(), home, dir, cacheDir, BuildListener.NONE)))
            .artifacts();
    assertThat(now).hasSameSizeAs(old);
    for (int i = 0; i < old.size(); i++) {
      assertThat(now.get(i).zip().getFileName()).isEqualTo(old.get(i).zip().getFileName());
      assertThat(PipelineEquivalenceTest.installedDigest(now.get(i).zip()))
          .isEqualTo(PipelineEquivalenceTest.installedDigest(old.get(i).zip()));
      assertThat(now.get(i).packages()).isEqualTo(old.get(i).packages());
      assertThat(now.get(i).notes()).isEqualTo(old.get(i).notes());
    }
  }
}
