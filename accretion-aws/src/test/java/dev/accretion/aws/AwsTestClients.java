package dev.accretion.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/** Plain SDK clients straight to moto, for checking what the publisher did. */
final class AwsTestClients {
  private AwsTestClients() {}

  private static <B extends AwsClientBuilder<B, ?>> B setUp(B b, String region) {
    URI endpoint = MotoServer.endpoint();
    return b.region(Region.of(region))
        .endpointOverride(endpoint)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)));
  }

  static LambdaClient lambda(String region) {
    return setUp(LambdaClient.builder(), region).httpClient(Apache5HttpClient.create()).build();
  }

  static S3Client s3(String region) {
    return setUp(S3Client.builder(), region)
        .forcePathStyle(true)
        .httpClient(Apache5HttpClient.create())
        .build();
  }

  static SnsClient sns(String region) {
    return setUp(SnsClient.builder(), region).httpClient(Apache5HttpClient.create()).build();
  }

  static SqsClient sqs(String region) {
    return setUp(SqsClient.builder(), region).httpClient(Apache5HttpClient.create()).build();
  }

  static SsmClient ssm(String region) {
    return setUp(SsmClient.builder(), region).httpClient(Apache5HttpClient.create()).build();
  }
}
