package dev.accretion.core.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The key of a {@link SelectorIndex} entry: the sha256 (lowercase hex) of a canonical description
 * of everything that determines an artifact. Callers build it with {@link #builder()} from an
 * ordered list of named fields, and must include every input that can change the output: the
 * listing's content, the target (runtime, architecture), the options, and the builder version.
 *
 * <p>The hashed bytes are the ASCII tag {@code accretion-selector-key/1} followed by a NUL byte,
 * then for each field in order: the name's UTF-8 length as a 4-byte big-endian integer, the name,
 * the value's length as an 8-byte big-endian integer, and the value bytes (strings as UTF-8). Every
 * part is length-prefixed, so different field lists can never produce the same bytes; the order of
 * fields is part of the key. Immutable.
 */
public record SelectorKey(String sha256) {
  private static final byte[] TAG =
      "accretion-selector-key/1\0".getBytes(StandardCharsets.US_ASCII);

  public SelectorKey {
    sha256 = Sha256.requireHex(sha256, "selector key");
  }

  /** A key given as its hex digest (for example read back from a report). */
  public static SelectorKey of(String sha256) {
    return new SelectorKey(sha256);
  }

  /** Starts a key; add fields in a fixed order, then {@link Builder#build()}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    return sha256;
  }

  /** Accumulates fields. Not thread-safe; {@link #build()} may be called more than once. */
  public static final class Builder {
    private final MessageDigest digest = Sha256.newDigest();

    private Builder() {
      digest.update(TAG);
    }

    /** Adds a text field (hashed as UTF-8). Names must not be empty. */
    public Builder add(String name, String value) {
      Objects.requireNonNull(value, "value");
      return add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a binary field, such as the bytes of a listing file. Names must not be empty. */
    public Builder add(String name, byte[] value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("a selector key field needs a name");
      }
      byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
      digest.update(ByteBuffer.allocate(4).putInt(nameBytes.length).array());
      digest.update(nameBytes);
      digest.update(ByteBuffer.allocate(8).putLong(value.length).array());
      digest.update(value);
      return this;
    }

    /** The key for the fields added so far. */
    public SelectorKey build() {
      try {
        MessageDigest copy = (MessageDigest) digest.clone();
        return new SelectorKey(Sha256.hex(copy.digest()));
      } catch (CloneNotSupportedException e) {
        // The JDK's SHA-256 implementation is cloneable.
        throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
      }
    }
  }
}
