package dev.accretion.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * One SQS queue of work: send, long-poll, extend a message's visibility while it is worked on,
 * delete it when done, and read the queue's redrive policy. A failed message is never deleted here:
 * it becomes visible again and, after the redrive policy's {@code maxReceiveCount} receives, SQS
 * moves it to the dead-letter queue.
 *
 * <p>Thread-safe (the SDK client is): a heartbeat thread may extend a message while another thread
 * receives.
 */
public final class WorkQueue implements AutoCloseable {
  /** The largest message body SQS accepts (1 MiB since 2025; 256 KiB before). */
  public static final int MAX_BODY_BYTES = 256 * 1024;

  private static final Pattern AWS_HOST =
      Pattern.compile("^sqs\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?$");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final AwsClients clients;
  private final SqsClient sqs;
  private final String url;

  /**
   * One received message; {@code receiveCount} is SQS's ApproximateReceiveCount (1 the first time).
   */
  public record Received(String messageId, String receiptHandle, String body, int receiveCount) {}

  /**
   * @param settings how to reach AWS
   * @param url the queue URL ({@code https://sqs.<region>.amazonaws.com/<account>/<name>}, or an
   *     emulator's)
   * @throws AccretionException a usage failure for a URL that is not one, an AWS failure when no
   *     region can be found
   */
  public WorkQueue(AwsSettings settings, String url) throws AccretionException {
    this.url = checkUrl(url);
    this.clients = new AwsClients(settings);
    String region = regionOf(url);
    this.sqs = clients.sqs(region == null ? clients.defaultRegion() : region);
  }

  private static String checkUrl(String url) throws AccretionException {
    URI uri;
    try {
      uri = URI.create(url == null ? "" : url.strip());
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null
        || uri.getScheme() == null
        || uri.getHost() == null
        || uri.getPath() == null
        || uri.getPath().split("/").length < 3) {
      throw new AccretionException(
          FailureKind.USAGE,
          "'" + url + "' is not an SQS queue URL",
          "give the queue's URL, like https://sqs.eu-west-1.amazonaws.com/123456789012/accretion-efs"
              + " (aws sqs get-queue-url --queue-name NAME prints it)",
          null);
    }
    return url.strip();
  }

  /** The region of an AWS queue URL, or null for another host (an emulator). */
  static String regionOf(String url) {
    Matcher m = AWS_HOST.matcher(URI.create(url.strip()).getHost());
    return m.matches() ? m.group(1) : null;
  }

  public String url() {
    return url;
  }

  /**
   * Sends one message.
   *
   * @return its message id
   */
  public String send(String body) throws AccretionException {
    int size = body.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_BODY_BYTES) {
      throw new AccretionException(
          FailureKind.TOO_LARGE,
          "the message for " + url + " is " + size + " bytes; SQS takes at most " + MAX_BODY_BYTES,
          "send a smaller lock (a lock of a few hundred packages is far below the limit)",
          null);
    }
    try {
      return sqs.sendMessage(b -> b.queueUrl(url).messageBody(body)).messageId();
    } catch (SdkException e) {
      throw failure("send a message to", e);
    }
  }

  /**
   * Long-polls for messages.
   *
   * @param max 1 to 10
   * @param wait how long to wait for one (at most 20 seconds)
   * @param visibility how long the messages stay hidden from other receivers
   */
  public List<Received> receive(int max, Duration wait, Duration visibility)
      throws AccretionException {
    try {
      List<Message> messages =
          sqs.receiveMessage(
                  b ->
                      b.queueUrl(url)
                          .maxNumberOfMessages(Math.max(1, Math.min(10, max)))
                          .waitTimeSeconds((int) Math.max(0, Math.min(20, wait.toSeconds())))
                          .visibilityTimeout(seconds(visibility))
                          .messageSystemAttributeNames(
                              MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
              .messages();
      List<Received> out = new ArrayList<>();
      for (Message m : messages) {
        String count = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        out.add(
            new Received(
                m.messageId(),
                m.receiptHandle(),
                m.body(),
                count == null ? 1 : Integer.parseInt(count)));
      }
      return out;
    } catch (SdkException e) {
      throw failure("receive from", e);
    }
  }

  /** Hides a received message for {@code visibility} from now on (zero: visible again at once). */
  public void extend(Received message, Duration visibility) throws AccretionException {
    try {
      sqs.changeMessageVisibility(
          b ->
              b.queueUrl(url)
                  .receiptHandle(message.receiptHandle())
                  .visibilityTimeout(seconds(visibility)));
    } catch (SdkException e) {
      throw failure("change the visibility of message " + message.messageId() + " on", e);
    }
  }

  /** Deletes a message that was handled. */
  public void delete(Received message) throws AccretionException {
    try {
      sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
    } catch (SdkException e) {
      throw failure("delete message " + message.messageId() + " from", e);
    }
  }

  /**
   * The {@code maxReceiveCount} of the queue's redrive policy: after that many receives SQS moves a
   * message to the dead-letter queue. Empty when the queue has no redrive policy.
   */
  public OptionalInt maxReceiveCount() throws AccretionException {
    Map<QueueAttributeName, String> attributes;
    try {
      attributes =
          sqs.getQueueAttributes(
                  b -> b.queueUrl(url).attributeNames(QueueAttributeName.REDRIVE_POLICY))
              .attributes();
    } catch (SdkException e) {
      throw failure("read the attributes of", e);
    }
    String policy = attributes.get(QueueAttributeName.REDRIVE_POLICY);
    if (policy == null || policy.isBlank()) {
      return OptionalInt.empty();
    }
    try {
      JsonNode count = MAPPER.readTree(policy).get("maxReceiveCount");
      return count == null ? OptionalInt.empty() : OptionalInt.of(count.asInt());
    } catch (IOException e) {
      return OptionalInt.empty();
    }
  }

  private static int seconds(Duration d) {
    return (int) Math.max(0, Math.min(43_200, d.toSeconds()));
  }

  private AccretionException failure(String what, SdkException e) {
    if (e instanceof QueueDoesNotExistException) {
      return new AccretionException(
          FailureKind.NOT_FOUND,
          "the SQS queue " + url + " does not exist",
          "check the queue URL and the region (aws sqs list-queues)",
          e);
    }
    return new AccretionException(
        FailureKind.AWS,
        "could not " + what + " the SQS queue " + url + ": " + firstLine(e.getMessage()),
        "check the queue URL, the credentials' sqs permissions and the network",
        e);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no detail";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  public void close() {
    clients.close();
  }
}
