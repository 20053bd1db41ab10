package dev.accretion.python.resolve;

import dev.accretion.core.AccretionException;
import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.index.IndexAnswer;
import dev.accretion.python.index.IndexException;
import dev.accretion.python.index.IndexFile;
import dev.accretion.python.index.IndexUnreachableException;
import dev.accretion.python.index.ProjectPage;
import dev.accretion.python.index.SimpleIndexClient;
import dev.accretion.python.pep440.SpecifierSet;
import dev.accretion.python.pep440.Version;
import dev.accretion.python.tags.PythonTarget;
import dev.accretion.python.tags.SdistFilename;
import dev.accretion.python.tags.WheelFilename;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds, for one project, the releases that can be installed on the target: reads the project's
 * pages (first index that has it, or all of them in best-match mode), keeps only wheels whose tags
 * fit the target and whose Requires-Python admits the target's Python, and picks each version's
 * best-ranked wheel. Everything it rejects is recorded with the reason, for explanations.
 *
 * <p>Thread-safe: results are memoized per project, computed asynchronously.
 */
final class PackageFinder {
  private final SimpleIndexClient client;
  private final PythonTarget target;
  private final Version targetPython;
  private final IndexStrategy strategy;
  private final Set<String> noBinary;
  private final Map<PackageName, CompletableFuture<Found>> found = new ConcurrentHashMap<>();

  PackageFinder(
      SimpleIndexClient client, PythonTarget target, IndexStrategy strategy, Set<String> noBinary) {
    this.client = client;
    this.target = target;
    this.strategy = strategy;
    this.noBinary = Set.copyOf(noBinary);
    this.targetPython = Version.tryParse(target.pythonFullVersion()).orElseThrow();
  }

  /**
   * The installable releases of a project, newest first, and what was rejected.
   *
   * @param shadowed pages of later indexes that list the project too but were not used, because
   *     with {@link IndexStrategy#FIRST_INDEX} only the first index that lists it counts; empty in
   *     best-match mode
   */
  record Found(
      PackageName project,
      List<URI> sources,
      List<Distribution> distributions,
      List<Rejection> rejections,
      boolean listedAnywhere,
      List<ProjectPage> shadowed) {}

  SimpleIndexClient client() {
    return client;
  }

  CompletableFuture<Found> findAsync(PackageName project) {
    return found.computeIfAbsent(
        project,
        p ->
            strategy == IndexStrategy.FIRST_INDEX
                ? client.answersAsync(p).thenApply(answers -> evaluate(p, owner(p, answers)))
                : client.pagesAsync(p).thenApply(pages -> evaluate(p, pooled(pages))));
  }

  /** The pages a project's files come from, and the pages left out. */
  private record Selection(List<ProjectPage> used, List<ProjectPage> shadowed) {}

  /**
   * First-index: the first source that has a page for the project owns it, even an empty page (the
   * project exists there with no files); later pages are only kept to explain a failure. A source
   * before the owner that could not answer stops the project: only a clean "not found" lets the
   * next source answer, or an outage of the private index would hand its names to a public one.
   */
  private static Selection owner(PackageName project, List<IndexAnswer> answers) {
    List<ProjectPage> used = new ArrayList<>();
    List<ProjectPage> shadowed = new ArrayList<>();
    List<URI> without = new ArrayList<>();
    for (IndexAnswer answer : answers) {
      if (!used.isEmpty()) {
        if (answer.page() != null && !answer.page().files().isEmpty()) {
          shadowed.add(answer.page());
        }
        continue;
      }
      if (answer.failure() != null) {
        throw new CompletionException(stopped(project, answer.failure(), without));
      }
      if (answer.page() != null) {
        used.add(answer.page());
      } else {
        without.add(answer.source());
      }
    }
    return new Selection(used, shadowed);
  }

  private static IndexException stopped(
      PackageName project, IndexException failure, List<URI> without) {
    if (!(failure instanceof IndexUnreachableException unreachable)) {
      return failure;
    }
    StringBuilder message =
        new StringBuilder("cannot resolve ")
            .append(project.display())
            .append(": ")
            .append(unreachable.getMessage());
    if (!without.isEmpty()) {
      message.append(" (");
      for (int i = 0; i < without.size(); i++) {
        message.append(i == 0 ? "" : ", ").append(without.get(i));
      }
      message.append(without.size() == 1 ? " does" : " do").append(" not have it)");
    }
    message
        .append(". With the first-index strategy (the dependency-confusion guard) an index that")
        .append(" cannot be read stops every package it might own; only a clean 'not found' lets")
        .append(" the next index answer. --index-strategy best-match goes on without it, as pip")
        .append(" does");
    return new IndexUnreachableException(unreachable.location(), message.toString(), unreachable);
  }

