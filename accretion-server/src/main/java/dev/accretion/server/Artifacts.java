package dev.accretion.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accretion.app.Json;
import dev.accretion.app.service.PublishDefinition;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The files builds wrote (the layer zip, its manifest, its SBOM), kept by digest under the data
 * folder ({@code artifacts/sha256/<hex>}), so a build's files can be downloaded after its work
 * folder is gone and identical files are kept once; and {@code GET
 * /api/v1/builds/{id}/artifacts/{file}}.
 */
final class Artifacts {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern BUILD_ID = Pattern.compile("[0-9a-f-]{36}");
  private final Path root;
  private final Store store;

  Artifacts(Path dataDir, Store store) {
    this.root = dataDir.resolve("artifacts").resolve("sha256");
    this.store = store;
  }

  /** Copies the build's files into the store by digest (a file kept already is not copied). */
  void keep(Path dist, List<PublishDefinition.Artifact> artifacts) throws AccretionException {
    try {
      Files.createDirectories(root);
      for (PublishDefinition.Artifact a : artifacts) {
        Path target = root.resolve(a.sha256());
        if (!HEX.matcher(a.sha256()).matches() || Files.exists(target)) {
          continue;
        }
        Path tmp = Files.createTempFile(root, ".keep-", ".tmp");
        try {
          Files.copy(dist.resolve(a.file()), tmp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED, "cannot keep the build's files in " + root + ": " + e, e);
    }
  }

  void register(RoutesConfig r) {
    r.get("/api/v1/builds/{id}/artifacts/{file}", this::download);
  }

  private void download(Context ctx) throws AccretionException {
    String id = ctx.pathParam("id");
    String file = ctx.pathParam("file");
    if (!BUILD_ID.matcher(id).matches()) {
      throw ApiProblem.notFound("no build '" + id.replaceAll("\\p{Cntrl}", "?") + "'");
    }
    Store.Build b = store.build(id).orElseThrow(() -> ApiProblem.notFound("no build '" + id + "'"));
    JsonNode found = null;
    if (b.resultJson() != null) {
      for (JsonNode a : Json.tree(b.resultJson()).path("artifacts")) {
        if (a.path("file").asText().equals(file)) {
          found = a;
        }
      }
    }
    if (found == null) {
      throw ApiProblem.notFound(
          "build "
              + id
              + " has no file '"
              + file.replaceAll("\\p{Cntrl}", "?")
              + "': see the artifacts of GET /api/v1/builds/"
              + id);
    }
    String sha = found.path("sha256").asText();
    Path kept = root.resolve(sha);
    if (!HEX.matcher(sha).matches() || !Files.isRegularFile(kept)) {
      throw ApiProblem.notFound(
          "the file '" + file + "' of build " + id + " is no longer kept: build the layer again");
    }
    try {
      ctx.header(
          "Digest", "sha-256=" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha)));
      ctx.header("ETag", "\"" + sha + "\"");
      ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
      ctx.header("Content-Length", Long.toString(Files.size(kept)));
      ctx.contentType(contentType(file));
      ctx.result(Files.newInputStream(kept));
    } catch (IOException e) {
      throw new AccretionException(FailureKind.FAILED, "cannot read " + kept + ": " + e, e);
    }
  }

  static String contentType(String file) {
    if (file.endsWith(".zip")) {
      return "application/zip";
    }
    if (file.endsWith(".json")) {
      return "application/json";
    }
    return "application/octet-stream";
  }
}
