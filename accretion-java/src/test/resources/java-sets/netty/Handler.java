import io.netty.channel.epoll.Epoll;

/** Loads the x86_64 native transport from its jar (the aarch64 one is laid out beside it). */
public class Handler {
  public static void main(String[] args) {
    Epoll.ensureAvailability();
    System.out.println("OK epoll available: " + Epoll.isAvailable());
  }
}
