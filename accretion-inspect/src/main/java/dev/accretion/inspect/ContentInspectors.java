package dev.accretion.inspect;

import dev.accretion.pipeline.spi.ContentInspector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The {@link ContentInspector}s an inspection runs: those on the class path ({@link #load}), or a
 * given list (tests). Immutable.
 */
public final class ContentInspectors {
  private final List<ContentInspector> all;

  private ContentInspectors(List<ContentInspector> all) {
    List<ContentInspector> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparing(ContentInspector::id));
    Set<String> ids = new HashSet<>();
    for (ContentInspector i : sorted) {
      if (!ids.add(i.id())) {
        throw new IllegalStateException(
            "two content inspectors have the id '" + i.id() + "': " + i.getClass().getName());
      }
    }
    this.all = List.copyOf(sorted);
  }

  /** Every inspector registered with {@link ServiceLoader} on this class's class path. */
  public static ContentInspectors load() {
    List<ContentInspector> found = new ArrayList<>();
    ServiceLoader.load(ContentInspector.class, ContentInspectors.class.getClassLoader())
        .forEach(found::add);
    return new ContentInspectors(found);
  }

  public static ContentInspectors of(List<ContentInspector> inspectors) {
    return new ContentInspectors(inspectors);
  }

  /** By id. */
  public List<ContentInspector> all() {
    return all;
  }
}
