package dev.accretion.aws;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Packages added, removed and changed between two layer versions, each list sorted by normalized
 * name. Names are matched after PEP 503 normalization (lower case, runs of {@code -_.} become
 * {@code -}), so {@code Foo_Bar} and {@code foo-bar} are the same package. Immutable.
 */
public record PackageDiff(
    List<PackageVersion> added, List<PackageVersion> removed, List<Change> changed) {

  /** A package present in both versions with different versions. */
  public record Change(String name, String from, String to) {}

  private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");

  public PackageDiff {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = List.copyOf(changed);
  }

  /** True when nothing was added, removed or changed. */
  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
  }

  /** The difference going from {@code before} to {@code after}. */
  public static PackageDiff between(List<PackageVersion> before, List<PackageVersion> after) {
    Map<String, PackageVersion> old = index(before);
    Map<String, PackageVersion> now = index(after);
    List<PackageVersion> added = new ArrayList<>();
    List<PackageVersion> removed = new ArrayList<>();
    List<Change> changed = new ArrayList<>();
    now.forEach(
        (key, p) -> {
          PackageVersion was = old.get(key);
          if (was == null) {
            added.add(p);
          } else if (!was.version().equals(p.version())) {
            changed.add(new Change(p.name(), was.version(), p.version()));
          }
        });
    old.forEach(
        (key, p) -> {
          if (!now.containsKey(key)) {
            removed.add(p);
          }
        });
    Comparator<PackageVersion> byName = Comparator.comparing(p -> normalize(p.name()));
    added.sort(byName);
    removed.sort(byName);
    changed.sort(Comparator.comparing(c -> normalize(c.name())));
    return new PackageDiff(added, removed, changed);
  }

  private static Map<String, PackageVersion> index(List<PackageVersion> packages) {
    Map<String, PackageVersion> out = new LinkedHashMap<>();
    for (PackageVersion p : packages) {
      out.put(normalize(p.name()), p);
    }
    return out;
  }

  /** PEP 503 name normalization. */
  static String normalize(String name) {
    return SEPARATORS.matcher(name).replaceAll("-").toLowerCase(Locale.ROOT);
  }
}
