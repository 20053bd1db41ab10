package dev.accretion.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.app.progress.ProgressEvent;
import dev.accretion.app.progress.ProgressListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ProgressListenerTest {
  @Test
  void warningsOnce_passesEachDistinctWarningOnce_andEverythingElse() {
    List<ProgressEvent> seen = new CopyOnWriteArrayList<>();
    ProgressListener once = ProgressListener.warningsOnce(seen::add);
    assertThat(ProgressListener.warningsOnce(once)).isSameAs(once);
    for (int i = 0; i < 7; i++) {
      once.warning("Pipfile.lock: its sources are searched first");
      once.stage("Resolved 1 package");
    }
    once.warning("another");
    assertThat(seen.stream().filter(e -> e instanceof ProgressEvent.Warning).toList())
        .containsExactly(
            new ProgressEvent.Warning("Pipfile.lock: its sources are searched first"),
            new ProgressEvent.Warning("another"));
    assertThat(seen.stream().filter(e -> e instanceof ProgressEvent.Stage).count()).isEqualTo(7);
  }

  @Test
  void prefixed_prefixesActivityAndStageLinesOnly() {
    List<ProgressEvent> seen = new CopyOnWriteArrayList<>();
    ProgressListener p = ProgressListener.prefixed(seen::add, "building web: ");
    p.activity("fetching");
    p.stage("Resolved 3 packages");
    p.warning("w");
    p.idle();
    assertThat(seen)
        .containsExactly(
            new ProgressEvent.Activity("building web: fetching"),
            new ProgressEvent.Stage("building web: Resolved 3 packages"),
            new ProgressEvent.Warning("w"),
            new ProgressEvent.Idle());
  }
}
