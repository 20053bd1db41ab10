package dev.accretion.python.metadata;

import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The core metadata of a distribution ({@code METADATA} in a wheel's {@code .dist-info}, {@code
 * PKG-INFO} in an sdist), Metadata-Version 1.0 to 2.5, as raw strings: the caller parses
 * requirements, specifiers and versions. Immutable.
 *
 * <p>Values are what Python's {@code packaging.metadata.parse_email} returns: the text after {@code
 * Name:} with leading blanks removed; a folded value keeps its continuation lines (with their
 * indentation) joined by {@code \n}. Line breaks are normalized to {@code \n} everywhere, including
 * the description. Nullable components are null when the field is absent.
 *
 * @param metadataVersion {@code Metadata-Version}, e.g. {@code 2.1}; never null
 * @param name {@code Name} as written; never null (see {@link #packageName()})
 * @param version {@code Version} as written; never null
 * @param summary {@code Summary}, or null
 * @param requiresDist every {@code Requires-Dist}, in order
 * @param requiresPython {@code Requires-Python}, or null
 * @param providesExtra every {@code Provides-Extra}, in order
 * @param license {@code License} (free text, often many lines), or null
 * @param licenseExpression {@code License-Expression} (an SPDX expression, 2.4+), or null
 * @param licenseFiles every {@code License-File}
 * @param classifiers every {@code Classifier}
 * @param requiresExternal every {@code Requires-External}
 * @param dynamic every {@code Dynamic}
 * @param description the body after the headers if there is one, else the {@code Description}
 *     header, else null
 * @param descriptionContentType {@code Description-Content-Type}, or null
 * @param headers every header, keyed by lower-case name in file order, values in file order; this
 *     holds the fields above too, and any others (Author, Project-URL, ...)
 */
public record CoreMetadata(
    String metadataVersion,
    String name,
    String version,
    String summary,
    List<String> requiresDist,
    String requiresPython,
    List<String> providesExtra,
    String license,
    String licenseExpression,
    List<String> licenseFiles,
    List<String> classifiers,
    List<String> requiresExternal,
    List<String> dynamic,
    String description,
    String descriptionContentType,
    Map<String, List<String>> headers) {

  /** Fields the core metadata specification allows at most once. */
  private static final Set<String> SINGLE_USE =
      Set.of(
          "metadata-version",
          "name",
          "version",
          "summary",
          "description",
          "description-content-type",
          "keywords",
          "home-page",
          "download-url",
          "author",
          "author-email",
          "maintainer",
          "maintainer-email",
          "license",
          "license-expression",
          "requires-python");

  private static final Pattern METADATA_VERSION = Pattern.compile("([0-9]+)\\.([0-9]+)");

  public CoreMetadata {
    Objects.requireNonNull(metadataVersion, "metadataVersion");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    requiresDist = List.copyOf(requiresDist);
    providesExtra = List.copyOf(providesExtra);
    licenseFiles = List.copyOf(licenseFiles);
    classifiers = List.copyOf(classifiers);
    requiresExternal = List.copyOf(requiresExternal);
    dynamic = List.copyOf(dynamic);
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
    headers = Collections.unmodifiableMap(copy);
  }

  /**
   * Parses METADATA / PKG-INFO bytes, which must be UTF-8 (a leading byte order mark is skipped).
   *
   * @throws ParseException naming the line if the bytes are not UTF-8 or the text is malformed (see
   *     {@link #parse(String)})
   */
  public static CoreMetadata parse(byte[] bytes) throws ParseException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return parse(decoder.decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      int bad = firstInvalidUtf8(bytes);
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < bad; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      int lineEnd = lineStart;
      while (lineEnd < bytes.length && bytes[lineEnd] != '\n' && bytes[lineEnd] != '\r') {
        lineEnd++;
      }
      String shown = new String(bytes, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8);
      throw new ParseException(
          "core metadata line " + line,
          shown,
          bad - lineStart,
          String.format("byte 0x%02x is not valid UTF-8", bytes[bad] & 0xff));
    }
  }

  private static int firstInvalidUtf8(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    decoder.decode(in, out, true);
    return Math.min(in.position(), bytes.length - 1);
  }

  /**
   * Parses METADATA / PKG-INFO text in the email-header format of the core metadata specification:
   * {@code Name: value} lines, continuation lines that start with a space or tab, fields that may
   * repeat, then an empty line and the description as the body. Tolerates CRLF or CR line breaks, a
   * leading byte order mark, non-ASCII text and unknown fields.
   *
   * @throws ParseException naming the line and quoting it if a header line is neither {@code Name:
   *     value} nor a continuation, a continuation comes first, a single-use field repeats, {@code
   *     Metadata-Version}, {@code Name} or {@code Version} is missing or empty, or the
   *     Metadata-Version is not 1.x or 2.x
   */
  public static CoreMetadata parse(String text) throws ParseException {
    Objects.requireNonNull(text, "text");
    if (text.startsWith("\ufeff")) {
      text = text.substring(1);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    Map<String, Integer> firstLine = new LinkedHashMap<>();
    String currentKey = null;
    StringBuilder currentValue = null;
    int currentLine = 0;
    // header lines are cut one at a time, up to the empty line: the description after it (often
    // most of the file: a README, a changelog) is taken whole, never split into lines
    int lineNumber = 0;
    int position = 0;
    boolean bodyFollows = false;
    while (position < text.length()) {
      Line next = lineAt(text, position);
      String line = next.text();
      position = next.end();
      lineNumber++;
      if (line.isEmpty()) {
        bodyFollows = true;
        break;
      }
      char first = line.charAt(0);
      if (first == ' ' || first == '\t') {
        if (currentValue == null) {
          throw new ParseException(
              "core metadata line " + lineNumber,
              line,
              0,
              "a continuation line (starting with a blank) before any field");
        }
        currentValue.append('\n').append(line);
        continue;
      }
      int colon = line.indexOf(':');
      int badChar = colon <= 0 ? 0 : firstNonFieldNameChar(line, colon);
      if (colon <= 0 || badChar >= 0) {
        throw new ParseException(
            "core metadata line " + lineNumber,
            line,
            colon < 0 ? line.length() : Math.max(badChar, 0),
            "expected 'Field-Name: value' or a continuation line starting with a blank (an empty"
                + " line must separate the description)");
      }
      if (currentKey != null) {
        add(headers, firstLine, currentKey, currentValue.toString(), currentLine);
      }
      currentKey = line.substring(0, colon);
      currentValue = new StringBuilder(stripLeadingBlanks(line.substring(colon + 1)));
      currentLine = lineNumber;
    }
    if (currentKey != null) {
      add(headers, firstLine, currentKey, currentValue.toString(), currentLine);
    }
    String body = null;
    if (bodyFollows) {
      // The body is everything after the empty line, as it is (line breaks normalized).
      body = text.substring(position);
      if (body.indexOf('\r') >= 0) {
        body = body.replace("\r\n", "\n").replace('\r', '\n');
      }
    }
    return build(headers, firstLine, body);
  }

  private static void add(
      Map<String, List<String>> headers,
      Map<String, Integer> firstLine,
      String key,
      String value,
      int line)
      throws ParseException {
    String lower = key.toLowerCase(Locale.ROOT);
    Integer earlier = firstLine.putIfAbsent(lower, line);
    if (earlier != null && SINGLE_USE.contains(lower)) {
      throw new ParseException(
          "core metadata line " + line,
          key + ": " + value,
          0,
          "'" + key + "' may appear only once; it is already on line " + earlier);
    }
    headers.computeIfAbsent(lower, k -> new ArrayList<>()).add(value);
  }

  private static CoreMetadata build(
      Map<String, List<String>> headers, Map<String, Integer> lines, String body)
      throws ParseException {
    String metadataVersion = required(headers, lines, "metadata-version", "Metadata-Version");
    Matcher mv = METADATA_VERSION.matcher(metadataVersion.strip());
    if (!mv.matches()) {
      throw new ParseException(
          "core metadata line " + lines.get("metadata-version"),
          metadataVersion,
          0,
          "Metadata-Version must be MAJOR.MINOR, e.g. 2.1");
    }
    int major = Integer.parseInt(mv.group(1));
    if (major != 1 && major != 2) {
      // The specification: a consumer must fail on a major version it does not know.
      throw new ParseException(
          "core metadata line " + lines.get("metadata-version"),
          metadataVersion,
          0,
          "Metadata-Version " + major + ".x is not supported; Accretion reads 1.0 to 2.5");
    }
    String name = required(headers, lines, "name", "Name");
    String version = required(headers, lines, "version", "Version");
    String description = body != null && !body.isEmpty() ? body : single(headers, "description");
    return new CoreMetadata(
        metadataVersion,
        name,
        version,
        single(headers, "summary"),
        all(headers, "requires-dist"),
        single(headers, "requires-python"),
        all(headers, "provides-extra"),
        single(headers, "license"),
        single(headers, "license-expression"),
        all(headers, "license-file"),
        all(headers, "classifier"),
        all(headers, "requires-external"),
        all(headers, "dynamic"),
        description,
        single(headers, "description-content-type"),
        headers);
  }

  private static String required(
      Map<String, List<String>> headers, Map<String, Integer> lines, String key, String display)
      throws ParseException {
    String value = single(headers, key);
    if (value == null) {
      throw new ParseException(
          "core metadata", display + ":", -1, "the required field '" + display + "' is missing");
    }
    if (value.isBlank()) {
      throw new ParseException(
          "core metadata line " + lines.get(key),
          display + ": " + value,
          display.length() + 1,
          "the required field '" + display + "' is empty");
    }
    return value;
  }

  private static String single(Map<String, List<String>> headers, String key) {
    List<String> values = headers.get(key);
    return values == null ? null : values.get(0);
  }

  private static List<String> all(Map<String, List<String>> headers, String key) {
    return headers.getOrDefault(key, List.of());
  }

  /** A line without its line break; {@code end} is the offset just after the line break. */
  private record Line(String text, int end) {}

  /** The line starting at {@code start} (CRLF, CR or LF ends it), and where the next begins. */
  private static Line lineAt(String text, int start) {
    int i = start;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\r' || c == '\n') {
        int next =
            (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') ? i + 2 : i + 1;
        return new Line(text.substring(start, i), next);
      }
      i++;
    }
    return new Line(text.substring(start), text.length());
  }

  /** RFC 5322 field names: printable ASCII except the colon. Returns the bad index or -1. */
  private static int firstNonFieldNameChar(String line, int colon) {
    for (int i = 0; i < colon; i++) {
      char c = line.charAt(i);
      if (c < '!' || c > '~') {
        return i;
      }
    }
    return -1;
  }

  private static String stripLeadingBlanks(String value) {
    int i = 0;
    while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
      i++;
    }
    return value.substring(i);
  }

  /**
   * The {@code Name} parsed and normalized (surrounding blanks ignored).
   *
   * @throws ParseException if the name is not a valid distribution name
   */
  public PackageName packageName() throws ParseException {
    return PackageName.parse(name.strip());
  }

  /** The values of any field (case-insensitive name), in file order; empty if absent. */
  public List<String> get(String field) {
    return headers.getOrDefault(field.toLowerCase(Locale.ROOT), List.of());
  }

  /** The first value of any field (case-insensitive name). */
  public Optional<String> first(String field) {
    return get(field).stream().findFirst();
  }

  @Override
  public String toString() {
    return "CoreMetadata[" + name + " " + version + "]";
  }
}
