package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LambdaContentsTest {
  @Test
  void layerVersionArns_ofAnyPartitionAndAccount() {
    assertThat(
            LambdaContents.isLayerVersionArn(
                "arn:aws:lambda:eu-central-1:770693421928:layer:Klayers-p312-requests:9"))
        .isTrue();
    assertThat(
            LambdaContents.isLayerVersionArn("arn:aws-cn:lambda:cn-north-1:123456789012:layer:x:1"))
        .isTrue();
    assertThat(LambdaContents.isLayerVersionArn("arn:aws:lambda:us-east-1:123456789012:layer:x"))
        .isFalse();
    assertThat(LambdaContents.isLayerVersionArn("arn:aws:lambda:us-east-1:123456789012:function:f"))
        .isFalse();
  }

  @Test
  void regionOf_layerAndFunctionArns() {
    assertThat(LambdaContents.regionOf("arn:aws:lambda:eu-west-1:123456789012:layer:deps:4"))
        .contains("eu-west-1");
    assertThat(LambdaContents.regionOf("arn:aws:lambda:ap-south-1:123456789012:function:api:prod"))
        .contains("ap-south-1");
    assertThat(LambdaContents.regionOf("api")).isEmpty();
  }

  @Test
  void malformedLayerArn_isAUsageError_beforeAnyCall() throws Exception {
    AwsSettings settings = AwsSettings.fromEnvironment(Map.of(), Path.of("/nonexistent"));
    try (LambdaContents contents = new LambdaContents(settings)) {
      assertThatThrownBy(() -> contents.layerVersion("arn:aws:lambda:us-east-1:1:layer:x"))
          .isInstanceOfSatisfying(
              AccretionException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.USAGE));
    }
  }
}
