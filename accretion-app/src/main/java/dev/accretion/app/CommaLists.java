package dev.accretion.app;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * Values of a repeatable option that may each be a comma list ({@code --regions a,b --regions c}).
 */
public final class CommaLists {
  private CommaLists() {}

  /** Every value split at commas, stripped, blanks and duplicates dropped, in order. */
  public static List<String> split(List<String> values) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    if (values != null) {
      for (String v : values) {
        for (String part : v.split(",")) {
          if (!part.isBlank()) {
            out.add(part.strip());
          }
        }
      }
    }
    return List.copyOf(out);
  }
}
