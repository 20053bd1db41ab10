package dev.accretion.node.tree;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.node.json.JsonText;
import dev.accretion.node.lock.Manifest;
import dev.accretion.node.lock.Manifest.Dependency;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * npm workspaces: finding one by name or folder, and taking its production dependencies out of the
 * project's lock into a tree of its own (the versions the lock gives, placed hoisted as if the
 * workspace were the project). A workspace that depends on another workspace of the project is
 * refused: its files are not in any registry.
 */
public final class Workspaces {
  private Workspaces() {}

  /** The workspace folders the project's {@code workspaces} globs name, by package name. */
  public static Map<String, Path> list(Path projectDir, Manifest root) {
    Map<String, Path> out = new LinkedHashMap<>();
    if (root == null) {
      return out;
    }
    for (String glob : root.workspaces()) {
      String g = glob.replaceAll("/+$", "").replaceFirst("^\\./", "");
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + g);
      int depth = g.split("/").length;
      try (Stream<Path> walk = Files.walk(projectDir, depth)) {
        walk.filter(Files::isDirectory)
            .filter(d -> !d.toString().contains("node_modules"))
            .filter(d -> matcher.matches(projectDir.relativize(d)))
            .sorted()
            .forEach(
                d -> {
                  Path pj = d.resolve("package.json");
                  if (Files.isRegularFile(pj)) {
                    try {
                      Object name =
                          JsonText.parseObject(Files.readString(pj, StandardCharsets.UTF_8))
                              .get("name");
                      out.putIfAbsent(
                          name instanceof String s ? s : projectDir.relativize(d).toString(), d);
                    } catch (IOException | JsonText.SyntaxError e) {
                      out.putIfAbsent(projectDir.relativize(d).toString(), d);
                    }
                  }
                });
      } catch (IOException e) {
        // a glob over a missing folder names nothing
      }
    }
    return out;
  }

  /** The folder of the workspace named (by package name or relative folder), or null. */
  public static Path folderOf(Path projectDir, Manifest root, String workspace) {
    Map<String, Path> all = list(projectDir, root);
    if (all.containsKey(workspace)) {
      return all.get(workspace);
    }
    for (Path p : all.values()) {
      if (projectDir
          .relativize(p)
          .toString()
          .equals(workspace.replaceAll("/+$", "").replaceFirst("^\\./", ""))) {
        return p;
      }
    }
    return null;
  }

  /** The workspace's package.json. */
  public static Manifest manifestOf(Path projectDir, Manifest root, String workspace)
      throws AccretionException {
    Path dir = folderOf(projectDir, root, workspace);
    if (dir == null) {
      throw notFound(workspace, new ArrayList<>(list(projectDir, root).keySet()));
    }
    try {
      return new Manifest(
          JsonText.parseObject(
              Files.readString(dir.resolve("package.json"), StandardCharsets.UTF_8)));
    } catch (IOException | JsonText.SyntaxError e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "cannot read " + dir.resolve("package.json") + ": " + e.getMessage(),
          "fix the file",
          null);
    }
  }

  private static AccretionException notFound(String workspace, List<String> names) {
    return new AccretionException(
        FailureKind.NOT_FOUND,
        "the project has no workspace '" + workspace + "'",
        names.isEmpty()
            ? "its package.json declares no workspaces"
            : "its workspaces are " + String.join(", ", names),
        null);
  }

  /**
   * The workspace's dependencies, at the versions the project's lock gives, as a tree of their own.
   *
   * @throws AccretionException {@link FailureKind#NOT_FOUND} for an unknown workspace, {@link
   *     FailureKind#BAD_INPUT} when the lock lacks a dependency or it is another workspace
   */
  public static Tree extract(
      Tree lock, Path projectDir, Manifest root, String workspace, String lockName)
      throws AccretionException {
    TreeNode ws = null;
    List<String> names = new ArrayList<>();
    String folder = workspace.replaceAll("/+$", "").replaceFirst("^\\./", "");
    Map<String, String> linkNames = new LinkedHashMap<>();
    for (TreeNode n : lock.nodes()) {
      if (n.link() && n.resolved() != null) {
        linkNames.put(n.resolved(), n.folderName());
      }
    }
    for (TreeNode n : lock.nodes()) {
      if (n.isRoot() || n.inNodeModules() || n.link()) {
        continue;
      }
      String name = n.name() != null ? n.name() : linkNames.getOrDefault(n.path(), n.path());
      names.add(name);
      if (workspace.equals(name) || folder.equals(n.path())) {
        ws = n;
      }
    }
    if (ws == null) {
      throw notFound(workspace, names);
    }
    Manifest manifest = ws.manifest();
    Path onDisk = projectDir.resolve(ws.path()).resolve("package.json");
    if (Files.isRegularFile(onDisk)) {
      try {
        manifest =
            new Manifest(JsonText.parseObject(Files.readString(onDisk, StandardCharsets.UTF_8)));
      } catch (IOException | JsonText.SyntaxError e) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            "cannot read " + onDisk + ": " + e.getMessage(),
            "fix the file",
            null);
      }
    }
    final TreeNode wsNode = ws;
    Placer.Source source =
        new Placer.Source() {
          @Override
          public boolean reuse(
              TreeNode existing, Object parentKey, TreeNode parent, Dependency dep, String spec) {
            return false;
          }

          @Override
          public boolean installs(Object parentKey, TreeNode parent, Dependency dep) {
            TreeNode from = (TreeNode) parentKey;
            TreeNode found = lock.lookup(from.path(), dep.name());
            return found == null || !found.inBundle();
          }

          @Override
          public Placer.Candidate choose(
              Object parentKey, TreeNode parent, Dependency dep, String spec)
              throws AccretionException {
            TreeNode from = (TreeNode) parentKey;
            TreeNode found = lock.lookup(from.path(), dep.name());
            TreeNode orig = lock.target(found);
            if (orig == null) {
              if (dep.type().optional()) {
                return null;
              }
              throw new AccretionException(
                  FailureKind.BAD_INPUT,
                  lockName
                      + " has no "
                      + dep.name()
                      + " for "
                      + (from == wsNode ? "workspace " + workspace : from.label()),
                  "update the lock with `npm install` and build again",
                  null);
            }
            if (!orig.inNodeModules() || (found != null && found.link())) {
              throw new AccretionException(
                  FailureKind.BAD_INPUT,
                  "workspace "
                      + workspace
                      + " depends on "
                      + dep.name()
                      + ", which is "
                      + (orig.inNodeModules() ? "a link" : "the workspace in " + orig.path())
                      + "; Accretion installs only registry packages into a layer",
                  "publish "
                      + dep.name()
                      + " to a registry, or build the layer for the workspace that has no such dependency",
                  null);
            }
            return new Placer.Candidate(
                orig,
                orig.name(),
                orig.version(),
                orig.manifest(),
                orig.resolved(),
                orig.integrity(),
                orig.hasInstallScript());
          }
        };
    Tree tree = new Placer(manifest, wsNode, source, true).place(true);
    DepFlags.calculate(tree);
    return tree;
  }
}
