import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class Handler {
  public static void main(String[] args) {
    Logger log = LoggerFactory.getLogger(Handler.class);
    if (!log.getClass().getName().equals("ch.qos.logback.classic.Logger")) throw new AssertionError(log.getClass());
    log.info("logged through logback");
    System.out.println("OK " + log.getClass().getName());
  }
}
