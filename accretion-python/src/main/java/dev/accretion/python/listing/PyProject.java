package dev.accretion.python.listing;

import dev.accretion.core.toml.Toml;
import dev.accretion.core.toml.TomlArray;
import dev.accretion.core.toml.TomlParseError;
import dev.accretion.core.toml.TomlParseResult;
import dev.accretion.core.toml.TomlPosition;
import dev.accretion.core.toml.TomlTable;
import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.pep508.Requirement;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the dependencies of a {@code pyproject.toml}: {@code [project].dependencies}, the {@code
 * [project.optional-dependencies]} selected as extras, and PEP 735 {@code [dependency-groups]}
 * (with {@code include-group}). Thread-safe.
 */
public final class PyProject {
  private PyProject() {}

  // an array element's position is where its value starts; the search below also copes with a
  // position on the line before (where the element's leading whitespace starts)
  // (the end of the previous line), so the line of a value is found by looking ahead for it
  private static int lineOf(List<String> lines, TomlPosition pos, Object value) {
    if (pos == null) {
      return 0;
    }
    if (value instanceof String s) {
      for (int l = Math.max(1, pos.line()); l <= lines.size(); l++) {
        if (lines.get(l - 1).contains(s)) {
          return l;
        }
      }
    }
    return pos.line();
  }

  /**
   * @param extras names of optional-dependency sets to include (PEP 685 normalized on compare)
   * @param groups names of dependency groups to include
   * @param withProject whether to include {@code [project].dependencies} (false for "only groups")
   */
  public static List<RootRequirement> read(
      Path file, Set<String> extras, Set<String> groups, boolean withProject)
      throws ListingException {
    TomlParseResult toml;
    List<String> lines;
    try {
      toml = Toml.parse(file);
      lines = java.nio.file.Files.readAllLines(file);
    } catch (IOException e) {
      throw new ListingException("cannot read '" + file + "': " + e, e);
    }
    if (toml.hasErrors()) {
      TomlParseError error = toml.errors().get(0);
      throw new ListingException(
          file + ":" + error.position().line() + ": invalid TOML: " + error.getMessage());
    }
    List<RootRequirement> out = new ArrayList<>();
    TomlTable project = toml.getTable("project");
    if (withProject) {
      if (project == null && groups.isEmpty()) {
        throw new ListingException(
            file
                + ": no [project] table; list dependencies under [project].dependencies (PEP 621)"
                + " or choose dependency groups with --group");
      }
      if (project != null) {
        addArray(lines, file, toml, "project.dependencies", project.getArray("dependencies"), out);
      }
    }
    if (!extras.isEmpty()) {
      TomlTable optional = project == null ? null : project.getTable("optional-dependencies");
      Map<String, String> available = new TreeMap<>();
      if (optional != null) {
        for (String key : optional.keySet()) {
          available.put(PackageName.normalize(key), key);
        }
      }
      for (String extra : extras) {
        String key = available.get(PackageName.normalize(extra));
        if (key == null) {
          throw new ListingException(
              file
                  + ": no optional dependencies named '"
                  + extra
                  + "' in [project.optional-dependencies]"
                  + (available.isEmpty()
                      ? ""
                      : "; there are: " + String.join(", ", available.values())));
        }
        addArray(
            lines,
            file,
            toml,
            "project.optional-dependencies." + quoteKey(key),
            optional.getArray(List.of(key)),
            out);
      }
    }
    if (!groups.isEmpty()) {
      TomlTable table = toml.getTable("dependency-groups");
      Map<String, String> available = new TreeMap<>();
      if (table != null) {
        for (String key : table.keySet()) {
          String normalized = PackageName.normalize(key);
          if (available.put(normalized, key) != null) {
            throw new ListingException(
                file
                    + ": [dependency-groups] has two groups named '"
                    + normalized
                    + "' after normalization");
          }
        }
      }
      for (String group : groups) {
        addGroup(
            lines,
            file,
            toml,
            table,
            available,
            PackageName.normalize(group),
            new LinkedHashSet<>(),
            out);
      }
    }
    return dedupe(out);
  }

  private static String quoteKey(String key) {
    return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
  }

  private static void addGroup(
      List<String> lines,
      Path file,
      TomlParseResult toml,
      TomlTable table,
      Map<String, String> available,
      String group,
      Set<String> stack,
      List<RootRequirement> out)
      throws ListingException {
    String key = available.get(group);
    if (key == null) {
      throw new ListingException(
          file
              + ": no dependency group '"
              + group
              + "' in [dependency-groups]"
              + (available.isEmpty()
                  ? ""
                  : "; there are: " + String.join(", ", available.values())));
    }
    if (!stack.add(group)) {
      throw new ListingException(
          file
              + ": dependency group '"
              + group
              + "' includes itself: "
              + String.join(" -> ", stack)
              + " -> "
              + group);
    }
    TomlArray array = table.getArray(List.of(key));
    String path = "dependency-groups." + quoteKey(key);
    if (array == null) {
      throw new ListingException(file + ": " + path + " must be an array");
    }
    for (int i = 0; i < array.size(); i++) {
      Object item = array.get(i);
      TomlPosition pos = array.inputPositionOf(i);
      int line = lineOf(lines, pos, item instanceof TomlTable t ? t.get("include-group") : item);
      if (item instanceof String s) {
        out.add(parse(s, new Origin(file, line)));
      } else if (item instanceof TomlTable t && t.keySet().equals(Set.of("include-group"))) {
        Object include = t.get("include-group");
        if (!(include instanceof String name)) {
          throw new ListingException(file + ":" + line + ": include-group must be a string");
        }
        addGroup(lines, file, toml, table, available, PackageName.normalize(name), stack, out);
      } else {
        throw new ListingException(
            file
                + ":"
                + line
                + ": "
                + path
                + " entries are requirement strings or {include-group = \"name\"}; found "
                + item);
      }
    }
    stack.remove(group);
  }

  private static void addArray(
      List<String> lines,
      Path file,
      TomlParseResult toml,
      String path,
      TomlArray array,
      List<RootRequirement> out)
      throws ListingException {
    if (array == null) {
      if (toml.contains(path)) {
        throw new ListingException(file + ": " + path + " must be an array of strings");
      }
      return;
    }
    for (int i = 0; i < array.size(); i++) {
      Object item = array.get(i);
      TomlPosition pos = array.inputPositionOf(i);
      int line = lineOf(lines, pos, item);
      if (!(item instanceof String s)) {
        throw new ListingException(
            file + ":" + line + ": " + path + " entries must be strings; found " + item);
      }
      out.add(parse(s, new Origin(file, line)));
    }
  }

  private static RootRequirement parse(String text, Origin origin) throws ListingException {
    try {
      Requirement requirement = Requirement.parse(text);
      return new RootRequirement(
          requirement,
          origin,
          Set.of(),
          requirement.urlIfAny().map(java.net.URI::create).orElse(null));
    } catch (ParseException e) {
      throw new ListingException(origin + ": " + e.getMessage(), e);
    }
  }

  private static List<RootRequirement> dedupe(List<RootRequirement> in) {
    Set<String> seen = new HashSet<>();
    List<RootRequirement> out = new ArrayList<>();
    for (RootRequirement r : in) {
      if (seen.add(r.requirement().toString())) {
        out.add(r);
      }
    }
    return out;
  }
}