  /** Best-match: every page is used (pip's pooling). */
  private static Selection pooled(List<ProjectPage> pages) {
    return new Selection(pages, List.of());
  }

  Found find(PackageName project) throws AccretionException {
    try {
      return findAsync(project).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof AccretionException a) {
        throw a;
      }
      throw e;
    }
  }

  private Found evaluate(PackageName project, Selection selection) {
    List<ProjectPage> used = selection.used();
    List<ProjectPage> shadowed = selection.shadowed();
    List<Rejection> rejections = new ArrayList<>();
    Map<Version, List<Distribution>> byVersion = new TreeMap<>(Comparator.reverseOrder());
    boolean binaryRefused = noBinary.contains(":all:") || noBinary.contains(project.normalized());
    for (ProjectPage page : used) {
      for (IndexFile file : page.files()) {
        String filename = file.filename();
        if (!WheelFilename.isWheel(filename)) {
          if (SdistFilename.isSdist(filename)) {
            try {
              SdistFilename sdist = SdistFilename.parse(filename);
              rejections.add(
                  new Rejection(
                      Version.tryParse(sdist.version()).orElse(null),
                      filename,
                      Rejection.Kind.SDIST,
                      "source distribution only"));
            } catch (ParseException e) {
              // not a usable sdist name either; pip skips such links too
            }
          }
          continue;
        }
        WheelFilename wheel;
        try {
          wheel = WheelFilename.parse(filename);
        } catch (ParseException e) {
          rejections.add(new Rejection(null, filename, Rejection.Kind.INVALID, e.getMessage()));
          continue;
        }
        if (!wheel.name().equals(project)) {
          continue;
        }
        Version version = Version.tryParse(wheel.version()).orElse(null);
        if (version == null) {
          rejections.add(new Rejection(null, filename, Rejection.Kind.INVALID, "invalid version"));
          continue;
        }
        if (binaryRefused) {
          rejections.add(
              new Rejection(version, filename, Rejection.Kind.NO_BINARY, "refused by --no-binary"));
          continue;
        }
        if (file.requiresPython().isPresent()) {
          String spec = file.requiresPython().get();
          SpecifierSet requires = null;
          try {
            requires = SpecifierSet.parse(spec);
          } catch (ParseException e) {
            // pip ignores an invalid Requires-Python on an index page and keeps the file
          }
          if (requires != null && !requires.contains(targetPython, true)) {
            rejections.add(
                new Rejection(
                    version,
                    filename,
                    Rejection.Kind.REQUIRES_PYTHON,
                    "requires Python " + spec.strip()));
            continue;
          }
        }
        OptionalInt rank = target.bestRank(wheel);
        if (rank.isEmpty()) {
          rejections.add(
              new Rejection(
                  version,
                  filename,
                  Rejection.Kind.PLATFORM,
                  PlatformReasons.explain(wheel, target)));
          continue;
        }
        byVersion
            .computeIfAbsent(version, v -> new ArrayList<>())
            .add(new Distribution(version, file, wheel, rank.getAsInt()));
      }
    }
    List<Distribution> distributions = new ArrayList<>();
    for (Map.Entry<Version, List<Distribution>> e : byVersion.entrySet()) {
      List<Distribution> files = e.getValue();
      // pip's order within a version: not yanked first, then the best tag, then the build tag
      files.sort(
          Comparator.comparing((Distribution d) -> d.file().yanked())
              .thenComparingInt(Distribution::rank)
              .thenComparing(
                  (Distribution d) -> d.wheel().build().orElse(null),
                  Comparator.nullsFirst(
                          Comparator.<dev.accretion.python.tags.BuildTag>naturalOrder())
                      .reversed()));
      distributions.add(files.get(0));
    }
    List<URI> sources = new ArrayList<>();
    for (ProjectPage page : used) {
      sources.add(page.source());
    }
    boolean listed = used.stream().anyMatch(page -> !page.files().isEmpty());
    return new Found(project, sources, distributions, rejections, listed, List.copyOf(shadowed));
  }

  /** All versions the project lists (usable or not), for suggestions; newest first. */
  static Map<Version, List<Rejection>> rejectionsByVersion(Found found) {
    Map<Version, List<Rejection>> out = new TreeMap<>(Comparator.reverseOrder());
    for (Rejection r : found.rejections()) {
      if (r.version() != null) {
        out.computeIfAbsent(r.version(), v -> new ArrayList<>()).add(r);
      }
    }
    return out;
  }

  static Map<String, Object> describe(Found found) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("project", found.project().normalized());
    out.put("usable", found.distributions().size());
    out.put("rejected", found.rejections().size());
    return out;
  }
}
