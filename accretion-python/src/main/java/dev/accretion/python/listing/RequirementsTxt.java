package dev.accretion.python.listing;

import dev.accretion.core.FailureKind;
import dev.accretion.python.Excerpt;
import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.pep508.Requirement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a pip requirements file with pip's syntax: {@code -r}/{@code -c} includes (relative to the
 * including file), index options, {@code --only-binary}/{@code --no-binary}, {@code --pre}, {@code
 * --hash}, extras, markers, {@code name @ url}, wheel paths and URLs, {@code ${VAR}} expansion,
 * line continuations and comments. Editable installs and source trees are refused with the reason a
 * Lambda layer can't use them. Stateless and thread-safe.
 */
public final class RequirementsTxt {
  // pip: a comment starts at '#' at the beginning or after whitespace
  private static final Pattern COMMENT = Pattern.compile("(^|\\s+)#.*$");
  // pip only expands ${NAME} with upper-case letters, digits and underscores
  private static final Pattern ENV_VAR = Pattern.compile("\\$\\{([A-Z0-9_]+)\\}");
  private static final Pattern SCHEME =
      Pattern.compile("^(https?|file):", Pattern.CASE_INSENSITIVE);
  private static final Pattern HASH = Pattern.compile("^(sha256|sha384|sha512):([0-9a-fA-F]+)$");

  private final Map<String, String> env;

