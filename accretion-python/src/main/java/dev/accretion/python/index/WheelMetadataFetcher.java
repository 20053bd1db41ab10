package dev.accretion.python.index;

import dev.accretion.core.io.AtomicFiles;
import dev.accretion.python.ParseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a wheel's {@code *.dist-info/METADATA} without downloading the wheel when it can:
 *
 * <ol>
 *   <li>the index's PEP 658 metadata file ({@code <url>.metadata}) when the index offers one, its
 *       hash checked when the index gave one (a missing file falls through to the next ways);
 *   <li>for {@code file://} wheels, the zip read in place on disk;
 *   <li>for {@code http(s)://} wheels, HTTP range reads: the tail ({@code Range: bytes=-N}) for the
 *       end of central directory record (ZIP64 and comments handled), the central directory, then
 *       the METADATA member's local header and data, inflated and CRC-checked;
 *   <li>when the server ignores {@code Range}, the whole wheel, downloaded into the download folder
 *       (kept, and reused next time) or a temporary file (deleted), its hash checked.
 * </ol>
 *
 * <p>Each wheel's metadata is read at most once per fetcher (memoized). Thread-safe; {@link
 * #fetchAsync} runs on the client's threads.
 */
public final class WheelMetadataFetcher {
  /** The largest METADATA accepted (compressed or not). */
  static final long MAX_METADATA_BYTES = 16L << 20;

  /** The largest central directory accepted. */
  static final long MAX_CENTRAL_DIRECTORY_BYTES = 64L << 20;

  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes\\s+([0-9]+)-([0-9]+)/([0-9]+|\\*)", Pattern.CASE_INSENSITIVE);

  private static final Map<String, String> DIGESTS =
      Map.of(
          "md5", "MD5",
          "sha1", "SHA-1",
          "sha224", "SHA-224",
          "sha256", "SHA-256",
          "sha384", "SHA-384",
          "sha512", "SHA-512");

  private final SimpleIndexClient client;
  private final HttpTransport transport;
  private final IndexListener listener;
  private final Path downloadDir;
  private final ConcurrentHashMap<URI, CompletableFuture<WheelMetadata>> results =
      new ConcurrentHashMap<>();

  /**
   * A fetcher that uses the client's connections, credentials and listener; full downloads go to
   * temporary files.
   */
  public WheelMetadataFetcher(SimpleIndexClient client) {
    this(client, null);
  }

  /**
   * A fetcher whose full downloads are kept in {@code downloadDir} as {@code <filename>} (and
   * reused when their hash still matches).
   *
   * @param downloadDir a folder, created when needed; null for temporary files
   */
  public WheelMetadataFetcher(SimpleIndexClient client, Path downloadDir) {
    this.client = Objects.requireNonNull(client, "client");
    this.transport = client.transport();
    this.listener = client.listener();
    this.downloadDir = downloadDir;
  }

  /**
   * The raw bytes of the wheel's METADATA.
   *
   * @throws IndexException when the wheel or its metadata cannot be read, a hash does not match, or
   *     the file is not a valid wheel (the message names the file and URL)
   */
  public byte[] fetchMetadata(IndexFile file) throws IndexException {
    return fetch(file).bytes();
  }

  /** Like {@link #fetchMetadata}, also saying how the bytes were obtained. */
  public WheelMetadata fetch(IndexFile file) throws IndexException {
    try {
      return SimpleIndexClient.await(fetchAsync(file));
    } catch (ParseException e) {
      throw new IndexException(e.getMessage(), e);
    }
  }

  /** Like {@link #fetch}, without blocking; the future fails with an {@link IndexException}. */
  public CompletableFuture<WheelMetadata> fetchAsync(IndexFile file) {
    Objects.requireNonNull(file, "file");
    return results.computeIfAbsent(
        file.url(),
        url ->
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    WheelMetadata metadata = read(file);
                    listener.metadataRead(file, metadata.source(), metadata.bytesTransferred());
                    return metadata;
                  } catch (IndexException e) {
                    throw new CompletionException(e);
                  }
                },
                client.executor()));
  }

  private WheelMetadata read(IndexFile file) throws IndexException {
    if (!file.isWheel()) {
      throw new IndexException(
          file.filename()
              + " ("
              + file.url()
              + ") is not a wheel; only wheels carry a METADATA file that can be read without building");
    }
    if (file.hasMetadataFile()) {
      Optional<WheelMetadata> fromFile = viaMetadataFile(file);
      if (fromFile.isPresent()) {
        return fromFile.get();
      }
    }
    String scheme = file.url().getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("file")) {
      return local(file);
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IndexException(
          "cannot read " + file.url() + ": only http(s) and file URLs are supported");
    }
    if (downloadDir != null) {
      // an earlier full download kept in the folder answers without any request
      Path kept = downloadDir.resolve(file.filename());
      try {
        if (Files.isRegularFile(kept) && matchesHashes(kept, file)) {
          return readDownloaded(file, kept, 0);
        }
      } catch (IOException e) {
        // unreadable: download again
      }
    }
    return viaRanges(file);
  }

  // ---------------------------------------------------------------------------------------------
  // 1. PEP 658

  private Optional<WheelMetadata> viaMetadataFile(IndexFile file) throws IndexException {
    URI url = file.metadataUrl().orElseThrow();
    byte[] bytes;
    long transferred = 0;
    if (url.getScheme().equalsIgnoreCase("file")) {
      try {
        bytes = Files.readAllBytes(Path.of(url));
      } catch (NoSuchFileException e) {
        warnMissingMetadataFile(file, url, "no such file");
        return Optional.empty();
      } catch (IOException | IllegalArgumentException e) {
        throw new IndexException("cannot read metadata file " + url + ": " + e, e);
      }
    } else {
      Optional<HttpTransport.Page> page =
          transport.getPage(url, "*/*", site(file), MAX_METADATA_BYTES);
      if (page.isEmpty()) {
        warnMissingMetadataFile(file, url, "HTTP 404");
        return Optional.empty();
      }
      bytes = page.get().body();
      if (page.get().origin() == IndexListener.PageOrigin.NETWORK) {
        transferred = bytes.length;
      }
    }
    for (Map.Entry<String, String> hash : file.metadataHashes().entrySet()) {
      String algorithm = DIGESTS.get(hash.getKey());
      if (algorithm == null) {
        continue;
      }
      String actual = HexFormat.of().formatHex(digest(algorithm).digest(bytes));
      if (!actual.equals(hash.getValue())) {
        throw new IndexException(
            "metadata file "
                + url
                + " has "
                + hash.getKey()
                + " "
                + actual
                + " but index "
                + file.index()
                + " says "
                + hash.getValue()
                + "; the index or a proxy serves a wrong file, do not trust it");
      }
    }
    return Optional.of(
        new WheelMetadata(file, bytes, WheelMetadata.Source.METADATA_FILE, transferred));
  }

  private void warnMissingMetadataFile(IndexFile file, URI url, String why) {
    listener.warning(
        "index "
            + file.index()
            + " offers a metadata file for "
            + file.filename()
            + " but "
            + url
            + " is missing ("
            + why
            + "); reading the wheel instead");
  }

  // ---------------------------------------------------------------------------------------------
  // 2. file://

  private WheelMetadata local(IndexFile file) throws IndexException {
    Path path;
    try {
      path = Path.of(file.url());
    } catch (IllegalArgumentException e) {
      throw new IndexException("cannot read " + file.url() + ": not a local file URL", e);
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      byte[] bytes = readZip(new FileSource(channel), file);
      return new WheelMetadata(file, bytes, WheelMetadata.Source.LOCAL_FILE, 0);
    } catch (NoSuchFileException e) {
      throw new IndexException(
          "wheel "
              + path
              + " listed by "
              + file.index()
              + " does not exist; the index is out of date",
          e);
    } catch (IOException e) {
      throw new IndexException("cannot read wheel " + path + ": " + e, e);
    }
  }

  private byte[] readZip(WheelZip.ByteSource source, IndexFile file)
      throws IOException, IndexException {
    WheelZip zip =
        new WheelZip(
            source,
            file.filename() + " (" + file.url() + ")",
            MAX_CENTRAL_DIRECTORY_BYTES,
            MAX_METADATA_BYTES);
    return zip.readMetadata(file.filename());
  }

  private static final class FileSource implements WheelZip.ByteSource {
    private final FileChannel channel;
    private final long size;

    FileSource(FileChannel channel) throws IOException {
      this.channel = channel;
      this.size = channel.size();
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public byte[] read(long offset, int length) throws IOException {
      ByteBuffer buffer = ByteBuffer.allocate(length);
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, offset + buffer.position());
        if (n < 0) {
          throw new IOException("unexpected end of file at " + (offset + buffer.position()));
        }
      }
      return buffer.array();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 3. HTTP range reads

  /** Thrown by a range read that got a whole file (200) instead of a part: fall back. */
  private static final class RangeIgnored extends IOException {
    private static final long serialVersionUID = 1L;

    RangeIgnored() {
      super("the server ignored the Range header", null);
    }
  }

  private WheelMetadata viaRanges(IndexFile file) throws IndexException {
    HttpTransport.Site site = site(file);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Range", "bytes=-" + WheelZip.TAIL_FOR_EOCD);
    headers.put("Accept-Encoding", "identity");
    HttpTransport.Response response = transport.open(file.url(), headers, site);
    HttpRangeSource source;
    try (InputStream body = response.body()) {
      if (response.status() == 200) {
        // Range not supported: what arrives is the whole wheel, so keep it.
        return fullDownload(file, response);
      }
      if (response.status() == 404 || response.status() == 410) {
        throw notFound(file, response.status());
      }
      if (response.status() == 416) {
        // an empty file (no suffix to give), or a server that rejects suffix ranges
        return fullDownload(file, null);
      }
      if (response.status() != 206) {
        throw transport.statusError(response, site);
      }
      long[] range = contentRange(response, file);
      int length = (int) (range[1] - range[0] + 1);
      byte[] tail = readExactly(body, length, file);
      source = new HttpRangeSource(file, site, range[2]);
      source.add(range[0], tail);
    } catch (IOException e) {
      throw HttpTransport.unreachable(
          site, file.url(), "the connection broke while reading the answer (" + e + ")", e);
    }
    try {
      byte[] bytes = readZip(source, file);
      return new WheelMetadata(file, bytes, WheelMetadata.Source.RANGE_READ, source.transferred);
    } catch (RangeIgnored e) {
      return fullDownload(file, null);
    } catch (IOException e) {
      throw HttpTransport.unreachable(
          site, file.url(), "the connection broke while reading the answer (" + e + ")", e);
    }
  }

  private long[] contentRange(HttpTransport.Response response, IndexFile file)
      throws IndexException {
    String header = response.header("Content-Range").orElse("");
    Matcher m = CONTENT_RANGE.matcher(header.strip());
    if (!m.matches() || m.group(3).equals("*")) {
      throw new IndexException(
          "HTTP 206 from " + file.url() + " with an unusable Content-Range '" + header + "'");
    }
    long start = Long.parseLong(m.group(1));
    long end = Long.parseLong(m.group(2));
    long total = Long.parseLong(m.group(3));
    if (start > end || end >= total || end - start + 1 > Integer.MAX_VALUE - 64) {
      throw new IndexException(
          "HTTP 206 from " + file.url() + " with an impossible Content-Range '" + header + "'");
    }
    return new long[] {start, end, total};
  }

  private static byte[] readExactly(InputStream body, int length, IndexFile file)
      throws IOException, IndexException {
    byte[] bytes = body.readNBytes(length);
    if (bytes.length != length) {
      throw new IndexException(
          "the answer from "
              + file.url()
              + " ended after "
              + bytes.length
              + " of "
              + length
              + " bytes");
    }
    return bytes;
  }

  private final class HttpRangeSource implements WheelZip.ByteSource {
    private final IndexFile file;
    private final HttpTransport.Site site;
    private final long size;
    private final List<long[]> starts = new ArrayList<>();
    private final List<byte[]> segments = new ArrayList<>();
    long transferred;

    HttpRangeSource(IndexFile file, HttpTransport.Site site, long size) {
      this.file = file;
      this.site = site;
      this.size = size;
    }

    void add(long start, byte[] bytes) {
      starts.add(new long[] {start});
      segments.add(bytes);
      transferred += bytes.length;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public byte[] read(long offset, int length) throws IOException, IndexException {
      if (offset < 0 || length < 0 || offset + length > size) {
        throw new IndexException(
            "wheel "
                + file.url()
                + " is not a valid wheel: a read at "
                + offset
                + "+"
                + length
                + " runs past its "
                + size
                + " bytes");
      }
      for (int i = 0; i < segments.size(); i++) {
        long start = starts.get(i)[0];
        byte[] segment = segments.get(i);
        if (offset >= start && offset + length <= start + segment.length) {
          byte[] out = new byte[length];
          System.arraycopy(segment, (int) (offset - start), out, 0, length);
          return out;
        }
      }
      if (length == 0) {
        return new byte[0];
      }
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Range", "bytes=" + offset + "-" + (offset + length - 1));
      headers.put("Accept-Encoding", "identity");
      HttpTransport.Response response = transport.open(file.url(), headers, site);
      try (InputStream body = response.body()) {
        if (response.status() == 200) {
          throw new RangeIgnored();
        }
        if (response.status() != 206) {
          throw transport.statusError(response, site);
        }
        long[] range = contentRange(response, file);
        if (range[0] != offset || range[1] != offset + length - 1 || range[2] != size) {
          throw new IndexException(
              "HTTP 206 from "
                  + file.url()
                  + " answered bytes "
                  + range[0]
                  + "-"
                  + range[1]
                  + "/"
                  + range[2]
                  + " to a request for "
                  + offset
                  + "-"
                  + (offset + length - 1)
                  + "/"
                  + size);
        }
        byte[] bytes = readExactly(body, length, file);
        add(offset, bytes);
        return bytes;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 4. full download

  /**
   * Downloads the whole wheel (reading {@code open}'s body when a 200 answer is already open) and
   * reads METADATA from it.
   */
  private WheelMetadata fullDownload(IndexFile file, HttpTransport.Response open)
      throws IndexException {
    HttpTransport.Site site = site(file);
    Path target = downloadDir == null ? null : downloadDir.resolve(file.filename());
    try {
      if (target != null && Files.isRegularFile(target) && matchesHashes(target, file)) {
        if (open != null) {
          HttpTransport.closeQuietly(open.body());
        }
        return readDownloaded(file, target, 0);
      }
      HttpTransport.Response response = open;
      if (response == null) {
        response = transport.open(file.url(), Map.of("Accept-Encoding", "identity"), site);
      }
      Path temp;
      long transferred;
      try (InputStream body = response.body()) {
        if (response.status() == 404 || response.status() == 410) {
          throw notFound(file, response.status());
        }
        if (response.status() != 200) {
          throw transport.statusError(response, site);
        }
        Path folder = downloadDir;
        if (folder != null) {
          Files.createDirectories(folder);
          temp = Files.createTempFile(folder, ".download-", ".part");
        } else {
          temp = Files.createTempFile("accretion-wheel-", ".whl");
        }
        try (OutputStream out = Files.newOutputStream(temp)) {
          transferred = body.transferTo(out);
        }
      }
      try {
        checkHashes(temp, file);
        if (target == null) {
          return readDownloaded(file, temp, transferred);
        }
        AtomicFiles.move(temp, target);
        return readDownloaded(file, target, transferred);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw HttpTransport.unreachable(site, file.url(), "the download failed (" + e + ")", e);
    }
  }

  private WheelMetadata readDownloaded(IndexFile file, Path path, long transferred)
      throws IOException, IndexException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      byte[] bytes = readZip(new FileSource(channel), file);
      return new WheelMetadata(file, bytes, WheelMetadata.Source.FULL_DOWNLOAD, transferred);
    }
  }

  private boolean matchesHashes(Path path, IndexFile file) throws IOException {
    Map<String, String> actual = digests(path, file.hashes().keySet());
    if (actual.isEmpty()) {
      // nothing to compare with: a cached copy without a hash cannot be trusted to be current
      return false;
    }
    for (Map.Entry<String, String> entry : actual.entrySet()) {
      if (!entry.getValue().equals(file.hashes().get(entry.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private void checkHashes(Path path, IndexFile file) throws IOException, IndexException {
    Map<String, String> actual = digests(path, file.hashes().keySet());
    for (Map.Entry<String, String> entry : actual.entrySet()) {
      String expected = file.hashes().get(entry.getKey());
      if (!entry.getValue().equals(expected)) {
        throw new IndexException(
            "wheel "
                + file.url()
                + " has "
                + entry.getKey()
                + " "
                + entry.getValue()
                + " but index "
                + file.index()
                + " says "
                + expected
                + "; the download is corrupt or the file was replaced, do not use it");
      }
    }
  }

  private static Map<String, String> digests(Path path, java.util.Set<String> names)
      throws IOException {
    Map<String, MessageDigest> digests = new LinkedHashMap<>();
    for (String name : names) {
      String algorithm = DIGESTS.get(name);
      if (algorithm != null) {
        digests.put(name, digest(algorithm));
      }
    }
    if (digests.isEmpty()) {
      return Map.of();
    }
    try (InputStream in = Files.newInputStream(path)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        for (MessageDigest digest : digests.values()) {
          digest.update(buffer, 0, n);
        }
      }
    }
    Map<String, String> hex = new LinkedHashMap<>();
    digests.forEach((name, digest) -> hex.put(name, HexFormat.of().formatHex(digest.digest())));
    return hex;
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this JDK", e);
    }
  }

  private static IndexException notFound(IndexFile file, int status) {
    return new IndexException(
        "wheel "
            + file.url()
            + " listed by "
            + file.index()
            + " is not there (HTTP "
            + status
            + "); the index is out of date or the file was removed");
  }

  private static HttpTransport.Site site(IndexFile file) {
    URI url = file.url();
    URI host = URI.create(url.getScheme() + "://" + url.getRawAuthority() + "/");
    return new HttpTransport.Site(
        "file host",
        host,
        "check the network and try again (the file is listed by " + file.index() + ")");
  }
}
