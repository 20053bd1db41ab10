package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's training run (recorded into JDK 25's ahead-of-time cache) must really build a
 * Python, a Node.js and a Java layer offline, each twice (a miss, then the cache hit an unchanged
 * rebuild takes): a run that quietly failed would leave that builder's classes out of the cache and
 * only show as slower rebuilds.
 */
class TrainCommandTest {
  @TempDir Path dir;

  @Test
  void everyTrainingBuildSucceedsOffline() {
    CliRun run = CliRun.run(Map.of("HOME", dir.toString()), dir, "internal-train");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.err()).as(run.toString()).doesNotContain("training run failed");
  }
}
