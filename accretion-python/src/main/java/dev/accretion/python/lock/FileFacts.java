package dev.accretion.python.lock;

import dev.accretion.core.AccretionException;
import dev.accretion.python.index.IndexFile;
import dev.accretion.python.index.SimpleIndexClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a file's sha256 and size when the index page didn't give them: reads local ({@code
 * file://}) files directly. Remote files without an index hash are refused with a clear message (a
 * lock without hashes would not be enforceable).
 */
public final class FileFacts implements PylockWriter.FileFacts {
  @SuppressWarnings("unused")
  private final SimpleIndexClient client;

  public FileFacts(SimpleIndexClient client) {
    this.client = client;
  }

  @Override
  public String sha256(IndexFile file) throws AccretionException {
    Path path = local(file);
    try {
      return dev.accretion.core.FileDigests.sha256Hex(path);
    } catch (IOException e) {
      throw new AccretionException("cannot read " + path + " to hash it: " + e.getMessage(), e);
    }
  }

  @Override
  public long size(IndexFile file) throws AccretionException {
    Path path = local(file);
    try {
      return Files.size(path);
    } catch (IOException e) {
      throw new AccretionException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private static Path local(IndexFile file) throws AccretionException {
    if (!"file".equalsIgnoreCase(file.url().getScheme())) {
      throw new AccretionException(
          "the index "
              + file.index()
              + " gives no sha256 for "
              + file.filename()
              + "; a lock must pin every file by hash. Use an index that publishes hashes"
              + " (PEP 503 #sha256= fragments or PEP 691 JSON).");
    }
    return Path.of(file.url());
  }
}
