package dev.accretion.app.sources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.runtime.Language;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.spi.BuildInput;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.Builder;
import dev.accretion.pipeline.spi.ListingFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Python flags' defaults reach the Python builder only. */
class SourcesTest {
  /** A builder of {@code *.fake} listings that is never asked to build here. */
  static final class FakeBuilder implements Builder {
    @Override
    public String id() {
      return "fake";
    }

    @Override
    public Set<Language> languages() {
      return Set.of();
    }

    @Override
    public List<ListingFormat> formats() {
      return List.of(new ListingFormat("fake", "a fake listing", List.of("*.fake"), false));
    }

    @Override
    public Optional<ListingFormat> detect(Path listing) {
      return listing.getFileName().toString().endsWith(".fake")
          ? Optional.of(formats().get(0))
          : Optional.empty();
    }

    @Override
    public BuildSession open(BuildInput input) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void pythonDefaults_areDroppedForAnotherBuilder_explicitValuesStay() throws Exception {
    List<Builder> builders = new java.util.ArrayList<>(BuilderRegistry.load().builders());
    builders.add(new FakeBuilder());
    BuilderRegistry registry = BuilderRegistry.of(builders);
    Map<String, List<String>> defaults =
        Sources.builderOptions(IndexSettings.configured(), List.of(), List.of());
    defaults.put("layout", List.of("python"));
    assertThat(Sources.forBuilder(registry, Path.of("/x/requirements.txt"), null, defaults))
        .containsEntry("layout", List.of("python"))
        .containsEntry("index-strategy", List.of("first-index"));
    assertThat(Sources.forBuilder(registry, Path.of("/x/deps.fake"), null, defaults)).isEmpty();
    defaults.put("layout", List.of("site-packages"));
    assertThat(Sources.forBuilder(registry, Path.of("/x/deps.fake"), null, defaults))
        .containsOnlyKeys("layout");
    assertThat(Sources.forBuilder(registry, Path.of("/x/unknown.xyz"), null, defaults))
        .isEqualTo(defaults);
  }
}
