package dev.accretion.app.build;

import dev.accretion.pipeline.spi.Builder;
import dev.accretion.pipeline.spi.ListingFormat;
import java.util.ArrayList;
import java.util.List;

/** The listing formats the registered builders read, by the names {@code --format} takes. */
public final class ListingFormats {
  private ListingFormats() {}

  /** Every format id, builder by builder: requirements, pyproject, pylock, uv-lock, ... */
  public static List<String> ids() {
    List<String> out = new ArrayList<>();
    for (Builder b : Registry.get().builders()) {
      for (ListingFormat f : b.formats()) {
        if (!out.contains(f.id())) {
          out.add(f.id());
        }
      }
    }
    return out;
  }
}
