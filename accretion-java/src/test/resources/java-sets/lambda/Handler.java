import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.Map;

public class Handler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  @Override
  public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent in, Context context) {
    return new APIGatewayProxyResponseEvent().withStatusCode(200).withBody("hello " + in.getQueryStringParameters().get("name"));
  }

  public static void main(String[] args) {
    APIGatewayProxyRequestEvent in = new APIGatewayProxyRequestEvent().withQueryStringParameters(Map.of("name", "layer"));
    APIGatewayProxyResponseEvent out = new Handler().handleRequest(in, null);
    if (out.getStatusCode() != 200 || !out.getBody().equals("hello layer")) throw new AssertionError(out);
    System.out.println("OK " + out.getBody());
  }
}
