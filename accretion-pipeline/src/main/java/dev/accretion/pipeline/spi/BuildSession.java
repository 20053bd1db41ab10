package dev.accretion.pipeline.spi;

import dev.accretion.core.AccretionException;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.runtime.Target;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

/**
 * One listing opened by a {@link Builder} for one build. The pipeline calls, in this order: {@link
 * #emptyReason} and {@link #selectorText} (a cache hit ends the build here); {@link #resolve} once
 * per target (one target at a time); then for each distinct source, concurrently from several
 * threads, {@link #download}, {@link #declaredSize} (per target) and {@link #open}; then per target
 * {@link #install} for each package, {@link #targetNotes} and {@link #extraFiles}; then {@link
 * #lockFile} per target; then {@link #close}. A session may rely on this order (every target is
 * resolved before anything is installed).
 *
 * <p>Sessions never write outside the folders the pipeline hands them (and their builder cache
 * folder, {@link BuildContext#builderCache}), and never print: progress and warnings go to the
 * context's listener.
 */
public interface BuildSession extends AutoCloseable {

  /** The builder's id ({@link Builder#id()}). */
  String builderId();

  /** The listing as opened (absolute). */
  Path listing();

  /** The format the listing was read as. */
  ListingFormat format();

  /**
   * The listing's bytes as read (kept in the manifest beside the zip; never in the zip). For a
   * folder-based builder, a short text describing the source (the command and folder).
   */
  byte[] listingBytes();

  /**
   * The layer name to use when none is given: a pyproject's or package.json's {@code name}, a pom's
   * artifactId, else the listing's folder name. Must be a valid layer name ({@code [a-zA-Z0-9_-]},
   * 1 to 140 characters).
   */
  String defaultName();

  /**
   * Everything besides the targets and the pipeline's own options that decides the build's result:
   * the listing's bytes and those of every file it includes, the builder options, the effective
   * index or registry configuration (without secrets), the builder's version. The pipeline hashes
   * it into the selector key; an unchanged rebuild then costs opening the listing and reading the
   * cache. Empty when the result cannot be known from the inputs (a custom command), which turns
   * the selector cache off for the build.
   */
  Optional<String> selectorText() throws AccretionException;

  /** What reading the listing found worth telling (one line each, shown as warnings once). */
  List<String> notes();

  /**
   * Why the listing asks for nothing at all, if it does not: an empty or comments-only requirements
   * file, a pyproject whose dependencies are {@code dynamic}. The pipeline then refuses the build
   * naming the file and this reason, unless empty layers are allowed ({@code --allow-empty}). Empty
   * when the listing asks for something (even if it resolves to nothing on some target). Default:
   * empty.
   */
  default Optional<String> emptyReason() {
    return Optional.empty();
  }

  /**
   * A package name as the ecosystem compares names ({@code Boto3} → {@code boto3} for PyPI), for
   * matching {@code --exclude} against resolved packages. Default: the name as given.
   */
  default String normalizeName(String name) {
    return name;
  }

  /**
   * What leaving {@code pkg} out of the layer ({@code --exclude}) means on Lambda, one clause for
   * the note "excluded NAME VERSION (--exclude): …": whether the runtime provides its own copy.
   * Default: that nothing in the runtime provides it.
   */
  default String excludedWhy(ResolvedPackage pkg) {
    return "nothing in the Lambda runtime provides it: the function or another layer must ship it";
  }

  /**
   * The ways out of a layer over the size budget that this language offers, one clause each (the
   * pipeline adds the ones every layer has): packages the runtime provides that could be excluded,
   * the builder's own slimming options.
   *
   * @param resolved every package resolved for the build's targets (excluded ones included)
   */
  default List<String> sizeAdvice(List<ResolvedPackage> resolved) {
    return List.of("leave out packages the function does not need (--exclude NAME)");
  }

  /**
   * The unzipped size {@code pkg} would install for {@code target}, as the fetched file's headers
   * declare it, without inflating anything (a zip's central directory): the pipeline checks the
   * budget on these sizes before the files are opened, so a zip bomb that declares its size is
   * refused before it is inflated. Called after {@link #download} and before {@link #open}, once
   * per package and target, possibly concurrently. Empty when the builder cannot tell cheaply.
   *
   * @param limits the limits {@link #open} will get (a builder may open the file here already and
   *     keep it for {@code open})
   */
  default OptionalLong declaredSize(
      ResolvedPackage pkg, Path blob, ZipLimits limits, Target target, Placement placement)
      throws AccretionException {
    return OptionalLong.empty();
  }

