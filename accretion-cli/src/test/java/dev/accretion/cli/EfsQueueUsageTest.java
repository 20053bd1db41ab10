package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage errors of efs request and efs worker, found before any SQS call. */
class EfsQueueUsageTest {
  @TempDir Path tmp;

  private CliRun run(String... args) {
    return CliRun.run(Map.of("HOME", tmp.toString(), "AWS_REGION", "eu-west-1"), tmp, args);
  }

  @Test
  void request_waitWithoutReplyQueueOrRoot_isAUsageError() throws Exception {
    Files.write(tmp.resolve("requirements.txt"), List.of("six"));
    CliRun r =
        run(
            "efs",
            "request",
            "requirements.txt",
            "--queue",
            "https://sqs.eu-west-1.amazonaws.com/123456789012/q",
            "--wait");
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("--wait needs --reply-queue").contains("or --root");
  }

  @Test
  void request_notAQueueUrl_namesTheFix() throws Exception {
    Files.write(tmp.resolve("requirements.txt"), List.of("six"));
    CliRun r = run("efs", "request", "requirements.txt", "--queue", "my-queue");
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("'my-queue' is not an SQS queue URL").contains("get-queue-url");
  }

  @Test
  void request_missingListing_andNonPythonRuntime() {
    CliRun missing =
        run("efs", "request", "nope.txt", "--queue", "https://sqs.eu-west-1.amazonaws.com/1/q");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("the listing nope.txt does not exist");
    CliRun node =
        run(
            "efs",
            "request",
            "nope.txt",
            "--runtime",
            "nodejs22.x",
            "--queue",
            "https://sqs.eu-west-1.amazonaws.com/1/q");
    assertThat(node.code()).isEqualTo(2);
    assertThat(node.err()).contains("nodejs22.x is not a Python runtime");
  }

  @Test
  void worker_badPollWait_isAUsageError() {
    CliRun r =
        run(
            "efs",
            "worker",
            "--queue",
            "https://sqs.eu-west-1.amazonaws.com/1/q",
            "--root",
            "store",
            "--poll-wait",
            "30");
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("--poll-wait takes 0 to 20 seconds");
  }
}
