package dev.accretion.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Which optional parts of a listing to include. */
final class ListingOptions {
  @Option(
      names = "--extra",
      paramLabel = "EXTRA",
      description =
          "Include an optional-dependency set (pyproject, or a lock's extras; repeatable).")
  List<String> extras = new ArrayList<>();

  @Option(
      names = "--group",
      paramLabel = "GROUP",
      description =
          "Include a dependency group: PEP 735, a uv or Poetry group, a Pipfile.lock category"
              + " (develop); repeatable.")
  List<String> groups = new ArrayList<>();
}
