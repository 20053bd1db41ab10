import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** DynamoDB through the URL connection client (Netty excluded), then Jackson on the result. */
public class Handler {
  public static void main(String[] args) throws Exception {
    try (DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(URI.create(args[0])).region(Region.US_EAST_1)
        .httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"))).build()) {
      String json = new ObjectMapper().writeValueAsString(ddb.listTables().tableNames());
      try {
        Class.forName("software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient");
        throw new AssertionError("netty-nio-client was excluded");
      } catch (ClassNotFoundException expected) {
      }
      System.out.println("OK tables " + json + " codec " + org.apache.commons.codec.binary.Hex.class.getPackage().getImplementationVersion());
    }
  }
}
