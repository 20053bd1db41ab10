package dev.accretion.app.build;

import java.util.Arrays;
import java.util.List;

/** The listing formats the builders read, by the names {@code --format} takes. */
public final class ListingFormats {
  private ListingFormats() {}

  /** Every format id, in the builders' order: requirements, pyproject, pylock, uv-lock, ... */
  public static List<String> ids() {
    return Arrays.stream(dev.accretion.python.listing.ListingFormat.values())
        .map(dev.accretion.python.listing.ListingFormat::cliName)
        .toList();
  }
}
