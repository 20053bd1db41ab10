package dev.accretion.python.lock;

import dev.accretion.core.AccretionException;
import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.index.IndexException;
import dev.accretion.python.index.IndexFile;
import dev.accretion.python.index.IndexUnreachableException;
import dev.accretion.python.index.ProjectPage;
import dev.accretion.python.index.SimpleIndexClient;
import dev.accretion.python.pep440.Version;
import dev.accretion.python.resolve.Distribution;
import dev.accretion.python.resolve.PlatformReasons;
import dev.accretion.python.tags.PythonTarget;
import dev.accretion.python.tags.SdistFilename;
import dev.accretion.python.tags.WheelFilename;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The second step of installing a lock: the file of each selected entry for the target. Picks the
 * best-ranked wheel the lock records that fits the target's tags; finds files the lock names
 * without a location (poetry.lock) or only by hash (Pipfile.lock, Poetry 0.12) on the indexes;
 * checks every hash the lock records against the file or the index, and makes sure each chosen file
 * has a sha256 (the lock's, the index's, or computed for a local file). Thread-safe; the digests of
 * local files are memoized.
 */
final class LockFiles {
  private static final Map<String, String> DIGESTS =
      Map.of(
          "md5", "MD5",
          "sha1", "SHA-1",
          "sha224", "SHA-224",
          "sha256", "SHA-256",
          "sha384", "SHA-384",
          "sha512", "SHA-512",
          "sha3_256", "SHA3-256",
          "sha3_512", "SHA3-512");

  private final SimpleIndexClient client;
  private final Map<URI, Map<String, String>> localDigests = new ConcurrentHashMap<>();

  LockFiles(SimpleIndexClient client) {
    this.client = client;
  }

  private record Ranked(LockedFile file, WheelFilename wheel, int rank) {}

  /** Loads in parallel the index pages the file lookups will need. */
  void prefetchPages(LockedListing listing, LockWalk.Walk walk) {
    for (LockWalk.Node node : walk.nodes.values()) {
      LockedPackage p = node.pkg;
      boolean needsIndex = !p.hashes().isEmpty();
      for (LockedFile f : p.files()) {
        needsIndex |= f.location() == null;
      }
      if (needsIndex && (p.kind() == LockedPackage.Kind.INDEX)) {
        for (URI index : searchOrder(listing, p)) {
          client.pageAsync(index, p.name());
        }
        client.pagesAsync(p.name());
      }
    }
  }

  private static List<URI> searchOrder(LockedListing listing, LockedPackage p) {
    LinkedHashSet<URI> out = new LinkedHashSet<>(p.searchIndexes());
    for (URI index : listing.indexes()) {
      out.add(LockBuilder.withoutUserInfo(index));
    }
    return List.copyOf(out);
  }

  Distribution choose(
      LockedListing listing,
      LockedPackage p,
      PythonTarget target,
      List<String> problems,
      List<String> warnings) {
    if (p.files().isEmpty() && !p.hashes().isEmpty()) {
      return chooseByHash(listing, p, target, problems, warnings);
    }
    List<Ranked> fitting = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (LockedFile f : p.files()) {
      if (!f.isWheel()) {
        reasons.add(f.filename() + ": an sdist; Accretion installs wheels only");
        continue;
      }
      WheelFilename wheel;
      try {
        wheel = WheelFilename.parse(f.filename());
      } catch (ParseException e) {
        reasons.add(f.filename() + ": not a valid wheel file name (" + e.reason() + ")");
        continue;
      }
      OptionalInt rank = target.bestRank(wheel);
      if (rank.isEmpty()) {
        reasons.add(f.filename() + ": " + PlatformReasons.explain(wheel, target));
      } else {
        fitting.add(new Ranked(f, wheel, rank.getAsInt()));
      }
    }
    if (fitting.isEmpty()) {
      problems.add(noWheel(p, target, reasons));
      return null;
    }
    fitting.sort(Comparator.comparingInt(Ranked::rank));
    List<String> notFound = new ArrayList<>();
    for (Ranked r : fitting) {
      IndexFile file;
      try {
        file =
            r.file().location() != null
                ? located(p, r.file())
                : onIndexes(listing, p, r.file(), warnings, notFound);
      } catch (HashMismatch e) {
        problems.add(e.getMessage());
        return null;
      } catch (AccretionException e) {
        problems.add(p.display() + ": " + e.getMessage());
        return null;
      }
      if (file != null) {
        return new Distribution(p.version(), file, r.wheel(), r.rank());
      }
    }
    List<String> searched = new ArrayList<>();
    searchOrder(listing, p).forEach(u -> searched.add(u.toString()));
    client.indexes().forEach(u -> searched.add(u.toString()));
    client.findLinks().forEach(u -> searched.add(u.toString()));
    problems.add(
        p.display()
            + ": the lock records the file names but not where they are, and none of the wheels"
            + " that fit the target is on the indexes ("
            + String.join(", ", new LinkedHashSet<>(searched))
            + "): "
            + String.join(", ", notFound)
            + ". Configure the index the lock was made with (pip.conf, --index-url,"
            + " --extra-index-url).");
    return null;
  }

