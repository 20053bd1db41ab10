package dev.accretion.cli;

import static dev.accretion.testkit.WheelBuilder.wheel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accretion.testkit.MotoServer;
import dev.accretion.testkit.SimpleIndexBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code accretion publish} from a listing: build (cache hit when unchanged), then publish. */
class PublishListingIT {
  @TempDir Path dir;
  SimpleIndexBuilder index;

  @BeforeEach
  void setUp() throws Exception {
    index = new SimpleIndexBuilder(dir.resolve("index"));
    index.add(
        wheel("greeter", "1.0").file("greeter/__init__.py", "def hello():\n    return 'hi'\n"));
    index.add(wheel("colors", "2.0").file("colors/__init__.py", "RED = 1\n"));
  }

  private Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>(MotoServer.environment(dir, "us-east-1"));
    env.put("PIP_CONFIG_FILE", "/dev/null");
    env.put("PIP_INDEX_URL", index.url());
    return env;
  }

  private CliRun run(String... args) {
    return CliRun.run(env(), dir, args);
  }

  @Test
  void listing_isBuiltThenPublished_andUnchangedRepublishIsNoNewVersion() throws Exception {
    String layer = TestZips.unique("from-listing");
    Files.writeString(dir.resolve("requirements.txt"), "greeter\n");
    String[] args = {
      "publish",
      "requirements.txt",
      "--layer",
      layer,
      "--runtime",
      "python3.12,python3.13",
      "--regions",
      "us-east-1,eu-west-1",
      "--json"
    };
    CliRun first = run(args);
    assertThat(first.code()).as(first.toString()).isZero();
    // a pure wheel serves both runtimes: one zip, one layer, one version listing both
    assertThat(first.json().get("layers")).hasSize(1);
    assertThat(first.json().at("/layers/0/name").asText()).isEqualTo(layer);
    for (JsonNode region : first.json().at("/layers/0/regions")) {
      assertThat(region.get("published").asBoolean()).isTrue();
      assertThat(region.get("version").asInt()).isEqualTo(1);
    }
    assertThat(dir.resolve("dist")).isDirectory();

    CliRun again = run(args);
    assertThat(again.code()).as(again.toString()).isZero();
    for (JsonNode region : again.json().at("/layers/0/regions")) {
      assertThat(region.get("published").asBoolean()).isFalse();
    }

    Files.writeString(dir.resolve("requirements.txt"), "greeter\ncolors\n");
    CliRun changed = run(args);
    assertThat(changed.code()).as(changed.toString()).isZero();
    for (JsonNode region : changed.json().at("/layers/0/regions")) {
      assertThat(region.get("published").asBoolean()).isTrue();
      assertThat(region.get("version").asInt()).isEqualTo(2);
    }
    CliRun diff = run("diff", layer, "1", "2", "--region", "eu-west-1", "--json");
    assertThat(diff.code()).as(diff.toString()).isZero();
    assertThat(diff.out()).contains("colors").contains("2.0");
  }

  @Test
  void projectLayerWithListing_isBuiltForEachArchitectureAndNamedByTheRule() throws Exception {
    String layer = TestZips.unique("proj-listing");
    Files.writeString(dir.resolve("requirements.txt"), "greeter\n");
    Files.writeString(
        dir.resolve("accretion.toml"),
        "[layers."
            + layer
            + "]\n"
            + "listing = \"requirements.txt\"\n"
            + "runtimes = [\"python3.12\"]\n"
            + "architectures = [\"x86_64\", \"arm64\"]\n"
            + "regions = [\"us-east-1\"]\n");
    CliRun publish = run("publish", "--json");
    assertThat(publish.code()).as(publish.toString()).isZero();
    List<String> names = publish.json().findValuesAsText("name");
    assertThat(names).containsExactlyInAnyOrder(layer + "-x86_64", layer + "-arm64");
    CliRun describe = run("describe", layer + "-arm64", "--region", "us-east-1", "--json");
    assertThat(describe.code()).as(describe.toString()).isZero();
    assertThat(describe.out()).contains("greeter").contains("arm64");
  }
}
