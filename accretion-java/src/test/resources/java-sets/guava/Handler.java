import com.google.common.collect.ImmutableMultimap;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;

public class Handler {
  public static void main(String[] args) {
    ImmutableMultimap<String, Integer> m = ImmutableMultimap.of("a", 1, "a", 2, "b", 3);
    String h = Hashing.sha256().hashString("layer", StandardCharsets.UTF_8).toString();
    if (m.get("a").size() != 2 || h.length() != 64) throw new AssertionError();
    System.out.println("OK " + m + " " + h.substring(0, 12));
  }
}
