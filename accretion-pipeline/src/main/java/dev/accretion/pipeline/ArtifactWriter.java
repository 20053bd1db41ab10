package dev.accretion.pipeline;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.archive.ArchiveException;
import dev.accretion.core.archive.ReproducibleZipWriter;
import dev.accretion.core.archive.ZipResult;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.Builder;
import dev.accretion.pipeline.spi.FileFacts;
import dev.accretion.pipeline.spi.LayerFile;
import dev.accretion.pipeline.spi.LockFile;
import dev.accretion.pipeline.spi.OpenedPackage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Writes one artifact (the zip of a group of targets that share their files) and its side files
 * into an {@link OutputSet}: the reproducible zip with the manifest inside, the lock of each
 * target, the CycloneDX SBOM and the manifest beside. Nothing appears in the output folder until
 * the set is committed.
 */
final class ArtifactWriter {
  private final BuildRequest request;
  private final Builder builder;
  private final BuildSession session;
  private final String name;
  private final Path out;
  private final BuildListener listener;
  private final SizeBudget budget;
  private final Supplier<FileFacts> facts;
  private final List<String> split;

  /** An artifact written to temporary files, to be read back once they are published. */
  record Pending(Path zip, Path manifest, byte[] manifestBytes) {}

  ArtifactWriter(
      BuildRequest request,
      Builder builder,
      BuildSession session,
      String name,
      Path out,
      BuildListener listener,
      SizeBudget budget,
      Supplier<FileFacts> facts,
      List<String> split) {
    this.request = request;
    this.builder = builder;
    this.session = session;
    this.name = name;
    this.out = out;
    this.listener = listener;
    this.budget = budget;
    this.facts = facts;
    this.split = List.copyOf(split);
  }

