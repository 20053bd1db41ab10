package dev.accretion.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LayerTemplateTest {
  private static final LayerTemplate.Layer LAYER =
      new LayerTemplate.Layer(
          "web-deps-arm64",
          "web \"deps\": yes [accretion sha256:" + "a".repeat(64) + "]",
          List.of("python3.12", "python3.13"),
          List.of("arm64"),
          "MIT",
          "accretion-${AWS::AccountId}-${AWS::Region}",
          "accretion/web-deps-arm64/" + "a".repeat(64) + ".zip",
          List.of(
              new LayerTemplate.Grant("*", null),
              new LayerTemplate.Grant("111122223333", null),
              new LayerTemplate.Grant("*", "o-a1b2c3d4e5")));

  @Test
  void cloudformation_layerVersionWithContentInStagingBucket_permissionPerGrant_export() {
    String t = LayerTemplate.layer(LAYER, LayerTemplate.Format.CLOUDFORMATION);
    assertThat(t)
        .doesNotContain("Transform")
        .contains(
            """
              Layer:
                Type: AWS::Lambda::LayerVersion
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
                Properties:
                  LayerName: web-deps-arm64
            """)
        .contains("Description: \"web \\\"deps\\\": yes [accretion sha256:")
        .contains(
            "      Content:\n"
                + "        S3Bucket: !Sub \"accretion-${AWS::AccountId}-${AWS::Region}\"\n"
                + "        S3Key: accretion/web-deps-arm64/")
        .contains("CompatibleRuntimes:\n        - python3.12\n        - python3.13\n")
        .contains("CompatibleArchitectures:\n        - arm64\n")
        .contains("LicenseInfo: MIT\n")
        .contains("  LayerPermission1:", "  LayerPermission2:", "  LayerPermission3:")
        .contains("Principal: \"*\"\n      OrganizationId: o-a1b2c3d4e5\n")
        .contains("Principal: \"111122223333\"\n")
        .contains("Value: !Ref Layer")
        .endsWith("      Name: !Sub \"${AWS::StackName}-LayerVersionArn\"\n");
    // the same layer gives the same bytes
    assertThat(LayerTemplate.layer(LAYER, LayerTemplate.Format.CLOUDFORMATION)).isEqualTo(t);
  }

  @Test
  void sam_serverlessLayerVersionWithRetention() throws Exception {
    String t = LayerTemplate.layer(LAYER, LayerTemplate.Format.SAM);
    assertThat(t)
        .contains("Transform: AWS::Serverless-2016-10-31\n")
        .contains("Type: AWS::Serverless::LayerVersion\n")
        .contains(
            "ContentUri:\n        Bucket: !Sub \"accretion-${AWS::AccountId}-${AWS::Region}\"\n")
        .contains("RetentionPolicy: Retain\n")
        .doesNotContain("S3Key");
    // the generated YAML parses, and its one Sub string is no layer ARN
    assertThat(TemplateScanner.scan(t, "sam.yaml")).isEmpty();
  }

  @Test
  void ssmConsumer_resolvesTheParameterAtDeployment() {
    String t =
        LayerTemplate.ssmConsumer(
            "web-deps-arm64",
            "/layers/web-deps/python3.12/arm64/arn",
            "python3.12",
            "arm64",
            LayerTemplate.Format.SAM);
    assertThat(t)
        .contains("Type: AWS::Serverless::Function")
        .contains("Handler: app.handler")
        .contains("- \"{{resolve:ssm:/layers/web-deps/python3.12/arm64/arn}}\"")
        .contains("- arm64");
    assertThat(
            LayerTemplate.ssmConsumer(
                "n", "/p", "nodejs22.x", "x86_64", LayerTemplate.Format.CLOUDFORMATION))
        .contains("Type: AWS::Lambda::Function", "Handler: index.handler", "Role: !Ref RoleArn");
  }

  @Test
  void quote_plainOnlyWhenUnambiguous() {
    assertThat(LayerTemplate.quote("python3.12")).isEqualTo("python3.12");
    assertThat(LayerTemplate.quote("yes")).isEqualTo("\"yes\"");
    assertThat(LayerTemplate.quote("123")).isEqualTo("\"123\"");
    assertThat(LayerTemplate.quote("a: b # c")).isEqualTo("\"a: b # c\"");
    assertThat(LayerTemplate.quote("x\ny")).isEqualTo("\"x\\ny\"");
  }

  @Test
  void format_parse() {
    assertThat(LayerTemplate.Format.parse("SAM")).isEqualTo(LayerTemplate.Format.SAM);
    assertThat(LayerTemplate.Format.parse("cfn")).isEqualTo(LayerTemplate.Format.CLOUDFORMATION);
    assertThatThrownBy(() -> LayerTemplate.Format.parse("terraform"))
        .hasMessageContaining("terraform");
  }
}
