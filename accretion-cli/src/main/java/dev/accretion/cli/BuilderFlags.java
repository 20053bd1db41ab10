package dev.accretion.cli;

import dev.accretion.app.build.BuilderSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The builder and its options: each flag is one builder option key (the same keys as a layer of
 * {@code accretion.toml}); the builder refuses a key it does not take, naming it.
 */
final class BuilderFlags {
  @Option(
      names = "--builder",
      paramLabel = "ID",
      description =
          "The builder (python, nodejs, java, or a plug-in's id) when the listing's name doesn't"
              + " say.")
  String builder;

  @Option(
      names = "--builder-path",
      paramLabel = "JAR",
      split = ",",
      description =
          "Builder plug-in jars (comma list or repeated), each loaded in a class loader of its"
              + " own; their builders are chosen like the built-in ones.")
  List<Path> plugins = new ArrayList<>();

  @ArgGroup(exclusive = false, heading = "%nJava builder (pom.xml, coordinates, java-lock.json):%n")
  JavaFlags java;

  @ArgGroup(exclusive = false, heading = "%nNode.js builder (package.json and its locks):%n")
  NodeFlags node;

  static final class JavaFlags {
    @Option(
        names = {"-s", "--settings"},
        paramLabel = "FILE",
        description = "Maven user settings (mvn's -s); default ~/.m2/settings.xml.")
    String settings;

    @Option(
        names = {"-gs", "--global-settings"},
        paramLabel = "FILE",
        description = "Maven global settings (mvn's -gs).")
    String globalSettings;

    @Option(
        names = "--offline",
        description = "Resolve from Accretion's local Maven repository only (mvn's -o).")
    boolean offline;

    @Option(
        names = "--repository",
        paramLabel = "ID::URL",
        description =
            "Another Maven repository, searched before Central (repeatable); the id is what"
                + " settings' mirrors and servers match.")
    List<String> repositories = new ArrayList<>();
  }

  static final class NodeFlags {
    @Option(
        names = "--workspace",
        paramLabel = "NAME",
        description = "Build one npm/pnpm workspace's production dependencies.")
    String workspace;

    @Option(
        names = "--registry",
        paramLabel = "URL",
        description = "The npm registry, over .npmrc's registry.")
    String registry;

    @Option(
        names = "--allow-unbuilt",
        paramLabel = "PACKAGE",
        description =
            "Install this package although its install script would build a native addon"
                + " (repeatable).")
    List<String> allowUnbuilt = new ArrayList<>();
  }

  /**
   * The builder settings these flags give, file paths resolved against the working directory (a
   * project layer builds in its project file's folder).
   */
  BuilderSettings settings(Context context) {
    Map<String, List<String>> options = new LinkedHashMap<>();
    if (java != null) {
      if (java.settings != null) {
        options.put("settings", List.of(context.resolve(Path.of(java.settings)).toString()));
      }
      if (java.globalSettings != null) {
        options.put(
            "global-settings", List.of(context.resolve(Path.of(java.globalSettings)).toString()));
      }
      if (java.offline) {
        options.put("offline", List.of("true"));
      }
      if (!java.repositories.isEmpty()) {
        options.put("repository", java.repositories);
      }
    }
    if (node != null) {
      if (node.workspace != null) {
        options.put("workspace", List.of(node.workspace));
      }
      if (node.registry != null) {
        options.put("registry", List.of(node.registry));
      }
      if (!node.allowUnbuilt.isEmpty()) {
        options.put("allow-unbuilt", node.allowUnbuilt);
      }
    }
    return new BuilderSettings(builder, options, plugins.stream().map(context::resolve).toList());
  }

  /** Whether any of these flags was given. */
  boolean given(Context context) {
    BuilderSettings s = settings(context);
    return s.builder() != null || !s.options().isEmpty() || !s.plugins().isEmpty();
  }
}
