package dev.accretion.pipeline.spi;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A builder's own options, as text: the same keys come from command-line flags, a layer of {@code
 * accretion.toml} and a layer definition of the service's API, so one validation serves all three.
 * Keys are {@code [a-z0-9-]+} ({@code layout}, {@code index-url}, {@code workspace}); each key
 * holds one or more values in the order given. Immutable; iteration is sorted by key, so {@link
 * #selectorText()} is stable.
 *
 * <p>Every builder documents the keys it takes and refuses others with {@link #checkKeys}.
 */
public final class BuilderOptions {
  private static final BuilderOptions NONE = new BuilderOptions(Map.of());

  private final Map<String, List<String>> values;

  private BuilderOptions(Map<String, List<String>> values) {
    TreeMap<String, List<String>> copy = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          if (!k.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("an option key is [a-z0-9-]+, got '" + k + "'");
          }
          copy.put(k, List.copyOf(v));
        });
    this.values = java.util.Collections.unmodifiableMap(copy);
  }

  /** No options. */
  public static BuilderOptions none() {
    return NONE;
  }

  /** Options from a map of keys to values (copied). */
  public static BuilderOptions of(Map<String, ? extends Collection<String>> values) {
    TreeMap<String, List<String>> m = new TreeMap<>();
    values.forEach((k, v) -> m.put(k, List.copyOf(v)));
    return new BuilderOptions(m);
  }

  /** These options with {@code key} set to {@code values} (replacing what it held). */
  public BuilderOptions with(String key, List<String> newValues) {
    TreeMap<String, List<String>> m = new TreeMap<>(values);
    m.put(key, List.copyOf(newValues));
    return new BuilderOptions(m);
  }

  /** These options with {@code key} set to one value. */
  public BuilderOptions with(String key, String value) {
    return with(key, List.of(value));
  }

  /** Every key and its values, sorted by key. */
  public Map<String, List<String>> asMap() {
    return values;
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** All values of {@code key}; empty if it is not set. */
  public List<String> list(String key) {
    return values.getOrDefault(key, List.of());
  }

  /** The single value of {@code key}, if set; a usage error if it has several. */
  public Optional<String> string(String key) throws AccretionException {
    List<String> v = list(key);
    if (v.size() > 1) {
      throw new AccretionException(
          FailureKind.USAGE, "option " + key + " takes one value, got " + String.join(", ", v));
    }
    return v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /**
   * A boolean option: unset gives {@code otherwise}; {@code true}/{@code false} (any case) as
   * given.
   */
  public boolean flag(String key, boolean otherwise) throws AccretionException {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return otherwise;
    }
    String s = v.get().strip().toLowerCase(java.util.Locale.ROOT);
    if (s.equals("true")) {
      return true;
    }
    if (s.equals("false")) {
      return false;
    }
    throw new AccretionException(
        FailureKind.USAGE, "option " + key + " is true or false, got '" + v.get() + "'");
  }

  /**
   * Refuses keys outside {@code known}, naming them and the keys the builder takes.
   *
   * @throws AccretionException a {@link FailureKind#USAGE} failure
   */
  public void checkKeys(String builder, Set<String> known) throws AccretionException {
    List<String> unknown = new ArrayList<>();
    for (String k : values.keySet()) {
      if (!known.contains(k)) {
        unknown.add(k);
      }
    }
    if (!unknown.isEmpty()) {
      throw new AccretionException(
          FailureKind.USAGE,
          "the " + builder + " builder does not take the option(s) " + String.join(", ", unknown),
          known.isEmpty()
              ? "it takes no options"
              : "it takes " + String.join(", ", new java.util.TreeSet<>(known)),
          null);
    }
  }

  /** A stable text of every key and value, for selector keys. */
  public String selectorText() {
    StringBuilder b = new StringBuilder();
    values.forEach(
        (k, v) -> {
          for (String s : v) {
            b.append(k).append('\0').append(s).append('\n');
          }
        });
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BuilderOptions other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
