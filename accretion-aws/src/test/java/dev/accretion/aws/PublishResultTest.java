package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishResultTest {
  @Test
  void toJson_hasTheShapeOfPublishJson() throws Exception {
    PublishResult r =
        new PublishResult(
            "deps",
            "ab".repeat(32),
            "c1",
            List.of(
                new RegionResult(
                    "us-east-1", "arn:aws:lambda:us-east-1:1:layer:deps:3", 3, true, null, null),
                RegionResult.failed("eu-west-1", "boom")),
            List.of());

    JsonNode json = new ObjectMapper().readTree(PublishResult.toJson(List.of(r)));

    JsonNode layer = json.get("layers").get(0);
    assertThat(layer.get("name").asText()).isEqualTo("deps");
    assertThat(layer.get("digest").asText()).isEqualTo("ab".repeat(32));
    assertThat(layer.at("/regions/0/published").asBoolean()).isTrue();
    assertThat(layer.at("/regions/0/version").asLong()).isEqualTo(3);
    assertThat(layer.at("/regions/0/error").isMissingNode()).isTrue();
    assertThat(layer.fieldNames()).toIterable().containsExactly("name", "digest", "regions");
    assertThat(layer.at("/regions/0").fieldNames())
        .toIterable()
        .containsExactly("region", "layerVersionArn", "version", "published");
    assertThat(layer.at("/regions/1/published").asBoolean()).isFalse();
    assertThat(layer.at("/regions/1/layerVersionArn").isNull()).isTrue();
    assertThat(layer.at("/regions/1/error").asText()).isEqualTo("boom");
    assertThat(r.ok()).isFalse();
    assertThat(r.failures()).extracting(RegionResult::region).containsExactly("eu-west-1");
  }
}
