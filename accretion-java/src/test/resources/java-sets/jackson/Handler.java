import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.LocalDate;
import java.util.Map;

public class Handler {
  public record Order(String id, LocalDate day, Map<String, Integer> items) {}

  public static void main(String[] args) throws Exception {
    ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    String json = mapper.writeValueAsString(new Order("o-1", LocalDate.of(2026, 1, 2), Map.of("apple", 3)));
    Order back = mapper.readValue(json, Order.class);
    if (!back.day().equals(LocalDate.of(2026, 1, 2)) || !json.contains("\"2026-01-02\"")) throw new AssertionError(json);
    System.out.println("OK " + json);
  }
}
