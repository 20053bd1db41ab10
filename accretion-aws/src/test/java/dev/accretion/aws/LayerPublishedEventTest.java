package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerPublishedEventTest {
  private static final LayerPublishedEvent EVENT =
      new LayerPublishedEvent(
          "my-layer",
          "ab".repeat(32),
          "content:1",
          List.of("python3.12"),
          List.of("x86_64", "arm64"),
          List.of(
              new LayerPublishedEvent.VersionRef(
                  "eu-west-1",
                  "arn:aws:lambda:eu-west-1:1:layer:my-layer:7",
                  7,
                  true,
                  "arn:aws:lambda:eu-west-1:1:layer:my-layer:6"),
              new LayerPublishedEvent.VersionRef(
                  "us-east-1", "arn:aws:lambda:us-east-1:1:layer:my-layer:3", 3, false, null)),
          "cd".repeat(32),
          new PackageDiff(
              List.of(new PackageVersion("idna", "3.10")),
              List.of(new PackageVersion("chardet", "5.2.0")),
              List.of(new PackageDiff.Change("requests", "2.31.0", "2.32.3"))));

  @Test
  void toJson_followsTheDocumentedSchema() throws Exception {
    JsonNode json = new ObjectMapper().readTree(EVENT.toJson());

    assertThat(json.get("schema").asText()).isEqualTo("accretion.layer-published.v1");
    assertThat(json.get("layer").asText()).isEqualTo("my-layer");
    assertThat(json.get("versions").get(0).get("new").asBoolean()).isTrue();
    assertThat(json.get("versions").get(1).get("previousVersionArn").isNull()).isTrue();
    assertThat(json.at("/diff/changed/0/from").asText()).isEqualTo("2.31.0");
    assertThat(json.at("/diff/added/0/name").asText()).isEqualTo("idna");
    assertThat(json.get("compatibleArchitectures")).hasSize(2);
  }

  @Test
  void parse_readsBackWhatToJsonWrote() throws Exception {
    assertThat(LayerPublishedEvent.parse(EVENT.toJson())).isEqualTo(EVENT);
  }

  @Test
  void parse_keepsANullDiff() throws Exception {
    LayerPublishedEvent noDiff =
        new LayerPublishedEvent(
            "l", "ab".repeat(32), "", List.of(), List.of(), List.of(), null, null);
    assertThat(LayerPublishedEvent.parse(noDiff.toJson())).isEqualTo(noDiff);
  }

  @Test
  void parse_rejectsOtherDocuments() {
    assertThatThrownBy(() -> LayerPublishedEvent.parse("{\"schema\":\"other\"}"))
        .hasMessageContaining("not an accretion.layer-published.v1 message");
  }
}
