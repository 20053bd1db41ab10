package dev.accretion.python.index;

import dev.accretion.core.json.Json;
import dev.accretion.python.ParseException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Parses simple repository pages: PEP 503 HTML and PEP 691 JSON ({@code
 * application/vnd.pypi.simple.v1+json}), with PEP 592 yanking, PEP 658/714 metadata attributes, PEP
 * 700 sizes, {@code data-requires-python} and hash fragments. Stateless and thread-safe.
 *
 * <p>HTML is read the way browsers and pip tolerate it (any tags, comments, unquoted attributes,
 * upper case, entities, {@code <base href>}); what cannot be a page at all — control characters, a
 * tag, quote or comment left open at the end, a hash fragment that is not hex, an href that is not
 * a URL — raises a {@link ParseException} that names the page URL and quotes the place (line,
 * column). Anchors without {@code href}, links to other schemes than http, https and file, and
 * links to folders (a path ending in {@code /}, as in {@code ../} on auto-generated listings) are
 * not files and are left out. A bare {@code data-yanked} attribute marks the file yanked (PEP 592:
 * the attribute's presence is what counts; pip 23 overlooks a valueless one); a bare or {@code
 * "false"} metadata attribute means no metadata file.
 */
public final class SimplePageParser {
  /** The PEP 691 JSON media type. */
  public static final String JSON_V1 = "application/vnd.pypi.simple.v1+json";

  /** The PEP 691 HTML media type. */
  public static final String HTML_V1 = "application/vnd.pypi.simple.v1+html";

  /** Hash names pip understands, with their hex digest lengths. */
  private static final Map<String, Integer> HASH_LENGTHS =
      Map.of("md5", 32, "sha1", 40, "sha224", 56, "sha256", 64, "sha384", 96, "sha512", 128);

  private static final Set<String> FILE_SCHEMES = Set.of("http", "https", "file");

  private SimplePageParser() {}

  /**
   * Parses a page's bytes according to its media type: JSON for PEP 691's JSON type or {@code
   * application/json}, HTML for {@code text/html}, PEP 691's HTML type, or no type (file indexes).
   *
   * @param body the page bytes
   * @param contentType the {@code Content-Type} header value, or null when there is none
   * @param pageUrl the URL the page was read from (after redirects), to resolve relative links
   * @param index the index or find-links location recorded in each {@link IndexFile}
   * @throws ParseException on a malformed page or an unsupported media type, naming the page
   */
  public static List<IndexFile> parse(byte[] body, String contentType, URI pageUrl, URI index)
      throws ParseException {
    String mediaType = "text/html";
    Charset charset = StandardCharsets.UTF_8;
    if (contentType != null && !contentType.isBlank()) {
      String[] parts = contentType.split(";");
      mediaType = parts[0].strip().toLowerCase(Locale.ROOT);
      for (int i = 1; i < parts.length; i++) {
        String parameter = parts[i].strip();
        if (parameter.regionMatches(true, 0, "charset=", 0, 8)) {
          String name = parameter.substring(8).replace("\"", "").strip();
          try {
            charset = Charset.forName(name);
          } catch (IllegalArgumentException e) {
            throw new ParseException(
                "simple index page " + pageUrl,
                contentType,
                contentType.indexOf(name),
                "unknown charset '" + name + "' in the Content-Type header");
          }
        }
      }
    }
    String text = decode(body, charset, pageUrl);
    return switch (mediaType) {
      case JSON_V1, "application/json" -> parseJson(text, pageUrl, index);
      case HTML_V1, "text/html", "application/xhtml+xml" -> parseHtml(text, pageUrl, index);
      default ->
          throw new ParseException(
              "simple index page " + pageUrl,
              contentType,
              0,
              "unexpected Content-Type; a simple index answers with text/html, "
                  + HTML_V1
                  + " or "
                  + JSON_V1);
    };
  }

