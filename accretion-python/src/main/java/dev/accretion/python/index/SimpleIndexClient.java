package dev.accretion.python.index;

import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Reads simple repository pages (PEP 503 HTML, PEP 691 JSON) from {@code http(s)://} and {@code
 * file://} indexes, and the files of find-links locations (local folders, {@code file://} folders,
 * local or remote HTML pages).
 *
 * <p>Each page (and each find-links listing) is loaded at most once per client: results and
 * failures are memoized, and concurrent callers share one load. Loads run on virtual threads;
 * {@link #pagesAsync} and {@link #prefetch} let a resolver ask for many projects at once. An index
 * whose host cannot be reached at all (DNS, refused connection, timeout) is not tried again by the
 * same client. HTTP pages go through an optional on-disk cache that honours {@code ETag}, {@code
 * Last-Modified} and {@code Cache-Control}. Basic-auth credentials come from the userinfo of the
 * configured URLs and from netrc; they never appear in returned URIs or in messages.
 *
 * <p>Thread-safe: every method may be called from any thread. Close the client to stop its threads
 * and connections.
 */
public final class SimpleIndexClient implements AutoCloseable {
  /** PEP 691 content negotiation: JSON first, HTML as a fallback. */
  static final String PAGE_ACCEPT =
      SimplePageParser.JSON_V1 + ", " + SimplePageParser.HTML_V1 + ";q=0.2, text/html;q=0.01";

  static final String HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1";

  /** The largest page accepted (PyPI's largest JSON pages are a few tens of MB). */
  static final long MAX_PAGE_BYTES = 256L << 20;

  static final String INDEX_REMEDY =
      "check the URL and the network, or remove it from the configuration (index-url or "
          + "extra-index-url in pip.conf, PIP_INDEX_URL, PIP_EXTRA_INDEX_URL), or use no-index";

  static final String FIND_LINKS_REMEDY =
      "check the location, or remove it from find-links (pip.conf or PIP_FIND_LINKS)";

  /**
   * Counters over the life of a client.
   *
   * @param pageRequests calls asking for a page or a find-links listing, memo hits included
   * @param pageLoads pages and find-links listings actually loaded (at most one per page)
   * @param httpRequests HTTP requests sent (redirect hops and retries included)
   * @param notModified 304 answers that revalidated a cached page
   * @param cacheHits pages served from the cache without any request
   * @param bytesReceived response body bytes received over HTTP (range reads included)
   */
  public record Stats(
      long pageRequests,
      long pageLoads,
      long httpRequests,
      long notModified,
      long cacheHits,
      long bytesReceived) {}

  private final List<URI> indexes;
  private final List<URI> findLinks;
  private final IndexListener listener;
  private final HttpTransport transport;
  private final ExecutorService executor;
  private final Path cacheDir;
  private final ConcurrentHashMap<URI, CompletableFuture<Optional<ProjectPage>>> pages =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<URI, CompletableFuture<List<IndexFile>>> findLinksListings =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<URI, IndexUnreachableException> down = new ConcurrentHashMap<>();
  private final Set<URI> warned = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<URI, IndexUnreachableException> skipped =
      new ConcurrentHashMap<>();
  private final AtomicLong loadsRequested = new AtomicLong();
  private final AtomicLong loadsDone = new AtomicLong();

  private SimpleIndexClient(
      Builder builder,
      List<URI> indexes,
      List<URI> findLinks,
      Credentials credentials,
      Path caBundle) {
    this.indexes = List.copyOf(indexes);
    this.findLinks = List.copyOf(findLinks);
    this.listener = builder.listener;
    this.cacheDir = builder.cacheDir;
    this.transport =
        new HttpTransport(
            builder.connectTimeout,
            builder.requestTimeout,
            builder.maxConcurrentRequests,
            credentials,
            builder.cacheDir == null ? null : new HttpCache(builder.cacheDir),
            builder.clock,
            new HttpTransport.Counters(),
            caBundle);
    this.executor =
        Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("accretion-index-", 0).factory());
  }

  /** A builder with no indexes, no find-links, no cache, no credentials. */
  public static Builder builder() {
    return new Builder();
  }

  /** The configured indexes, in order, as canonical URIs (trailing {@code /}, no credentials). */
  public List<URI> indexes() {
    return indexes;
  }

  /** The configured find-links locations, in order, as absolute URIs without credentials. */
  public List<URI> findLinks() {
    return findLinks;
  }

  /**
   * Whether an HTTP client has been built (only a request to an http(s) host that resolves does).
   */
  boolean httpClientBuilt() {
    return transport.clientBuilt();
  }

  /** A snapshot of the counters. */
  public Stats stats() {
    HttpTransport.Counters c = transport.counters;
    return new Stats(
        c.pageRequests.get(),
        c.pageLoads.get(),
        c.httpRequests.get(),
        c.notModified.get(),
        c.cacheHits.get(),
        c.bytesReceived.get());
  }

  /**
   * The project's page on one index ({@code <index>/<normalized-name>/}).
   *
   * @param index an {@code http(s)://} or {@code file://} index base URL, configured or not
   * @return empty when the index has no such project (HTTP 404/410, no folder)
   * @throws IndexUnreachableException when the index cannot be reached
   * @throws IndexException on other failures, such as a refused credential
   * @throws ParseException (an {@link dev.accretion.core.AccretionException}, rethrown as is) when
   *     the page is malformed
   */
  public Optional<ProjectPage> page(URI index, PackageName project)
      throws IndexException, ParseException {
    return await(pageAsync(index, project));
  }

  /**
   * Like {@link #page}, without blocking. The future fails with a {@link CompletionException}
   * around the {@link IndexException} or {@link ParseException}.
   */
  public CompletableFuture<Optional<ProjectPage>> pageAsync(URI index, PackageName project) {
    Objects.requireNonNull(project, "project");
    URI canonical = canonicalIndex(index);
    URI pageUrl = canonical.resolve(project.normalized() + "/");
    transport.counters.pageRequests.incrementAndGet();
    return pages.computeIfAbsent(
        pageUrl,
        key -> {
          loadsRequested.incrementAndGet();
          return CompletableFuture.supplyAsync(
              () -> {
                try {
                  return loadPage(canonical, project, pageUrl);
                } catch (IndexException | ParseException e) {
                  throw new CompletionException(e);
                } finally {
                  listener.progress(loadsDone.incrementAndGet(), loadsRequested.get());
                }
              },
              executor);
        });
  }

  /**
   * The project's pages on every configured index, in order, then its files in every find-links
   * location (one page per location that has some). An index that cannot be reached is reported
   * once to the listener as a warning and skipped; a find-links folder that does not exist, too.
   *
   * @throws IndexUnreachableException when no index or find-links location could be reached
   * @throws IndexException on any other failure (a refused credential, a malformed page...)
   */
  public List<ProjectPage> pages(PackageName project) throws IndexException, ParseException {
    return await(pagesAsync(project));
  }

  /** Like {@link #pages}, without blocking. */
  public CompletableFuture<List<ProjectPage>> pagesAsync(PackageName project) {
    Objects.requireNonNull(project, "project");
    List<CompletableFuture<Optional<ProjectPage>>> parts = new ArrayList<>();
    for (URI index : indexes) {
      parts.add(pageAsync(index, project));
    }
    for (URI location : findLinks) {
      parts.add(findLinksPageAsync(location, project));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .handle((ignored, failure) -> combine(project, parts));
  }

  /**
   * What every source answered about the project, ranked as the first-index strategy searches them:
   * the find-links locations first (folders and pages named for this machine or build), then the
   * indexes in their configured order ({@link PipConfiguration#indexUrls()} puts the extra indexes
   * before the index URL). Nothing is reported to the listener: the caller decides whether an
   * unreachable source matters. Failures other than {@link IndexException} and {@link
   * ParseException} fail the future.
   */
  public CompletableFuture<List<IndexAnswer>> answersAsync(PackageName project) {
    Objects.requireNonNull(project, "project");
    List<URI> sources = new ArrayList<>();
    List<CompletableFuture<Optional<ProjectPage>>> parts = new ArrayList<>();
    for (URI location : findLinks) {
      sources.add(location);
      parts.add(findLinksPageAsync(location, project));
    }
    for (URI index : indexes) {
      sources.add(index);
      parts.add(pageAsync(index, project));
    }
    int links = findLinks.size();
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .handle(
            (ignored, failure) -> {
              List<IndexAnswer> answers = new ArrayList<>();
              for (int i = 0; i < parts.size(); i++) {
                URI source = sources.get(i);
                boolean isLinks = i < links;
                try {
                  answers.add(
                      new IndexAnswer(source, isLinks, parts.get(i).join().orElse(null), null));
                } catch (CompletionException | java.util.concurrent.CancellationException e) {
                  Throwable cause = unwrap(e);
                  if (cause instanceof IndexException ie) {
                    answers.add(new IndexAnswer(source, isLinks, null, ie));
                  } else {
                    throw e instanceof CompletionException ce ? ce : new CompletionException(cause);
                  }
                }
              }
              return List.copyOf(answers);
            });
  }

  private CompletableFuture<Optional<ProjectPage>> findLinksPageAsync(
      URI location, PackageName project) {
    return findLinksAsync(location)
        .thenApply(
            files -> {
              List<IndexFile> mine =
                  files.stream()
                      .filter(f -> DistributionFiles.belongsTo(f.filename(), project))
                      .toList();
              return mine.isEmpty()
                  ? Optional.<ProjectPage>empty()
                  : Optional.of(new ProjectPage(project, location, mine));
            });
  }

  /**
   * The sources that could not be read and were skipped so far (best-match), so that an explanation
   * of a package no source lists can say which sources were not asked.
   */
  public List<IndexUnreachableException> skippedSources() {
    return List.copyOf(skipped.values());
  }

  /**
   * Reports an unreachable source to the listener as a warning, once per source per client, saying
   * that resolution goes on without it (best-match: pip's behaviour).
   */
  public void warnSkipped(IndexUnreachableException e) {
    skipped.putIfAbsent(e.location(), e);
    if (warned.add(e.location())) {
      listener.warning(e.getMessage() + " (going on with the other indexes)");
    }
  }

  /**
   * Starts loading the pages of many projects in the background, so that later {@link #pages} calls
   * find them ready. Failures are kept for those calls.
   */
  public void prefetch(Collection<PackageName> projects) {
    for (PackageName project : projects) {
      pagesAsync(project);
    }
  }

  private List<ProjectPage> combine(
      PackageName project, List<CompletableFuture<Optional<ProjectPage>>> parts) {
    List<ProjectPage> result = new ArrayList<>();
    List<IndexUnreachableException> unreachable = new ArrayList<>();
    Throwable error = null;
    for (CompletableFuture<Optional<ProjectPage>> part : parts) {
      try {
        part.join().ifPresent(result::add);
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        Throwable cause = unwrap(e);
        if (cause instanceof IndexUnreachableException u) {
          unreachable.add(u);
          warnSkipped(u);
        } else if (error == null) {
          error = cause;
        }
      }
    }
    if (error != null) {
      throw new CompletionException(error);
    }
    if (!parts.isEmpty() && unreachable.size() == parts.size()) {
      IndexUnreachableException first = unreachable.get(0);
      throw new CompletionException(
          new IndexUnreachableException(
              first.location(),
              "no index or find-links location could be reached for "
                  + project
                  + ": "
                  + first.getMessage(),
              first));
    }
    return List.copyOf(result);
  }

  private Optional<ProjectPage> loadPage(URI index, PackageName project, URI pageUrl)
      throws IndexException, ParseException {
    IndexUnreachableException known = down.get(index);
    if (known != null) {
      throw new IndexUnreachableException(index, known.getMessage(), known);
    }
    transport.counters.pageLoads.incrementAndGet();
    try {
      return "file".equalsIgnoreCase(index.getScheme())
          ? loadFilePage(index, project)
          : loadHttpPage(index, project, pageUrl);
    } catch (IndexUnreachableException e) {
      if (!e.serverAnswered) {
        down.putIfAbsent(index, e);
      }
      throw e;
    }
  }

  private Optional<ProjectPage> loadFilePage(URI index, PackageName project)
      throws IndexException, ParseException {
    Path root = toPath(index, "index");
    if (!Files.isDirectory(root)) {
      throw new IndexUnreachableException(
          index,
          "index " + index + " is unreachable: folder " + root + " does not exist; " + INDEX_REMEDY,
          null);
    }
    Path folder = root.resolve(project.normalized());
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    Path html = folder.resolve("index.html");
    try {
      List<IndexFile> files;
      URI source;
      if (Files.isRegularFile(html)) {
        source = html.toUri();
        files = SimplePageParser.parse(Files.readAllBytes(html), null, source, index);
      } else {
        // pip reads a file:// project folder without index.html as a listing of its files
        source = folder.toUri();
        files = DistributionFiles.listFolder(folder, index);
      }
      listener.pageLoaded(source, files.size(), IndexListener.PageOrigin.FILE);
      return Optional.of(new ProjectPage(project, source, files));
    } catch (IOException e) {
      throw new IndexException("cannot read " + folder + " (index " + index + "): " + e, e);
    }
  }

  private Optional<ProjectPage> loadHttpPage(URI index, PackageName project, URI pageUrl)
      throws IndexException, ParseException {
    HttpTransport.Site site = new HttpTransport.Site("index", index, INDEX_REMEDY);
    Optional<HttpTransport.Page> page =
        transport.getPage(pageUrl, PAGE_ACCEPT, site, MAX_PAGE_BYTES);
    if (page.isEmpty()) {
      return Optional.empty();
    }
    HttpTransport.Page p = page.get();
    URI finalUrl = Credentials.strip(p.finalUrl());
    List<IndexFile> files = SimplePageParser.parse(p.body(), p.contentType(), finalUrl, index);
    listener.pageLoaded(pageUrl, files.size(), p.origin());
    return Optional.of(new ProjectPage(project, finalUrl, files));
  }

  private CompletableFuture<List<IndexFile>> findLinksAsync(URI location) {
    transport.counters.pageRequests.incrementAndGet();
    return findLinksListings.computeIfAbsent(
        location,
        key -> {
          loadsRequested.incrementAndGet();
          return CompletableFuture.supplyAsync(
              () -> {
                try {
                  transport.counters.pageLoads.incrementAndGet();
                  return loadFindLinks(location);
                } catch (IndexException | ParseException e) {
                  throw new CompletionException(e);
                } finally {
                  listener.progress(loadsDone.incrementAndGet(), loadsRequested.get());
                }
              },
              executor);
        });
  }

  private List<IndexFile> loadFindLinks(URI location) throws IndexException, ParseException {
    if ("file".equalsIgnoreCase(location.getScheme())) {
      Path path = toPath(location, "find-links location");
      try {
        if (Files.isDirectory(path)) {
          List<IndexFile> files = DistributionFiles.listFolder(path, location);
          listener.pageLoaded(location, files.size(), IndexListener.PageOrigin.FILE);
          return files;
        }
        if (Files.isRegularFile(path)) {
          // pip also accepts a local HTML page as a find-links location
          List<IndexFile> files =
              SimplePageParser.parse(Files.readAllBytes(path), null, location, location).stream()
                  .filter(f -> DistributionFiles.isDistribution(f.filename()))
                  .toList();
          listener.pageLoaded(location, files.size(), IndexListener.PageOrigin.FILE);
          return files;
        }
      } catch (IOException e) {
        throw new IndexException("cannot read find-links location " + path + ": " + e, e);
      }
      listener.warning(
          "find-links folder " + path + " does not exist; skipping it (" + FIND_LINKS_REMEDY + ")");
      return List.of();
    }
    HttpTransport.Site site =
        new HttpTransport.Site("find-links location", location, FIND_LINKS_REMEDY);
    Optional<HttpTransport.Page> page =
        transport.getPage(location, HTML_ACCEPT, site, MAX_PAGE_BYTES);
    if (page.isEmpty()) {
      listener.warning(
          "find-links page "
              + location
              + " was not found (HTTP 404); skipping it ("
              + FIND_LINKS_REMEDY
              + ")");
      return List.of();
    }
    HttpTransport.Page p = page.get();
    List<IndexFile> files =
        SimplePageParser.parse(p.body(), p.contentType(), Credentials.strip(p.finalUrl()), location)
            .stream()
            .filter(f -> DistributionFiles.isDistribution(f.filename()))
            .toList();
    listener.pageLoaded(location, files.size(), p.origin());
    return files;
  }

  private static Path toPath(URI fileUri, String role) throws IndexException {
    try {
      return Path.of(fileUri);
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new IndexException(
          role
              + " "
              + fileUri
              + " is not a local file URL (file:///absolute/path): "
              + e.getMessage(),
          e);
    }
  }

  /** Canonical form of an index URL: no credentials (remembered), no fragment, trailing slash. */
  private URI canonicalIndex(URI index) {
    Objects.requireNonNull(index, "index");
    String scheme = index.getScheme() == null ? "" : index.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
      throw new IllegalArgumentException(
          "index URL " + Credentials.redact(index) + " is not http://, https:// or file://");
    }
    transport.credentials().remember(index);
    URI plain = SimplePageParser.withoutFragmentAndCredentials(index);
    String text = plain.toString();
    return text.endsWith("/") ? plain : URI.create(text + "/");
  }

  /**
   * Streams the bytes of {@code file} to {@code out} (not closed): for {@code file://} URLs the
   * file is read in place, for {@code http(s)://} URLs it is downloaded with the client's
   * credentials (never sent to another host after a redirect), timeouts and retry rules. Hashes are
   * not checked here: the caller compares what it received with {@link IndexFile#sha256()} (the
   * cache does that while storing).
   *
   * @param progress called with the number of bytes delivered so far, after each chunk; may be null
   * @return the number of bytes written to {@code out}
   * @throws IndexUnreachableException when the host cannot be reached or the transfer breaks
   * @throws IndexException when the file is not there (HTTP 404/410, no such local file), the
   *     server refuses the credentials, or {@code out} fails (its {@link IOException} is the cause)
   */
  public long download(IndexFile file, OutputStream out, LongConsumer progress)
      throws IndexException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(out, "out");
    LongConsumer report = progress == null ? n -> {} : progress;
    URI url = file.url();
    if ("file".equalsIgnoreCase(url.getScheme())) {
      Path path = toPath(url, "file");
      try (InputStream in = Files.newInputStream(path)) {
        return copy(in, out, report, file);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new IndexException(
            file.filename()
                + " is listed by "
                + file.index()
                + " but "
                + path
                + " does not exist; the index is out of date or the file was removed");
      } catch (IOException e) {
        throw new IndexException("cannot read " + path + ": " + e.getMessage(), e);
      }
    }
    URI host = URI.create(url.getScheme() + "://" + url.getRawAuthority() + "/");
    HttpTransport.Site site =
        new HttpTransport.Site(
            "file host",
            host,
            "check the network and try again (the file is listed by " + file.index() + ")");
    HttpTransport.Response response =
        transport.open(url, Map.of("Accept-Encoding", "identity"), site);
    try (InputStream body = response.body()) {
      if (response.status() == 404 || response.status() == 410) {
        throw new IndexException(
            file.filename()
                + " is listed by "
                + file.index()
                + " but "
                + url
                + " is not there (HTTP "
                + response.status()
                + "); the index is out of date or the file was removed");
      }
      if (response.status() != 200) {
        throw transport.statusError(response, site);
      }
      return copy(body, out, report, file);
    } catch (IOException e) {
      IndexUnreachableException failure =
          HttpTransport.unreachable(site, url, "the download broke off (" + e + ")", e);
      failure.serverAnswered = true;
      throw failure;
    }
  }

  /** Copies, telling output failures apart from input failures. */
  private static long copy(InputStream in, OutputStream out, LongConsumer report, IndexFile file)
      throws IOException, IndexException {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      if (n == 0) {
        continue;
      }
      try {
        out.write(buffer, 0, n);
      } catch (IOException e) {
        throw new IndexException(
            "could not store " + file.filename() + " while downloading it: " + e.getMessage(), e);
      }
      total += n;
      report.accept(total);
    }
    return total;
  }

  HttpTransport transport() {
    return transport;
  }

  IndexListener listener() {
    return listener;
  }

  Executor executor() {
    return executor;
  }

  Path cacheDir() {
    return cacheDir;
  }

  static <T> T await(CompletableFuture<T> future) throws IndexException, ParseException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IndexException("interrupted while waiting for an index", e);
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof IndexException ie) {
        throw ie;
      }
      if (cause instanceof ParseException pe) {
        throw pe;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IndexException("index client failure: " + cause, cause);
    }
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Stops the worker threads and closes the HTTP connections. */
  @Override
  public void close() {
    executor.shutdownNow();
    transport.close();
  }

  /** Configures a {@link SimpleIndexClient}. Not thread-safe; build once, then share the client. */
  public static final class Builder {
    private final List<String> indexUrls = new ArrayList<>();
    private final List<String> findLinks = new ArrayList<>();
    private Path cacheDir;
    private Path netrc;
    private IndexListener listener = IndexListener.NONE;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private int maxConcurrentRequests = 16;
    private Clock clock = Clock.systemUTC();
    private Path workingDirectory = Path.of("").toAbsolutePath();
    private Path home = Path.of(System.getProperty("user.home"));
    private String caBundle;

    private Builder() {}

    /**
     * Takes pip's index settings: its index URLs (none with {@code no-index}), find-links, and
     * timeout (as the request timeout).
     */
    public Builder pipConfiguration(PipConfiguration configuration) {
      indexUrls.clear();
      indexUrls.addAll(configuration.indexUrls());
      findLinks.clear();
      findLinks.addAll(configuration.findLinks());
      if (configuration.timeout() != null && !configuration.timeout().isZero()) {
        requestTimeout = configuration.timeout();
      }
      caBundle = configuration.cert();
      return this;
    }

    /**
     * A PEM file of certificate authorities that https servers are checked against instead of the
     * JDK's default ones (pip's {@code cert}); a path relative to the working directory, {@code ~}
     * allowed; null for the default trust.
     */
    public Builder caBundle(String path) {
      this.caBundle = path;
      return this;
    }

    /**
     * Adds an index base URL ({@code http(s)://}, optionally with {@code user:password@}, or {@code
     * file://}).
     */
    public Builder addIndexUrl(String url) {
      indexUrls.add(Objects.requireNonNull(url, "url"));
      return this;
    }

    /** Replaces the index URLs. */
    public Builder indexUrls(List<String> urls) {
      indexUrls.clear();
      indexUrls.addAll(urls);
      return this;
    }

    /**
     * Adds a find-links location: a folder path (relative to the working directory, {@code ~}
     * allowed), a {@code file://} URL, or an {@code http(s)://} page listing files.
     */
    public Builder addFindLinks(String location) {
      findLinks.add(Objects.requireNonNull(location, "location"));
      return this;
    }

    /** Replaces the find-links locations. */
    public Builder findLinks(List<String> locations) {
      findLinks.clear();
      findLinks.addAll(locations);
      return this;
    }

    /** An on-disk HTTP cache folder for pages (created when needed); none by default. */
    public Builder cacheDir(Path dir) {
      this.cacheDir = dir;
      return this;
    }

    /** A netrc file to take credentials from (a missing file means none). */
    public Builder netrc(Path file) {
      this.netrc = file;
      return this;
    }

    /**
     * The netrc file requests would read ({@code $NETRC}, else {@code ~/.netrc}), and {@code home}
     * for {@code ~} in find-links paths.
     */
    public Builder environment(Map<String, String> env, Path home) {
      this.home = Objects.requireNonNull(home, "home");
      this.netrc = Credentials.netrcPath(env, home);
      return this;
    }

    /** Where relative find-links paths start; the process's working directory by default. */
    public Builder workingDirectory(Path dir) {
      this.workingDirectory = dir.toAbsolutePath();
      return this;
    }

    public Builder listener(IndexListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Connection timeout; 10 s by default. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout);
      return this;
    }

    /** Timeout for each request's answer; 60 s by default. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout);
      return this;
    }

    /** How many HTTP requests may be in flight at once; 16 by default. */
    public Builder maxConcurrentRequests(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConcurrentRequests must be at least 1");
      }
      this.maxConcurrentRequests = max;
      return this;
    }

    /** The clock for cache freshness; the system clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the client.
     *
     * @throws IndexException when an index URL is not {@code http(s)://} or {@code file://}, or a
     *     find-links location is not a path or such a URL
     */
    public SimpleIndexClient build() throws IndexException {
      Credentials credentials = Credentials.withNetrc(netrc);
      LinkedHashSet<URI> indexes = new LinkedHashSet<>();
      for (String text : indexUrls) {
        URI uri = parseUrl(text, "index URL");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
          throw new IndexException(
              "index URL '"
                  + Credentials.redact(uri)
                  + "' is not http://, https:// or file://; fix it in the configuration");
        }
        credentials.remember(uri);
        URI plain = SimplePageParser.withoutFragmentAndCredentials(uri);
        indexes.add(plain.toString().endsWith("/") ? plain : URI.create(plain + "/"));
      }
      LinkedHashSet<URI> locations = new LinkedHashSet<>();
      for (String text : findLinks) {
        locations.add(findLinksLocation(text, credentials));
      }
      Path bundle = null;
      if (caBundle != null && !caBundle.isEmpty()) {
        String expanded = caBundle;
        if (caBundle.equals("~") || caBundle.startsWith("~/")) {
          expanded = home + caBundle.substring(1);
        }
        try {
          bundle = workingDirectory.resolve(expanded).normalize();
        } catch (InvalidPathException e) {
          throw new IndexException(
              "CA bundle '" + caBundle + "' is not a valid path; " + CaBundle.REMEDY, e);
        }
        // read (and its certificates checked) only when an https request is made; a path that
        // leads nowhere is an error now, as it is for pip
        CaBundle.checkReadable(bundle);
      }
      return new SimpleIndexClient(
          this, List.copyOf(indexes), List.copyOf(locations), credentials, bundle);
    }

    private URI findLinksLocation(String text, Credentials credentials) throws IndexException {
      if (text.matches("(?i)^(https?|file):.*")) {
        URI uri = parseUrl(text, "find-links URL");
        credentials.remember(uri);
        return SimplePageParser.withoutFragmentAndCredentials(uri);
      }
      if (text.matches("^[A-Za-z][A-Za-z0-9+.-]+://.*")) {
        throw new IndexException(
            "find-links location '" + text + "' is not a path, file:// or http(s):// URL");
      }
      String expanded = text;
      if (text.equals("~") || text.startsWith("~/")) {
        expanded = home + text.substring(1);
      }
      try {
        return workingDirectory.resolve(expanded).normalize().toUri();
      } catch (InvalidPathException e) {
        throw new IndexException("find-links location '" + text + "' is not a valid path", e);
      }
    }

    private static URI parseUrl(String text, String what) throws IndexException {
      try {
        URI uri = new URI(SimplePageParser.cleanHref(text.strip()));
        if (!uri.isAbsolute()) {
          throw new IndexException(what + " '" + text + "' is not an absolute URL");
        }
        return uri;
      } catch (URISyntaxException e) {
        throw new IndexException(what + " '" + text + "' is not a valid URL: " + e.getMessage(), e);
      }
    }

    private static Duration positive(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      return timeout;
    }
  }
}
