package dev.accretion.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTaskWithPersistentSchedule;
import com.github.kagkarlsson.scheduler.task.helper.ScheduleAndData;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.publish.PublishReport;
import dev.accretion.app.service.LayerDefinition;
import dev.accretion.app.service.PublishDefinition;
import dev.accretion.app.service.UpstreamRelease;
import dev.accretion.core.AccretionException;
import dev.accretion.core.LayerSchedule;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Keeping layers fresh: scheduled rebuilds (one db-scheduler recurring task instance per layer with
 * a {@code schedule}, its cron kept in the database, so each slot runs once across instances and a
 * slot missed while every instance was down runs once at start-up), the upstream watcher (a
 * recurring task polling the documents of the packages each layer's last build locked: Python index
 * pages, npm package documents, Maven {@code maven-metadata.xml}, with conditional requests),
 * upstream events, what each build changed, and the release feed. Rebuilds are ordinary build jobs
 * that resolve again ({@code refresh}); a layer with a queued build gets no second one.
 */
final class Fresh implements BuildJobs.Extension {
  static final String SCHEDULE_TASK = "accretion-schedule";
  private static final Pattern ANCHOR =
      Pattern.compile("<a\\s[^>]*>([^<]*)</a>", Pattern.CASE_INSENSITIVE);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,140}");

  private final Store store;
  private final FreshStore fresh;
  private final Environment environment;
  private final Duration upstreamInterval;
  private final RecurringTaskWithPersistentSchedule<LayerCron> scheduleTask;
  private final RecurringTask<Void> syncTask;
  private final RecurringTask<Void> upstreamTask;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();
  private final HttpClient noRedirects =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private volatile BuildJobs jobs;

  /** A layer's schedule as the runner keeps it: the six-field cron, in UTC. */
  static final class LayerCron implements ScheduleAndData {
    private static final long serialVersionUID = 1L;
    private final String cron;

    LayerCron(String cron) {
      this.cron = cron;
    }

    @Override
    public Schedule getSchedule() {
      return new WholeSeconds(new CronSchedule(cron, ZoneOffset.UTC));
    }

    @Override
    public Object getData() {
      return cron;
    }
  }

  /**
   * A cron schedule whose slots are whole seconds. For a seconds field of {@code *}, cron-utils
   * (inside db-scheduler) counts the next slot from the time the last run finished and keeps its
   * fraction of a second ({@code 10:00:00.300} gives {@code 10:00:01.300}), so the slots of an
   * every-second schedule would drift off the clock's seconds; the slot is the whole second it
   * falls in, which is still after the finished run.
   */
  private record WholeSeconds(Schedule cron) implements Schedule {
    @Override
    public Instant getNextExecutionTime(ExecutionComplete done) {
      return cron.getNextExecutionTime(done).truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public boolean isDeterministic() {
      return cron.isDeterministic();
    }
  }

  /**
   * @param upstreamInterval how often the watcher polls; zero or null: no watcher
   */
  Fresh(DataSource db, Store store, Environment environment, Duration upstreamInterval) {
    this.store = store;
    this.fresh = new FreshStore(db);
    this.environment = environment;
    this.upstreamInterval = upstreamInterval;
    this.scheduleTask =
        Tasks.recurringWithPersistentSchedule(SCHEDULE_TASK, LayerCron.class)
            .execute(
                (instance, ctx) -> scheduled(instance.getId(), ctx.getExecution().executionTime));
    this.syncTask =
        Tasks.recurring("accretion-schedule-sync", Schedules.fixedDelay(Duration.ofSeconds(2)))
            .execute((instance, ctx) -> syncSchedules());
    this.upstreamTask =
        Tasks.recurring(
                "accretion-upstream",
                Schedules.fixedDelay(
                    upstreamInterval == null || upstreamInterval.isZero()
                        ? Duration.ofDays(3650)
                        : upstreamInterval))
            .execute((instance, ctx) -> poll());
  }

  void bind(BuildJobs jobs) {
    this.jobs = jobs;
  }

  @Override
  public List<Task<?>> tasks() {
    return List.of(scheduleTask);
  }

  @Override
  public List<RecurringTask<?>> startTasks() {
    List<RecurringTask<?>> out = new ArrayList<>(List.of(syncTask));
    if (upstreamInterval != null && !upstreamInterval.isZero()) {
      out.add(upstreamTask);
    }
    return out;
  }

  @Override
  public boolean refresh(String buildId) {
    try {
      return fresh.outcome(buildId).map(o -> !o.cause().equals("request")).orElse(false);
    } catch (AccretionException e) {
      return false;
    }
  }

  /** What the build changed: "unchanged", or "published" with the package changes. */
  @Override
  public Map<String, Object> finishing(
      Store.Build build, Path workDir, PublishDefinition.Result result) {
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      Map<String, String> packages = UpstreamRelease.lockedPackages(workDir.resolve("dist"));
      List<Map<String, Object>> versions = new ArrayList<>();
      boolean published = false;
      for (PublishReport.Layer l : result.report().layers()) {
        for (PublishReport.Region r : l.regions()) {
          if (r.published()) {
            published = true;
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("lambdaLayer", l.name());
            v.put("region", r.region());
            v.put("version", r.version());
            versions.add(v);
          }
        }
      }
      Map<String, String> before = null;
      for (FreshStore.Outcome o : fresh.finishedOutcomes(build.layer(), 20)) {
        if (o.packagesJson() != null && !o.buildId().equals(build.id())) {
          before = packagesOf(o.packagesJson());
          break;
        }
      }
      Map<String, Object> changes = changes(before == null ? Map.of() : before, packages);
      String outcome = published ? "published" : "unchanged";
      String cause = fresh.outcome(build.id()).map(FreshStore.Outcome::cause).orElse("request");
      fresh.finished(
          build.id(),
          build.layer(),
          outcome,
          Json.write(packages),
          Json.write(changes),
          Json.write(versions));
      out.put("cause", cause);
      out.put("outcome", outcome);
      out.put("changes", published ? changes : null);
      List<Map<String, Object>> events = new ArrayList<>();
      for (FreshStore.Event e : fresh.events(build.layer(), 200)) {
        if (build.id().equals(e.buildId())) {
          events.add(eventTree(e, false));
        }
      }
      out.put("events", events);
      store.stage(
          build.id(),
          "publishing",
          published
              ? "published: " + summary(changes) + "\n"
              : "unchanged: no new layer version\n");
    } catch (AccretionException | RuntimeException e) {
      out.put("outcome", null);
    }
    return out;
  }

  private static Map<String, String> packagesOf(String json) {
    Map<String, String> m = new TreeMap<>();
    Json.tree(json).fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  /** {@code {"added": [{name, version}], "removed": [...], "changed": [{name, from, to}]}}. */
  static Map<String, Object> changes(Map<String, String> before, Map<String, String> after) {
    List<Map<String, Object>> added = new ArrayList<>();
    List<Map<String, Object>> removed = new ArrayList<>();
    List<Map<String, Object>> changed = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(after).entrySet()) {
      String was = before.get(e.getKey());
      if (was == null) {
        added.add(Map.of("name", e.getKey(), "version", e.getValue()));
      } else if (!was.equals(e.getValue())) {
        changed.add(Map.of("name", e.getKey(), "from", was, "to", e.getValue()));
      }
    }
    for (Map.Entry<String, String> e : new TreeMap<>(before).entrySet()) {
      if (!after.containsKey(e.getKey())) {
        removed.add(Map.of("name", e.getKey(), "version", e.getValue()));
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("added", added);
    m.put("removed", removed);
    m.put("changed", changed);
    return m;
  }

  @SuppressWarnings("unchecked")
  private static String summary(Map<String, Object> changes) {
    List<String> parts = new ArrayList<>();
    for (Map<String, Object> a : (List<Map<String, Object>>) changes.get("added")) {
      parts.add("+" + a.get("name") + " " + a.get("version"));
    }
    for (Map<String, Object> a : (List<Map<String, Object>>) changes.get("removed")) {
      parts.add("-" + a.get("name") + " " + a.get("version"));
    }
    for (Map<String, Object> a : (List<Map<String, Object>>) changes.get("changed")) {
      parts.add(a.get("name") + " " + a.get("from") + " -> " + a.get("to"));
    }
    return parts.isEmpty() ? "same packages" : String.join(", ", parts);
  }

  // ---------------------------------------------------------------- rebuilds

  /**
   * Queues a rebuild of a layer that re-resolves, unless one is queued and not started yet (then
   * that one re-resolves, and is returned).
   */
  synchronized String rebuild(String layer, String cause, String why) throws AccretionException {
    Optional<Store.Layer> l = store.layer(layer);
    if (l.isEmpty()) {
      return null;
    }
    List<Store.Build> queued = store.builds(layer, "queued", 1, 0);
    if (!queued.isEmpty()) {
      String id = queued.get(0).id();
      fresh.cause(id, layer, cause);
      store.stage(id, "queued", why + " (joined this queued build)\n");
      return id;
    }
    return jobs.queue(
        layer,
        l.get().definitionJson(),
        id -> {
          fresh.cause(id, layer, cause);
          store.stage(id, "queued", why + "\n");
        });
  }

  /**
   * One run of a layer's schedule, for the slot {@code slot} (the time the runner had it due). The
   * log line names the slot, when it ran and on which instance: db-scheduler runs each slot on one
   * instance only, and after downtime runs the oldest missed slot once and then sets the next slot
   * from the time it finished, so missed slots are not run one by one.
   */
  private void scheduled(String layer, Instant slot) {
    try {
      Optional<Store.Layer> l = store.layer(layer);
      if (l.isEmpty() || Definitions.stored(l.get().definitionJson()).schedule() == null) {
        return; // the sync cancels it
      }
      rebuild(
          layer,
          "schedule",
          "scheduled rebuild ("
              + Definitions.stored(l.get().definitionJson()).schedule()
              + ") of the slot "
              + slot
              + ", run at "
              + Instant.now()
              + " by "
              + BuildJobs.INSTANCE);
    } catch (AccretionException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Each layer with a schedule has its task instance with that cron; no other has one. */
  private void syncSchedules() {
    try {
      Map<String, String> wanted = new TreeMap<>();
      for (Store.Layer l : store.layers()) {
        String text = Definitions.stored(l.definitionJson()).schedule();
        if (text != null) {
          wanted.put(l.name(), LayerSchedule.parse(text).cron());
        }
      }
      Map<String, String> present = new TreeMap<>();
      for (ScheduledExecution<LayerCron> e :
          jobs.client().getScheduledExecutionsForTask(SCHEDULE_TASK, LayerCron.class)) {
        present.put(e.getTaskInstance().getId(), e.getData().cron);
      }
      for (Map.Entry<String, String> w : wanted.entrySet()) {
        String has = present.get(w.getKey());
        if (has == null) {
          jobs.client()
              .scheduleIfNotExists(
                  scheduleTask.schedulableInstance(w.getKey(), new LayerCron(w.getValue())));
        } else if (!has.equals(w.getValue())) {
          jobs.client()
              .reschedule(
                  scheduleTask.schedulableInstance(w.getKey(), new LayerCron(w.getValue())));
        }
      }
      for (String layer : present.keySet()) {
        if (!wanted.containsKey(layer)) {
          try {
            jobs.client().cancel(TaskInstanceId.of(SCHEDULE_TASK, layer));
          } catch (RuntimeException e) {
            // running now, or cancelled by another instance: the next sync sees it
          }
        }
      }
    } catch (AccretionException | RuntimeException e) {
      // the next sync tries again
    }
  }

  // ---------------------------------------------------------------- upstream

  /** A layer's last locked packages and its definition. */
  private record Watched(String layer, LayerDefinition definition, Map<String, String> packages) {}

  private List<Watched> watched() throws AccretionException {
    List<Watched> out = new ArrayList<>();
    for (Store.Layer l : store.layers()) {
      for (FreshStore.Outcome o : fresh.finishedOutcomes(l.name(), 10)) {
        if (o.packagesJson() != null && !o.packagesJson().equals("{}")) {
          out.add(
              new Watched(
                  l.name(), Definitions.stored(l.definitionJson()), packagesOf(o.packagesJson())));
          break;
        }
      }
    }
    return out;
  }

  /** At most 20 requests a second to the indexes and registries. */
  private static final long GAP_MILLIS = 1000 / 20;

  /**
   * One round of the watcher: the packages of every layer's last lock on their indexes (Python
   * simple pages, npm package documents, Maven {@code maven-metadata.xml}), each document fetched
   * once a round, conditionally, rate-limited.
   */
  void poll() {
    List<Watched> all;
    try {
      all = watched();
    } catch (AccretionException | RuntimeException e) {
      return; // the next round tries again
    }
    for (String ecosystem : List.of("pypi", "npm", "maven")) {
      try {
        switch (ecosystem) {
          case "pypi" -> pollPython(all);
          case "npm" -> pollNpm(all);
          default -> pollMaven(all);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (AccretionException | RuntimeException e) {
        // one ecosystem's trouble (a configuration that cannot be read) does not stop the others;
        // the next round tries again
      }
    }
  }

  private static List<Watched> of(List<Watched> all, String ecosystem) {
    List<Watched> out = new ArrayList<>();
    for (Watched w : all) {
      if (UpstreamRelease.ecosystem(w.definition()).equals(ecosystem)) {
        out.add(w);
      }
    }
    return out;
  }

  private void pollPython(List<Watched> all) throws AccretionException, InterruptedException {
    Map<String, List<Watched>> byPackage = new TreeMap<>();
    for (Watched w : of(all, "pypi")) {
      for (String name : w.packages().keySet()) {
        byPackage.computeIfAbsent(UpstreamRelease.normalize(name), k -> new ArrayList<>()).add(w);
      }
    }
    if (byPackage.isEmpty()) {
      return;
    }
    List<String> indexes = UpstreamRelease.pythonIndexUrls(environment);
    for (Map.Entry<String, List<Watched>> p : byPackage.entrySet()) {
      for (String index : indexes) {
        String url = (index.endsWith("/") ? index : index + "/") + p.getKey() + "/";
        List<String> files = fetch(url);
        if (files != null) {
          for (Watched w : p.getValue()) {
            String locked = lockedVersion(w.packages(), p.getKey());
            for (String version :
                UpstreamRelease.relevant(w.definition(), p.getKey(), locked, files)) {
              event(w.layer(), "pypi", p.getKey(), version, "watcher");
            }
          }
        }
        Thread.sleep(GAP_MILLIS);
      }
    }
  }

  /**
   * npm: each locked package's document on its registry (a scoped one on its scope's), for the
   * layers whose listing resolves (a package.json); the version a rebuild would now pick, when
   * newer than the locked one, is the event.
   */
  private void pollNpm(List<Watched> all) throws AccretionException, InterruptedException {
    Map<String, List<Watched>> byPackage = new TreeMap<>();
    for (Watched w : of(all, "npm")) {
      if (UpstreamRelease.npmResolves(w.definition())) {
        for (String name : w.packages().keySet()) {
          byPackage.computeIfAbsent(name, k -> new ArrayList<>()).add(w);
        }
      }
    }
    for (Map.Entry<String, List<Watched>> p : byPackage.entrySet()) {
      String body = fetchDocument(UpstreamRelease.npmDocument(environment, p.getKey()));
      if (body != null) {
        Optional<Map<String, Object>> doc = UpstreamRelease.npmPackument(body);
        if (doc.isPresent()) {
          for (Watched w : p.getValue()) {
            Optional<String> v =
                UpstreamRelease.npmPick(
                    w.definition(), p.getKey(), w.packages().get(p.getKey()), doc.get());
            if (v.isPresent()) {
              event(w.layer(), "npm", p.getKey(), v.get(), "watcher");
            }
          }
        }
      }
      Thread.sleep(GAP_MILLIS);
    }
  }

  /**
   * Maven: the {@code maven-metadata.xml} of each locked package the listing asks for with a
   * version range, on each repository the build reads; the highest release in the range and newer
   * than the locked one is the event. An exact version never moves, so it is not polled.
   */
  private void pollMaven(List<Watched> all) throws AccretionException, InterruptedException {
    record Watch(Watched layer, String name) {}
    Map<String, UpstreamRelease.Document> documents = new TreeMap<>();
    Map<String, List<Watch>> byUrl = new TreeMap<>();
    for (Watched w : of(all, "maven")) {
      if (!UpstreamRelease.mavenHasRanges(w.definition())) {
        continue;
      }
      for (String name : w.packages().keySet()) {
        if (!UpstreamRelease.mavenRanged(w.definition(), name)) {
          continue;
        }
        for (UpstreamRelease.Document d :
            UpstreamRelease.mavenDocuments(environment, w.definition(), name)) {
          documents.putIfAbsent(d.url(), d);
          byUrl.computeIfAbsent(d.url(), k -> new ArrayList<>()).add(new Watch(w, name));
        }
      }
    }
    for (Map.Entry<String, List<Watch>> e : byUrl.entrySet()) {
      String body = fetchDocument(documents.get(e.getKey()));
      if (body != null) {
        List<String> versions = UpstreamRelease.mavenVersions(body);
        for (Watch w : e.getValue()) {
          Optional<String> v =
              UpstreamRelease.mavenPick(
                  w.layer().definition(), w.name(), w.layer().packages().get(w.name()), versions);
          if (v.isPresent()) {
            event(w.layer().layer(), "maven", w.name(), v.get(), "watcher");
          }
        }
      }
      Thread.sleep(GAP_MILLIS);
    }
  }

  /**
   * A registry document's body when it changed since the last poll (or was never polled); null when
   * it is unchanged (304) or cannot be read. The validators (ETag, Last-Modified) are kept for the
   * next poll. A {@code file:} URL is read every time.
   */
  private String fetchDocument(UpstreamRelease.Document doc) throws AccretionException {
    URI uri = URI.create(doc.url());
    if (uri.getScheme().equals("file")) {
      try {
        Path f = Path.of(uri);
        return Files.isRegularFile(f) ? Files.readString(f) : null;
      } catch (java.io.IOException | RuntimeException e) {
        return null;
      }
    }
    if (!uri.getScheme().equals("http") && !uri.getScheme().equals("https")) {
      return null;
    }
    Optional<FreshStore.Page> last = fresh.page(doc.url());
    HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    doc.headers().forEach(r::header);
    if (last.isPresent() && last.get().etag() != null) {
      r.header("If-None-Match", last.get().etag());
    }
    if (last.isPresent() && last.get().lastModified() != null) {
      r.header("If-Modified-Since", last.get().lastModified());
    }
    HttpResponse<String> res;
    try {
      // credentials go only to the document's own host: with them, redirects are not followed
      res =
          (doc.headers().containsKey("Authorization") ? noRedirects : http)
              .send(r.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    if (res.statusCode() != 200) {
      return null;
    }
    fresh.savePage(
        new FreshStore.Page(
            doc.url(),
            res.headers().firstValue("etag").orElse(null),
            res.headers().firstValue("last-modified").orElse(null),
            "[]"));
    return res.body();
  }

  private static String lockedVersion(Map<String, String> packages, String normalized) {
    for (Map.Entry<String, String> e : packages.entrySet()) {
      if (UpstreamRelease.normalize(e.getKey()).equals(normalized)) {
        return e.getValue();
      }
    }
    return null;
  }

  /**
   * The file names a page lists; null when it is unchanged since the last poll (304) or cannot be
   * read.
   */
  List<String> fetch(String url) throws AccretionException {
    return fetch(url, true);
  }

  /**
   * The file names a page lists; null when it cannot be read, or, for a {@code conditional} fetch,
   * is unchanged since the last one (304). A conditional fetch keeps the page's validators and
   * files for the next.
   */
  private List<String> fetch(String url, boolean conditional) throws AccretionException {
    URI uri = URI.create(url);
    if (uri.getScheme().equals("file")) {
      Path dir = Path.of(uri);
      Path page = Files.isRegularFile(dir) ? dir : dir.resolve("index.html");
      try {
        return Files.isRegularFile(page) ? files(Files.readString(page), false) : null;
      } catch (java.io.IOException e) {
        return null;
      }
    }
    if (!uri.getScheme().equals("http") && !uri.getScheme().equals("https")) {
      return null;
    }
    Optional<FreshStore.Page> last = conditional ? fresh.page(url) : Optional.empty();
    HttpRequest.Builder r =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header(
                "Accept",
                "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2,"
                    + " text/html;q=0.1");
    if (last.isPresent() && last.get().etag() != null) {
      r.header("If-None-Match", last.get().etag());
    }
    if (last.isPresent() && last.get().lastModified() != null) {
      r.header("If-Modified-Since", last.get().lastModified());
    }
    HttpResponse<String> res;
    try {
      res = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    if (res.statusCode() == 304) {
      return null;
    }
    if (res.statusCode() != 200) {
      return null;
    }
    boolean json = res.headers().firstValue("content-type").orElse("").contains("json");
    List<String> files = files(res.body(), json);
    if (!conditional) {
      return files;
    }
    fresh.savePage(
        new FreshStore.Page(
            url,
            res.headers().firstValue("etag").orElse(null),
            res.headers().firstValue("last-modified").orElse(null),
            Json.write(files)));
    return files;
  }

  /**
   * The files of a release on the indexes builds use (each page fetched conditionally; an unchanged
   * page's files as last seen), or null when no index lists the release yet: then the release is
   * judged on the listing's requirement alone.
   */
  private List<String> releaseFiles(String project, String version) throws AccretionException {
    List<String> out = new ArrayList<>();
    for (String index : UpstreamRelease.pythonIndexUrls(environment)) {
      String url = (index.endsWith("/") ? index : index + "/") + project + "/";
      // not conditional and not saved: the watcher's next poll still sees a changed page
      List<String> files = fetch(url, false);
      if (files == null) {
        Optional<FreshStore.Page> last = fresh.page(url);
        if (last.isPresent()) {
          files = new ArrayList<>();
          for (JsonNode f : Json.tree(last.get().filesJson())) {
            files.add(f.asText());
          }
        }
      }
      if (files != null) {
        for (String f : files) {
          if (UpstreamRelease.fileVersion(project, f)
              .map(v -> v.equals(version) || sameVersion(v, version))
              .orElse(false)) {
            out.add(f);
          }
        }
      }
    }
    return out.isEmpty() ? null : out;
  }

  private static boolean sameVersion(String a, String b) {
    return UpstreamRelease.sameVersion(a, b);
  }

  /** The file names of a PEP 503 (HTML) or PEP 691 (JSON) project page. */
  static List<String> files(String body, boolean json) {
    List<String> out = new ArrayList<>();
    if (json) {
      JsonNode root = Json.tree(body);
      for (JsonNode f : root.path("files")) {
        if (f.hasNonNull("filename") && !isYanked(f.get("yanked"))) {
          out.add(f.get("filename").asText());
        }
      }
      return out;
    }
    Matcher m = ANCHOR.matcher(body);
    while (m.find()) {
      if (!m.group(0).contains("data-yanked")) {
        out.add(m.group(1).strip().replace("&amp;", "&"));
      }
    }
    return out;
  }

  private static boolean isYanked(JsonNode y) {
    return y != null && (y.isTextual() || (y.isBoolean() && y.booleanValue()));
  }

  /** Records a release for a layer and queues its rebuild; the event, or null when seen before. */
  FreshStore.Event event(String layer, String ecosystem, String name, String version, String source)
      throws AccretionException {
    FreshStore.Event e =
        new FreshStore.Event(
            UUID.randomUUID().toString(),
            layer,
            ecosystem,
            name,
            version,
            source,
            Instant.now(),
            null);
    if (!fresh.insertEvent(e)) {
      return null;
    }
    String build =
        rebuild(
            layer, "upstream", "caused by upstream event: " + name + " " + version + " released");
    if (build != null) {
      fresh.eventBuild(e.id(), build);
    }
    return new FreshStore.Event(e.id(), layer, ecosystem, name, version, source, e.seen(), build);
  }

  // ---------------------------------------------------------------- HTTP

  /** The routes of events and the feed (authentication is the API's). */
  void routes(RoutesConfig r) {
    r.post("/api/v1/events/upstream", this::postEvent);
    r.get("/api/v1/events", this::listEvents);
    r.get("/api/v1/layers/{name}/feed.atom", this::feed);
  }

  private void postEvent(Context ctx) throws AccretionException {
    JsonNode o = Definitions.body(ctx.bodyAsBytes());
    for (var it = o.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!List.of("ecosystem", "name", "version").contains(k)) {
        throw ApiProblem.badRequest(
            "/" + Definitions.escape(k),
            "unknown field '" + k + "' (known: ecosystem, name, version)");
      }
    }
    String ecosystem = text(o, "ecosystem", "[a-z]{1,16}");
    if (!List.of("pypi", "npm", "maven").contains(ecosystem)) {
      throw ApiProblem.badRequest("/ecosystem", "'ecosystem': one of pypi, npm, maven");
    }
    String name = text(o, "name", "[A-Za-z0-9._@/:-]{1,214}");
    String version = text(o, "version", "[A-Za-z0-9.+!_-]{1,128}");
    List<Object> events = new ArrayList<>();
    for (Watched w : watched()) {
      if (!UpstreamRelease.ecosystem(w.definition()).equals(ecosystem)) {
        continue;
      }
      boolean relevant;
      String key;
      if (ecosystem.equals("pypi")) {
        key = UpstreamRelease.normalize(name);
        String locked = lockedVersion(w.packages(), key);
        relevant =
            locked != null
                && UpstreamRelease.couldChange(
                    w.definition(), key, locked, version, releaseFiles(key, version));
      } else if (ecosystem.equals("npm")) {
        key = name;
        String locked = w.packages().get(name);
        relevant =
            locked != null && UpstreamRelease.npmCouldChange(w.definition(), name, locked, version);
      } else {
        key = name;
        String locked = w.packages().get(name);
        relevant =
            locked != null
                && UpstreamRelease.mavenCouldChange(w.definition(), name, locked, version);
      }
      if (relevant) {
        FreshStore.Event e = event(w.layer(), ecosystem, key, version, "api");
        if (e != null) {
          events.add(eventTree(e, true));
        }
      }
    }
    ctx.status(events.isEmpty() ? 200 : 202)
        .contentType(Api.JSON)
        .result(Json.write(Map.of("events", events)));
  }

  private static String text(JsonNode o, String key, String pattern) {
    JsonNode v = o.get(key);
    if (v == null || v.isNull()) {
      throw ApiProblem.badRequest("/" + key, "missing field '" + key + "'");
    }
    if (!v.isTextual() || !v.textValue().matches(pattern)) {
      throw ApiProblem.badRequest(
          "/" + key, "'" + key + "' must be a string of " + pattern.replace("\\", ""));
    }
    return v.textValue();
  }

  private Map<String, Object> eventTree(FreshStore.Event e, boolean withStatus)
      throws AccretionException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("layer", e.layer());
    m.put("ecosystem", e.ecosystem());
    m.put("name", e.name());
    m.put("version", e.version());
    m.put("source", e.source());
    m.put("seen", e.seen().toString());
    m.put("text", e.name() + " " + e.version() + " released");
    m.put("build", e.buildId());
    if (withStatus) {
      m.put(
          "buildStatus",
          e.buildId() == null
              ? null
              : store.build(e.buildId()).map(Store.Build::status).orElse(null));
    }
    return m;
  }

  private void listEvents(Context ctx) throws AccretionException {
    String layer = ctx.queryParam("layer");
    if (layer != null && !NAME.matcher(layer).matches()) {
      throw ApiProblem.badRequest("", "query parameter 'layer': not a layer name");
    }
    List<Object> out = new ArrayList<>();
    for (FreshStore.Event e : fresh.events(layer, 200)) {
      out.add(eventTree(e, true));
    }
    ctx.contentType(Api.JSON).result(Json.write(Map.of("events", out)));
  }

  @SuppressWarnings("unchecked")
  private void feed(Context ctx) throws AccretionException {
    String layer = ctx.pathParam("name");
    if (!NAME.matcher(layer).matches()) {
      throw ApiProblem.badRequest("", "invalid layer name in the path");
    }
    if (store.layer(layer).isEmpty()) {
      throw ApiProblem.notFound("no layer '" + layer + "' is managed here");
    }
    StringBuilder x = new StringBuilder();
    x.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.append("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    x.append("  <title>").append(xml(layer)).append(" layer versions</title>\n");
    x.append("  <id>urn:accretion:layer:").append(xml(layer)).append("</id>\n");
    x.append("  <author><name>accretion</name></author>\n");
    x.append("  <link rel=\"self\" href=\"")
        .append(xml("/api/v1/layers/" + layer + "/feed.atom"))
        .append("\"/>\n");
    List<FreshStore.Outcome> published = new ArrayList<>();
    for (FreshStore.Outcome o : fresh.finishedOutcomes(layer, 100)) {
      if ("published".equals(o.outcome())) {
        published.add(o);
      }
    }
    Instant updated = published.isEmpty() ? Instant.EPOCH : published.get(0).finished();
    x.append("  <updated>").append(updated).append("</updated>\n");
    for (FreshStore.Outcome o : published) {
      List<String> where = new ArrayList<>();
      long number = 0;
      for (JsonNode v : Json.tree(o.versionsJson() == null ? "[]" : o.versionsJson())) {
        where.add(v.path("region").asText() + ":" + v.path("version").asLong());
        number = Math.max(number, v.path("version").asLong());
      }
      Map<String, Object> changes =
          o.changesJson() == null ? changes(Map.of(), Map.of()) : mapOf(o.changesJson());
      x.append("  <entry>\n");
      x.append("    <id>urn:accretion:build:").append(xml(o.buildId())).append("</id>\n");
      x.append("    <title>")
          .append(xml(layer + " version " + number + ": " + summary(changes)))
          .append("</title>\n");
      x.append("    <updated>").append(o.finished()).append("</updated>\n");
      x.append("    <link href=\"").append(xml("/api/v1/builds/" + o.buildId())).append("\"/>\n");
      x.append("    <content type=\"text\">")
          .append(
              xml(
                  "published in "
                      + String.join(", ", where)
                      + " ("
                      + o.cause()
                      + "); changes: "
                      + summary(changes)))
          .append("</content>\n");
      x.append("  </entry>\n");
    }
    x.append("</feed>\n");
    ctx.contentType("application/atom+xml; charset=utf-8").result(x.toString());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapOf(String json) {
    try {
      return Definitions.MAPPER.readValue(json, Map.class);
    } catch (java.io.IOException e) {
      return changes(Map.of(), Map.of());
    }
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replaceAll("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]", "?");
  }
}
