package dev.accretion.efslambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.testkit.MotoServer;
import dev.accretion.testkit.Python;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The Lambda handler invoked in-process with an SQS event as Lambda delivers it; the deployable zip
 * the build made; the CloudFormation template under cfn-lint.
 */
class InstallHandlerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REGION = "eu-west-1";

  @TempDir Path tmp;

  @Test
  void sqsEvent_goodRecordInstalls_poisonRecordsAreExactlyTheBatchItemFailures() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = new HashMap<>(System.getenv());
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("ACCRETION_"));
    env.putAll(MotoServer.environment(tmp, REGION));
    // the user's pip configuration (the package index) stays; AWS files are pointed away above
    env.put("HOME", System.getProperty("user.home"));
    Path root = tmp.resolve("efs");
    env.put(InstallHandler.ROOT, root.toString());
    env.put(InstallHandler.MAX_RECEIVE_COUNT, "3");

    try (SqsClient sqs = sqs()) {
      String replies = sqs.createQueue(b -> b.queueName("efs-lambda-replies-" + suffix)).queueUrl();
      String arn = "arn:aws:sqs:" + REGION + ":" + MotoServer.ACCOUNT + ":efs-requests";
      String good = request("good-" + suffix, List.of("six"), replies);
      String poison =
          request("poison-" + suffix, List.of("accretion-no-such-package-" + suffix), replies);
      List<Object> records = new ArrayList<>();
      records.add(record("m-good", good, 1, arn));
      records.add(record("m-poison", poison, 3, arn));
      records.add(record("m-garbage", "{\"not\": \"a request\"", 1, arn));
      byte[] event = JSON.writeValueAsBytes(Map.of("Records", records));

      List<String> logged = new ArrayList<>();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new InstallHandler(env, tmp)
          .handleRequest(new ByteArrayInputStream(event), out, context(logged));

      JsonNode response = JSON.readTree(out.toString(StandardCharsets.UTF_8));
      List<String> failed = new ArrayList<>();
      response.get("batchItemFailures").forEach(f -> failed.add(f.get("itemIdentifier").asText()));
      assertThat(failed).as(String.join("\n", logged)).containsExactly("m-poison", "m-garbage");

      // the good record's set is in the store with its view
      try (Stream<Path> views = Files.list(root.resolve("views"))) {
        assertThat(views.filter(p -> p.toString().endsWith(".json")).count()).isEqualTo(1);
      }
      try (Stream<Path> six = Files.list(root.resolve("python3.11/x86_64/six"))) {
        assertThat(six.count()).isEqualTo(1);
      }
      // and each request's result on its reply queue; the poison's says it was the last attempt
      Map<String, JsonNode> results = new LinkedHashMap<>();
      for (int i = 0; i < 20 && results.size() < 2; i++) {
        for (Message m :
            sqs.receiveMessage(b -> b.queueUrl(replies).waitTimeSeconds(2).maxNumberOfMessages(10))
                .messages()) {
          JsonNode j = JSON.readTree(m.body());
          results.put(j.get("requestId").asText(), j);
        }
      }
      assertThat(results.get("good-" + suffix).get("status").asText()).isEqualTo("installed");
      assertThat(results.get("good-" + suffix).get("install").get("installed").asInt())
          .isEqualTo(1);
      JsonNode p = results.get("poison-" + suffix);
      assertThat(p.get("status").asText()).isEqualTo("failed");
      assertThat(p.get("attempt").asInt()).isEqualTo(3);
      assertThat(p.get("final").asBoolean()).isTrue();
      assertThat(p.get("error").asText()).contains("accretion-no-such-package-" + suffix);
      assertThat(String.join("\n", logged)).contains("the message is not JSON");
    }
  }

  @Test
  void handler_withoutRoot_failsNamingTheVariable() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", tmp.toString());
    byte[] event =
        JSON.writeValueAsBytes(
            Map.of("Records", List.of(record("m", "{}", 1, "arn:aws:sqs:eu-west-1:1:q"))));
    try {
      new InstallHandler(env, tmp)
          .handleRequest(
              new ByteArrayInputStream(event), new ByteArrayOutputStream(), context(List.of()));
      throw new AssertionError("no failure");
    } catch (IllegalStateException e) {
      assertThat(e.getMessage()).contains("ACCRETION_EFS_ROOT is not set");
    }
  }

  @Test
  void deployableZip_holdsTheHandlerAndItsLibraries_withFixedTimestamps() throws Exception {
    Path zip = Path.of("target/accretion-efs-lambda.zip");
    assertThat(zip).as("the package phase builds the zip").isRegularFile();
    List<String> names = new ArrayList<>();
    long fixed = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> entries = z.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        names.add(e.getName());
        FileTime t = e.getLastModifiedTime();
        // zip times are local DOS times: within a day of the fixed stamp, never the build's time
        assertThat(Math.abs(t.toMillis() - fixed))
            .as(e.getName() + " time " + t)
            .isLessThan(TimeUnit.DAYS.toMillis(1));
      }
    }
    assertThat(names)
        .contains(
            "lib/accretion-efs-lambda-0.1.0-SNAPSHOT.jar",
            "lib/accretion-app-0.1.0-SNAPSHOT.jar",
            "lib/aws-lambda-java-core-1.4.0.jar")
        .allMatch(n -> n.startsWith("lib/") && n.endsWith(".jar") || n.equals("lib/"));
    assertThat(names.stream().filter(n -> n.contains("sqs-")).count()).isEqualTo(1);
    try (ZipFile jar =
        new ZipFile(unpack(zip, "lib/accretion-efs-lambda-0.1.0-SNAPSHOT.jar").toFile())) {
      assertThat(jar.getEntry("dev/accretion/efslambda/InstallHandler.class")).isNotNull();
    }
  }

  @Test
  void template_passesCfnLint() throws Exception {
    Path template = Path.of("template.yaml").toAbsolutePath();
    assertThat(template).isRegularFile();
    String text = Files.readString(template);
    assertThat(text)
        .contains("dev.accretion.efslambda.InstallHandler::handleRequest")
        .contains("ReportBatchItemFailures")
        .contains("AWS::EFS::AccessPoint")
        .contains("deadLetterTargetArn");
    List<String> command = new ArrayList<>();
    command.add(Python.of("3.11").executable().toString());
    command.add("-c");
    command.add("import sys; from cfnlint.runner import main; sys.exit(main())");
    command.add(template.toString());
    Path out = tmp.resolve("cfn-lint.out");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("cfn-lint finished").isTrue();
    assertThat(p.exitValue()).as("cfn-lint:\n" + Files.readString(out)).isZero();
  }

  private Path unpack(Path zip, String entry) throws Exception {
    Path to = tmp.resolve("unpacked.jar");
    try (ZipFile z = new ZipFile(zip.toFile())) {
      Files.copy(z.getInputStream(z.getEntry(entry)), to);
    }
    return to;
  }

  private static String request(String id, List<String> requirements, String replyTo)
      throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "accretion.efs.install");
    m.put("requestId", id);
    m.put("listingName", "requirements.txt");
    m.put("listing", String.join("\n", requirements) + "\n");
    m.put("runtime", "python3.11");
    m.put("architecture", "x86_64");
    m.put("replyTo", replyTo);
    return JSON.writeValueAsString(m);
  }

  /** One record as Lambda's SQS event source delivers it. */
  private static Map<String, Object> record(String id, String body, int receiveCount, String arn) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("ApproximateReceiveCount", String.valueOf(receiveCount));
    attributes.put("SentTimestamp", "1767225600000");
    attributes.put("SenderId", "AIDAIENQZJOLO23YVJ4VO");
    attributes.put("ApproximateFirstReceiveTimestamp", "1767225600010");
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("messageId", id);
    r.put("receiptHandle", "MessageReceiptHandle-" + id);
    r.put("body", body);
    r.put("attributes", attributes);
    r.put("messageAttributes", Map.of());
    r.put("md5OfBody", "7b270e59b47ff90a553787216d55d91d");
    r.put("eventSource", "aws:sqs");
    r.put("eventSourceARN", arn);
    r.put("awsRegion", REGION);
    return r;
  }

  private static Context context(List<String> logged) {
    LambdaLogger logger =
        (LambdaLogger)
            Proxy.newProxyInstance(
                InstallHandlerIT.class.getClassLoader(),
                new Class<?>[] {LambdaLogger.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("log") && args != null && args.length >= 1) {
                    Object a = args[0];
                    synchronized (logged) {
                      logged.add(
                          a instanceof byte[] b
                              ? new String(b, StandardCharsets.UTF_8)
                              : String.valueOf(a));
                    }
                  }
                  return null;
                });
    return (Context)
        Proxy.newProxyInstance(
            InstallHandlerIT.class.getClassLoader(),
            new Class<?>[] {Context.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getLogger" -> logger;
                  case "getRemainingTimeInMillis", "getMemoryLimitInMB" -> 900_000;
                  case "getAwsRequestId" -> "00000000-0000-0000-0000-000000000000";
                  case "getFunctionName" -> "accretion-efs-install";
                  default -> null;
                });
  }

  private static SqsClient sqs() {
    return SqsClient.builder()
        .endpointOverride(MotoServer.endpoint())
        .region(Region.of(REGION))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
        .build();
  }
}