  /**
   * @param buildWarnings what reading and resolving said, for the manifest beside the zip
   * @param written receives each file's final path and sha256
   */
  Pending write(
      List<TargetLayout> group,
      OutputSet files,
      List<String> buildWarnings,
      Map<Path, String> written)
      throws AccretionException {
    TargetLayout first = group.get(0);
    List<Target> groupTargets = group.stream().map(TargetLayout::target).toList();
    String base = LayerNames.artifactBase(name, groupTargets);
    listener.onEvent(new PipelineEvent.Assembling(base + ".zip", groupTargets));
    List<String> runtimes = new ArrayList<>();
    List<String> architectures = new ArrayList<>();
    for (Target t : groupTargets) {
      if (!runtimes.contains(t.runtime().id())) {
        runtimes.add(t.runtime().id());
      }
      if (!architectures.contains(t.architecture().lambdaName())) {
        architectures.add(t.architecture().lambdaName());
      }
    }
    architectures.sort(Comparator.comparing(a -> a.equals("x86_64") ? 0 : 1));
    List<ManifestPackage> packages = manifestPackages(first);
    long unzipped = first.unzippedBytes();
    Map<String, Object> inside =
        Documents.inside(
            builder.id(),
            name,
            first.target().runtime().language().id(),
            session.manifestFacts(),
            runtimes,
            architectures,
            packages,
            unzipped,
            first.files().size(),
            first.notes(),
            first.warnings());
    byte[] insideBytes = Documents.json(inside);
    String manifestPath = LayerNames.manifestPath(name);
    long total = unzipped + insideBytes.length;
    if (!budget.fits(total)) {
      Map<String, Long> bySize = new java.util.LinkedHashMap<>();
      for (ManifestPackage p : packages) {
        bySize.put(p.name() + " " + p.version(), p.unzippedBytes());
      }
      throw budget.tooLarge(first.target(), total, bySize, "comes to");
    }
    ReproducibleZipWriter zipWriter = new ReproducibleZipWriter();
    try {
      Map<LayerFile, ReproducibleZipWriter.Compressed> compressed = compressAll(first.files());
      for (LayerFile f : first.files()) {
        ReproducibleZipWriter.Compressed c = compressed.get(f);
        if (c != null) {
          zipWriter.addCompressed(f.path(), c, f.executable(), first.sources().get(f.path()));
        } else {
          add(zipWriter, f, first.sources().get(f.path()));
        }
      }
    } catch (ArchiveException e) {
      throw AccretionException.as(FailureKind.FAILED, e);
    }
    zipWriter.addBytes(manifestPath, insideBytes, false, "accretion");
    Path zipPath = out.resolve(base + ".zip");
    Path zipTemp = files.reserve(base + ".zip");
    ZipResult zip;
    try {
      zip = zipWriter.writeTo(zipTemp, zipPath);
    } catch (ArchiveException e) {
      throw new AccretionException(
          FailureKind.FAILED,
          "could not write layer " + zipPath + ": " + e.getMessage(),
          "nothing of this build was left in the output folder; check its free space, then build"
              + " again",
          e);
    }
    written.put(zipPath, zip.sha256Hex());
    List<String> lockNames = new ArrayList<>();
    for (TargetLayout l : group) {
      Optional<LockFile> lock = session.lockFile(l.resolution(), name, facts.get());
      if (lock.isPresent()) {
        files.write(lock.get().fileName(), lock.get().content());
        lockNames.add(lock.get().fileName());
        written.put(out.resolve(lock.get().fileName()), sha256(lock.get().content()));
      }
    }
    byte[] sbom =
        Documents.json(
            Documents.sbom(name, base, zip.sha256Hex(), runtimes, architectures, packages));
    files.write(base + ".cdx.json", sbom);
    written.put(out.resolve(base + ".cdx.json"), sha256(sbom));
    Map<String, Object> beside =
        Documents.beside(
            inside,
            packages,
            new Documents.Beside(
                base + ".zip",
                zip.sha256Hex(),
                zip.codeSha256Base64(),
                zip.contentDigest(),
                zip.zippedBytes(),
                zip.unzippedBytes(),
                zip.entryCount(),
                manifestPath,
                request.reserveBytes(),
                request.budgetBytes(),
                session.listing(),
                session.format().id(),
                new String(session.listingBytes(), StandardCharsets.UTF_8),
                base + ".cdx.json",
                lockNames,
                options(),
                buildWarnings,
                split));
    byte[] besideBytes = Documents.json(beside);
    files.write(base + ".json", besideBytes);
    Path manifest = out.resolve(base + ".json");
    written.put(manifest, sha256(besideBytes));
    return new Pending(zipPath, manifest, besideBytes);
  }

  /**
   * Deflates every entry the layer compresses itself (npm tarball contents, generated files) on one
   * thread per core: the deterministic encoder is the slowest step of assembling such a layer, and
   * each entry's bytes depend only on its content, so the archive is the same as when they are
   * compressed one by one.
   */
  static Map<LayerFile, ReproducibleZipWriter.Compressed> compressAll(List<LayerFile> files) {
    List<LayerFile> todo = new ArrayList<>();
    Map<LayerFile, ReproducibleZipWriter.Compressed> out = new java.util.IdentityHashMap<>();
    for (LayerFile f : files) {
      if (f.content() instanceof LayerFile.Compressed c) {
        if (c.ready() != null) {
          out.put(f, c.ready()); // the builder compressed it while the others downloaded
        } else {
          todo.add(f);
        }
      }
    }
    int threads = Math.min(Runtime.getRuntime().availableProcessors(), todo.size() / 8);
    if (threads < 2) {
      return out; // compressed in order while added
    }
    // largest first, so no thread is left with one big entry at the end
    todo.sort(
        Comparator.comparingInt(
            (LayerFile f) -> -((LayerFile.Compressed) f.content()).bytes().length));
    java.util.concurrent.atomic.AtomicInteger next =
        new java.util.concurrent.atomic.AtomicInteger();
    ReproducibleZipWriter.Compressed[] done = new ReproducibleZipWriter.Compressed[todo.size()];
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      workers[t] =
          Thread.ofPlatform()
              .name("accretion-deflate-" + t)
              .daemon()
              .start(
                  () -> {
                    for (int i = next.getAndIncrement();
                        i < done.length;
                        i = next.getAndIncrement()) {
                      done[i] =
                          ReproducibleZipWriter.compress(
                              ((LayerFile.Compressed) todo.get(i).content()).bytes());
                    }
                  });
    }
    try {
      for (Thread w : workers) {
        w.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return out; // the rest is compressed in order while added
    }
    for (int i = 0; i < done.length; i++) {
      if (done[i] != null) {
        out.put(todo.get(i), done[i]);
      }
    }
    return out;
  }

