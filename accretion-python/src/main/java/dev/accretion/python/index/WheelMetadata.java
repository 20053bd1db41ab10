package dev.accretion.python.index;

import java.util.Objects;

/**
 * The raw bytes of a wheel's {@code *.dist-info/METADATA}, and how they were obtained.
 *
 * @param file the wheel
 * @param source how the bytes were read
 * @param bytesTransferred bytes received over the network to get them (0 for local files)
 */
public record WheelMetadata(IndexFile file, byte[] bytes, Source source, long bytesTransferred) {
  /** How the METADATA was obtained. */
  public enum Source {
    /** The index's PEP 658 {@code <url>.metadata} file. */
    METADATA_FILE,
    /** HTTP range reads of the zip's tail, central directory and the METADATA member. */
    RANGE_READ,
    /** The whole wheel was downloaded (the server ignored {@code Range}). */
    FULL_DOWNLOAD,
    /** The wheel was read from the local disk ({@code file://}). */
    LOCAL_FILE
  }

  public WheelMetadata {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(source, "source");
    bytes = bytes.clone();
  }

  /** A copy of the METADATA bytes. */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }
}
