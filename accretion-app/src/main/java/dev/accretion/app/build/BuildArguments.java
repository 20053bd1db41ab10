package dev.accretion.app.build;

import dev.accretion.app.Usage;
import dev.accretion.core.AccretionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code accretion build ARGUMENTS} builds: one listing, or layers of the project file. A
 * shell passes the arguments and the listing-only settings it was given; the decision and its usage
 * errors are the same for every shell.
 */
public final class BuildArguments {
  private BuildArguments() {}

  /**
   * The listing to build, or null to build the project's layers (the arguments are then layer
   * names). A listing when the first argument is a file, or when there is no project file to take
   * layer names from (a missing listing is then reported as such); else the project's layers (a
   * folder named like a layer, say a command builder's source {@code tools}, is the layer).
   *
   * @param arguments the positional arguments
   * @param project the {@code --project} file, or null
   * @param workingDirectory where relative paths start
   * @throws AccretionException a usage error: more than one listing
   */
  public static Path listing(List<String> arguments, Path project, Path workingDirectory)
      throws AccretionException {
    if (arguments.isEmpty()) {
      return null;
    }
    Path first = Path.of(arguments.get(0));
    boolean listing =
        Files.isRegularFile(workingDirectory.resolve(first).normalize())
            || (project == null
                && !Files.isRegularFile(workingDirectory.resolve("accretion.toml")));
    if (!listing) {
      return null;
    }
    if (arguments.size() > 1) {
      throw Usage.error(
          "build takes one listing, got "
              + arguments.size()
              + " arguments; to build layers of accretion.toml, name only layers");
    }
    return first;
  }

  /**
   * Refuses settings that only a listing build takes when the project's layers are built (each
   * layer sets its own).
   */
  public static void refuseForProject(boolean targets, boolean name, boolean format)
      throws AccretionException {
    List<String> refused = new ArrayList<>();
    if (targets) {
      refused.add("--runtime/--arch");
    }
    if (name) {
      refused.add("--name");
    }
    if (format) {
      refused.add("--format");
    }
    if (!refused.isEmpty()) {
      throw Usage.error(
          String.join(", ", refused)
              + ": only for building a listing; the layers of accretion.toml set their own"
              + " (name the listing to build it for other targets)");
    }
  }
}
