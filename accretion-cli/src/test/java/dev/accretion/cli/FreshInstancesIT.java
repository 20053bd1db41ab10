package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accretion.testkit.SimpleIndexBuilder;
import dev.accretion.testkit.WheelBuilder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-second schedule (the shortest: a six-field cron) served by two instances on one fresh
 * PostgreSQL database: every slot that runs, runs once, on one of them, and queues (or joins) one
 * build that says it was caused by the schedule. Then every instance stops for several slots and
 * one starts again: the slots missed meanwhile give exactly one run, at start-up, and the slots
 * after it run once each. A run is read from the log line each one writes into the build it queued
 * or joined ({@code scheduled rebuild (...) of the slot S, run at T by INSTANCE}).
 */
class FreshInstancesIT {
  @TempDir Path dir;

  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final Pattern RUN =
      Pattern.compile("scheduled rebuild \\([^)]*\\) of the slot (\\S+), run at (\\S+) by (\\S+)");
  private static final int SLOTS = 10;

  /** One run of the schedule: its slot, when it ran, where, and the build it queued or joined. */
  record Run(Instant slot, Instant at, String instance, String build) {}

  @Test
  void twoInstances_eachSlotRunsOnce_slotsMissedWhileAllWereDownRunOnceAtStartUp()
      throws Exception {
    String db = "accretion_sched_" + Long.toHexString(System.nanoTime());
    try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    String url = POSTGRES + db + "?user=postgres";
    try {
      SimpleIndexBuilder index = new SimpleIndexBuilder(dir.resolve("index"));
      index.add(WheelBuilder.wheel("acme-sched", "1.0").file("acme_sched/__init__.py", "V = 1\n"));
      Map<String, String> env = Map.of("PIP_INDEX_URL", index.url());
      CliRun t =
          CliRun.run(
              ServiceProcess.env(dir),
              dir,
              "serve",
              "token",
              "create",
              "--scope",
              "write",
              "--database",
              url);
      assertThat(t.code()).as(t.err()).isZero();
      String token = t.out().strip();
      String layer = "sched-" + Long.toHexString(System.nanoTime());
      String definition =
          ServiceProcess.JSON.writeValueAsString(
              Map.of(
                  "name", layer,
                  "listing", Map.of("filename", "requirements.txt", "content", "acme-sched\n"),
                  "targets", List.of(Map.of("runtime", "python3.12", "arch", "x86_64")),
                  "regions", List.of("us-east-1"),
                  "schedule", "* * * * * *"));

      // two instances, every slot run once
      List<Run> before;
      Instant stopped;
      try (ServiceProcess one = ServiceProcess.start(dir, "a", args(url, "a"), env);
          ServiceProcess two = ServiceProcess.start(dir, "b", args(url, "b"), env)) {
        ServiceProcess.Response created = one.send("POST", "/api/v1/layers", token, definition);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        do {
          assertThat(System.nanoTime())
              .as(SLOTS + " slots run within 3 minutes: " + runs(two, token, layer))
              .isLessThan(deadline);
          Thread.sleep(1000);
        } while (runs(two, token, layer).size() < SLOTS);
        one.close();
        two.close();
        stopped = Instant.now();
      }
      // every instance down for several slots
      Thread.sleep(5000);
      Instant restarted = Instant.now();
      try (ServiceProcess again = ServiceProcess.start(dir, "a2", args(url, "a"), env)) {
        before = runsBefore(again, token, layer, stopped);
        assertThat(before).hasSizeGreaterThanOrEqualTo(SLOTS);
        assertOncePerSlot(before);
        Instant lastSlot = before.get(before.size() - 1).slot();
        assertThat(lastSlot).isBefore(stopped);

        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        List<Run> after;
        do {
          assertThat(System.nanoTime())
              .as("runs after the restart within 2 minutes: " + runs(again, token, layer))
              .isLessThan(deadline);
          Thread.sleep(1000);
          after = new ArrayList<>(runs(again, token, layer));
          after.removeIf(r -> r.at().isBefore(restarted));
        } while (after.size() < 4);
        // stop the schedule and let a run in flight finish, so the runs and the builds counted
        // below are one snapshot (a run every second would otherwise add builds in between)
        String unscheduled =
            ServiceProcess.JSON.writeValueAsString(
                Map.of(
                    "name", layer,
                    "listing", Map.of("filename", "requirements.txt", "content", "acme-sched\n"),
                    "targets", List.of(Map.of("runtime", "python3.12", "arch", "x86_64")),
                    "regions", List.of("us-east-1")));
        ServiceProcess.Response put =
            again.send("PUT", "/api/v1/layers/" + layer, token, unscheduled);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        // a run already in flight may still be recorded: wait until the runs stop changing
        List<Run> all = runs(again, token, layer);
        long settle = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
          Thread.sleep(2000);
          List<Run> now = runs(again, token, layer);
          if (now.equals(all)) {
            break;
          }
          assertThat(System.nanoTime()).as("the runs settle after unscheduling").isLessThan(settle);
          all = now;
        }
        assertOncePerSlot(all);
        assertThat(all)
            .as("no run while every instance was down")
            .noneMatch(r -> r.at().isAfter(stopped) && r.at().isBefore(restarted));
        List<Run> missed = new ArrayList<>();
        for (Run r : after) {
          if (r.slot().isAfter(lastSlot) && r.slot().isBefore(restarted)) {
            missed.add(r);
          }
        }
        assertThat(missed)
            .as(
                "the slots missed while every instance was down run once, not once per slot: "
                    + all)
            .hasSize(1);
        assertThat(missed.get(0).at()).isBefore(restarted.plus(Duration.ofSeconds(60)));
        // after the catch-up run, the next slots come from the clock again
        assertThat(after.get(after.size() - 1).slot()).isAfter(restarted);

        // the builds: each caused by the schedule, none for a slot another build also has
        Map<String, Integer> perBuild = new TreeMap<>();
        for (Run r : all) {
          perBuild.merge(r.build(), 1, Integer::sum);
        }
        for (String id : perBuild.keySet()) {
          JsonNode b = again.awaitBuild(id, token, Duration.ofMinutes(3));
          assertThat(b.get("status").asText()).as(b.toString()).isEqualTo("succeeded");
          assertThat(b.at("/result/cause").asText()).as(b.toString()).isEqualTo("schedule");
        }
        JsonNode listed =
            again
                .send("GET", "/api/v1/builds?layer=" + layer + "&limit=200", token, (String) null)
                .json()
                .get("builds");
        assertThat(listed.size())
            .as("a build per run, or fewer when runs join a queued build")
            .isLessThanOrEqualTo(all.size());
        System.out.println(
            "FreshInstancesIT: "
                + all.size()
                + " runs in "
                + perBuild.size()
                + " builds; runs per instance: "
                + perInstance(all)
                + "; all stopped at "
                + stopped
                + ", one started at "
                + restarted
                + "; runs: "
                + all);
      }
    } finally {
      try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
          Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    }
  }

  private List<String> args(String url, String name) {
    return List.of(
        "--database",
        url,
        "--data-dir",
        dir.resolve(name).toString(),
        "--heartbeat",
        "2",
        "--jobs",
        "2",
        "--upstream-interval",
        "0");
  }

  private static Map<String, Integer> perInstance(List<Run> runs) {
    Map<String, Integer> m = new TreeMap<>();
    runs.forEach(r -> m.merge(r.instance(), 1, Integer::sum));
    return m;
  }

  private static void assertOncePerSlot(List<Run> runs) {
    Map<Instant, List<Run>> bySlot = new TreeMap<>();
    for (Run r : runs) {
      bySlot.computeIfAbsent(r.slot(), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<Instant, List<Run>> e : bySlot.entrySet()) {
      assertThat(e.getValue()).as("runs of the slot " + e.getKey()).hasSize(1);
      assertThat(e.getKey().getNano()).as("a slot is a whole second: " + runs).isZero();
      assertThat(e.getValue().get(0).at()).isAfterOrEqualTo(e.getKey());
    }
  }

  private static List<Run> runsBefore(ServiceProcess s, String token, String layer, Instant t)
      throws Exception {
    List<Run> out = new ArrayList<>(runs(s, token, layer));
    out.removeIf(r -> !r.at().isBefore(t));
    return out;
  }

  /** Every run recorded in the layer's builds, by slot. */
  private static List<Run> runs(ServiceProcess s, String token, String layer) throws Exception {
    List<Run> out = new ArrayList<>();
    ServiceProcess.Response list =
        s.send("GET", "/api/v1/builds?layer=" + layer + "&limit=200", token, (String) null);
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    for (JsonNode summary : list.json().get("builds")) {
      String id = summary.get("id").asText();
      JsonNode b = s.send("GET", "/api/v1/builds/" + id, token, (String) null).json();
      StringBuilder log = new StringBuilder();
      b.path("log").forEach(l -> log.append(l.asText()).append('\n'));
      Matcher m = RUN.matcher(log);
      while (m.find()) {
        out.add(new Run(Instant.parse(m.group(1)), Instant.parse(m.group(2)), m.group(3), id));
      }
    }
    out.sort(java.util.Comparator.comparing(Run::slot).thenComparing(Run::at));
    return out;
  }
}
