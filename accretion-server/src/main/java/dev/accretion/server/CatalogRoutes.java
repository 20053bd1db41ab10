package dev.accretion.server;

import dev.accretion.app.Json;
import dev.accretion.app.service.ImportVersions;
import dev.accretion.core.AccretionException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /versions} and {@code /arn} from the recorded versions (no AWS call per request), and
 * {@code POST /import}, which records what AWS holds (the versions Accretion published, by their
 * marker and manifest, from the CLI or the service).
 */
final class CatalogRoutes {
  private final Store store;
  private final RecordedVersions versions;

  CatalogRoutes(Store store, RecordedVersions versions) {
    this.store = store;
    this.versions = versions;
  }

  void register(RoutesConfig r) {
    r.get("/api/v1/layers/{name}/versions", this::versions);
    r.get("/api/v1/layers/{name}/arn", this::arn);
    r.post("/api/v1/layers/{name}/import", this::importVersions);
  }

  private Store.Layer stored(Context ctx) throws AccretionException {
    String name = Api.name(ctx);
    return store
        .layerForRead(name)
        .orElseThrow(
            () ->
                ApiProblem.notFound(
                    "no layer '"
                        + name
                        + "' is managed here: define it with POST /api/v1/layers, then import"));
  }

  private void versions(Context ctx) throws AccretionException {
    Store.Layer l = stored(ctx);
    String region = Api.region(ctx, l);
    String refresh = ctx.queryParam("refresh");
    if (refresh != null && !refresh.equals("true") && !refresh.equals("false")) {
      throw ApiProblem.badRequest("", "query parameter 'refresh': true or false");
    }
    if ("true".equals(refresh)) {
      versions.refresh(l.name(), region);
    }
    RecordedVersions.Listing listing = versions.listingOrRefresh(l.name(), region);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("layer", l.name());
    m.put("region", region);
    m.put("recorded", listing.refreshed().toString());
    List<Object> out = new ArrayList<>(listing.rows().size());
    for (RecordedVersions.Row row : listing.rows()) {
      out.add(row.tree());
    }
    m.put("versions", out);
    ctx.contentType(Api.JSON).result(Json.write(m));
  }

  /**
   * The newest version of the one Lambda layer serving the target, as {@code accretion arn} picks
   * it ({@code LayerCatalog.locate}), from the recorded versions.
   */
  private void arn(Context ctx) throws AccretionException {
    Store.Layer l = stored(ctx);
    String region = Api.region(ctx, l);
    String runtime = ctx.queryParam("runtime");
    String arch = ctx.queryParam("arch");
    for (String[] p : new String[][] {{"runtime", runtime}, {"arch", arch}}) {
      if (p[1] != null && !p[1].matches("[a-z0-9._-]{1,40}")) {
        throw ApiProblem.badRequest("", "query parameter '" + p[0] + "': not a " + p[0]);
      }
    }
    RecordedVersions.Listing listing = versions.listingOrRefresh(l.name(), region);
    // the newest version of each Lambda layer (rows are sorted by layer, newest first)
    Map<String, RecordedVersions.Row> newest = new LinkedHashMap<>();
    for (RecordedVersions.Row row : listing.rows()) {
      newest.putIfAbsent(row.lambdaLayer(), row);
    }
    if (newest.isEmpty()) {
      throw ApiProblem.notFound(
          "layer '"
              + l.name()
              + "' has no recorded version in "
              + region
              + ": build it, or import");
    }
    List<RecordedVersions.Row> serving = new ArrayList<>();
    for (RecordedVersions.Row row : newest.values()) {
      if ((runtime == null || row.runtimes().contains(runtime))
          && (arch == null
              || row.architectures().isEmpty()
              || row.architectures().contains(arch))) {
        serving.add(row);
      }
    }
    RecordedVersions.Row chosen;
    if (serving.size() == 1) {
      chosen = serving.get(0);
    } else if (serving.isEmpty()) {
      throw ApiProblem.notFound(
          "no version of '"
              + l.name()
              + "' in "
              + region
              + " serves "
              + (runtime == null ? "any runtime" : runtime)
              + " on "
              + (arch == null ? "any architecture" : arch)
              + "; there are: "
              + newest.keySet());
    } else if (runtime != null && arch != null) {
      chosen = serving.get(0);
      for (RecordedVersions.Row row : serving) {
        if (row.created() != null
            && (chosen.created() == null || row.created().compareTo(chosen.created()) > 0)) {
          chosen = row;
        }
      }
    } else {
      List<String> names = new ArrayList<>();
      for (RecordedVersions.Row row : serving) {
        names.add(row.lambdaLayer() + " " + row.runtimes() + " " + row.architectures());
      }
      throw ApiProblem.badRequest(
          "",
          "several Lambda layers of '"
              + l.name()
              + "' serve this: "
              + String.join(", ", names)
              + "; choose with runtime= and arch=");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("layerVersionArn", chosen.arn());
    m.put("region", region);
    ctx.contentType(Api.JSON).result(Json.write(m));
  }

  private void importVersions(Context ctx) throws AccretionException {
    Store.Layer l = stored(ctx);
    List<String> regions =
        ctx.queryParam("region") != null
            ? List.of(Api.region(ctx, l))
            : Definitions.stored(l.definitionJson()).regions();
    List<Object> out = new ArrayList<>();
    for (String region : regions) {
      ImportVersions.Result found = versions.refresh(l.name(), region);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("region", region);
      m.put("imported", found.versions().size());
      m.put("skipped", found.skipped());
      List<Object> rows = new ArrayList<>();
      for (RecordedVersions.Row row : versions.listing(l.name(), region).orElseThrow().rows()) {
        rows.add(row.tree());
      }
      m.put("versions", rows);
      out.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("layer", l.name());
    root.put("regions", out);
    ctx.contentType(Api.JSON).result(Json.write(root));
  }
}
