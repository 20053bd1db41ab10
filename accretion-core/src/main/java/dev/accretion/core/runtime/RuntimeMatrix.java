package dev.accretion.core.runtime;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Lambda runtime matrix: every managed runtime Accretion builds for, read from the bundled
 * {@code runtimes.json}. Adding a runtime is adding a row to that file; no code knows runtime
 * names.
 *
 * <p>The file is an object with an optional {@code "about"} string and a {@code "runtimes"} array.
 * Each row has exactly these keys: {@code id}, {@code language}, {@code languageVersion}, {@code
 * fullVersion}, {@code os}, {@code glibc}, {@code architectures}, {@code layerPaths}, {@code
 * deprecation}, {@code blockFunctionCreate}, {@code blockFunctionUpdate} (dates as {@code
 * YYYY-MM-DD} or null), and optionally {@code notes}. A row with an unknown or missing key, a value
 * of the wrong form, or a duplicate id is rejected with the line and the row named.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RuntimeMatrix {
  private static final String RESOURCE = "runtimes.json";
  private static final Set<String> TOP_KEYS = Set.of("about", "runtimes");
  private static final Set<String> ROW_KEYS =
      Set.of(
          "id",
          "language",
          "languageVersion",
          "fullVersion",
          "os",
          "glibc",
          "architectures",
          "layerPaths",
          "deprecation",
          "blockFunctionCreate",
          "blockFunctionUpdate",
          "notes");
  private static final Set<String> OPTIONAL_ROW_KEYS = Set.of("notes");
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*[0-9][a-z0-9.]*");
  private static final Pattern PYTHON_VERSION = Pattern.compile("3\\.[0-9]{1,3}");
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  private final List<Runtime> runtimes;
  private final Map<String, Runtime> byId;

  private RuntimeMatrix(List<Runtime> runtimes) {
    this.runtimes = List.copyOf(runtimes);
    Map<String, Runtime> map = new LinkedHashMap<>();
    for (Runtime runtime : runtimes) {
      map.put(runtime.id(), runtime);
    }
    this.byId = map;
  }

  private static final class Bundled {
    static final RuntimeMatrix INSTANCE = loadBundled();

    private static RuntimeMatrix loadBundled() {
      try (InputStream in = RuntimeMatrix.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE + " is missing from the Accretion core jar");
        }
        return load(in, RESOURCE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (AccretionException e) {
        // The bundled file is tested; a failure here is a build defect, not user input.
        throw new IllegalStateException("bundled " + e.getMessage(), e);
      }
    }
  }

  /**
   * Returns the matrix bundled with Accretion (loaded once).
   *
   * @throws IllegalStateException if the bundled resource is missing or invalid (a build defect)
   */
  public static RuntimeMatrix load() {
    return Bundled.INSTANCE;
  }

  /**
   * Reads a matrix in the {@code runtimes.json} format; the stream is not closed.
   *
   * @throws AccretionException if the JSON is malformed or a row is invalid; the message names the
   *     line and the row
   */
  public static RuntimeMatrix load(InputStream in) throws AccretionException {
    return load(in, "runtime matrix");
  }

  /** As {@link #load(InputStream)}, naming the source (e.g. a file name) in messages. */
  public static RuntimeMatrix load(InputStream in, String source) throws AccretionException {
    try {
      return new Reader(source).read(in);
    } catch (IOException e) {
      throw new AccretionException(source + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /** Every runtime, in the order of the file. */
  public List<Runtime> all() {
    return runtimes;
  }

  /** The runtimes of one language, in the order of the file. */
  public List<Runtime> all(Language language) {
    return runtimes.stream().filter(r -> r.language() == language).toList();
  }

  /**
   * Looks a runtime up by its Lambda identifier (exact, as AWS spells it: {@code python3.12}).
   *
   * @throws AccretionException if no runtime has that identifier; the message lists the known
   *     identifiers and suggests the closest one
   */
  public Runtime get(String id) throws AccretionException {
    Runtime runtime = byId.get(id);
    if (runtime != null) {
      return runtime;
    }
    String closest = closest(id == null ? "" : id);
    throw new AccretionException(
        FailureKind.BAD_INPUT,
        "unknown Lambda runtime '"
            + id
            + "'"
            + (closest == null ? "" : "; did you mean '" + closest + "'?")
            + " Known runtimes: "
            + String.join(", ", byId.keySet()));
  }

  /**
   * Looks up a runtime and an architecture together.
   *
   * @throws AccretionException if either is unknown or Lambda does not offer the runtime there
   */
  public Target target(String runtimeId, String architecture) throws AccretionException {
    return Target.of(get(runtimeId), Architecture.parse(architecture));
  }

  /** Whether the runtime's announced deprecation date is on or before {@code today}. */
  public boolean isDeprecated(Runtime runtime, LocalDate today) {
    return runtime.deprecation().map(date -> !today.isBefore(date)).orElse(false);
  }

  private String closest(String id) {
    String wanted = id.toLowerCase(Locale.ROOT);
    return byId.keySet().stream()
        .min(Comparator.comparingInt((String known) -> distance(wanted, known)))
        .filter(known -> distance(wanted, known) <= Math.max(2, known.length() / 3))
        .orElse(null);
  }

  /** Levenshtein distance, for "did you mean". */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** A value of a row with the line it starts on. */
  private record Field(Object value, int line) {}

  /** Reads the file with the JDK-only JSON parser, so every error can name its line. */
  private static final class Reader {
    private final String source;
    private String text = "";
    private int[] lineStarts = {0};

    Reader(String source) {
      this.source = source;
    }

    RuntimeMatrix read(InputStream in) throws IOException, AccretionException {
      text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      List<Integer> starts = new ArrayList<>();
      starts.add(0);
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          starts.add(i + 1);
        }
      }
      lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
      Json.Node root;
      try {
        root = Json.parse(text);
      } catch (Json.SyntaxError e) {
        throw new AccretionException(
            source
                + " line "
                + line(e.position)
                + ", column "
                + column(e.position)
                + ": not valid JSON: "
                + e.getMessage());
      }
      if (!(root.value() instanceof Map<?, ?> top)) {
        throw new AccretionException(
            source
                + " line "
                + line(root.position())
                + ": expected a JSON object with a \"runtimes\" array");
      }
      List<Runtime> runtimes = null;
      for (Map.Entry<?, ?> e : top.entrySet()) {
        String key = (String) e.getKey();
        Json.Node value = (Json.Node) e.getValue();
        if (!TOP_KEYS.contains(key)) {
          throw new AccretionException(
              source
                  + " line "
                  + line(value.position())
                  + ": unknown key \""
                  + key
                  + "\"; expected "
                  + TOP_KEYS);
        }
        if (key.equals("runtimes")) {
          if (!(value.value() instanceof List<?> rows)) {
            throw new AccretionException(
                source
                    + " line "
                    + line(value.position())
                    + ": \"runtimes\" must be an array of rows");
          }
          runtimes = readRows(rows);
        }
      }
      if (runtimes == null) {
        throw new AccretionException(source + ": no \"runtimes\" array");
      }
      return new RuntimeMatrix(runtimes);
    }

    private List<Runtime> readRows(List<?> items) throws AccretionException {
      List<Runtime> rows = new ArrayList<>();
      Map<String, Integer> seen = new LinkedHashMap<>();
      int index = 0;
      for (Object item : items) {
        index++;
        Json.Node node = (Json.Node) item;
        int rowLine = line(node.position());
        if (!(node.value() instanceof Map<?, ?> members)) {
          throw new AccretionException(
              source + " line " + rowLine + ", row " + index + ": a row must be a JSON object");
        }
        Map<String, Field> fields = new LinkedHashMap<>();
        for (Map.Entry<?, ?> m : members.entrySet()) {
          Json.Node value = (Json.Node) m.getValue();
          fields.put((String) m.getKey(), new Field(value.value(), line(value.position())));
        }
        Runtime runtime = new Row(source, index, rowLine, fields).toRuntime();
        Integer earlier = seen.putIfAbsent(runtime.id(), rowLine);
        if (earlier != null) {
          throw new AccretionException(
              source
                  + " line "
                  + rowLine
                  + ", row "
                  + index
                  + ": duplicate runtime id '"
                  + runtime.id()
                  + "' (first defined on line "
                  + earlier
                  + ")");
        }
        rows.add(runtime);
      }
      if (rows.isEmpty()) {
        throw new AccretionException(source + ": the \"runtimes\" array is empty");
      }
      return rows;
    }

    /** The 1-based column of a character offset in its line. */
    private int column(int offset) {
      int start = text.lastIndexOf('\n', Math.max(0, Math.min(offset, text.length()) - 1)) + 1;
      return offset - start + 1;
    }

    /** The 1-based line of a character offset in the file. */
    private int line(int offset) {
      int found = java.util.Arrays.binarySearch(lineStarts, offset);
      return found >= 0 ? found + 1 : -found - 1;
    }
  }

  /** One row being validated; every message names the row, its id and the line. */
  private static final class Row {
    private final String source;
    private final int index;
    private final int line;
    private final Map<String, Field> fields;
    private String id;

    Row(String source, int index, int line, Map<String, Field> fields) {
      this.source = source;
      this.index = index;
      this.line = line;
      this.fields = fields;
    }

    Runtime toRuntime() throws AccretionException {
      Object idValue = fields.containsKey("id") ? fields.get("id").value() : null;
      if (idValue instanceof String s) {
        id = s;
      }
      for (String key : fields.keySet()) {
        if (!ROW_KEYS.contains(key)) {
          throw fail(
              fields.get(key).line(),
              "unknown key \""
                  + key
                  + "\"; a row has exactly "
                  + ROW_KEYS.stream().sorted().collect(Collectors.joining(", ")));
        }
      }
      for (String key : ROW_KEYS.stream().sorted().toList()) {
        if (!fields.containsKey(key) && !OPTIONAL_ROW_KEYS.contains(key)) {
          throw fail(line, "missing key \"" + key + "\" (write null if it has no value)");
        }
      }
      String runtimeId = text("id");
      if (!ID.matcher(runtimeId).matches()) {
        throw fail(
            "id", "is '" + runtimeId + "': expected a Lambda runtime identifier like python3.12");
      }
      Language language;
      try {
        language = Language.parse(text("language"));
      } catch (AccretionException e) {
        throw fail("language", e.getMessage());
      }
      if (!runtimeId.startsWith(language.id())) {
        throw fail("id", "is '" + runtimeId + "' but the language is " + language.id());
      }
      String languageVersion = text("languageVersion");
      String fullVersion = optionalText("fullVersion");
      if (language == Language.PYTHON) {
        if (!PYTHON_VERSION.matcher(languageVersion).matches()) {
          throw fail(
              "languageVersion", "is '" + languageVersion + "': expected 3.MINOR, e.g. 3.12");
        }
        if (fullVersion == null) {
          throw fail("fullVersion", "is required for Python (python_full_version marker)");
        }
      }
      if (fullVersion != null && !fullVersion.startsWith(languageVersion + ".")) {
        throw fail(
            "fullVersion",
            "is '" + fullVersion + "': expected a release of " + languageVersion + ".x");
      }
      String os = text("os");
      GlibcVersion glibc;
      try {
        glibc = GlibcVersion.parse(text("glibc"));
      } catch (AccretionException e) {
        throw fail("glibc", e.getMessage());
      }
      List<Architecture> architectures = new ArrayList<>();
      for (String name : textList("architectures")) {
        Architecture architecture = null;
        for (Architecture candidate : Architecture.values()) {
          if (candidate.lambdaName().equals(name)) {
            architecture = candidate;
          }
        }
        if (architecture == null) {
          throw fail(
              "architectures", "has '" + name + "': expected the Lambda names x86_64 or arm64");
        }
        if (architectures.contains(architecture)) {
          throw fail("architectures", "lists '" + name + "' twice");
        }
        architectures.add(architecture);
      }
      List<String> layerPaths = textList("layerPaths");
      Set<String> distinct = new LinkedHashSet<>();
      for (String path : layerPaths) {
        if (path.isEmpty()
            || path.startsWith("/")
            || path.endsWith("/")
            || path.contains("\\")
            || List.of(path.split("/")).contains("..")
            || List.of(path.split("/")).contains(".")) {
          throw fail(
              "layerPaths",
              "has '"
                  + path
                  + "': expected a relative folder such as python or nodejs/node_modules");
        }
        if (!distinct.add(path)) {
          throw fail("layerPaths", "lists '" + path + "' twice");
        }
      }
      return new Runtime(
          runtimeId,
          language,
          languageVersion,
          fullVersion,
          os,
          glibc,
          architectures,
          layerPaths,
          date("deprecation"),
          date("blockFunctionCreate"),
          date("blockFunctionUpdate"),
          optionalText("notes"));
    }

    private String text(String key) throws AccretionException {
      Object value = fields.get(key).value();
      if (!(value instanceof String s) || s.isBlank()) {
        throw fail(key, "is " + show(value) + ": expected a non-empty string");
      }
      return s;
    }

    /** A value as JSON would write it, for messages. */
    private static String show(Object value) {
      if (value == null) {
        return "null";
      }
      if (value instanceof String s) {
        return "\"" + s + "\"";
      }
      if (value instanceof Json.JsonNumber n) {
        return n.text();
      }
      if (value instanceof Json.Node n) {
        return show(n.value());
      }
      if (value instanceof List<?> list) {
        return list.stream().map(Row::show).collect(Collectors.joining(",", "[", "]"));
      }
      if (value instanceof Map<?, ?> map) {
        return map.entrySet().stream()
            .map(e -> "\"" + e.getKey() + "\":" + show(e.getValue()))
            .collect(Collectors.joining(",", "{", "}"));
      }
      return String.valueOf(value);
    }

    private String optionalText(String key) throws AccretionException {
      Field field = fields.get(key);
      if (field == null || field.value() == null) {
        return null;
      }
      return text(key);
    }

    private List<String> textList(String key) throws AccretionException {
      Object value = fields.get(key).value();
      if (!(value instanceof List<?> list) || list.isEmpty()) {
        throw fail(key, "is " + show(value) + ": expected a non-empty array of strings");
      }
      List<String> values = new ArrayList<>();
      for (Object element : list) {
        Object v = ((Json.Node) element).value();
        if (!(v instanceof String s)) {
          throw fail(key, "has " + show(v) + ": expected strings only");
        }
        values.add(s);
      }
      return values;
    }

    private LocalDate date(String key) throws AccretionException {
      Object value = fields.get(key).value();
      if (value == null) {
        return null;
      }
      if (!(value instanceof String s) || !DATE.matcher(s).matches()) {
        throw fail(key, "is " + show(value) + ": expected a date YYYY-MM-DD or null");
      }
      try {
        return LocalDate.parse(s);
      } catch (DateTimeParseException e) {
        throw fail(key, "is " + show(value) + ": not a calendar date");
      }
    }

    private AccretionException fail(String key, String problem) {
      return fail(fields.get(key).line(), "\"" + key + "\" " + problem);
    }

    private AccretionException fail(int atLine, String problem) {
      return new AccretionException(
          source
              + " line "
              + atLine
              + ", row "
              + index
              + (id == null ? "" : " (" + id + ")")
              + ": "
              + problem);
    }
  }

  @Override
  public String toString() {
    return "RuntimeMatrix" + byId.keySet();
  }
}
