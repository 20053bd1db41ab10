package dev.accretion.efslambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.app.Environment;
import dev.accretion.app.efs.EfsWorker;
import dev.accretion.app.sources.IndexSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The EFS install worker as an AWS Lambda function (Java 21 runtime) behind an SQS event source
 * mapping with {@code ReportBatchItemFailures}: each record's body is an install request (as {@code
 * accretion efs request} sends it), installed into the store at {@code ACCRETION_EFS_ROOT} (the
 * function's EFS mount) exactly as {@code efs worker} does, its result sent to the request's reply
 * queue. The response lists the records that failed in {@code batchItemFailures}, so Lambda deletes
 * the others and only those come back (and after the queue's {@code maxReceiveCount} go to the
 * dead-letter queue).
 *
 * <p>Handler: {@code dev.accretion.efslambda.InstallHandler::handleRequest}. Environment: {@code
 * ACCRETION_EFS_ROOT} (required), {@code ACCRETION_MAX_RECEIVE_COUNT} (the redrive policy's count,
 * so a result can say it was the last attempt), {@code ACCRETION_CACHE_DIR} (default {@code
 * /tmp/accretion-cache}), and pip's own {@code PIP_INDEX_URL}, {@code PIP_EXTRA_INDEX_URL}, {@code
 * PIP_FIND_LINKS} for where packages come from.
 */
public final class InstallHandler implements RequestStreamHandler {
  /** The variable naming the store's root. */
  public static final String ROOT = "ACCRETION_EFS_ROOT";

  /** The variable holding the redrive policy's maxReceiveCount. */
  public static final String MAX_RECEIVE_COUNT = "ACCRETION_MAX_RECEIVE_COUNT";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> variables;
  private final Path workingDirectory;
  private EfsWorker worker;
  private LambdaLogger logger;

  /** The function's: the process environment, {@code /tmp} as the working directory. */
  public InstallHandler() {
    this(System.getenv(), Path.of(System.getProperty("java.io.tmpdir", "/tmp")));
  }

  /** A handler with a given environment (tests run it in-process). */
  InstallHandler(Map<String, String> variables, Path workingDirectory) {
    Map<String, String> v = new HashMap<>(variables);
    v.putIfAbsent("ACCRETION_CACHE_DIR", workingDirectory.resolve("accretion-cache").toString());
    this.variables = Map.copyOf(v);
    this.workingDirectory = workingDirectory;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    logger = context == null ? null : context.getLogger();
    JsonNode event = JSON.readTree(input);
    JsonNode records = event == null ? null : event.get("Records");
    if (records == null || !records.isArray()) {
      throw new IllegalArgumentException(
          "the event is not an SQS event (no Records): this function is the target of an SQS"
              + " event source mapping (accretion-efs-lambda/template.yaml)");
    }
    EfsWorker w = worker();
    OptionalInt max = maxReceiveCount();
    List<Object> failures = new ArrayList<>();
    for (JsonNode record : records) {
      String id = record.path("messageId").asText();
      int receiveCount = record.path("attributes").path("ApproximateReceiveCount").asInt(1);
      EfsWorker.Handled h = w.handle(record.path("body").asText(null), receiveCount, max);
      if (!h.installed()) {
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("itemIdentifier", id);
        failures.add(failure);
      }
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("batchItemFailures", failures);
    output.write(JSON.writeValueAsString(response).getBytes(StandardCharsets.UTF_8));
    output.flush();
  }

  private synchronized EfsWorker worker() {
    if (worker == null) {
      String root = variables.get(ROOT);
      if (root == null || root.isBlank()) {
        throw new IllegalStateException(
            ROOT
                + " is not set: set it to the function's EFS mount path (the template sets"
                + " /mnt/efs)");
      }
      worker =
          new EfsWorker(
              Environment.of(variables, workingDirectory),
              new EfsWorker.Settings(
                  Path.of(root), IndexSettings.configured(), null, null, null, null, null),
              this::log);
    }
    return worker;
  }

  private OptionalInt maxReceiveCount() {
    String v = variables.get(MAX_RECEIVE_COUNT);
    try {
      return v == null || v.isBlank()
          ? OptionalInt.empty()
          : OptionalInt.of(Integer.parseInt(v.strip()));
    } catch (NumberFormatException e) {
      log(MAX_RECEIVE_COUNT + "='" + v + "' is not a number; ignored");
      return OptionalInt.empty();
    }
  }

  private void log(String line) {
    LambdaLogger l = logger;
    if (l != null) {
      l.log(line + "\n");
    } else {
      System.err.println(line);
    }
  }
}
