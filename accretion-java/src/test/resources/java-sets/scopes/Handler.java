import org.apache.commons.codec.digest.DigestUtils;
import org.apache.http.client.utils.URIBuilder;
import org.joda.time.LocalDate;

public class Handler {
  public static void main(String[] args) throws Exception {
    String uri = new URIBuilder("https://example.com").addParameter("q", DigestUtils.sha256Hex("x").substring(0, 8)).build().toString();
    try {
      Class.forName("org.junit.Assert");
      throw new AssertionError("junit is a test dependency");
    } catch (ClassNotFoundException expected) {
    }
    System.out.println("OK " + uri + " " + new LocalDate(2026, 1, 2));
  }
}
