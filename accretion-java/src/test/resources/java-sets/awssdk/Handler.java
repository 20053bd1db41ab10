import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Talks to the moto server named by the first argument: S3, DynamoDB and SQS. */
public class Handler {
  public static void main(String[] args) {
    URI endpoint = URI.create(args[0]);
    var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    String suffix = Long.toHexString(System.nanoTime());
    try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(creds).forcePathStyle(true).build();
        DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(creds).build();
        SqsClient sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(creds).build()) {
      s3.createBucket(b -> b.bucket("layer-" + suffix));
      boolean bucket = s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals("layer-" + suffix));
      ddb.createTable(t -> t.tableName("t-" + suffix).billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
          .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
      boolean table = ddb.listTables().tableNames().contains("t-" + suffix);
      String queue = sqs.createQueue(q -> q.queueName("q-" + suffix)).queueUrl();
      if (!bucket || !table || queue == null) throw new AssertionError(bucket + " " + table + " " + queue);
      System.out.println("OK bucket, table and queue created");
    }
  }
}
