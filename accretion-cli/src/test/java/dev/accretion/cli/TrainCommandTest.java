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
  void theLaunchersPairBuildsThenRebuildsFromTheCacheOffline() {
    Path train = dir.resolve("train");
    CliRun prepare =
        CliRun.run(
            Map.of("HOME", dir.toString()), dir, "internal-train", "--prepare", train.toString());
    assertThat(prepare.code()).as(prepare.toString()).isZero();
    assertThat(prepare.err()).as(prepare.toString()).doesNotContain("training run");
    assertThat(train.resolve("node-dist")).isNotEmptyDirectory();
    assertThat(train.resolve("java-dist")).isNotEmptyDirectory();

    // the recorded run: every build succeeds and the Node.js and Java ones are cache hits
    CliRun hits =
        CliRun.run(
            Map.of("HOME", dir.toString()), dir, "internal-train", "--hits", train.toString());
    assertThat(hits.code()).as(hits.toString()).isZero();
    assertThat(hits.err()).as(hits.toString()).doesNotContain("training run");
    // the recorded run also builds the Node.js layer again from its cached tarball, so that the
    // ahead-of-time cache holds the inflate-and-recompress path of every first Node.js build
    assertThat(hits.out().lines())
        .as(hits.toString())
        .anyMatch(l -> l.contains("nodejs22.x") && l.contains("--refresh") && l.endsWith("(built)"))
        .anyMatch(l -> l.contains("nodejs22.x") && l.endsWith("(cache hit)"))
        .anyMatch(l -> l.contains("java21") && l.endsWith("(cache hit)"));
  }

  @Test
  void aHitsRunWithNothingPreparedStillTrainsPython() {
    CliRun run =
        CliRun.run(
            Map.of("HOME", dir.toString()),
            dir,
            "internal-train",
            "--hits",
            dir.resolve("missing").toString());
    assertThat(run.code()).as(run.toString()).isZero();
  }

  @Test
  void everyTrainingBuildSucceedsInOneProcess() {
    CliRun run = CliRun.run(Map.of("HOME", dir.toString()), dir, "internal-train");

    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.err()).as(run.toString()).doesNotContain("training run");
  }
}