  private static String noWheel(LockedPackage p, PythonTarget target, List<String> reasons) {
    StringBuilder out = new StringBuilder();
    out.append(p.display())
        .append(": no wheel for ")
        .append(target.describe())
        .append(". The lock has ")
        .append(
            reasons.isEmpty()
                ? "no files"
                : reasons.size() == 1 ? "1 file" : reasons.size() + " files")
        .append(reasons.isEmpty() ? "." : ":");
    for (String r : reasons) {
      out.append("\n").append(r);
    }
    out.append(
        "\nLock again for this target (a version with a wheel for it), or choose a runtime and"
            + " architecture the lock's wheels support.");
    return out.toString();
  }

  /** A file the lock gives a URL or path for: local ones are checked against the lock now. */
  private IndexFile located(LockedPackage p, LockedFile f) throws AccretionException {
    URI url = f.location();
    Map<String, String> hashes = new TreeMap<>(f.hashes());
    OptionalLong size = f.size() == null ? OptionalLong.empty() : OptionalLong.of(f.size());
    if ("file".equalsIgnoreCase(url.getScheme())) {
      Map<String, String> actual =
          localDigests(p, f.filename(), url, f.hashes().keySet(), size.orElse(-1));
      for (Map.Entry<String, String> h : f.hashes().entrySet()) {
        String have = actual.get(h.getKey());
        if (have != null && !have.equals(h.getValue())) {
          throw new HashMismatch(p, f.filename(), h.getKey(), h.getValue(), have, url.toString());
        }
      }
      if (!f.hashes().isEmpty() && !containsAny(DIGESTS.keySet(), f.hashes().keySet())) {
        throw new AccretionException(
            "the lock's hashes of "
                + f.filename()
                + " ("
                + String.join(", ", f.hashes().keySet())
                + ") use no algorithm Accretion can check");
      }
      hashes.put("sha256", actual.get("sha256"));
      if (size.isEmpty()) {
        size = OptionalLong.of(Long.parseLong(actual.get("size")));
      } else if (size.getAsLong() != Long.parseLong(actual.get("size"))) {
        throw new AccretionException(
            f.filename()
                + " is "
                + actual.get("size")
                + " bytes but the lock says "
                + size.getAsLong()
                + "; the file is not the one locked");
      }
    } else if (!hashes.containsKey("sha256")) {
      throw new AccretionException(
          "the lock gives no sha256 for "
              + f.filename()
              + (hashes.isEmpty() ? "" : " (only " + String.join(", ", hashes.keySet()) + ")")
              + "; Accretion verifies every download by sha256. Lock again with sha256 hashes.");
    }
    URI index = p.index() != null ? p.index() : url.resolve(".");
    return new IndexFile(
        f.filename(),
        url,
        hashes,
        Optional.empty(),
        false,
        Optional.empty(),
        false,
        Map.of(),
        size,
        index);
  }

