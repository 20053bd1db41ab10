package dev.accretion.python.lock;

import dev.accretion.core.AccretionException;
import dev.accretion.python.index.IndexListener;
import dev.accretion.python.index.PipConfiguration;
import dev.accretion.python.index.SimpleIndexClient;
import dev.accretion.python.index.WheelMetadataFetcher;
import dev.accretion.python.listing.ListingException;
import dev.accretion.python.listing.ListingFormat;
import dev.accretion.python.listing.PyProject;
import dev.accretion.python.listing.RequirementsTxt;
import dev.accretion.python.listing.RootRequirement;
import dev.accretion.python.resolve.IndexStrategy;
import dev.accretion.python.resolve.Resolution;
import dev.accretion.python.resolve.ResolveRequest;
import dev.accretion.python.resolve.Resolver;
import dev.accretion.python.tags.PythonTarget;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a Python dependency listing once and answers it for any number of Lambda targets: a fresh
 * resolution for requirement listings, or the lock's own packages (never re-resolved) for lock
 * files (pylock.toml, uv.lock, poetry.lock, Pipfile.lock). Owns the index client, so pages and
 * metadata are read once for all targets.
 *
 * <p>Not thread-safe; close it to release the index client.
 */
public final class Locker implements AutoCloseable {
  /** Index settings given on the command line; null / empty means "not given". */
  public record IndexOverrides(
      String indexUrl,
      List<String> extraIndexUrls,
      List<String> findLinks,
      boolean noIndex,
      String cert) {
    public IndexOverrides {
      extraIndexUrls = List.copyOf(extraIndexUrls);
      findLinks = List.copyOf(findLinks);
    }

    /** Overrides that keep pip's configured {@code cert}. */
    public IndexOverrides(
        String indexUrl, List<String> extraIndexUrls, List<String> findLinks, boolean noIndex) {
      this(indexUrl, extraIndexUrls, findLinks, noIndex, null);
    }

    public static IndexOverrides none() {
      return new IndexOverrides(null, List.of(), List.of(), false, null);
    }
  }

  /**
   * @param format the listing's format, or null to detect it from the file name
   * @param extras optional-dependency sets to include (pyproject, locks)
   * @param groups dependency groups to include (pyproject, locks)
   * @param cacheDir where index pages are cached across runs, or null for none
   */
  public record Options(
      ListingFormat format,
      Set<String> extras,
      Set<String> groups,
      IndexOverrides overrides,
      IndexStrategy strategy,
      boolean pre,
      Path cacheDir,
      Map<String, String> env,
      Path home,
      Path workingDirectory,
      IndexListener listener) {
    public Options {
      extras = Set.copyOf(extras);
      groups = Set.copyOf(groups);
      Objects.requireNonNull(overrides, "overrides");
      Objects.requireNonNull(strategy, "strategy");
      env = Map.copyOf(env);
      Objects.requireNonNull(home, "home");
      Objects.requireNonNull(workingDirectory, "workingDirectory");
      listener = listener == null ? IndexListener.NONE : listener;
    }
  }

  private final Path listing;
  private final ListingFormat format;
  private final byte[] listingBytes;
  private final Options options;
  private final List<RootRequirement> requirements;
  private final List<RootRequirement> constraints;
  private final boolean pre;
  private final boolean hashChecking;
  private final Set<String> noBinary;
  private final List<String> notes = new ArrayList<>();
  private final PipConfiguration configuration;
  private final SimpleIndexClient client;
  private final WheelMetadataFetcher fetcher;
  private final Resolver resolver;
  private final LockedListing lock;
  private final LockResolver lockResolver;