  /**
   * Notes about a target's layout as a whole, after every package of it was {@linkplain #install
   * installed} (a total of files slimmed away), for the manifest. Default: none.
   */
  default List<String> targetNotes(
      Target target, Placement placement, List<InstalledPackage> installed)
      throws AccretionException {
    return List.of();
  }

  /**
   * Layer-wide facts for the manifest, as top-level keys ({@code layout}); the same key rules as
   * {@link ResolvedPackage#facts()}, and they must not reuse the pipeline's keys (schema, builder,
   * layer, language, targets, packages, sizes, notes, warnings). Default: none.
   */
  default Map<String, Object> manifestFacts() {
    return Map.of();
  }

  /**
   * Resolves the listing for one target: the exact packages to install. A lock is used as it is.
   *
   * @throws AccretionException {@link dev.accretion.core.FailureKind#CONFLICT} when nothing fits
   *     (saying why each candidate was rejected and the ways out), {@link
   *     dev.accretion.core.FailureKind#UNREACHABLE} when a source cannot be read
   */
  Resolution resolve(Target target) throws AccretionException;

  /**
   * Writes the bytes of {@code source} to {@code out} (the pipeline verifies digests and stores the
   * file in the cache), reporting bytes received so far to {@code progress}.
   */
  void download(PackageSource source, OutputStream out, LongConsumer progress)
      throws AccretionException;

  /**
   * How many {@link #download}s the pipeline runs at once: {@value #DEFAULT_FETCH_CONCURRENCY}
   * unless the builder's sources serve more well (many small files over one HTTP/2 connection).
   */
  default int fetchConcurrency() {
    return DEFAULT_FETCH_CONCURRENCY;
  }

  /** The pipeline's usual number of downloads at once. */
  int DEFAULT_FETCH_CONCURRENCY = 8;

  /**
   * Opens and verifies a fetched file ({@code blob}, in the cache, read-only) for {@code pkg}: the
   * builder's own integrity and security checks (hostile archives, metadata that disagrees with the
   * name and version). Called once per distinct source, possibly concurrently; {@code blob} is null
   * for a package without a source.
   *
   * @param limits the limits archives must be opened with (entry counts, sizes, the build's shared
   *     inflated-bytes budget against zip bombs)
   * @throws AccretionException {@link dev.accretion.core.FailureKind#REFUSED} naming the file, the
   *     entry and the problem
   */
  OpenedPackage open(ResolvedPackage pkg, Path blob, ZipLimits limits) throws AccretionException;

  /**
   * Lays an opened package out for one target and placement: its files under the runtime's paths
   * ({@link Placement}), with the builder's own per-target checks (a Python extension for another
   * interpreter). The pipeline then checks ELF machine and glibc, collisions and size.
   */
  InstalledPackage install(OpenedPackage pkg, Target target, Placement placement)
      throws AccretionException;

  /**
   * Files the builder contributes for a target that belong to no package (a custom command's
   * output). Empty for language builders.
   */
  default List<LayerFile> extraFiles(Target target, Placement placement) throws AccretionException {
    return List.of();
  }

  /**
   * The lock of a resolution, to write beside the zip (and for {@code accretion lock}), or empty if
   * the builder writes none (a lock listing built as it is still gets one: the exact packages).
   *
   * @param layerName the layer name, for the file name ({@code pylock.web-python312-arm64.toml});
   *     null for a standalone lock ({@code accretion lock}), named after the target alone ({@code
   *     pylock.python312-arm64.toml}; for a single target the pipeline uses the format's own name,
   *     the first plain name of its {@link ListingFormat#fileNames()}, such as {@code pylock.toml})
   */
  Optional<LockFile> lockFile(Resolution resolution, String layerName, FileFacts facts)
      throws AccretionException;

  /** Releases what the session holds (HTTP clients, temporary folders). Never throws. */
  @Override
  void close();
}