  private static String decode(byte[] body, Charset charset, URI pageUrl) throws ParseException {
    try {
      return charset
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      // Find the first bad byte so the message can point at it.
      int bad = firstUndecodable(body, charset);
      String shown = new String(body, 0, Math.min(bad, body.length), charset);
      int lineStart = shown.lastIndexOf('\n') + 1;
      String excerpt = shown.substring(Math.max(lineStart, shown.length() - 60));
      throw new ParseException(
          "simple index page " + pageUrl,
          excerpt,
          excerpt.length(),
          "the bytes are not valid " + charset.name() + " (byte offset " + bad + ")");
    }
  }

  private static int firstUndecodable(byte[] body, Charset charset) {
    var decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body);
    var out = java.nio.CharBuffer.allocate(body.length + 1);
    var result = decoder.decode(in, out, true);
    return result.isError() ? in.position() : body.length;
  }

  // ---------------------------------------------------------------------------------------------
  // PEP 503 HTML

  /**
   * Parses a PEP 503 HTML page.
   *
   * @throws ParseException on a malformed page, naming {@code pageUrl} and the line and column
   */
  public static List<IndexFile> parseHtml(String html, URI pageUrl, URI index)
      throws ParseException {
    return new HtmlPage(html, pageUrl, index).parse();
  }

  private record Attribute(String value, int position) {}

  private record Tag(Map<String, Attribute> attributes, int position) {}

  private static final class HtmlPage {
    private final String html;
    private final URI pageUrl;
    private final URI index;
    private final List<Tag> anchors = new ArrayList<>();
    private Attribute base;

    HtmlPage(String html, URI pageUrl, URI index) {
      this.html = html;
      this.pageUrl = pageUrl;
      this.index = index;
    }

    List<IndexFile> parse() throws ParseException {
      for (int i = 0; i < html.length(); i++) {
        char c = html.charAt(i);
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f) {
          throw error(
              i, String.format("control character U+%04X; this is not an HTML page", (int) c));
        }
      }
      scan();
      URI baseUrl = pageUrl;
      if (base != null) {
        baseUrl = resolve(pageUrl, base.value(), base.position());
      }
      List<IndexFile> files = new ArrayList<>(anchors.size());
      for (Tag anchor : anchors) {
        IndexFile file = file(anchor, baseUrl);
        if (file != null) {
          files.add(file);
        }
      }
      return files;
    }

    private void scan() throws ParseException {
      int i = 0;
      int n = html.length();
      while (i < n) {
        int lt = html.indexOf('<', i);
        if (lt < 0 || lt + 1 >= n) {
          return;
        }
        char next = html.charAt(lt + 1);
        if (html.startsWith("<!--", lt)) {
          int end = html.indexOf("-->", lt + 4);
          if (end < 0) {
            throw error(lt, "comment '<!--' is never closed with '-->'");
          }
          i = end + 3;
        } else if (next == '!' || next == '?') {
          int end = html.indexOf('>', lt);
          if (end < 0) {
            throw error(lt, "markup declaration is never closed with '>'");
          }
          i = end + 1;
        } else if (next == '/') {
          int end = html.indexOf('>', lt);
          if (end < 0) {
            throw error(lt, "end tag is never closed with '>'");
          }
          i = end + 1;
        } else if (isAsciiLetter(next)) {
          i = startTag(lt);
        } else {
          // A lone '<' in text ("a < b") is text in HTML.
          i = lt + 1;
        }
      }
    }

    /** Reads a start tag at {@code lt}; returns the offset after it. */
    private int startTag(int lt) throws ParseException {
      int n = html.length();
      int i = lt + 1;
      while (i < n && isTagNameChar(html.charAt(i))) {
        i++;
      }
      String name = html.substring(lt + 1, i).toLowerCase(Locale.ROOT);
      Map<String, Attribute> attributes = new LinkedHashMap<>();
      while (true) {
        while (i < n && isHtmlSpace(html.charAt(i))) {
          i++;
        }
        if (i >= n) {
          throw error(lt, "tag <" + name + " is never closed with '>'");
        }
        char c = html.charAt(i);
        if (c == '>') {
          i++;
          break;
        }
        if (c == '/') {
          i++;
          continue;
        }
        if (c == '"' || c == '\'' || c == '<' || c == '=') {
          throw error(i, "unexpected '" + c + "' in tag <" + name + ">");
        }
        int nameStart = i;
        while (i < n) {
          char d = html.charAt(i);
          if (isHtmlSpace(d) || d == '=' || d == '>' || d == '/' || d == '"' || d == '\'') {
            break;
          }
          if (d == '<') {
            throw error(i, "unexpected '<' in tag <" + name + ">");
          }
          i++;
        }
        String attributeName = html.substring(nameStart, i).toLowerCase(Locale.ROOT);
        int after = i;
        while (after < n && isHtmlSpace(html.charAt(after))) {
          after++;
        }
        String value = "";
        int valuePosition = nameStart;
        if (after < n && html.charAt(after) == '=') {
          i = after + 1;
          while (i < n && isHtmlSpace(html.charAt(i))) {
            i++;
          }
          if (i >= n) {
            throw error(lt, "tag <" + name + " is never closed with '>'");
          }
          char quote = html.charAt(i);
          if (quote == '"' || quote == '\'') {
            int close = html.indexOf(quote, i + 1);
            if (close < 0) {
              throw error(i, "attribute " + attributeName + " has an unterminated quoted value");
            }
            value = unescape(html.substring(i + 1, close));
            valuePosition = i + 1;
            i = close + 1;
          } else {
            int start = i;
            while (i < n && !isHtmlSpace(html.charAt(i)) && html.charAt(i) != '>') {
              i++;
            }
            value = unescape(html.substring(start, i));
            valuePosition = start;
          }
        }
        // HTML: when an attribute is repeated, the first one counts.
        attributes.putIfAbsent(attributeName, new Attribute(value, valuePosition));
      }
      switch (name) {
        case "a" -> anchors.add(new Tag(attributes, lt));
        case "base" -> {
          if (base == null && attributes.containsKey("href")) {
            base = attributes.get("href");
          }
        }
        case "script", "style", "textarea", "title" -> {
          // raw text: skip to the end tag so that '<' inside is not read as markup
          int end = indexOfIgnoreCase(html, "</" + name, i);
          if (end < 0) {
            throw error(lt, "<" + name + "> is never closed");
          }
          return end;
        }
        default -> {
          // other tags carry nothing a simple index needs
        }
      }
      return i;
    }

    private IndexFile file(Tag anchor, URI baseUrl) throws ParseException {
      Attribute href = anchor.attributes().get("href");
      if (href == null) {
        return null;
      }
      URI resolved = resolve(baseUrl, href.value(), href.position());
      String scheme =
          resolved.getScheme() == null ? "" : resolved.getScheme().toLowerCase(Locale.ROOT);
      if (!FILE_SCHEMES.contains(scheme)) {
        return null;
      }
      String rawPath = resolved.getRawPath();
      if (rawPath == null || rawPath.isEmpty() || rawPath.endsWith("/")) {
        return null;
      }
      String filename = percentDecode(rawPath.substring(rawPath.lastIndexOf('/') + 1));
      if (filename.isEmpty() || filename.contains("/")) {
        return null;
      }
      Map<String, String> hashes = new LinkedHashMap<>();
      String fragment = resolved.getRawFragment();
      if (fragment != null) {
        hashFromFragment(percentDecode(fragment), href.position() + href.value().indexOf('#') + 1)
            .ifPresent(h -> hashes.put(h[0], h[1]));
      }
      Attribute requiresPython = anchor.attributes().get("data-requires-python");
      Attribute yanked = anchor.attributes().get("data-yanked");
      // PEP 714: data-core-metadata is the name; data-dist-info-metadata the older one.
      Attribute metadata = anchor.attributes().get("data-core-metadata");
      if (metadata == null) {
        metadata = anchor.attributes().get("data-dist-info-metadata");
      }
      boolean hasMetadata = false;
      Map<String, String> metadataHashes = new LinkedHashMap<>();
      if (metadata != null) {
        String value = metadata.value().strip();
        if (value.equalsIgnoreCase("true")) {
          hasMetadata = true;
        } else if (value.isEmpty() || value.equalsIgnoreCase("false")) {
          // a bare attribute carries no value; pip reads it as absent, and so does Accretion
          hasMetadata = false;
        } else if (value.contains("=")) {
          hasMetadata = true;
          hashFromFragment(value, metadata.position())
              .ifPresent(h -> metadataHashes.put(h[0], h[1]));
        } else {
          throw error(
              metadata.position(),
              "metadata attribute must be 'true' or '<hashname>=<hexdigest>' (PEP 658/714)");
        }
      }
      return new IndexFile(
          filename,
          withoutFragmentAndCredentials(resolved),
          hashes,
          requiresPython == null || requiresPython.value().isBlank()
              ? Optional.empty()
              : Optional.of(requiresPython.value().strip()),
          yanked != null,
          yanked == null || yanked.value().isEmpty()
              ? Optional.empty()
              : Optional.of(yanked.value()),
          hasMetadata,
          metadataHashes,
          OptionalLong.empty(),
          index);
    }

    /** {@code name=hex}; known hash names must carry hex of the right length. */
    private Optional<String[]> hashFromFragment(String fragment, int position)
        throws ParseException {
      int eq = fragment.indexOf('=');
      if (eq <= 0) {
        return Optional.empty();
      }
      String name = fragment.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = fragment.substring(eq + 1).strip();
      Integer length = HASH_LENGTHS.get(name);
      if (length == null) {
        // Other fragments (#egg=..., #md5 from other tools, #blake2b=...) carry nothing pip uses.
        return Optional.empty();
      }
      if (value.length() != length || !isHex(value)) {
        throw error(
            position, name + " hash '" + value + "' is not " + length + " hexadecimal digits");
      }
      return Optional.of(new String[] {name, value.toLowerCase(Locale.ROOT)});
    }

    private URI resolve(URI against, String href, int position) throws ParseException {
      String cleaned = cleanHref(href.strip());
      try {
        URI reference = new URI(cleaned);
        return against.resolve(reference);
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw error(position, "href '" + href + "' is not a valid URL");
      }
    }

    private ParseException error(int position, String reason) {
      return pageError(html, pageUrl, position, reason);
    }
  }

  /**
   * Percent-encodes what may not appear in a URI (spaces, non-ASCII, stray {@code %}), as pip's
   * {@code _clean_link} does, keeping valid {@code %XX} escapes and the URL's structure.
   */
  static String cleanHref(String href) {
    StringBuilder out = null;
    for (int i = 0; i < href.length(); i++) {
      char c = href.charAt(i);
      boolean keep =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "-._~:/?#[]@!$&'()*+,;=".indexOf(c) >= 0
              || (c == '%'
                  && i + 2 < href.length()
                  && isHexDigit(href.charAt(i + 1))
                  && isHexDigit(href.charAt(i + 2)));
      if (keep) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(href.length() + 16).append(href, 0, i);
      }
      int codePoint = href.codePointAt(i);
      if (Character.charCount(codePoint) == 2) {
        i++;
      }
      for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)));
        out.append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out == null ? href : out.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // PEP 691 JSON

  /**
   * Parses a PEP 691 JSON page (API version 1.x).
   *
   * @throws ParseException on a syntax error, a missing or mistyped field, or an API major version
   *     other than 1, naming {@code pageUrl} and the line and column
   */
  public static List<IndexFile> parseJson(String json, URI pageUrl, URI index)
      throws ParseException {
    Json.Node root;
    try {
      root = Json.parse(json);
    } catch (Json.SyntaxError e) {
      throw pageError(json, pageUrl, e.position, "JSON syntax error: " + e.getMessage());
    }
    JsonPage page = new JsonPage(json, pageUrl, index);
    return page.files(root);
  }

  private static final class JsonPage {
    private final String json;
    private final URI pageUrl;
    private final URI index;

    JsonPage(String json, URI pageUrl, URI index) {
      this.json = json;
      this.pageUrl = pageUrl;
      this.index = index;
    }

    List<IndexFile> files(Json.Node root) throws ParseException {
      Map<String, Json.Node> top = object(root, "the page");
      Json.Node meta = required(top, "meta", root);
      Json.Node apiVersion = required(object(meta, "meta"), "api-version", meta);
      String version = string(apiVersion, "meta.api-version");
      // PEP 691: a client must fail on a major version it does not know.
      if (!version.matches("1(\\.[0-9]+)?")) {
        throw error(
            apiVersion.position(),
            "simple API version '" + version + "' is not supported (Accretion reads 1.x)");
      }
      Json.Node filesNode = required(top, "files", root);
      if (!(filesNode.value() instanceof List<?> list)) {
        throw error(filesNode.position(), "\"files\" must be an array");
      }
      List<IndexFile> files = new ArrayList<>(list.size());
      for (Object item : list) {
        files.add(file((Json.Node) item));
      }
      return files;
    }

    private IndexFile file(Json.Node node) throws ParseException {
      Map<String, Json.Node> fields = object(node, "a file");
      Json.Node filenameNode = required(fields, "filename", node);
      String filename = string(filenameNode, "filename");
      if (filename.isEmpty() || filename.contains("/")) {
        throw error(filenameNode.position(), "\"filename\" must be a file name, without '/'");
      }
      Json.Node urlNode = required(fields, "url", node);
      String url = string(urlNode, "url");
      URI resolved;
      try {
        resolved = pageUrl.resolve(new URI(cleanHref(url)));
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw error(urlNode.position(), "\"url\" '" + url + "' is not a valid URL");
      }
      Map<String, String> hashes = hashes(required(fields, "hashes", node), "hashes");
      Optional<String> requiresPython = Optional.empty();
      Json.Node requiresNode = fields.get("requires-python");
      if (requiresNode != null && !requiresNode.isNull()) {
        String text = string(requiresNode, "requires-python").strip();
        requiresPython = text.isEmpty() ? Optional.empty() : Optional.of(text);
      }
      boolean yanked = false;
      Optional<String> reason = Optional.empty();
      Json.Node yankedNode = fields.get("yanked");
      if (yankedNode != null && !yankedNode.isNull()) {
        if (yankedNode.value() instanceof Boolean b) {
          yanked = b;
        } else if (yankedNode.value() instanceof String s) {
          yanked = true;
          reason = s.isEmpty() ? Optional.empty() : Optional.of(s);
        } else {
          throw error(yankedNode.position(), "\"yanked\" must be a boolean or a string");
        }
      }
      // PEP 714: "core-metadata" is the name; "dist-info-metadata" the older one.
      Json.Node metadataNode = fields.get("core-metadata");
      String metadataKey = "core-metadata";
      if (metadataNode == null) {
        metadataNode = fields.get("dist-info-metadata");
        metadataKey = "dist-info-metadata";
      }
      boolean hasMetadata = false;
      Map<String, String> metadataHashes = Map.of();
      if (metadataNode != null && !metadataNode.isNull()) {
        if (metadataNode.value() instanceof Boolean b) {
          hasMetadata = b;
        } else if (metadataNode.value() instanceof Map<?, ?>) {
          hasMetadata = true;
          metadataHashes = hashes(metadataNode, metadataKey);
        } else {
          throw error(
              metadataNode.position(),
              "\"" + metadataKey + "\" must be a boolean or an object of hashes");
        }
      }
      OptionalLong size = OptionalLong.empty();
      Json.Node sizeNode = fields.get("size");
      if (sizeNode != null && !sizeNode.isNull()) {
        if (!(sizeNode.value() instanceof Json.JsonNumber number)
            || !number.text().matches("[0-9]{1,18}")) {
          throw error(sizeNode.position(), "\"size\" must be a non-negative integer (PEP 700)");
        }
        size = OptionalLong.of(Long.parseLong(number.text()));
      }
      return new IndexFile(
          filename,
          withoutFragmentAndCredentials(resolved),
          hashes,
          requiresPython,
          yanked,
          yanked ? reason : Optional.empty(),
          hasMetadata,
          metadataHashes,
          size,
          index);
    }

    private Map<String, String> hashes(Json.Node node, String what) throws ParseException {
      Map<String, Json.Node> entries = object(node, "\"" + what + "\"");
      Map<String, String> hashes = new HashMap<>();
      for (Map.Entry<String, Json.Node> entry : entries.entrySet()) {
        String name = entry.getKey().toLowerCase(Locale.ROOT);
        String value = string(entry.getValue(), what + "." + entry.getKey());
        Integer length = HASH_LENGTHS.get(name);
        if (!isHex(value) || (length != null && value.length() != length)) {
          throw error(
              entry.getValue().position(),
              what + "." + name + " '" + value + "' is not a hexadecimal digest");
        }
        hashes.put(name, value.toLowerCase(Locale.ROOT));
      }
      return hashes;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Json.Node> object(Json.Node node, String what) throws ParseException {
      if (!(node.value() instanceof Map<?, ?> map)) {
        throw error(node.position(), what + " must be a JSON object");
      }
      return (Map<String, Json.Node>) map;
    }

    private Json.Node required(Map<String, Json.Node> object, String key, Json.Node owner)
        throws ParseException {
      Json.Node node = object.get(key);
      if (node == null) {
        throw error(owner.position(), "required member \"" + key + "\" is missing (PEP 691)");
      }
      return node;
    }

    private String string(Json.Node node, String what) throws ParseException {
      if (!(node.value() instanceof String s)) {
        throw error(node.position(), "\"" + what + "\" must be a string");
      }
      return s;
    }

    private ParseException error(int position, String reason) {
      return pageError(json, pageUrl, position, reason);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // shared

  /**
   * An error at {@code position} of a page: quotes the line around the position (at most 60
   * characters either side) and says the line and column.
   */
  static ParseException pageError(String page, URI pageUrl, int position, String reason) {
    int p = Math.max(0, Math.min(position, page.length()));
    int lineStart = page.lastIndexOf('\n', p - 1) + 1;
    int lineEnd = page.indexOf('\n', p);
    if (lineEnd < 0) {
      lineEnd = page.length();
    }
    int line = 1;
    for (int i = 0; i < lineStart; i++) {
      if (page.charAt(i) == '\n') {
        line++;
      }
    }
    int from = Math.max(lineStart, p - 60);
    int to = Math.min(lineEnd, p + 60);
    String excerpt = page.substring(from, to).replace("\r", "");
    return new ParseException(
        "simple index page " + pageUrl,
        excerpt,
        p - from,
        reason + " (line " + line + ", column " + (p - lineStart + 1) + ")");
  }

  static URI withoutFragmentAndCredentials(URI uri) {
    String text = uri.toString();
    // URI.resolve writes file:/x for file:///x; keep the usual form, as pip and browsers do
    if ("file".equalsIgnoreCase(uri.getScheme())
        && uri.getRawAuthority() == null
        && text.length() > 5
        && text.charAt(5) == '/'
        && !text.startsWith("//", 5)) {
      text = "file://" + text.substring(5);
      uri = URI.create(text);
    }
    if (uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
      return uri;
    }
    int hash = text.indexOf('#');
    if (hash >= 0) {
      text = text.substring(0, hash);
    }
    URI plain = URI.create(text);
    if (plain.getRawUserInfo() != null) {
      plain = Credentials.strip(plain);
    }
    return plain;
  }

  private static boolean isHex(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      if (!isHexDigit(value.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isTagNameChar(char c) {
    return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '-' || c == ':' || c == '_';
  }

  private static boolean isHtmlSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
  }

  private static int indexOfIgnoreCase(String text, String needle, int from) {
    for (int i = from; i + needle.length() <= text.length(); i++) {
      if (text.regionMatches(true, i, needle, 0, needle.length())) {
        return i;
      }
    }
    return -1;
  }

  static String percentDecode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%'
          && i + 2 < text.length()
          && isHexDigit(text.charAt(i + 1))
          && isHexDigit(text.charAt(i + 2))) {
        bytes.write(
            Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
        i += 2;
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------------------------------------
  // HTML character references

  /** HTML character reference decoding exactly as Python's {@code html.unescape}. */
  static String unescape(String text) {
    return HtmlEntities.unescape(text);
  }
}
