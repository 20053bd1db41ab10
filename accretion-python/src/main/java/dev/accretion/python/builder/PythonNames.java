package dev.accretion.python.builder;

import dev.accretion.pipeline.LayerNames;
import dev.accretion.python.PackageName;
import dev.accretion.python.listing.ListingFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/** The default layer name of a Python listing. */
final class PythonNames {
  private PythonNames() {}

  /**
   * For a {@code pyproject.toml} its {@code [project] name} (PEP 503 normalized), else the name of
   * the folder holding the listing; made a layer name with {@link LayerNames#sanitize} ({@code
   * layer} if nothing is left).
   */
  static String defaultName(Path listing, ListingFormat format) {
    if (format == ListingFormat.PYPROJECT) {
      try {
        TomlParseResult toml = Toml.parse(Files.readString(listing));
        String project = toml.getString("project.name");
        if (project != null && !project.isBlank()) {
          String name = LayerNames.sanitize(PackageName.normalize(project.strip()));
          if (!name.isEmpty()) {
            return name;
          }
        }
      } catch (IOException | RuntimeException e) {
        // the listing's own reader reports problems with the file; fall back to the folder
      }
    }
    Path folder = listing.toAbsolutePath().normalize().getParent();
    String name =
        folder == null || folder.getFileName() == null
            ? ""
            : LayerNames.sanitize(folder.getFileName().toString());
    return name.isEmpty() ? "layer" : name;
  }

  /** Whether a pyproject's {@code [project] dynamic} names {@code dependencies} (PEP 621). */
  static boolean dynamicDependencies(Path pyproject) {
    try {
      TomlParseResult toml = Toml.parse(Files.readString(pyproject));
      org.tomlj.TomlArray dynamic = toml.getArray("project.dynamic");
      if (dynamic == null) {
        return false;
      }
      for (int i = 0; i < dynamic.size(); i++) {
        if ("dependencies".equals(dynamic.get(i))) {
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
