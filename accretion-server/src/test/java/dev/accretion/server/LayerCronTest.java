package dev.accretion.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A layer's schedule as the runner keeps it: its slots are the cron's whole seconds, in UTC. */
class LayerCronTest {
  private static Instant next(String cron, String finished) {
    return new Fresh.LayerCron(cron)
        .getSchedule()
        .getNextExecutionTime(ExecutionComplete.simulatedSuccess(Instant.parse(finished)));
  }

  @Test
  void nextSlot_isTheNextWholeSecondOfTheCron_afterTheRunFinished() {
    // cron-utils alone gives 10:00:01.776149 here: the finished run's fraction kept
    assertThat(next("* * * * * *", "2026-12-04T10:00:00.776149Z"))
        .isEqualTo(Instant.parse("2026-12-04T10:00:01Z"));
    assertThat(next("* * * * * *", "2026-12-04T10:00:00Z"))
        .isEqualTo(Instant.parse("2026-12-04T10:00:01Z"));
    assertThat(next("*/5 * * * * *", "2026-12-04T10:00:03.5Z"))
        .isEqualTo(Instant.parse("2026-12-04T10:00:05Z"));
    // missed slots are not run one by one: the next slot counts from when the run finished
    assertThat(next("0 0 3 * * *", "2026-12-04T09:41:07.25Z"))
        .isEqualTo(Instant.parse("2026-12-05T03:00:00Z"));
    assertThat(next("0 0 0 1 1 *", "2026-12-04T09:41:07.25Z"))
        .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
  }
}