  private static void add(ReproducibleZipWriter writer, LayerFile f, String source)
      throws ArchiveException {
    switch (f.content()) {
      case LayerFile.Raw raw ->
          writer.addRaw(f.path(), raw.archive(), raw.entry(), f.sha256(), f.executable(), source);
      case LayerFile.Stored stored ->
          writer.addBytes(f.path(), stored.bytes(), f.executable(), source);
      case LayerFile.Compressed c when c.ready() != null ->
          writer.addCompressed(f.path(), c.ready(), f.executable(), source);
      case LayerFile.Compressed c ->
          writer.addCompressed(f.path(), c.bytes(), f.executable(), source);
      case LayerFile.WholeFile w ->
          writer.addFile(f.path(), w.file(), f.sha256(), f.size(), f.executable(), source);
    }
  }

  /** The options that shape the layer, as the manifest beside the zip records them. */
  private Map<String, Object> options() {
    Map<String, Object> m = new TreeMap<>();
    m.put("builder", builder.id());
    Map<String, Object> own = new TreeMap<>();
    request
        .options()
        .asMap()
        .forEach((k, v) -> own.put(k, v.stream().map(ArtifactWriter::redact).toList()));
    m.put("builderOptions", own);
    List<String> excludes = new ArrayList<>();
    for (String x : new TreeSet<>(request.excludes())) {
      excludes.add(session.normalizeName(x.strip()));
    }
    m.put("exclude", List.copyOf(new TreeSet<>(excludes)));
    m.put("placement", request.placement().name().toLowerCase(java.util.Locale.ROOT));
    m.put("reserveBytes", request.reserveBytes());
    return m;
  }

  private static final java.util.regex.Pattern USER_INFO =
      java.util.regex.Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@");

  /** An option value with any credentials in a URL ({@code https://user:token@host}) left out. */
  static String redact(String value) {
    return USER_INFO.matcher(value).replaceFirst("$1***@");
  }

  private static List<ManifestPackage> manifestPackages(TargetLayout layout) {
    Map<String, long[]> sizes = new HashMap<>();
    for (LayerFile f : layout.files()) {
      long[] s = sizes.computeIfAbsent(layout.sources().get(f.path()), k -> new long[2]);
      s[0] += f.size();
      s[1]++;
    }
    List<ManifestPackage> packages = new ArrayList<>();
    for (TargetLayout.Installed p : layout.packages()) {
      OpenedPackage o = p.opened();
      long[] s = sizes.getOrDefault(p.resolved().name(), new long[2]);
      Map<String, Object> facts = new TreeMap<>(p.resolved().facts());
      facts.putAll(o.facts());
      packages.add(
          new ManifestPackage(
              p.resolved().ecosystem(),
              p.resolved().name(),
              p.resolved().version(),
              p.resolved().purl(),
              p.resolved().source() == null ? null : p.resolved().source().filename(),
              p.resolved().source() == null ? null : p.resolved().source().url().toString(),
              p.fetched() == null ? null : p.fetched().sha256(),
              o.license(),
              o.license() != null && o.licenseIsExpression(),
              s[0],
              (int) s[1],
              p.resolved().dependencies(),
              facts));
    }
    return packages;
  }

  private static String sha256(byte[] bytes) {
    return dev.accretion.core.FileDigests.sha256Hex(bytes);
  }
}