  private Locker(Path listing, Options options) throws AccretionException {
    this.listing = listing.toAbsolutePath().normalize();
    this.options = options;
    this.listingBytes = dev.accretion.python.listing.ListingFiles.read(this.listing, "listing");
    this.format = options.format() != null ? options.format() : ListingFormat.detect(this.listing);
    RequirementsTxt.IndexOptions fromListing = RequirementsTxt.IndexOptions.none();
    switch (format) {
      case REQUIREMENTS -> {
        lock = null;
        RequirementsTxt.Parsed parsed = new RequirementsTxt(options.env()).parse(this.listing);
        requirements = parsed.requirements();
        constraints = parsed.constraints();
        fromListing = parsed.indexOptions();
        pre = options.pre() || parsed.pre();
        hashChecking = parsed.hashChecking();
        Set<String> refused = new LinkedHashSet<>(parsed.noBinary());
        noBinary = refused;
        notes.addAll(parsed.notes());
      }
      case PYPROJECT -> {
        lock = null;
        requirements = PyProject.read(this.listing, options.extras(), options.groups(), true);
        constraints = List.of();
        pre = options.pre();
        hashChecking = false;
        noBinary = Set.of();
      }
      case PYLOCK, UV_LOCK, POETRY_LOCK, PIPFILE_LOCK -> {
        lock =
            LockReaders.read(
                this.listing, decode(this.listing, listingBytes), format, options.env());
        requirements = List.of();
        constraints = List.of();
        pre = false;
        hashChecking = false;
        noBinary = Set.of();
        notes.addAll(lock.notes());
        if (format == ListingFormat.PIPFILE_LOCK && !lock.indexes().isEmpty()) {
          // Pipfile.lock's _meta.sources are indexes too (with their credentials, if any):
          // they come after the configured ones, and each entry's own source is searched first
          List<String> sources = new ArrayList<>();
          lock.indexes().forEach(u -> sources.add(u.toString()));
          fromListing = new RequirementsTxt.IndexOptions(null, sources, List.of(), false);
        }
      }
      default -> throw new ListingException(listing + ": unknown format " + format);
    }
    this.configuration =
        merge(
            PipConfiguration.load(options.env(), options.home()), fromListing, options.overrides());
    SimpleIndexClient.Builder builder =
        SimpleIndexClient.builder()
            .pipConfiguration(configuration)
            .environment(options.env(), options.home())
            .workingDirectory(options.workingDirectory())
            .listener(options.listener());
    if (options.cacheDir() != null) {
      builder.cacheDir(options.cacheDir());
    }
    this.client = builder.build();
    this.fetcher = new WheelMetadataFetcher(client);
    this.resolver = new Resolver(client, fetcher);
    this.lockResolver = new LockResolver(client, fetcher);
  }

  private static String decode(Path file, byte[] bytes) throws ListingException {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw new ListingException(file + ": not UTF-8 text");
    }
  }

  /** Reads the listing and prepares the indexes it and the configuration name. */
  public static Locker open(Path listing, Options options) throws AccretionException {
    return new Locker(listing, options);
  }

  /**
   * pip's precedence: command-line options replace configured values; a requirements file's own
   * {@code --index-url} replaces the configured one and its {@code --extra-index-url} / {@code
   * --find-links} add to them.
   */
  static PipConfiguration merge(
      PipConfiguration pip, RequirementsTxt.IndexOptions listing, IndexOverrides cli) {
    String indexUrl = pip.indexUrl();
    if (listing.indexUrl() != null) {
      indexUrl = listing.indexUrl();
    }
    if (cli.indexUrl() != null) {
      indexUrl = cli.indexUrl();
    }
    List<String> extras =
        new ArrayList<>(
            cli.extraIndexUrls().isEmpty() ? pip.extraIndexUrls() : cli.extraIndexUrls());
    extras.addAll(listing.extraIndexUrls());
    List<String> findLinks =
        new ArrayList<>(cli.findLinks().isEmpty() ? pip.findLinks() : cli.findLinks());
    findLinks.addAll(listing.findLinks());
    boolean noIndex = pip.noIndex() || listing.noIndex() || cli.noIndex();
    String cert = cli.cert() != null ? cli.cert() : pip.cert();
    return new PipConfiguration(
        indexUrl, extras, findLinks, noIndex, pip.trustedHosts(), pip.timeout(), cert, pip.files());
  }

  public Path listing() {
    return listing;
  }

  public ListingFormat format() {
    return format;
  }

  /** The listing's exact bytes, as read. */
  public byte[] listingBytes() {
    return listingBytes.clone();
  }

  public List<RootRequirement> requirements() {
    return requirements;
  }

  /** Notes about the listing itself (ignored options and the like). */
  public List<String> notes() {
    return List.copyOf(notes);
  }

  /** The index configuration in effect (pip's configuration, the listing's options, the flags). */
  public PipConfiguration configuration() {
    return configuration;
  }

  public SimpleIndexClient client() {
    return client;
  }

  /** The lock as read, when the listing is a lock file; else null. */
  public LockedListing lock() {
    return lock;
  }

  /**
   * Resolves the listing for one target. A lock is not resolved again: its packages are selected
   * for the target (markers, extras, groups) and the best wheel of each is taken ({@link
   * LockResolver}).
   */
  public Resolution resolve(PythonTarget target) throws AccretionException {
    if (lock != null) {
      return lockResolver.resolve(lock, target, options.extras(), options.groups());
    }
    return resolver.resolve(
        new ResolveRequest(
            requirements, constraints, target, pre, options.strategy(), hashChecking, noBinary));
  }

  @Override
  public void close() {
    client.close();
  }
}
