package dev.accretion.core.elf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The numeric part of a symbol version such as {@code GLIBC_2.28} ({@code 2.28}) or {@code
 * GLIBCXX_3.4.29} ({@code 3.4.29}), ordered numerically part by part ({@code 2.9 < 2.17}).
 *
 * @param parts the dot-separated numbers; at least one, none negative
 */
public record ElfVersion(List<Integer> parts) implements Comparable<ElfVersion> {
  public ElfVersion {
    parts = List.copyOf(parts);
    if (parts.isEmpty() || parts.stream().anyMatch(p -> p < 0)) {
      throw new IllegalArgumentException("invalid version parts " + parts);
    }
  }

  /** Parses {@code 2.28}; empty if the text is not dot-separated decimal numbers. */
  public static Optional<ElfVersion> parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty() || text.startsWith(".") || text.endsWith(".") || text.contains("..")) {
      return Optional.empty();
    }
    List<Integer> parts = new ArrayList<>();
    for (String part : text.split("\\.")) {
      if (part.isEmpty() || part.length() > 9 || !part.chars().allMatch(Character::isDigit)) {
        return Optional.empty();
      }
      parts.add(Integer.parseInt(part));
    }
    return Optional.of(new ElfVersion(parts));
  }

  /** Parses or throws {@link IllegalArgumentException}. */
  public static ElfVersion of(String text) {
    return parse(text)
        .orElseThrow(() -> new IllegalArgumentException("not a version number: " + text));
  }

  @Override
  public int compareTo(ElfVersion other) {
    int n = Math.max(parts.size(), other.parts.size());
    for (int i = 0; i < n; i++) {
      int a = i < parts.size() ? parts.get(i) : 0;
      int b = i < other.parts.size() ? other.parts.get(i) : 0;
      if (a != b) {
        return Integer.compare(a, b);
      }
    }
    return Integer.compare(parts.size(), other.parts.size());
  }

  @Override
  public String toString() {
    return parts.stream().map(String::valueOf).collect(Collectors.joining("."));
  }
}
