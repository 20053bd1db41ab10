package dev.accretion.pipeline;

import dev.accretion.core.AccretionException;
import dev.accretion.core.BuilderVersion;
import dev.accretion.core.FileDigests;
import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.core.cache.ArtifactFile;
import dev.accretion.core.cache.ArtifactRecord;
import dev.accretion.core.cache.Cache;
import dev.accretion.core.cache.CacheException;
import dev.accretion.core.cache.SelectorKey;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The selector cache of layer builds: a key over everything that decides a build's output (the
 * builder's {@link dev.accretion.pipeline.spi.BuildSession#selectorText()}, the builder id and
 * Accretion's version, the targets, the layer name and the pipeline's options), and the files the
 * build with that key wrote, kept as blobs. A hit copies those files to the output folder (all or
 * none) without resolving or assembling.
 */
final class SelectorCache {
  private final Cache cache;
  private final BuildListener listener;

  SelectorCache(Cache cache, BuildListener listener) {
    this.cache = cache;
    this.listener = listener;
  }

  /** The key of a build. Fields in this order; every one is part of the key. */
  static SelectorKey key(
      String builderId,
      String sessionText,
      List<Target> targets,
      String name,
      BuildRequest request) {
    SelectorKey.Builder key = SelectorKey.builder();
    key.add("kind", "accretion-layer/2");
    key.add("accretion", BuilderVersion.get());
    key.add("builder", builderId);
    key.add("session", sessionText);
    key.add("targets", String.join(",", targets.stream().map(Target::toString).toList()));
    key.add("name", name);
    key.add("placement", request.placement().name());
    key.add("exclude", String.join(",", new TreeSet<>(request.excludes())));
    key.add("reserveBytes", Long.toString(request.reserveBytes()));
    return key.build();
  }

  /**
   * The cached build for {@code key}, copied to {@code out} (all files or none), or empty with the
   * reason reported as a {@link PipelineEvent.CacheMiss}.
   */
  Optional<List<BuiltArtifact>> copy(SelectorKey key, Path out, OutputSet.Hook hook)
      throws AccretionException {
    Optional<ArtifactRecord> found = cache.selectors().get(key);
    if (found.isEmpty()) {
      return miss(key, "no cached build has these inputs");
    }
    ArtifactRecord record = found.get();
    Map<String, Path> blobs = new LinkedHashMap<>();
    for (ArtifactFile file : record.files()) {
      if (!safeFileName(file.name())) {
        return miss(key, "the cached entry names a bad file");
      }
      Optional<Path> blob = cache.blobs().get(file.sha256());
      if (blob.isEmpty()) {
        return miss(key, "a file of the cached build is gone; building again");
      }
      blobs.put(file.name(), blob.get());
    }
    // read the manifests from the cache first: nothing is copied unless all of them are good
    List<BuiltArtifact> artifacts = new ArrayList<>();
    for (Map.Entry<String, Path> e : blobs.entrySet()) {
      String fileName = e.getKey();
      if (!isManifest(fileName, blobs.keySet())) {
        continue;
      }
      try {
        byte[] bytes = Files.readAllBytes(e.getValue());
        if (!new String(bytes, StandardCharsets.UTF_8)
            .contains("\"schema\" : \"" + Documents.SCHEMA + "\"")) {
          return miss(key, "the cached manifest " + fileName + " has another schema");
        }
        String zipName = fileName.substring(0, fileName.length() - ".json".length()) + ".zip";
        if (!blobs.containsKey(zipName)) {
          return miss(key, "the cached build has no " + zipName);
        }
        artifacts.add(BuiltArtifact.read(out.resolve(zipName), out.resolve(fileName), bytes));
      } catch (IOException | AccretionException | RuntimeException ex) {
        return miss(key, "the cached manifest " + fileName + " is unreadable; building again");
      }
    }
    int inPlace;
    try (OutputSet files = new OutputSet(out, hook)) {
      for (Map.Entry<String, Path> e : blobs.entrySet()) {
        // a stream copy: the blob's read-only mode does not carry over to the user's file
        files.copy(e.getKey(), e.getValue());
      }
      files.commit();
      inPlace = files.alreadyInPlace();
    }
    listener.onEvent(
        new PipelineEvent.CacheHit(
            key.sha256(), record.created(), List.copyOf(blobs.keySet()), inPlace));
    return Optional.of(artifacts);
  }

  /**
   * Whether a written file is a manifest: {@code <stem>.json} beside {@code <stem>.zip}. Other
   * {@code .json} files are a builder's locks ({@code …package-lock.json}, {@code …java-lock.json})
   * or the SBOM ({@code .cdx.json}).
   */
  private static boolean isManifest(String fileName, java.util.Collection<String> names) {
    if (!fileName.endsWith(".json") || fileName.endsWith(".cdx.json")) {
      return false;
    }
    return names.contains(fileName.substring(0, fileName.length() - ".json".length()) + ".zip");
  }

  private Optional<List<BuiltArtifact>> miss(SelectorKey key, String reason) {
    listener.onEvent(new PipelineEvent.CacheMiss(key.sha256(), reason));
    return Optional.empty();
  }

  /**
   * Stores the written files as blobs and records them under {@code key}; a failure is reported to
   * {@code warn} only (the build itself succeeded).
   *
   * @param written the files, in the order written, with their sha256 where known (else null)
   */
  void record(
      SelectorKey key,
      Map<Path, String> written,
      String layer,
      List<Target> targets,
      Consumer<String> warn) {
    try {
      List<ArtifactFile> files = new ArrayList<>();
      String artifactSha = null;
      String manifestSha = null;
      for (Map.Entry<Path, String> w : written.entrySet()) {
        Path p = w.getKey();
        String sha = w.getValue() != null ? w.getValue() : FileDigests.sha256Hex(p);
        cache.blobs().put(p, Optional.of(sha));
        files.add(new ArtifactFile(p.getFileName().toString(), sha, Files.size(p)));
        String fileName = p.getFileName().toString();
        if (artifactSha == null && fileName.endsWith(".zip")) {
          artifactSha = sha;
        }
        if (manifestSha == null
            && isManifest(
                fileName,
                written.keySet().stream().map(x -> x.getFileName().toString()).toList())) {
          manifestSha = sha;
        }
      }
      if (artifactSha == null || manifestSha == null) {
        return;
      }
      Map<String, String> attributes = new TreeMap<>();
      attributes.put("layer", layer);
      attributes.put("builder", BuilderVersion.get());
      attributes.put("targets", String.join(" ", targets.stream().map(Target::toString).toList()));
      cache
          .selectors()
          .put(key, ArtifactRecord.of(artifactSha, manifestSha, files, attributes, Instant.now()));
    } catch (CacheException | IOException e) {
      warn.accept("the build could not be recorded in the cache (" + e.getMessage() + ")");
    }
  }

  private static boolean safeFileName(String name) {
    return !name.isEmpty()
        && !name.startsWith(".")
        && !name.contains("/")
        && !name.contains("\\")
        && name.chars().noneMatch(c -> c < 0x20);
  }
}