  /** Finds a file the lock names only by file name, and checks its hash. */
  private IndexFile onIndexes(
      LockedListing listing,
      LockedPackage p,
      LockedFile f,
      List<String> warnings,
      List<String> notFound)
      throws AccretionException {
    for (ProjectPage page : pages(listing, p, warnings)) {
      for (IndexFile candidate : page.files()) {
        if (!candidate.filename().equals(f.filename())) {
          continue;
        }
        Map<String, String> hashes = new TreeMap<>(candidate.hashes());
        boolean local = "file".equalsIgnoreCase(candidate.url().getScheme());
        for (Map.Entry<String, String> h : f.hashes().entrySet()) {
          String have = candidate.hashes().get(h.getKey());
          if (have == null && local) {
            have =
                localDigests(p, f.filename(), candidate.url(), f.hashes().keySet()).get(h.getKey());
          }
          if (have != null && !have.equals(h.getValue())) {
            throw new HashMismatch(
                p, f.filename(), h.getKey(), h.getValue(), have, "index " + page.source());
          }
          if (have == null && !local) {
            // the index doesn't say; the build checks the download against the lock's hash
            hashes.put(h.getKey(), h.getValue());
          }
        }
        if (!hashes.containsKey("sha256")) {
          if (local) {
            hashes.put(
                "sha256", localDigests(p, f.filename(), candidate.url(), Set.of()).get("sha256"));
          } else {
            throw new AccretionException(
                "neither the lock nor the index "
                    + page.source()
                    + " gives a sha256 for "
                    + f.filename()
                    + "; Accretion verifies every download by sha256");
          }
        }
        OptionalLong size = candidate.size();
        if (size.isEmpty() && f.size() != null) {
          size = OptionalLong.of(f.size());
        }
        if (size.isEmpty() && local) {
          size = localSize(candidate.url());
        }
        return new IndexFile(
            candidate.filename(),
            candidate.url(),
            hashes,
            candidate.requiresPython(),
            candidate.yanked(),
            candidate.yankedReason(),
            candidate.hasMetadataFile(),
            candidate.metadataHashes(),
            size,
            candidate.index());
      }
    }
    notFound.add(f.filename());
    return null;
  }

