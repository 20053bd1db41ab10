package dev.accretion.python.listing;

import dev.accretion.python.ParseException;
import dev.accretion.python.pep508.Requirement;
import dev.accretion.python.tags.WheelFilename;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** Turns a bare wheel path or URL in a listing into a {@link RootRequirement}. */
final class DirectReference {
  private DirectReference() {}

  static RootRequirement of(
      String location, String marker, Origin origin, Path listingFile, Set<String> hashes)
      throws ListingException {
    URI uri;
    String lower = location.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("file:")) {
      try {
        uri = URI.create(location);
      } catch (IllegalArgumentException e) {
        throw new ListingException(
            origin
                + ": invalid URL '"
                + dev.accretion.python.Excerpt.of(location)
                + "': "
                + e.getMessage());
      }
    } else {
      String expanded =
          location.startsWith("~/")
              ? System.getProperty("user.home") + location.substring(1)
              : location;
      Path path;
      try {
        path = Path.of(expanded);
      } catch (IllegalArgumentException e) {
        throw new ListingException(
            origin
                + ": '"
                + dev.accretion.python.Excerpt.of(location)
                + "' is not a valid file path: "
                + e.getMessage());
      }
      // relative paths are taken from the listing's own folder, so a listing means the same
      // thing whatever directory Accretion runs in
      if (!path.isAbsolute() && listingFile != null && listingFile.getParent() != null) {
        path = listingFile.getParent().resolve(path);
      }
      path = path.toAbsolutePath().normalize();
      if (Files.isDirectory(path)) {
        throw new ListingException(
            origin
                + ": '"
                + location
                + "' is a source folder; Accretion installs wheels only and never runs a build."
                + " Build a wheel first ('pip wheel "
                + location
                + " -w dist/') and list the .whl file.");
      }
      if (!Files.isRegularFile(path)) {
        throw new ListingException(origin + ": wheel file '" + location + "' does not exist");
      }
      uri = path.toUri();
    }
    String filename = uri.getPath() == null ? "" : uri.getPath();
    filename = filename.substring(filename.lastIndexOf('/') + 1);
    if (!filename.toLowerCase(Locale.ROOT).endsWith(".whl")) {
      throw new ListingException(
          origin
              + ": '"
              + location
              + "' is not a wheel (.whl). Source distributions and VCS checkouts need a build"
              + " step Accretion never runs on a layer's behalf; build a wheel first and list it.");
    }
    WheelFilename wheel;
    try {
      wheel = WheelFilename.parse(filename);
    } catch (ParseException e) {
      throw new ListingException(origin + ": " + e.getMessage(), e);
    }
    String text = wheel.name().display() + " @ " + uri + (marker == null ? "" : " ; " + marker);
    try {
      return new RootRequirement(Requirement.parse(text), origin, hashes, uri);
    } catch (ParseException e) {
      throw new ListingException(origin + ": " + e.getMessage(), e);
    }
  }
}