  /**
   * @param env the environment used for {@code ${VAR}} expansion
   */
  public RequirementsTxt(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** Everything a requirements file (and the files it includes) says. */
  public record Parsed(
      List<RootRequirement> requirements,
      List<RootRequirement> constraints,
      IndexOptions indexOptions,
      boolean pre,
      boolean requireHashes,
      Set<String> onlyBinary,
      Set<String> noBinary,
      List<String> notes) {
    public Parsed {
      requirements = List.copyOf(requirements);
      constraints = List.copyOf(constraints);
      onlyBinary = Set.copyOf(onlyBinary);
      noBinary = Set.copyOf(noBinary);
      notes = List.copyOf(notes);
    }

    /** True when pip would be in hash-checking mode: any hash given, or --require-hashes. */
    public boolean hashChecking() {
      return requireHashes || requirements.stream().anyMatch(r -> !r.hashes().isEmpty());
    }
  }

  private static final class Collector {
    final List<RootRequirement> requirements = new ArrayList<>();
    final List<RootRequirement> constraints = new ArrayList<>();
    String indexUrl;
    boolean noIndex;
    final List<String> extraIndexUrls = new ArrayList<>();
    final List<String> findLinks = new ArrayList<>();
    boolean pre;
    boolean requireHashes;
    final Set<String> onlyBinary = new LinkedHashSet<>();
    final Set<String> noBinary = new LinkedHashSet<>();
    final List<String> notes = new ArrayList<>();
    final Set<Path> open = new HashSet<>();
    // files already read, as requirements (false) or constraints (true): a file included from
    // several places is read once, so a diamond-shaped include graph costs its size, not its paths
    final Set<Map.Entry<Path, Boolean>> done = new HashSet<>();
    // requirement lines already kept (text, hashes, requirement or constraint): duplicates merge
    final Set<List<Object>> seen = new HashSet<>();
    long bytesRead;

    Parsed toParsed() {
      return new Parsed(
          requirements,
          constraints,
          new IndexOptions(indexUrl, extraIndexUrls, findLinks, noIndex),
          pre,
          requireHashes,
          onlyBinary,
          noBinary,
          notes);
    }
  }

  /** Parses {@code file} and everything it includes. */
  public Parsed parse(Path file) throws ListingException {
    Collector c = new Collector();
    read(file.toAbsolutePath().normalize(), false, c, null);
    return c.toParsed();
  }

  /** Parses requirements given as text (e.g. a listing passed on the command line). */
  public Parsed parseText(String text, Path pretendFile) throws ListingException {
    Collector c = new Collector();
    parseLines(text, pretendFile.toAbsolutePath().normalize(), false, c);
    return c.toParsed();
  }

  /** The most distinct requirement and constraint lines a listing and its includes may hold. */
  public static final int MAX_REQUIREMENTS = 10_000;

  /** How deep {@code -r}/{@code -c} includes may nest. */
  public static final int MAX_INCLUDE_DEPTH = 64;

  /** The most bytes a requirements file and everything it includes may hold together. */
  public static final long MAX_TOTAL_BYTES = 4L * ListingFiles.MAX_BYTES;

  private void read(Path file, boolean constraint, Collector c, Origin includedFrom)
      throws ListingException {
    if (!c.open.add(file)) {
      throw new ListingException(
          includedFrom + ": '" + file + "' includes itself (directly or through other files)");
    }
    if (c.open.size() > MAX_INCLUDE_DEPTH) {
      throw new ListingException(
          FailureKind.TOO_LARGE,
          includedFrom
              + ": -r/-c includes nest more than "
              + MAX_INCLUDE_DEPTH
              + " files deep (the limit); flatten the chain of included files");
    }
    if (!c.done.add(Map.entry(file, constraint))) {
      c.open.remove(file);
      return;
    }
    byte[] bytes;
    try {
      bytes = ListingFiles.read(file, "requirements file");
    } catch (ListingException e) {
      throw includedFrom == null
          ? e
          : new ListingException(e.kind(), includedFrom + ": " + e.getMessage());
    }
    c.bytesRead += bytes.length;
    if (c.bytesRead > MAX_TOTAL_BYTES) {
      throw new ListingException(
          FailureKind.TOO_LARGE,
          (includedFrom == null ? "" : includedFrom + ": ")
              + "the requirements files included hold more than "
              + (MAX_TOTAL_BYTES >> 20)
              + " MiB together, the limit");
    }
    parseLines(decode(bytes), file, constraint, c);
    c.open.remove(file);
  }

  private static String decode(byte[] bytes) {
    // pip's auto_decode: BOMs first, then UTF-8 (with a locale fallback we don't need)
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xEF
        && (bytes[1] & 0xff) == 0xBB
        && (bytes[2] & 0xff) == 0xBF) {
      return new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
    }
    if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE) {
      return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16LE);
    }
    if (bytes.length >= 2 && (bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF) {
      return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16BE);
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private void parseLines(String text, Path file, boolean constraint, Collector c)
      throws ListingException {
    String[] raw = text.split("\r\n|\n|\r", -1);
    // join continuations: a line ending in '\' continues on the next, unless it is a comment
    List<int[]> starts = new ArrayList<>();
    List<String> joined = new ArrayList<>();
    StringBuilder pending = null;
    int pendingLine = 0;
    for (int i = 0; i < raw.length; i++) {
      String line = raw[i];
      boolean comment = COMMENT.matcher(line).lookingAt() && line.strip().startsWith("#");
      if (!line.endsWith("\\") || comment) {
        if (comment) {
          line = " " + line;
        }
        if (pending != null) {
          pending.append(line);
          joined.add(pending.toString());
          starts.add(new int[] {pendingLine});
          pending = null;
        } else {
          joined.add(line);
          starts.add(new int[] {i + 1});
        }
      } else {
        if (pending == null) {
          pending = new StringBuilder();
          pendingLine = i + 1;
        }
        pending.append(line, 0, line.length() - 1);
      }
    }
    if (pending != null) {
      joined.add(pending.toString());
      starts.add(new int[] {pendingLine});
    }
    for (int i = 0; i < joined.size(); i++) {
      String line = COMMENT.matcher(joined.get(i)).replaceFirst("").strip();
      if (line.isEmpty()) {
        continue;
      }
      Origin origin = new Origin(file, starts.get(i)[0]);
      line = expand(line, origin);
      parseLine(line, origin, file, constraint, c);
    }
  }

  private String expand(String line, Origin origin) throws ListingException {
    Matcher m = ENV_VAR.matcher(line);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = env.get(m.group(1));
      if (value == null || value.isEmpty()) {
        // pip leaves the text as it is, which then fails as an invalid requirement or a URL
        // with "${...}" in it; the real cause is the environment
        throw new ListingException(
            origin
                + ": "
                + m.group(1)
                + (value == null ? " is not set" : " is empty")
                + " (the line uses "
                + m.group()
                + "); set the environment variable "
                + m.group(1)
                + " before running, or write the value in the file");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private void parseLine(String line, Origin origin, Path file, boolean constraint, Collector c)
      throws ListingException {
    // pip: the requirement is every space-separated token before the first one starting with '-'
    String[] tokens = line.split(" ");
    StringBuilder args = new StringBuilder();
    int first = 0;
    while (first < tokens.length && !tokens[first].startsWith("-")) {
      if (!args.isEmpty()) {
        args.append(' ');
      }
      args.append(tokens[first]);
      first++;
    }
    List<String> options = new ArrayList<>();
    for (int i = first; i < tokens.length; i++) {
      if (!tokens[i].isEmpty()) {
        options.add(tokens[i]);
      }
    }
    String requirementText = args.toString().strip();
    Set<String> hashes = new LinkedHashSet<>();
    for (int i = 0; i < options.size(); i++) {
      String option = options.get(i);
      String name = option;
      String value = null;
      int eq = option.indexOf('=');
      if (option.startsWith("--") && eq > 0) {
        name = option.substring(0, eq);
        value = option.substring(eq + 1);
      } else if (option.startsWith("-") && !option.startsWith("--") && option.length() > 2) {
        // short option with the value attached: -rfile.txt
        name = option.substring(0, 2);
        value = option.substring(2);
      }
      boolean needsValue =
          switch (name) {
            case "-r",
                "--requirement",
                "-c",
                "--constraint",
                "-i",
                "--index-url",
                "--extra-index-url",
                "-f",
                "--find-links",
                "--only-binary",
                "--no-binary",
                "--hash",
                "--trusted-host",
                "-e",
                "--editable",
                "--use-feature",
                "--config-settings",
                "--global-option" ->
                true;
            default -> false;
          };
      if (needsValue && value == null) {
        if (i + 1 >= options.size()) {
          throw new ListingException(origin + ": option " + Excerpt.of(name) + " needs a value");
        }
        value = options.get(++i);
      }
      switch (name) {
        case "-r", "--requirement" -> include(value, origin, file, false, c);
        case "-c", "--constraint" -> include(value, origin, file, true, c);
        case "-i", "--index-url" -> c.indexUrl = value;
        case "--extra-index-url" -> c.extraIndexUrls.add(value);
        case "-f", "--find-links" -> c.findLinks.add(relativeLink(value, file));
        case "--no-index" -> c.noIndex = true;
        case "--pre" -> c.pre = true;
        case "--require-hashes" -> c.requireHashes = true;
        case "--prefer-binary" ->
            c.notes.add(origin + ": --prefer-binary has no effect: Accretion only uses wheels");
        case "--only-binary" -> formatControl(value, c.onlyBinary, c.noBinary);
        case "--no-binary" -> formatControl(value, c.noBinary, c.onlyBinary);
        case "--trusted-host" ->
            c.notes.add(
                origin + ": --trusted-host " + Excerpt.of(value) + " noted; TLS is still verified");
        case "--use-feature" ->
            c.notes.add(origin + ": --use-feature " + Excerpt.of(value) + " ignored");
        case "--hash" -> {
          if (requirementText.isEmpty()) {
            throw new ListingException(
                origin + ": --hash must follow a requirement on the same line");
          }
          Matcher m = HASH.matcher(value);
          if (!m.matches()) {
            throw new ListingException(
                origin
                    + ": invalid --hash '"
                    + Excerpt.of(value)
                    + "': expected sha256:<hex> (or sha384/sha512)");
          }
          hashes.add(
              m.group(1).toLowerCase(Locale.ROOT) + ":" + m.group(2).toLowerCase(Locale.ROOT));
        }
        case "-e", "--editable" ->
            throw new ListingException(
                origin
                    + ": editable requirement '-e "
                    + Excerpt.of(value)
                    + "' can't go into a Lambda layer: a layer is an immutable zip, and an"
                    + " editable install points back at a source folder on this machine. Build a"
                    + " wheel of it (e.g. 'pip wheel "
                    + Excerpt.of(value)
                    + "') and list the .whl file instead.");
        case "--config-settings", "--global-option" ->
            throw new ListingException(
                origin
                    + ": "
                    + name
                    + " configures a source build; Accretion installs wheels only and never runs"
                    + " build backends. Build the wheel first and list the .whl file.");
        default ->
            throw new ListingException(
                origin + ": unknown option '" + Excerpt.of(option) + "' in a requirements file");
      }
    }
    if (requirementText.isEmpty()) {
      return;
    }
    // the same line again (same text, hashes and kind) adds nothing: merged here in linear time
    if (!c.seen.add(List.of(requirementText, List.copyOf(hashes), constraint))) {
      return;
    }
    if (c.requirements.size() + c.constraints.size() >= MAX_REQUIREMENTS) {
      throw new ListingException(
          FailureKind.TOO_LARGE,
          origin
              + ": more than "
              + MAX_REQUIREMENTS
              + " distinct requirements and constraints, the limit for one listing (a Lambda"
              + " layer holds a few hundred packages at most)");
    }
    RootRequirement requirement = requirement(requirementText, origin, file, hashes);
    (constraint ? c.constraints : c.requirements).add(requirement);
  }

  private void include(String value, Origin origin, Path file, boolean constraint, Collector c)
      throws ListingException {
    if (SCHEME.matcher(value).find() && !value.toLowerCase(Locale.ROOT).startsWith("file:")) {
      throw new ListingException(
          origin
              + ": including '"
              + Excerpt.of(value)
              + "' over the network is not supported; download it and include the local file");
    }
    Path resolved;
    try {
      Path target =
          Path.of(
              value.toLowerCase(Locale.ROOT).startsWith("file:")
                  ? java.net.URI.create(value).getPath()
                  : value);
      resolved = file.getParent() == null ? target : file.getParent().resolve(target);
    } catch (IllegalArgumentException e) {
      // InvalidPathException (a NUL in the path) is one
      throw new ListingException(
          origin + ": '" + Excerpt.of(value) + "' is not a valid file path: " + e.getMessage());
    }
    read(resolved.toAbsolutePath().normalize(), constraint, c, origin);
  }

  private static String relativeLink(String value, Path file) {
    if (SCHEME.matcher(value).find() || Path.of(value).isAbsolute() || file.getParent() == null) {
      return value;
    }
    // pip resolves a relative find-links path against the requirements file's folder
    Path candidate = file.getParent().resolve(value).normalize();
    return candidate.toString();
  }

  private static void formatControl(String value, Set<String> target, Set<String> other) {
    for (String item : value.split(",")) {
      String name = item.strip();
      if (name.isEmpty()) {
        continue;
      }
      if (name.equals(":all:")) {
        target.clear();
        other.clear();
        target.add(":all:");
      } else if (name.equals(":none:")) {
        target.clear();
      } else {
        String normalized = PackageName.normalize(name);
        other.remove(normalized);
        target.add(normalized);
      }
    }
  }

  private static RootRequirement requirement(
      String text, Origin origin, Path file, Set<String> hashes) throws ListingException {
    boolean url = SCHEME.matcher(text).find();
    // pip's _get_url_from_path: text with an '@' whose first part doesn't look like a path is a
    // PEP 508 'name @ url' requirement, whatever its URL ends with
    int at = text.indexOf('@');
    boolean namedUrl =
        at > 0
            && !text.substring(0, at).contains("/")
            && !text.substring(0, at).contains("\\")
            && !text.startsWith(".")
            && !text.startsWith("~");
    boolean path =
        !url
            && !namedUrl
            && (text.startsWith(".")
                || text.startsWith("/")
                || text.startsWith("~")
                || (text.contains("/") && !text.contains("@"))
                || text.toLowerCase(Locale.ROOT).endsWith(".whl")
                || isArchive(text));
    if (url || path) {
      // a bare URL or path; pip separates its marker with "; " (a space after the semicolon)
      String location = text;
      String marker = null;
      int sep = text.indexOf("; ");
      if (sep > 0) {
        location = text.substring(0, sep).strip();
        marker = text.substring(sep + 2).strip();
      }
      return DirectReference.of(location, marker, origin, file, hashes);
    }
    try {
      Requirement parsed = Requirement.parse(text);
      java.net.URI direct = null;
      if (parsed.url() != null) {
        try {
          direct = java.net.URI.create(parsed.url());
        } catch (IllegalArgumentException e) {
          throw new ListingException(
              origin + ": invalid URL in '" + Excerpt.of(text) + "': " + e.getMessage());
        }
        if (!direct.isAbsolute()) {
          throw new ListingException(
              origin
                  + ": '"
                  + Excerpt.of(text)
                  + "' needs an absolute URL after '@' (https://..., or file:///absolute/path)");
        }
      }
      return new RootRequirement(parsed, origin, hashes, direct);
    } catch (ParseException e) {
      throw new ListingException(origin + ": " + e.getMessage(), e);
    }
  }

  private static boolean isArchive(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.endsWith(".tar.gz")
        || lower.endsWith(".zip")
        || lower.endsWith(".tar.bz2")
        || lower.endsWith(".tgz")
        || lower.endsWith(".tar");
  }

  /** Index locations a listing names; null/empty means "not said here". */
  public record IndexOptions(
      String indexUrl, List<String> extraIndexUrls, List<String> findLinks, boolean noIndex) {
    public IndexOptions {
      extraIndexUrls = List.copyOf(extraIndexUrls);
      findLinks = List.copyOf(findLinks);
    }

    public static IndexOptions none() {
      return new IndexOptions(null, List.of(), List.of(), false);
    }

    public Map<String, Object> describe() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("indexUrl", indexUrl);
      out.put("extraIndexUrls", extraIndexUrls);
      out.put("findLinks", findLinks);
      out.put("noIndex", noIndex);
      return out;
    }
  }
}
