package dev.accretion.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.catalog.DescribeVersion;
import dev.accretion.app.catalog.DiffVersions;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.app.service.DefineLayer;
import dev.accretion.app.service.FindPackage;
import dev.accretion.app.service.LayerDefinition;
import dev.accretion.core.AccretionException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The HTTP API under {@code /api/v1}: each handler reads the request, calls one use case or the
 * store, and writes the result; failures become problem+json in {@link #problem}.
 */
final class Api {
  static final String JSON = "application/json";
  static final String PROBLEM = "application/problem+json";
  static final long MAX_BODY = 2L << 20;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,140}");
  private static final Pattern BUILD_ID = Pattern.compile("[0-9a-f-]{36}");
  private static final String SCOPE = "accretion.scope";
  private static final String START = "accretion.start";

  private final ServerConfig config;
  private final Store store;
  private final Tokens tokens;
  private final BuildJobs jobs;
  private final Metrics metrics;
  private final Environment environment;
  private final AwsAccess aws;
  private final RecordedVersions recorded;
  private final Artifacts artifacts;
  private volatile boolean ready;

  Api(
      ServerConfig config,
      Store store,
      Tokens tokens,
      BuildJobs jobs,
      Metrics metrics,
      Environment environment,
      AwsAccess aws,
      RecordedVersions recorded,
      Artifacts artifacts) {
    this.config = config;
    this.store = store;
    this.tokens = tokens;
    this.jobs = jobs;
    this.metrics = metrics;
    this.environment = environment;
    this.aws = aws;
    this.recorded = recorded;
    this.artifacts = artifacts;
  }

  void ready(boolean value) {
    ready = value;
  }

  /**
   * The HTTP worker threads. On JDK 24 and later, a virtual thread per request: requests mostly
   * wait (database, AWS) and the few CPU-bound ones then share the cores without a pool's
   * hand-offs; on the benchmark's 200 clients this gave 2.8x the requests per second of Jetty's
   * platform pool with a third of the CPU per request (bench/RESULTS.md). Before JDK 24 a virtual
   * thread blocked in a {@code synchronized} block (the JDBC drivers have many) pins its carrier
   * thread, which can stall every request on a small machine, so there the platform pool stays. The
   * system property {@code accretion.http.threads} overrides the choice: {@code virtual}, {@code
   * platform} (Javalin's default pool) or a pool size.
   */
  static void httpThreads(JavalinConfig c, String setting) {
    String s = setting == null || setting.isBlank() ? "" : setting.strip();
    if (s.isEmpty()) {
      s = Runtime.version().feature() >= 24 ? "virtual" : "platform";
    }
    switch (s) {
      case "virtual" -> c.concurrency.useVirtualThreads = true;
      case "platform" -> {}
      default -> {
        int n = Integer.parseInt(s);
        var pool = new org.eclipse.jetty.util.thread.QueuedThreadPool(n, Math.min(n, 8), 60_000);
        pool.setName("accretion-http");
        c.jetty.threadPool = pool;
      }
    }
  }

  void configure(JavalinConfig c) {
    c.http.maxRequestSize = MAX_BODY;
    c.startup.showJavalinBanner = false;
    c.jetty.host = config.bind();
    c.jetty.port = config.port();
    httpThreads(c, System.getProperty("accretion.http.threads"));
    var r = c.routes;
    r.before(ctx -> ctx.attribute(START, System.nanoTime()));
    r.before("/api/*", this::authenticate);
    r.after(
        ctx -> {
          Long start = ctx.attribute(START);
          var matched = ctx.endpoints().matchedHttpEndpoint();
          String route = matched == null ? "unmatched" : matched.path;
          metrics.request(
              ctx.method().name(),
              route,
              ctx.statusCode(),
              start == null ? 0 : System.nanoTime() - start);
        });
    r.get("/health", this::health);
    r.get(
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.text(ready ? store.buildCounts() : Map.of())));
    r.get("/openapi.json", ctx -> ctx.contentType(JSON).result(OpenApi.document()));
    r.post("/api/v1/layers", this::createLayer);
    r.get("/api/v1/layers", this::listLayers);
    r.get("/api/v1/layers/{name}", this::getLayer);
    r.put("/api/v1/layers/{name}", this::putLayer);
    r.delete("/api/v1/layers/{name}", this::deleteLayer);
    r.post("/api/v1/layers/{name}/builds", this::queueBuild);
    r.get("/api/v1/layers/{name}/versions/{version}", this::version);
    r.get("/api/v1/layers/{name}/diff", this::diff);
    r.get("/api/v1/packages/{ecosystem}/{name}", this::packages);
    r.get("/api/v1/builds", this::listBuilds);
    r.get("/api/v1/builds/{id}", this::getBuild);
    new CatalogRoutes(store, recorded).register(r);
    artifacts.register(r);
    dev.accretion.server.web.Dashboard.register(r);
    r.exception(ApiProblem.class, (e, ctx) -> problem(ctx, e));
    r.exception(AccretionException.class, (e, ctx) -> problem(ctx, ApiProblem.of(e)));
    r.exception(
        HttpResponseException.class,
        (e, ctx) ->
            problem(
                ctx,
                new ApiProblem(
                    e.getStatus(),
                    e.getStatus() == 413 ? "too-large" : "http",
                    e.getStatus() == 413
                        ? "the request body is over " + MAX_BODY + " bytes"
                        : e.getMessage(),
                    e.getStatus() == 413 ? "" : null,
                    null)));
    r.exception(
        Exception.class,
        (e, ctx) ->
            problem(
                ctx,
                new ApiProblem(
                    500, "failed", "internal error: " + e.getClass().getName(), null, null)));
    r.error(
        404,
        ctx -> {
          if (!PROBLEM.equals(ctx.res().getContentType())
              && (ctx.result() == null || !ctx.result().startsWith("{"))) {
            problem(ctx, ApiProblem.notFound("no such resource: " + ctx.path()));
          }
        });
    r.error(
        405, ctx -> problem(ctx, new ApiProblem(405, "method", "method not allowed", null, null)));
  }

  private static void problem(Context ctx, ApiProblem p) {
    ctx.status(p.status());
    if (p.status() == 401) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"accretion\"");
    }
    ctx.contentType(PROBLEM).result(p.toJson());
  }

  private void authenticate(Context ctx) throws AccretionException {
    if (!ready) {
      throw new ApiProblem(503, "starting", "the service is starting", null, "retry shortly");
    }
    boolean read = ctx.method().name().equals("GET") || ctx.method().name().equals("HEAD");
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      if (read && config.publicRead()) {
        ctx.attribute(SCOPE, Scope.READ);
        return;
      }
      throw new ApiProblem(
          401,
          "unauthorized",
          "a bearer token is required",
          null,
          "send 'Authorization: Bearer <token>' (accretion serve token create)");
    }
    Scope scope = tokens.authenticate(header.substring(7).trim());
    if (scope == null) {
      throw new ApiProblem(401, "unauthorized", "the token is unknown or revoked", null, null);
    }
    Scope needed = read ? Scope.READ : Scope.WRITE;
    if (!scope.covers(needed)) {
      throw new ApiProblem(
          403,
          "forbidden",
          "a " + needed.id() + " token is needed; this one is " + scope.id(),
          null,
          null);
    }
    ctx.attribute(SCOPE, scope);
  }

  private void health(Context ctx) {
    if (ready) {
      ctx.contentType(JSON)
          .result(Json.write(Map.of("status", "ok", "instance", BuildJobs.INSTANCE)));
    } else {
      ctx.status(503).contentType(JSON).result("{\"status\":\"starting\"}");
    }
  }

  static String name(Context ctx) {
    String name = ctx.pathParam("name");
    if (!NAME.matcher(name).matches()) {
      throw ApiProblem.badRequest(
          "", "invalid layer name in the path: use 1 to 140 characters of a-z, A-Z, 0-9, - and _");
    }
    return name;
  }

  /** A definition checked as accretion.toml would be, and allowed for this caller. */
  private LayerDefinition checked(Context ctx, LayerDefinition d) throws AccretionException {
    DefineLayer.Result r = new DefineLayer(config.builderPath()).check(d);
    if (r.runsCode()) {
      if (!config.allowCommandBuilders()) {
        throw new ApiProblem(
            403,
            "forbidden",
            "the builder '"
                + r.builderId()
                + "' runs code on the server, and this server does"
                + " not allow such definitions",
            d.builder() != null ? "/builder" : "/listing/filename",
            "use a built-in language builder (python, nodejs, java), or start the server with"
                + " --allow-command-builders and use an admin token");
      }
      if (ctx.attribute(SCOPE) != Scope.ADMIN) {
        throw new ApiProblem(
            403,
            "forbidden",
            "a definition whose builder runs code needs an admin token",
            "/builder",
            null);
      }
    }
    return r.definition();
  }

  private void createLayer(Context ctx) throws AccretionException {
    LayerDefinition d = checked(ctx, Definitions.parse(Definitions.body(ctx.bodyAsBytes()), null));
    if (!store.insertLayer(d.name(), Definitions.json(d))) {
      throw new ApiProblem(
          409,
          "conflict",
          "layer '" + d.name() + "' is already defined",
          "/name",
          "change it with PUT /api/v1/layers/" + d.name());
    }
    ctx.status(201).header("Location", "/api/v1/layers/" + d.name());
    ctx.contentType(JSON).result(Json.write(layerTree(store.layer(d.name()).orElseThrow())));
  }

  private void putLayer(Context ctx) throws AccretionException {
    String name = name(ctx);
    LayerDefinition d = checked(ctx, Definitions.parse(Definitions.body(ctx.bodyAsBytes()), name));
    if (!store.updateLayer(name, Definitions.json(d))) {
      throw ApiProblem.notFound("no layer '" + name + "': define it with POST /api/v1/layers");
    }
    ctx.contentType(JSON).result(Json.write(layerTree(store.layer(name).orElseThrow())));
  }

  private Store.Layer stored(String name) throws AccretionException {
    return store
        .layer(name)
        .orElseThrow(() -> ApiProblem.notFound("no layer '" + name + "' is managed here"));
  }

  private void getLayer(Context ctx) throws AccretionException {
    ctx.contentType(JSON).result(Json.write(layerTree(stored(name(ctx)))));
  }

  private void listLayers(Context ctx) throws AccretionException {
    List<Object> out = new ArrayList<>();
    for (Store.Layer l : store.layers()) {
      out.add(layerTree(l));
    }
    ctx.contentType(JSON).result(Json.write(Map.of("layers", out)));
  }

  private void deleteLayer(Context ctx) throws AccretionException {
    String name = name(ctx);
    if (!store.deleteLayer(name)) {
      throw ApiProblem.notFound("no layer '" + name + "' is managed here");
    }
    ctx.status(204);
  }

  private static Map<String, Object> layerTree(Store.Layer l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", l.name());
    m.put("definition", Definitions.tree(Definitions.stored(l.definitionJson())));
    m.put("created", l.created().toString());
    m.put("updated", l.updated().toString());
    return m;
  }

  private void queueBuild(Context ctx) throws AccretionException {
    Store.Layer l = stored(name(ctx));
    String id = jobs.queue(l.name(), l.definitionJson());
    ctx.status(202).header("Location", "/api/v1/builds/" + id);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("status", "queued");
    ctx.contentType(JSON).result(Json.write(m));
  }

  private void getBuild(Context ctx) throws AccretionException {
    String id = ctx.pathParam("id");
    if (!BUILD_ID.matcher(id).matches()) {
      throw ApiProblem.notFound("no build '" + id.replaceAll("\\p{Cntrl}", "?") + "'");
    }
    Store.Build b = store.build(id).orElseThrow(() -> ApiProblem.notFound("no build '" + id + "'"));
    ctx.contentType(JSON).result(Json.write(buildTree(b, true)));
  }

  private void listBuilds(Context ctx) throws AccretionException {
    String layer = ctx.queryParam("layer");
    if (layer != null && !NAME.matcher(layer).matches()) {
      throw ApiProblem.badRequest("", "query parameter 'layer': not a layer name");
    }
    String status = ctx.queryParam("status");
    if (status != null && !List.of("queued", "running", "succeeded", "failed").contains(status)) {
      throw ApiProblem.badRequest(
          "", "query parameter 'status': one of queued, running, succeeded, failed");
    }
    int limit = intParam(ctx, "limit", 50, 1, 200);
    int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    List<Object> out = new ArrayList<>();
    List<Store.Build> builds = store.builds(layer, status, limit + 1, offset);
    for (int i = 0; i < Math.min(limit, builds.size()); i++) {
      out.add(buildTree(builds.get(i), false));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("builds", out);
    m.put("limit", limit);
    m.put("offset", offset);
    m.put("more", builds.size() > limit);
    ctx.contentType(JSON).result(Json.write(m));
  }

  private static int intParam(Context ctx, String name, int dflt, int min, int max) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ApiProblem.badRequest(
        "", "query parameter '" + name + "': a number from " + min + " to " + max);
  }

  private static Map<String, Object> buildTree(Store.Build b, boolean full) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", b.id());
    m.put("layer", b.layer());
    m.put("status", b.status());
    m.put("stage", b.stage());
    m.put("progress", b.progress());
    m.put("attempts", b.attempts());
    m.put("runner", b.runner());
    m.put("created", b.created().toString());
    m.put("started", b.started() == null ? null : b.started().toString());
    m.put("finished", b.finished() == null ? null : b.finished().toString());
    if (full) {
      List<String> log = new ArrayList<>();
      for (String line : b.log().split("\n")) {
        if (!line.isEmpty()) {
          log.add(line);
        }
      }
      m.put("log", log);
      m.put("result", b.resultJson() == null ? null : Json.tree(b.resultJson()));
      m.put("error", b.errorJson() == null ? null : Json.tree(b.errorJson()));
    }
    return m;
  }

  /** The region asked for, else the layer's first. */
  static String region(Context ctx, Store.Layer l) {
    String region = ctx.queryParam("region");
    if (region != null) {
      if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d{1,2}")) {
        throw ApiProblem.badRequest("", "query parameter 'region': not a region, like us-east-1");
      }
      return region;
    }
    return Definitions.stored(l.definitionJson()).regions().get(0);
  }

  private void version(Context ctx) throws AccretionException {
    Store.Layer l = stored(name(ctx));
    long version = positive(ctx.pathParam("version"), "version");
    ctx.contentType(JSON)
        .result(
            new DescribeVersion(environment)
                .describe(
                    new DescribeVersion.Request(
                        l.name(),
                        version,
                        ctx.queryParam("runtime"),
                        ctx.queryParam("arch"),
                        List.of(region(ctx, l)),
                        aws))
                .toJson());
  }

  private void diff(Context ctx) throws AccretionException {
    Store.Layer l = stored(name(ctx));
    long from = positive(ctx.queryParam("from"), "from");
    long to = positive(ctx.queryParam("to"), "to");
    ctx.contentType(JSON)
        .result(
            new DiffVersions(environment)
                .diff(
                    new DiffVersions.Request(
                        l.name(),
                        from,
                        to,
                        ctx.queryParam("runtime"),
                        ctx.queryParam("arch"),
                        List.of(region(ctx, l)),
                        aws))
                .toJson());
  }

  private void packages(Context ctx) throws AccretionException {
    String ecosystem = ctx.pathParam("ecosystem");
    if (!List.of("pypi", "npm", "maven").contains(ecosystem)) {
      throw ApiProblem.badRequest("", "ecosystem: one of pypi, npm, maven");
    }
    String pkg = ctx.pathParam("name");
    if (!pkg.matches("[A-Za-z0-9._@:-]{1,214}")) {
      throw ApiProblem.badRequest("", "package name: letters, digits and . _ - @ : only");
    }
    String versions = ctx.queryParam("versions");
    if (versions != null && (versions.length() > 200 || versions.isBlank())) {
      throw ApiProblem.badRequest("", "versions: a specifier of at most 200 characters");
    }
    List<FindPackage.Layer> layers = new ArrayList<>();
    for (Store.Layer l : store.layers()) {
      layers.add(new FindPackage.Layer(l.name(), Definitions.stored(l.definitionJson()).regions()));
    }
    ctx.contentType(JSON)
        .result(
            new FindPackage(environment)
                .find(new FindPackage.Request(ecosystem, pkg, versions, layers, aws))
                .toJson());
  }

  private static long positive(String v, String what) {
    if (v != null) {
      try {
        long n = Long.parseLong(v);
        if (n >= 1) {
          return n;
        }
      } catch (NumberFormatException e) {
        // below
      }
    }
    throw ApiProblem.badRequest("", "'" + what + "': a positive version number is required");
  }

  /** For tests: the JSON of a tree. */
  static JsonNode tree(String json) {
    return Json.tree(json);
  }
}