  /**
   * Pipfile.lock and Poetry 0.12 record only hashes: among the indexes' files of the locked
   * version, those whose sha256 the lock accepts are the candidates, and the best-ranked wins.
   */
  private Distribution chooseByHash(
      LockedListing listing,
      LockedPackage p,
      PythonTarget target,
      List<String> problems,
      List<String> warnings) {
    Set<String> accepted = new TreeSet<>();
    for (String h : p.hashes()) {
      accepted.add(h.toLowerCase(Locale.ROOT));
    }
    List<Ranked> fitting = new ArrayList<>();
    Map<String, IndexFile> files = new LinkedHashMap<>();
    List<String> reasons = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    List<ProjectPage> pages;
    try {
      pages = pages(listing, p, warnings);
    } catch (AccretionException e) {
      problems.add(p.display() + ": " + e.getMessage());
      return null;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (ProjectPage page : pages) {
      for (IndexFile candidate : page.files()) {
        if (!seen.add(candidate.filename())) {
          continue;
        }
        String version = versionOf(candidate.filename(), p.name());
        if (version == null || !p.version().equals(Version.tryParse(version).orElse(null))) {
          continue;
        }
        String sha256 = candidate.sha256().orElse(null);
        boolean local = "file".equalsIgnoreCase(candidate.url().getScheme());
        try {
          if (sha256 == null && local) {
            sha256 = localDigests(p, candidate.filename(), candidate.url(), Set.of()).get("sha256");
          }
        } catch (AccretionException e) {
          problems.add(p.display() + ": " + e.getMessage());
          return null;
        }
        if (sha256 == null) {
          reasons.add(
              candidate.filename()
                  + ": the index "
                  + page.source()
                  + " gives no sha256, so it can't be matched with the lock's hashes");
          continue;
        }
        if (!accepted.contains("sha256:" + sha256)) {
          mismatched.add(
              candidate.filename() + " (sha256 " + sha256 + ", index " + page.source() + ")");
          continue;
        }
        if (!candidate.isWheel()) {
          reasons.add(candidate.filename() + ": an sdist; Accretion installs wheels only");
          continue;
        }
        WheelFilename wheel;
        try {
          wheel = WheelFilename.parse(candidate.filename());
        } catch (ParseException e) {
          reasons.add(candidate.filename() + ": not a valid wheel file name");
          continue;
        }
        OptionalInt rank = target.bestRank(wheel);
        if (rank.isEmpty()) {
          reasons.add(candidate.filename() + ": " + PlatformReasons.explain(wheel, target));
          continue;
        }
        Map<String, String> hashes = new TreeMap<>(candidate.hashes());
        hashes.put("sha256", sha256);
        files.put(
            candidate.filename(),
            new IndexFile(
                candidate.filename(),
                candidate.url(),
                hashes,
                candidate.requiresPython(),
                candidate.yanked(),
                candidate.yankedReason(),
                candidate.hasMetadataFile(),
                candidate.metadataHashes(),
                candidate.size().isPresent() || !local
                    ? candidate.size()
                    : localSize(candidate.url()),
                candidate.index()));
        fitting.add(
            new Ranked(
                new LockedFile(candidate.filename(), candidate.url(), hashes, null),
                wheel,
                rank.getAsInt()));
      }
    }
    if (!fitting.isEmpty()) {
      fitting.sort(Comparator.comparingInt(Ranked::rank));
      Ranked best = fitting.get(0);
      return new Distribution(
          p.version(), files.get(best.file().filename()), best.wheel(), best.rank());
    }
    if (reasons.isEmpty() && !mismatched.isEmpty()) {
      problems.add(
          p.display()
              + ": hash mismatch. The indexes have "
              + String.join(", ", mismatched)
              + ", but the lock accepts only "
              + String.join(", ", accepted)
              + ". The index serves other files than the ones locked: check the index, or lock"
              + " again if the release was re-uploaded.");
      return null;
    }
    if (reasons.isEmpty()) {
      problems.add(
          p.display()
              + ": no file of this version is on the indexes ("
              + String.join(", ", searched(listing, p))
              + "). Configure the index the lock was made with (its sources, pip.conf,"
              + " --index-url, --extra-index-url).");
      return null;
    }
    problems.add(noWheel(p, target, reasons));
    return null;
  }

  private List<String> searched(LockedListing listing, LockedPackage p) {
    List<String> out = new ArrayList<>();
    searchOrder(listing, p).forEach(u -> out.add(u.toString()));
    client.indexes().forEach(u -> out.add(u.toString()));
    client.findLinks().forEach(u -> out.add(u.toString()));
    return List.copyOf(new LinkedHashSet<>(out));
  }

  /** The version part of a wheel or sdist file name of the project, or null. */
  private static String versionOf(String filename, PackageName name) {
    if (WheelFilename.isWheel(filename)) {
      try {
        WheelFilename w = WheelFilename.parse(filename);
        return w.name().equals(name) ? w.version() : null;
      } catch (ParseException e) {
        return null;
      }
    }
    try {
      SdistFilename s = SdistFilename.parse(filename);
      return s.name().equals(name) ? s.version() : null;
    } catch (ParseException e) {
      return null;
    }
  }

  /** The package's pages: its own indexes, the lock's, then the configured ones. */
  private List<ProjectPage> pages(LockedListing listing, LockedPackage p, List<String> warnings)
      throws AccretionException {
    List<ProjectPage> out = new ArrayList<>();
    for (URI index : searchOrder(listing, p)) {
      try {
        await(client.pageAsync(index, p.name())).ifPresent(out::add);
      } catch (IndexUnreachableException e) {
        warnings.add(e.getMessage());
      }
    }
    try {
      out.addAll(await(client.pagesAsync(p.name())));
    } catch (IndexUnreachableException e) {
      if (out.isEmpty()) {
        throw e;
      }
      warnings.add(e.getMessage());
    }
    return out;
  }

  /** A hash that differs between the lock and the file or index. */
  private static final class HashMismatch extends AccretionException {
    private static final long serialVersionUID = 1L;

    HashMismatch(
        LockedPackage p,
        String file,
        String algorithm,
        String locked,
        String actual,
        String where) {
      super(
          p.display()
              + ": hash mismatch for "
              + file
              + ": the lock says "
              + algorithm
              + " "
              + locked
              + ", but "
              + where
              + " has "
              + algorithm
              + " "
              + actual
              + ". The file is not the one that was locked: check the index, or lock again if"
              + " the release was re-uploaded.");
    }
  }

  /**
   * The sha256 of a local file, the other digests asked for that Accretion can compute, and its
   * "size". Memoized per file.
   */
  private Map<String, String> localDigests(
      LockedPackage p, String filename, URI url, Set<String> algorithms) throws AccretionException {
    return localDigests(p, filename, url, algorithms, -1);
  }

  /** The largest local file read for its digests when the lock declares no size. */
  static final long MAX_LOCAL_FILE_BYTES = 1L << 30;

  /**
   * As above; the read stops one byte past {@code declared} (the lock's size, or -1 for none, then
   * {@link #MAX_LOCAL_FILE_BYTES}), so a path such as {@code /dev/zero} can't keep it going.
   */
  private Map<String, String> localDigests(
      LockedPackage p, String filename, URI url, Set<String> algorithms, long declared)
      throws AccretionException {
    Set<String> wanted = new TreeSet<>(algorithms);
    wanted.retainAll(DIGESTS.keySet());
    wanted.add("sha256");
    Map<String, String> known = localDigests.get(url);
    if (known != null && known.keySet().containsAll(wanted)) {
      return known;
    }
    Path path;
    try {
      path = Path.of(url);
    } catch (IllegalArgumentException e) {
      throw new AccretionException("cannot read " + url + ": not a local file");
    }
    Map<String, MessageDigest> digests = new LinkedHashMap<>();
    try {
      for (String algorithm : wanted) {
        digests.put(algorithm, MessageDigest.getInstance(DIGESTS.get(algorithm)));
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long size = 0;
    try (InputStream in = Files.newInputStream(path)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      long limit = declared >= 0 ? declared : MAX_LOCAL_FILE_BYTES;
      while ((n = in.read(buffer)) > 0) {
        size += n;
        if (size > limit) {
          throw new AccretionException(
              dev.accretion.core.FailureKind.REFUSED,
              "the lock's file "
                  + filename
                  + " of "
                  + p.display()
                  + " at "
                  + path
                  + (declared >= 0
                      ? " is larger than the " + declared + " bytes the lock says"
                      : " is larger than " + MAX_LOCAL_FILE_BYTES + " bytes")
                  + "; reading stopped there: the file is not the one locked",
              null);
        }
        for (MessageDigest d : digests.values()) {
          d.update(buffer, 0, n);
        }
      }
    } catch (NoSuchFileException e) {
      throw new AccretionException(
          "the lock's file " + filename + " of " + p.display() + " does not exist at " + path);
    } catch (IOException e) {
      throw new AccretionException("cannot read " + path + ": " + e.getMessage(), e);
    }
    Map<String, String> out = new TreeMap<>();
    digests.forEach((k, d) -> out.put(k, HexFormat.of().formatHex(d.digest())));
    out.put("size", Long.toString(size));
    localDigests.put(url, out);
    return out;
  }

  private static OptionalLong localSize(URI url) {
    try {
      return OptionalLong.of(Files.size(Path.of(url)));
    } catch (IOException | IllegalArgumentException e) {
      return OptionalLong.empty();
    }
  }

  static <T> T await(CompletableFuture<T> future) throws AccretionException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IndexException("interrupted while reading an index", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while ((cause instanceof CompletionException || cause instanceof ExecutionException)
          && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof AccretionException ae) {
        throw ae;
      }
      throw new IndexException(String.valueOf(cause), cause);
    }
  }

  private static boolean containsAny(Set<String> set, Set<String> values) {
    for (String v : values) {
      if (set.contains(v)) {
        return true;
      }
    }
    return false;
  }
}
