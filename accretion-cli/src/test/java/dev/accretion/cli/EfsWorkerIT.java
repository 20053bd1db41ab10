package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.testkit.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The install worker end to end against moto's SQS: {@code efs worker} runs as its own process (so
 * SIGTERM is real), {@code efs request --wait} in-process. A good request installs and its result
 * comes back; the same message delivered twice installs nothing new; a poison request is replied to
 * with its error on each attempt, never deleted by the worker, and lands in the dead-letter queue
 * after the redrive policy's maxReceiveCount; SIGTERM stops the worker cleanly.
 */
class EfsWorkerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REGION = "eu-west-1";

  @TempDir Path tmp;

  @Test
  void requestWorkerResult_duplicate_poisonToDeadLetter_sigtermStop() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = new HashMap<>(System.getenv());
    env.keySet().removeIf(k -> k.startsWith("AWS_"));
    env.putAll(MotoServer.environment(tmp, REGION));
    // the user's pip configuration (the package index) stays; AWS files are pointed away above
    env.put("HOME", System.getProperty("user.home"));
    env.put("ACCRETION_CACHE_DIR", tmp.resolve("cache").toString());

    try (SqsClient sqs =
        SqsClient.builder()
            .endpointOverride(MotoServer.endpoint())
            .region(Region.of(REGION))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
            .build()) {
      String dlq = sqs.createQueue(b -> b.queueName("efs-dlq-" + suffix)).queueUrl();
      String dlqArn =
          sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
              .attributes()
              .get(QueueAttributeName.QUEUE_ARN);
      String queue =
          sqs.createQueue(
                  b ->
                      b.queueName("efs-requests-" + suffix)
                          .attributes(
                              Map.of(
                                  QueueAttributeName.REDRIVE_POLICY,
                                  "{\"deadLetterTargetArn\":\""
                                      + dlqArn
                                      + "\",\"maxReceiveCount\":\"2\"}")))
              .queueUrl();
      String replies = sqs.createQueue(b -> b.queueName("efs-replies-" + suffix)).queueUrl();

      Files.write(tmp.resolve("requirements.txt"), List.of("six"));
      CliRun lock = CliRun.run(env, tmp, "lock", "requirements.txt", "--runtime", "python3.11");
      assertThat(lock.code()).as(lock.toString()).isZero();

      Process worker = startWorker(env, queue);
      try {
        // request → worker → result
        CliRun request =
            CliRun.run(
                env,
                tmp,
                "efs",
                "request",
                "pylock.toml",
                "--runtime",
                "python3.11",
                "--queue",
                queue,
                "--reply-queue",
                replies,
                "--wait",
                "--timeout",
                "600",
                "--json");
        assertThat(request.code()).as(request + "\nworker:\n" + log()).isZero();
        JsonNode result = request.json().get("result");
        assertThat(result.get("status").asText()).isEqualTo("installed");
        assertThat(result.get("attempt").asInt()).isEqualTo(1);
        JsonNode install = result.get("install");
        assertThat(install.get("installed").asInt()).isEqualTo(1);
        String digest = install.get("digest").asText();
        Path store = tmp.resolve("store");
        assertThat(store.resolve("views/" + digest + ".json")).isRegularFile();
        List<String> before = tree(store);

        // the same message delivered twice: nothing new written, both replied to as installed
        String duplicateId = "duplicate-" + suffix;
        String body =
            JSON.writeValueAsString(
                Map.of(
                    "type", "accretion.efs.install",
                    "requestId", duplicateId,
                    "listingName", "pylock.toml",
                    "listing", Files.readString(tmp.resolve("pylock.toml")),
                    "runtime", "python3.11",
                    "architecture", "x86_64",
                    "replyTo", replies));
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
        List<JsonNode> dup = results(sqs, replies, duplicateId, 2);
        for (JsonNode r : dup) {
          assertThat(r.get("status").asText()).isEqualTo("installed");
          assertThat(r.get("install").get("installed").asInt()).isZero();
          assertThat(r.get("install").get("bytesWritten").asLong()).isZero();
          assertThat(r.get("install").get("viewCreated").asBoolean()).isFalse();
          assertThat(r.get("install").get("digest").asText()).isEqualTo(digest);
        }
        assertThat(tree(store)).isEqualTo(before);

        // --wait without a reply queue: the view marker of another set appears in the store
        Files.createDirectories(tmp.resolve("second"));
        Files.write(tmp.resolve("second/requirements.txt"), List.of("idna"));
        CliRun marker =
            CliRun.run(
                env,
                tmp,
                "efs",
                "request",
                "second/requirements.txt",
                "--runtime",
                "python3.11",
                "--queue",
                queue,
                "--root",
                "store",
                "--wait",
                "--timeout",
                "600",
                "--json");
        assertThat(marker.code()).as(marker + "\nworker:\n" + log()).isZero();
        assertThat(marker.json().get("result").isNull()).isTrue();
        Path viewMarker = Path.of(marker.json().get("viewMarker").asText());
        assertThat(viewMarker).isRegularFile().hasParent(store.resolve("views"));
        assertThat(viewMarker.getFileName().toString()).isNotEqualTo(digest + ".json");
        try (Stream<Path> idna = Files.list(store.resolve("python3.11/x86_64/idna"))) {
          assertThat(idna.count()).isEqualTo(1);
        }

        // a poison request: replied to with its error twice, then in the dead-letter queue
        Files.createDirectories(tmp.resolve("poison"));
        Files.write(
            tmp.resolve("poison/requirements.txt"),
            List.of("accretion-no-such-package-" + suffix + "==1.0"));
        CliRun poison =
            CliRun.run(
                env,
                tmp,
                "efs",
                "request",
                "poison/requirements.txt",
                "--runtime",
                "python3.11",
                "--queue",
                queue,
                "--reply-queue",
                replies,
                "--wait",
                "--timeout",
                "600");
        assertThat(poison.code()).as(poison + "\nworker:\n" + log()).isEqualTo(1);
        assertThat(poison.err())
            .contains("failed for good after 2 attempts (it is in the dead-letter queue now)")
            .contains("accretion-no-such-package-" + suffix);
        assertThat(poison.err()).contains("attempt 1 failed, the worker will retry");
        Message dead = oneMessage(sqs, dlq);
        assertThat(dead.body()).contains("accretion-no-such-package-" + suffix);
        assertThat(JSON.readTree(dead.body()).get("type").asText())
            .isEqualTo("accretion.efs.install");

        // a message that is not even JSON: no reply possible, dead-lettered all the same
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("not json " + suffix));
        Message garbage = oneMessage(sqs, dlq);
        assertThat(garbage.body()).isEqualTo("not json " + suffix);
        assertThat(log()).contains("failed (attempt 2 of 2): the message is not JSON");

        // SIGTERM: a clean stop
        worker.destroy();
        assertThat(worker.waitFor(120, TimeUnit.SECONDS))
            .as("the worker stops on SIGTERM")
            .isTrue();
        String log = log();
        assertThat(log).contains("stopping: SIGTERM received").contains("worker stopped: ");
        assertThat(worker.exitValue()).isEqualTo(143);
        assertThat(sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)).messages())
            .isEmpty();
      } finally {
        if (worker.isAlive()) {
          worker.destroyForcibly();
        }
      }
    }
  }

  private Process startWorker(Map<String, String> env, String queue) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.accretion.cli.Main");
    cmd.addAll(
        List.of(
            "efs",
            "worker",
            "--queue",
            queue,
            "--root",
            "store",
            "--poll-wait",
            "1",
            "--retry-delay",
            "0",
            "--visibility",
            "10"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("worker.log").toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    return pb.start();
  }

  private String log() throws Exception {
    Path p = tmp.resolve("worker.log");
    return Files.exists(p) ? Files.readString(p) : "";
  }

  /** The results for one request id on the reply queue, {@code count} of them (bounded wait). */
  private static List<JsonNode> results(SqsClient sqs, String replies, String id, int count)
      throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (int i = 0; i < 120 && out.size() < count; i++) {
      for (Message m :
          sqs.receiveMessage(b -> b.queueUrl(replies).waitTimeSeconds(5).maxNumberOfMessages(10))
              .messages()) {
        JsonNode j = JSON.readTree(m.body());
        if (id.equals(j.get("requestId").asText())) {
          out.add(j);
        }
        sqs.deleteMessage(b -> b.queueUrl(replies).receiptHandle(m.receiptHandle()));
      }
    }
    assertThat(out).as("results for " + id).hasSize(count);
    return out;
  }

  private static Message oneMessage(SqsClient sqs, String queue) {
    for (int i = 0; i < 120; i++) {
      List<Message> got =
          sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(5).maxNumberOfMessages(1))
              .messages();
      if (!got.isEmpty()) {
        sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(got.get(0).receiptHandle()));
        return got.get(0);
      }
    }
    throw new AssertionError("no message on " + queue);
  }

  /** Every path under the store, relative, sorted: what a second install must not change. */
  private static List<String> tree(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }
}
