package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accretion.testkit.SimpleIndexBuilder;
import dev.accretion.testkit.WheelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduled rebuilds, end to end: a layer with a one-second schedule (six-field cron) on a local
 * {@code file://} index the test writes (named by {@code PIP_INDEX_URL}), published to moto in
 * three regions. An unchanged upstream gives "unchanged" and no new version; a new wheel on the
 * index makes the next scheduled run publish exactly one new version with the right package change.
 * Bad schedules are refused with the field and the fix.
 */
class FreshScheduleIT {
  @TempDir Path dir;

  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");

  private String token(Path data, String scope) {
    return token(data, scope, List.of());
  }

  private String token(Path data, String scope, List<String> db) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve",
                "token",
                "create",
                "--scope",
                scope,
                "--name",
                "t-" + scope,
                "--data-dir",
                data.toString()));
    args.addAll(db);
    CliRun r = CliRun.run(ServiceProcess.env(dir), dir, args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    return r.out().strip();
  }

  static String definition(String name, String requirements, String schedule) throws Exception {
    Map<String, Object> d =
        new java.util.LinkedHashMap<>(
            Map.of(
                "name",
                name,
                "listing",
                Map.of("filename", "requirements.txt", "content", requirements),
                "targets",
                List.of(Map.of("runtime", "python3.12", "arch", "x86_64")),
                "regions",
                REGIONS));
    if (schedule != null) {
      d.put("schedule", schedule);
    }
    return ServiceProcess.JSON.writeValueAsString(d);
  }

  @Test
  void schedule_unchangedUpstreamPublishesNothing_newWheelPublishesOneVersionWithTheDiff()
      throws Exception {
    scenario(List.of());
  }

  @Test
  void postgres_schedule_unchangedThenOneNewVersion() throws Exception {
    String postgres = "jdbc:postgresql://127.0.0.1:5432/";
    String db = "accretion_fresh_" + Long.toHexString(System.nanoTime());
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection(postgres + "postgres", "postgres", "");
        java.sql.Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    try {
      scenario(List.of("--database", postgres + db + "?user=postgres"));
    } finally {
      try (java.sql.Connection c =
              java.sql.DriverManager.getConnection(postgres + "postgres", "postgres", "");
          java.sql.Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    }
  }

  private void scenario(List<String> database) throws Exception {
    SimpleIndexBuilder index = new SimpleIndexBuilder(dir.resolve("index"));
    index.add(WheelBuilder.wheel("acme-fresh", "1.0").file("acme_fresh/__init__.py", "V = 1\n"));
    Path data = dir.resolve("data");
    String write = token(data, "write", database);
    String layer = "fresh-sched-" + Long.toHexString(System.nanoTime());
    List<String> args =
        new ArrayList<>(
            List.of("--data-dir", data.toString(), "--jobs", "1", "--upstream-interval", "0"));
    args.addAll(database);
    try (ServiceProcess s =
        ServiceProcess.start(dir, "serve", args, Map.of("PIP_INDEX_URL", index.url()))) {
      // a bad schedule is refused, naming the field and how to write one
      ServiceProcess.Response bad =
          s.send("POST", "/api/v1/layers", write, definition(layer, "acme-fresh>=1\n", "hourly"));
      assertThat(bad.status()).as(bad.body()).isEqualTo(400);
      assertThat(bad.json().get("pointer").asText()).isEqualTo("/schedule");
      assertThat(bad.body()).contains("invalid schedule").contains("daily, weekly, monthly");
      ServiceProcess.Response badCron =
          s.send(
              "POST", "/api/v1/layers", write, definition(layer, "acme-fresh>=1\n", "61 * * * *"));
      assertThat(badCron.status()).isEqualTo(400);
      assertThat(badCron.body()).contains("minute field '61'").contains("out of range 0-59");

      ServiceProcess.Response created =
          s.send(
              "POST", "/api/v1/layers", write, definition(layer, "acme-fresh>=1\n", "* * * * * *"));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(created.json().at("/definition/schedule").asText()).isEqualTo("* * * * * *");

      // the first scheduled run publishes version 1, later ones find nothing new
      JsonNode first = awaitScheduled(s, write, layer, b -> true, List.of());
      assertThat(first.at("/result/outcome").asText()).as(first.toString()).isEqualTo("published");
      assertThat(first.at("/result/changes/added/0/name").asText()).isEqualTo("acme-fresh");
      JsonNode unchanged =
          awaitScheduled(
              s,
              write,
              layer,
              b -> b.at("/result/outcome").asText().equals("unchanged"),
              List.of());
      assertThat(unchanged.at("/result/changes").isNull()).isTrue();
      assertThat(unchanged.get("log").toString()).contains("unchanged: no new layer version");
      for (JsonNode r : unchanged.at("/result/layers/0/regions")) {
        assertThat(r.get("published").asBoolean()).isFalse();
        assertThat(r.get("version").asLong()).isEqualTo(1);
      }
      assertVersions(s, write, layer, 1);

      // a new release on the index: the next run publishes version 2 with the change
      // only builds finished before the release are passed over: one queued or running now may
      // resolve after it and be the one that publishes
      List<String> seen = finishedIds(s, write, layer);
      index.add(WheelBuilder.wheel("acme-fresh", "1.1").file("acme_fresh/__init__.py", "V = 2\n"));
      JsonNode second =
          awaitScheduled(
              s, write, layer, b -> b.at("/result/outcome").asText().equals("published"), seen);
      assertThat(second.at("/result/changes/changed").toString())
          .as(second.toString())
          .contains("\"name\":\"acme-fresh\"", "\"from\":\"1.0\"", "\"to\":\"1.1\"");
      assertThat(second.at("/result/changes/added")).isEmpty();
      assertThat(second.at("/result/changes/removed")).isEmpty();
      for (JsonNode r : second.at("/result/layers/0/regions")) {
        assertThat(r.get("published").asBoolean()).isTrue();
        assertThat(r.get("version").asLong()).isEqualTo(2);
      }
      // and the runs after it publish nothing more
      List<String> after = ids(s, write, layer);
      awaitScheduled(
          s, write, layer, b -> b.at("/result/outcome").asText().equals("unchanged"), after);
      assertVersions(s, write, layer, 2);

      // the feed lists both versions with their changes
      ServiceProcess.Response feed =
          s.send("GET", "/api/v1/layers/" + layer + "/feed.atom", write, (String) null);
      assertThat(feed.status()).isEqualTo(200);
      assertThat(feed.contentType()).startsWith("application/atom+xml");
      assertThat(feed.body())
          .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">")
          .contains(layer + " version 2: acme-fresh 1.0 -&gt; 1.1")
          .contains(layer + " version 1: +acme-fresh 1.0");

      // no schedule: no more scheduled runs
      ServiceProcess.Response put =
          s.send(
              "PUT", "/api/v1/layers/" + layer, write, definition(layer, "acme-fresh>=1\n", null));
      assertThat(put.status()).as(put.body()).isEqualTo(200);
      assertThat(put.json().at("/definition").has("schedule")).isFalse();
    }
  }

  @Test
  void schedule_slotsMissedWhileTheServiceWasDownRunOnceAtStartUp() throws Exception {
    SimpleIndexBuilder index = new SimpleIndexBuilder(dir.resolve("index"));
    index.add(WheelBuilder.wheel("acme-fresh", "1.0").file("acme_fresh/__init__.py", "V = 1\n"));
    Path data = dir.resolve("data");
    String write = token(data, "write");
    String layer = "fresh-missed-" + Long.toHexString(System.nanoTime());
    List<String> args =
        List.of("--data-dir", data.toString(), "--jobs", "1", "--upstream-interval", "0");
    Map<String, String> env = Map.of("PIP_INDEX_URL", index.url());
    String jdbc =
        "jdbc:h2:file:"
            + data.resolve("db").resolve("accretion").toAbsolutePath()
            + ";AUTO_SERVER=TRUE";
    // once a year, on January 1st: no slot comes during the test by itself
    try (ServiceProcess s = ServiceProcess.start(dir, "serve-a", args, env)) {
      ServiceProcess.Response created =
          s.send("POST", "/api/v1/layers", write, definition(layer, "acme-fresh\n", "0 0 0 1 1 *"));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (nextRun(jdbc, layer) == null) {
        assertThat(System.nanoTime()).as("the schedule reached the runner").isLessThan(deadline);
        Thread.sleep(200);
      }
      assertThat(nextRun(jdbc, layer)).isAfter(java.time.Instant.now());
    }
    // every instance down for three years of slots
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbc);
        java.sql.PreparedStatement st =
            c.prepareStatement(
                "UPDATE scheduled_tasks SET execution_time = ? WHERE task_name ="
                    + " 'accretion-schedule' AND task_instance = ?")) {
      st.setObject(
          1, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusYears(3).minusDays(1));
      st.setString(2, layer);
      assertThat(st.executeUpdate()).isEqualTo(1);
    }
    try (ServiceProcess s = ServiceProcess.start(dir, "serve-b", args, env)) {
      JsonNode run = awaitScheduled(s, write, layer, b -> true, List.of());
      assertThat(run.at("/result/outcome").asText()).isEqualTo("published");
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!nextRun(jdbc, layer).isAfter(java.time.Instant.now())) {
        assertThat(System.nanoTime()).as("the next slot is set").isLessThan(deadline);
        Thread.sleep(200);
      }
      assertThat(nextRun(jdbc, layer))
          .isAfter(java.time.Instant.now().plus(Duration.ofDays(1)))
          .isBefore(java.time.Instant.now().plus(Duration.ofDays(367)));
      assertThat(ids(s, write, layer)).as("one run, not one per missed slot").hasSize(1);
    }
  }

  /** When the runner will next run the layer's schedule, or null when it has none. */
  private static java.time.Instant nextRun(String jdbc, String layer) throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbc);
        java.sql.PreparedStatement st =
            c.prepareStatement(
                "SELECT execution_time FROM scheduled_tasks WHERE task_name ="
                    + " 'accretion-schedule' AND task_instance = ?")) {
      st.setString(1, layer);
      try (java.sql.ResultSet r = st.executeQuery()) {
        return r.next() ? r.getTimestamp(1).toInstant() : null;
      }
    }
  }

  private static void assertVersions(ServiceProcess s, String token, String layer, int count)
      throws Exception {
    for (String region : REGIONS) {
      ServiceProcess.Response v =
          s.send(
              "GET",
              "/api/v1/layers/" + layer + "/versions?region=" + region,
              token,
              (String) null);
      assertThat(v.status()).as(v.body()).isEqualTo(200);
      assertThat(v.json().get("versions")).as(region).hasSize(count);
    }
  }

  private static List<String> ids(ServiceProcess s, String token, String layer) throws Exception {
    List<String> out = new ArrayList<>();
    ServiceProcess.Response r =
        s.send("GET", "/api/v1/builds?layer=" + layer + "&limit=200", token, (String) null);
    for (JsonNode b : r.json().get("builds")) {
      out.add(b.get("id").asText());
    }
    return out;
  }

  private static List<String> finishedIds(ServiceProcess s, String token, String layer)
      throws Exception {
    List<String> out = new ArrayList<>();
    ServiceProcess.Response r =
        s.send("GET", "/api/v1/builds?layer=" + layer + "&limit=200", token, (String) null);
    for (JsonNode b : r.json().get("builds")) {
      String status = b.get("status").asText();
      if (status.equals("succeeded") || status.equals("failed")) {
        out.add(b.get("id").asText());
      }
    }
    return out;
  }

  /**
   * The oldest finished build not in {@code skip} that a schedule caused and {@code wanted}
   * accepts.
   */
  static JsonNode awaitScheduled(
      ServiceProcess s, String token, String layer, Predicate<JsonNode> wanted, List<String> skip)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (System.nanoTime() < deadline) {
      ServiceProcess.Response r =
          s.send("GET", "/api/v1/builds?layer=" + layer + "&limit=200", token, (String) null);
      assertThat(r.status()).isEqualTo(200);
      List<JsonNode> builds = new ArrayList<>();
      r.json().get("builds").forEach(builds::add);
      java.util.Collections.reverse(builds);
      for (JsonNode summary : builds) {
        String id = summary.get("id").asText();
        if (skip.contains(id) || !summary.get("status").asText().equals("succeeded")) {
          continue;
        }
        JsonNode b = s.send("GET", "/api/v1/builds/" + id, token, (String) null).json();
        if (b.at("/result/cause").asText().equals("schedule") && wanted.test(b)) {
          return b;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no scheduled build of " + layer + " as wanted within 4 minutes");
  }
}
