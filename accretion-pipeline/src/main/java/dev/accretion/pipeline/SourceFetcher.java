package dev.accretion.pipeline;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.cache.Cache;
import dev.accretion.core.cache.CacheException;
import dev.accretion.core.cache.DigestMismatchException;
import dev.accretion.core.io.AtomicFiles;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.Digest;
import dev.accretion.pipeline.spi.PackageSource;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Brings a package file into the content-addressed cache, once, verified against every digest its
 * source promises:
 *
 * <ul>
 *   <li>a sha256 names the blob: a cache hit costs no download; a miss is downloaded through the
 *       session under the blob's lock (one download per digest across threads and processes), the
 *       cache checking the sha256 and the other digests checked while the bytes stream by;
 *   <li>a source known only by another digest (an npm lock's sha512, a Maven sha1) is found through
 *       the cache's alias index without a download, or downloaded, checked and stored, its alias
 *       recorded for the next build;
 *   <li>a source that promises nothing (a find-links folder) is stored as it comes, with a warning
 *       for a download (a local file is simply copied); its sha256 is then recorded in the lock.
 * </ul>
 *
 * A digest that does not match fails with {@link FailureKind#REFUSED}, naming the file, its URL,
 * both digests and who promised. Thread-safe.
 */
public final class SourceFetcher {
  private final Cache cache;
  private final BuildSession session;
  private final BuildListener listener;
  private final String noun;
  private final Consumer<String> warn;

  /**
   * @param noun what the builder calls its package files ("wheel"), for messages
   * @param warn receives warnings (a file without a digest)
   */
  public SourceFetcher(
      Cache cache,
      BuildSession session,
      BuildListener listener,
      String noun,
      Consumer<String> warn) {
    this.cache = cache;
    this.session = session;
    this.listener = listener;
    this.noun = noun;
    this.warn = warn;
  }

  /** Brings {@code source} into the cache (once), verified against every digest it promises. */
  public FetchedFile fetch(PackageSource source) throws AccretionException {
    String filename = source.filename();
    long size = source.size().orElse(-1);
    Optional<Digest> sha256 = source.sha256();
    List<Digest> others = new ArrayList<>();
    for (Digest d : source.digests()) {
      if (!d.algorithm().equals("sha256")) {
        others.add(d);
      }
    }
    try {
      if (sha256.isPresent()) {
        String sha = sha256.get().hex();
        Optional<Path> hit = cache.blobs().get(sha);
        Path blob;
        Checks checks = new Checks(others);
        if (hit.isPresent()) {
          blob = hit.get();
        } else {
          listener.onEvent(new PipelineEvent.FetchStarted(filename, size));
          blob =
              cache
                  .blobs()
                  .fetch(
                      sha,
                      out ->
                          session.download(
                              source,
                              checks.wrap(out),
                              n ->
                                  listener.onEvent(
                                      new PipelineEvent.FetchProgress(filename, n, size))));
        }
        if (!others.isEmpty()) {
          // a hit, or a blob another process stored meanwhile: check the other digests on it
          if (!checks.sawBytes()) {
            checks.update(blob);
          }
          verify(source, checks);
          recordAliases(checks, sha);
        }
        return finished(source, blob, sha, hit.isPresent());
      }
      if (!others.isEmpty()) {
        for (Digest d : others) {
          Optional<Path> hit = cache.blobs().getByAlias(d.algorithm(), d.hex());
          if (hit.isPresent()) {
            Checks checks = new Checks(others);
            checks.update(hit.get());
            verify(source, checks);
            return finished(source, hit.get(), hit.get().getFileName().toString(), true);
          }
        }
        listener.onEvent(new PipelineEvent.FetchStarted(filename, size));
        Checks checks = new Checks(others);
        Path blob = downloadAndStore(source, checks, size);
        String sha = blob.getFileName().toString();
        recordAliases(checks, sha);
        return finished(source, blob, sha, false);
      }
      listener.onEvent(new PipelineEvent.FetchStarted(filename, size));
      Path blob;
      if ("file".equalsIgnoreCase(source.url().getScheme())) {
        blob = cache.blobs().put(Path.of(source.url()), Optional.empty());
      } else {
        blob = downloadAndStore(source, new Checks(List.of()), size);
        warn.accept(
            filename
                + " has no digest from "
                + source.origin()
                + ", so its download could not be verified; its sha256 is recorded in the lock");
      }
      return finished(source, blob, blob.getFileName().toString(), false);
    } catch (DigestMismatchException e) {
      throw mismatch(source, "sha256", e.actualSha256(), e.expectedSha256(), e);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED,
          "could not fetch " + filename + " into the cache: " + e.getMessage(),
          e);
    }
  }

  private FetchedFile finished(PackageSource source, Path blob, String sha, boolean fromCache)
      throws AccretionException {
    long bytes;
    try {
      bytes = Files.size(blob);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED, "cannot read " + blob + ": " + e.getMessage(), e);
    }
    listener.onEvent(new PipelineEvent.FetchFinished(source.filename(), bytes, fromCache));
    return new FetchedFile(source, blob, sha, bytes);
  }

  /** Downloads into a temporary file of the cache, checks {@code checks}, stores it. */
  private Path downloadAndStore(PackageSource source, Checks checks, long size)
      throws AccretionException, IOException {
    Path temp =
        Files.createTempFile(
            cache.location().tmpDirectory(), ProcessHandle.current().pid() + "-", ".part");
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        session.download(
            source,
            checks.wrap(out),
            n -> listener.onEvent(new PipelineEvent.FetchProgress(source.filename(), n, size)));
      }
      verify(source, checks);
      return cache.blobs().put(temp, Optional.empty());
    } finally {
      AtomicFiles.deleteQuietly(temp);
    }
  }

  private void recordAliases(Checks checks, String sha256) {
    for (int i = 0; i < checks.expected.size(); i++) {
      Digest d = checks.expected.get(i);
      try {
        cache.blobs().putAlias(d.algorithm(), d.hex(), sha256);
      } catch (CacheException | IllegalArgumentException e) {
        // only a shortcut for the next build is lost
      }
    }
  }

  private void verify(PackageSource source, Checks checks) throws AccretionException {
    for (int i = 0; i < checks.expected.size(); i++) {
      Digest d = checks.expected.get(i);
      String actual = checks.actual(i);
      if (!actual.equals(d.hex())) {
        throw mismatch(source, d.algorithm(), actual, d.hex(), null);
      }
    }
  }

  private AccretionException mismatch(
      PackageSource source, String algorithm, String actual, String expected, Throwable cause) {
    return new AccretionException(
        FailureKind.REFUSED,
        noun
            + " "
            + source.filename()
            + " from "
            + source.url()
            + " has "
            + algorithm
            + " "
            + actual
            + ", but "
            + source.origin()
            + " says "
            + expected
            + "; nothing was installed",
        "the file was changed or damaged on the way: check "
            + source.origin()
            + ", or update the lock if the change is intended",
        cause);
  }

  /** Digests other than sha256, computed over the bytes as they are written or read. */
  private static final class Checks {
    final List<Digest> expected;
    private final List<MessageDigest> digests = new ArrayList<>();
    private volatile boolean sawBytes;

    Checks(List<Digest> expected) {
      this.expected = expected;
      for (Digest d : expected) {
        try {
          digests.add(MessageDigest.getInstance(d.jdkName()));
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException("the JDK has no " + d.jdkName(), e);
        }
      }
    }

    boolean sawBytes() {
      return sawBytes;
    }

    OutputStream wrap(OutputStream out) {
      if (digests.isEmpty()) {
        return out;
      }
      return new FilterOutputStream(out) {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          sawBytes = true;
          for (MessageDigest d : digests) {
            d.update(b, off, len);
          }
          out.write(b, off, len);
        }
      };
    }

    void update(Path file) throws IOException {
      for (MessageDigest d : digests) {
        d.reset();
      }
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) {
          for (MessageDigest d : digests) {
            d.update(buffer, 0, n);
          }
        }
      }
      sawBytes = true;
    }

    String actual(int i) {
      return HexFormat.of().formatHex(((MessageDigest) clone(digests.get(i))).digest());
    }

    private static Object clone(MessageDigest d) {
      try {
        return d.clone();
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
