package dev.accretion.python.index;

import dev.accretion.core.io.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;

/**
 * An on-disk HTTP cache for index pages, keyed by URL and {@code Accept} header: the body plus what
 * is needed to reuse or revalidate it ({@code ETag}, {@code Last-Modified}, {@code Cache-Control:
 * max-age}, {@code no-cache}). Entries are written to a temporary file and moved into place
 * atomically, so any number of threads and processes may share a folder; a body whose digest does
 * not match its record is treated as missing.
 */
final class HttpCache {
  /** A cached response. */
  record Entry(
      URI url,
      URI finalUrl,
      String contentType,
      String etag,
      String lastModified,
      Instant storedAt,
      long maxAgeSeconds,
      boolean noCache,
      byte[] body) {

    boolean isFresh(Instant now) {
      return !noCache && maxAgeSeconds > 0 && now.isBefore(storedAt.plusSeconds(maxAgeSeconds));
    }

    boolean canRevalidate() {
      return etag != null || lastModified != null;
    }
  }

  /** What a response's {@code Cache-Control} header asks for. */
  record Directives(long maxAgeSeconds, boolean noStore, boolean noCache) {
    static Directives parse(String header, String ageHeader) {
      long maxAge = -1;
      boolean noStore = false;
      boolean noCache = false;
      if (header != null) {
        for (String part : header.split(",")) {
          String directive = part.strip().toLowerCase(Locale.ROOT);
          if (directive.equals("no-store")) {
            noStore = true;
          } else if (directive.equals("no-cache") || directive.startsWith("no-cache=")) {
            noCache = true;
          } else if (directive.startsWith("max-age=")) {
            try {
              maxAge = Long.parseLong(directive.substring(8).replace("\"", "").strip());
            } catch (NumberFormatException e) {
              // RFC 9111 5.2.2.1: an invalid max-age means the response is stale
              maxAge = 0;
            }
          }
        }
      }
      if (maxAge > 0 && ageHeader != null) {
        try {
          maxAge = Math.max(0, maxAge - Long.parseLong(ageHeader.strip()));
        } catch (NumberFormatException e) {
          // an unreadable Age is ignored
        }
      }
      return new Directives(maxAge, noStore, noCache);
    }
  }

  private final Path dir;

  HttpCache(Path dir) {
    this.dir = dir.resolve("http-v1");
  }

  Entry get(URI url, String accept) {
    Path meta = dir.resolve(key(url, accept) + ".meta");
    Path body = dir.resolve(key(url, accept) + ".body");
    try {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
      byte[] bytes = Files.readAllBytes(body);
      if (!sha256(bytes).equals(properties.getProperty("sha256"))
          || !url.toString().equals(properties.getProperty("url"))) {
        return null;
      }
      return new Entry(
          url,
          URI.create(properties.getProperty("finalUrl")),
          properties.getProperty("contentType"),
          properties.getProperty("etag"),
          properties.getProperty("lastModified"),
          Instant.ofEpochMilli(Long.parseLong(properties.getProperty("storedAt"))),
          Long.parseLong(properties.getProperty("maxAge")),
          Boolean.parseBoolean(properties.getProperty("noCache")),
          bytes);
    } catch (IOException | RuntimeException e) {
      // missing or damaged: fetch again
      return null;
    }
  }

  void put(Entry entry, String accept) throws IOException {
    Files.createDirectories(dir);
    String key = key(entry.url(), accept);
    Properties properties = new Properties();
    properties.setProperty("url", entry.url().toString());
    properties.setProperty("finalUrl", entry.finalUrl().toString());
    if (entry.contentType() != null) {
      properties.setProperty("contentType", entry.contentType());
    }
    if (entry.etag() != null) {
      properties.setProperty("etag", entry.etag());
    }
    if (entry.lastModified() != null) {
      properties.setProperty("lastModified", entry.lastModified());
    }
    properties.setProperty("storedAt", Long.toString(entry.storedAt().toEpochMilli()));
    properties.setProperty("maxAge", Long.toString(entry.maxAgeSeconds()));
    properties.setProperty("noCache", Boolean.toString(entry.noCache()));
    properties.setProperty("sha256", sha256(entry.body()));
    StringWriter text = new StringWriter();
    properties.store(text, null);
    // body first: a reader that sees the new record also sees a body whose digest it can check
    write(dir.resolve(key + ".body"), entry.body());
    write(dir.resolve(key + ".meta"), text.toString().getBytes(StandardCharsets.UTF_8));
  }

  void remove(URI url, String accept) {
    try {
      Files.deleteIfExists(dir.resolve(key(url, accept) + ".meta"));
    } catch (IOException e) {
      // a stale record that cannot be deleted is revalidated next time anyway
    }
  }

  private void write(Path target, byte[] bytes) throws IOException {
    // a page cache: what is read back is checked against its digest, so no fsync is needed
    AtomicFiles.writeUnforced(target, bytes);
  }

  private static String key(URI url, String accept) {
    return sha256((url + "\n" + accept).getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
