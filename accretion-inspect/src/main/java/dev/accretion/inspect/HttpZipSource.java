package dev.accretion.inspect;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A remote zip read with HTTP range requests ({@code Range: bytes=a-b}, RFC 9110 section 14), for
 * example the presigned S3 URL Lambda returns as a layer version's or function's content location.
 * The first request asks for the last {@value #TAIL_BYTES} bytes (the end of central directory
 * record and, for most layers, the whole central directory) and learns the size from {@code
 * Content-Range}; later requests fetch only the ranges asked for.
 *
 * <p>A server that ignores ranges (answers 200 with the whole body) is read once to the end into a
 * temporary file, which is deleted on {@link #close}; {@link #downloadedWhole()} then says so.
 *
 * <p>Messages name the {@linkplain #label() label} and the URL's host, never its query (a presigned
 * URL's query is a credential). Thread-safe.
 */
public final class HttpZipSource implements ZipSource {
  /**
   * Bytes asked for in the first request, from the end of the zip: more than the end record with
   * the longest comment (65,557 bytes), so one request finds it, and most central directories.
   */
  static final int TAIL_BYTES = 128 << 10;

  /** The largest zip read whole when a server ignores ranges (Lambda's own limits are lower). */
  static final long MAX_WHOLE_BYTES = 1L << 30;

  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)", Pattern.CASE_INSENSITIVE);
  private static final int ATTEMPTS = 3;

  private final HttpClient client;
  private final URI uri;
  private final String label;
  private final long size;
  private final long tailStart;
  private final byte[] tail;
  private final FileZipSource whole;
  private final Path wholeFile;
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicInteger requests = new AtomicInteger();

  private HttpZipSource(
      HttpClient client,
      URI uri,
      String label,
      long size,
      long tailStart,
      byte[] tail,
      Path wholeFile,
      FileZipSource whole) {
    this.client = client;
    this.uri = uri;
    this.label = label;
    this.size = size;
    this.tailStart = tailStart;
    this.tail = tail;
    this.wholeFile = wholeFile;
    this.whole = whole;
  }

  /** A client fit for content locations: redirects followed, 10 s to connect. */
  public static HttpClient defaultClient() {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  /**
   * Opens the zip at {@code uri} with one request for its last bytes.
   *
   * @param label how messages name it (e.g. the layer version ARN); null for the URL without query
   * @throws AccretionException {@link FailureKind#UNREACHABLE} if the server cannot be reached or
   *     refuses (a presigned location that expired answers 403), {@link FailureKind#NOT_FOUND} for
   *     404, {@link FailureKind#BAD_INPUT} if the answer is not a usable file
   */
  public static HttpZipSource open(HttpClient client, URI uri, String label)
      throws AccretionException {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(uri, "uri");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    String name = label == null ? withoutQuery(uri) : label;
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new AccretionException(
          FailureKind.UNREACHABLE,
          name + ": the content location '" + withoutQuery(uri) + "' is not an http(s) URL",
          "Lambda returns a presigned https URL; an emulator may not serve layer content",
          null);
    }
    AtomicLong counted = new AtomicLong();
    AtomicInteger made = new AtomicInteger();
    HttpResponse<InputStream> response = send(client, uri, "bytes=-" + TAIL_BYTES, name, made);
    int status = response.statusCode();
    try (InputStream body = response.body()) {
      if (status == 206) {
        Range range = contentRange(response, name);
        byte[] data = readExactly(body, range.length(), name);
        counted.addAndGet(data.length);
        HttpZipSource source =
            new HttpZipSource(client, uri, name, range.total, range.first, data, null, null);
        source.bytesRead.set(counted.get());
        source.requests.set(made.get());
        return source;
      }
      if (status == 200) {
        // The server ignores Range: the body is the whole file. Keep it, once.
        long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
        if (declared > MAX_WHOLE_BYTES) {
          throw new AccretionException(
              FailureKind.TOO_LARGE,
              name + " is " + declared + " bytes and its server does not serve byte ranges",
              "download it and inspect the file",
              null);
        }
        Path file = Files.createTempFile("accretion-inspect-", ".zip");
        try (OutputStream out = Files.newOutputStream(file)) {
          long n = copyBounded(body, out, name);
          counted.addAndGet(n);
        } catch (IOException | AccretionException | RuntimeException e) {
          Files.deleteIfExists(file);
          throw e;
        }
        FileZipSource local = FileZipSource.open(file, name);
        HttpZipSource source =
            new HttpZipSource(client, uri, name, local.size(), 0, new byte[0], file, local);
        source.bytesRead.set(counted.get());
        source.requests.set(made.get());
        return source;
      }
      if (status == 416) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            name + " is empty (HTTP 416 for its last bytes)",
            "an empty file is not a zip: check what was uploaded",
            null);
      }
      throw failure(status, name, uri);
    } catch (IOException e) {
      throw unreachable(name, uri, e);
    }
  }

  /** Whether the server ignored ranges and the zip was downloaded whole. */
  public boolean downloadedWhole() {
    return whole != null;
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public byte[] read(long position, int length) throws AccretionException {
    if (position < 0 || length < 0 || position + length > size) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          label + ": bytes " + position + "+" + length + " lie outside the zip (" + size + ")",
          "the zip is truncated or damaged",
          null);
    }
    if (whole != null) {
      return whole.read(position, length);
    }
    if (length == 0) {
      return new byte[0];
    }
    if (position >= tailStart) {
      int from = (int) (position - tailStart);
      return Arrays.copyOfRange(tail, from, from + length);
    }
    long last = position + length - 1;
    HttpResponse<InputStream> response =
        send(client, uri, "bytes=" + position + "-" + last, label, requests);
    try (InputStream body = response.body()) {
      if (response.statusCode() != 206) {
        if (response.statusCode() == 200) {
          throw new AccretionException(
              FailureKind.UNREACHABLE,
              label + ": the server stopped serving byte ranges (HTTP 200 for a range)",
              "run again; if it persists, download the zip and inspect the file",
              null);
        }
        throw failure(response.statusCode(), label, uri);
      }
      Range range = contentRange(response, label);
      if (range.first != position || range.length() != length) {
        throw new AccretionException(
            FailureKind.UNREACHABLE,
            label
                + ": asked for bytes "
                + position
                + "-"
                + last
                + ", got "
                + range.first
                + "-"
                + (range.first + range.length() - 1),
            "the server does not serve byte ranges correctly; download the zip and inspect the"
                + " file",
            null);
      }
      byte[] data = readExactly(body, length, label);
      bytesRead.addAndGet(data.length);
      return data;
    } catch (IOException e) {
      throw unreachable(label, uri, e);
    }
  }

  @Override
  public long bytesRead() {
    return bytesRead.get();
  }

  @Override
  public int requests() {
    return requests.get();
  }

  @Override
  public boolean remote() {
    return whole == null;
  }

  @Override
  public void close() {
    if (whole != null) {
      whole.close();
      try {
        Files.deleteIfExists(wholeFile);
      } catch (IOException e) {
        // a temporary file: the OS cleans it up
      }
    }
  }

  private record Range(long first, long last, long total) {
    int length() {
      return (int) (last - first + 1);
    }
  }

  private static Range contentRange(HttpResponse<?> response, String name)
      throws AccretionException {
    Optional<String> header = response.headers().firstValue("content-range");
    Matcher m = CONTENT_RANGE.matcher(header.orElse(""));
    if (!m.matches() || m.group(3).equals("*")) {
      throw new AccretionException(
          FailureKind.UNREACHABLE,
          name
              + ": the server answered a range request without a usable Content-Range ("
              + header.orElse("none")
              + ")",
          "download the zip and inspect the file",
          null);
    }
    long first = Long.parseLong(m.group(1));
    long last = Long.parseLong(m.group(2));
    long total = Long.parseLong(m.group(3));
    if (last < first || last >= total || last - first >= Integer.MAX_VALUE) {
      throw new AccretionException(
          FailureKind.UNREACHABLE,
          name + ": the server's Content-Range '" + header.get() + "' is inconsistent",
          "download the zip and inspect the file",
          null);
    }
    return new Range(first, last, total);
  }

  private static HttpResponse<InputStream> send(
      HttpClient client, URI uri, String range, String name, AtomicInteger requests)
      throws AccretionException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .GET()
            .header("Range", range)
            .timeout(Duration.ofSeconds(60))
            .build();
    IOException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      requests.incrementAndGet();
      try {
        HttpResponse<InputStream> response =
            client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 500 && attempt < ATTEMPTS) {
          response.body().close();
          pause(attempt);
          continue;
        }
        return response;
      } catch (IOException e) {
        last = e;
        if (attempt < ATTEMPTS) {
          pause(attempt);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AccretionException(FailureKind.FAILED, name + ": interrupted", e);
      }
    }
    throw unreachable(name, uri, last);
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(200L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] readExactly(InputStream in, int length, String name)
      throws IOException, AccretionException {
    byte[] data = in.readNBytes(length);
    if (data.length != length) {
      throw new AccretionException(
          FailureKind.UNREACHABLE,
          name + ": the connection ended after " + data.length + " of " + length + " bytes",
          "run again",
          null);
    }
    return data;
  }

  private static long copyBounded(InputStream in, OutputStream out, String name)
      throws IOException, AccretionException {
    byte[] buffer = new byte[64 << 10];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      total += n;
      if (total > MAX_WHOLE_BYTES) {
        throw new AccretionException(
            FailureKind.TOO_LARGE,
            name
                + " is larger than "
                + MAX_WHOLE_BYTES
                + " bytes and its server does not serve byte ranges",
            "download it and inspect the file",
            null);
      }
      out.write(buffer, 0, n);
    }
    return total;
  }

  private static AccretionException failure(int status, String name, URI uri) {
    String where = " from " + uri.getHost();
    if (status == 404) {
      return new AccretionException(
          FailureKind.NOT_FOUND,
          name + ": the content is gone (HTTP 404" + where + ")",
          "check that the layer version or function still exists",
          null);
    }
    if (status == 403 || status == 401) {
      return new AccretionException(
          FailureKind.UNREACHABLE,
          name + ": reading the content was refused (HTTP " + status + where + ")",
          "Lambda's content locations expire after 10 minutes: run the command again",
          null);
    }
    return new AccretionException(
        FailureKind.UNREACHABLE,
        name + ": reading the content failed (HTTP " + status + where + ")",
        "run again later",
        null);
  }

  private static AccretionException unreachable(String name, URI uri, IOException e) {
    return new AccretionException(
        FailureKind.UNREACHABLE,
        name
            + ": the content at "
            + uri.getHost()
            + " cannot be read ("
            + (e == null ? "no answer" : e.getClass().getSimpleName() + ": " + e.getMessage())
            + ")",
        "check the network connection and run again",
        e);
  }

  /** The URL without its query (which, for a presigned URL, is a credential). */
  static String withoutQuery(URI uri) {
    String s = uri.toString();
    int q = s.indexOf('?');
    return q < 0 ? s : s.substring(0, q);
  }
}
