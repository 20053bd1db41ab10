package dev.accretion.node.lock;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.node.json.JsonText;
import dev.accretion.node.json.JsonValues;
import dev.accretion.node.tree.Tree;
import dev.accretion.node.tree.TreeNode;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Reads a {@code package-lock.json} or {@code npm-shrinkwrap.json} of lockfileVersion 2 or 3 (the
 * {@code packages} section, keyed by install path) into a {@link Tree}. lockfileVersion 1 locks
 * (npm 5 and 6) lack that section and are refused with the command that upgrades them.
 */
public final class PackageLock {
  private PackageLock() {}

  /**
   * @param fileName the lock's name, for messages
   * @param text the lock's text
   * @param rootManifest the project's package.json, which npm reads for the root's dependencies;
   *     null to use the lock's own root entry
   * @throws AccretionException {@link FailureKind#BAD_INPUT} for malformed JSON, a missing {@code
   *     packages} section, or lockfileVersion 1
   */
  public static Tree read(String fileName, String text, Manifest rootManifest)
      throws AccretionException {
    Map<String, Object> doc;
    try {
      doc = JsonText.parseObject(text);
    } catch (JsonText.SyntaxError e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          fileName + " is not valid JSON (" + e.getMessage() + ")",
          "restore it, or delete it and run `npm install --package-lock-only`",
          null);
    }
    Object version = doc.get("lockfileVersion");
    int lockfileVersion = version instanceof BigDecimal d ? d.intValue() : version == null ? 1 : -1;
    Map<String, Object> packages = JsonValues.map(doc, "packages");
    if (lockfileVersion == 1 || (!doc.containsKey("packages") && doc.containsKey("dependencies"))) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          fileName
              + " is lockfileVersion 1 (written by npm 5 or 6), which does not record where each"
              + " package is installed",
          "upgrade it with npm 7 or newer: `npm install --package-lock-only` in its folder writes"
              + " lockfileVersion 3 with the same versions",
          null);
    }
    if (lockfileVersion < 2 || !doc.containsKey("packages")) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          fileName
              + " has lockfileVersion "
              + version
              + " and "
              + (doc.containsKey("packages") ? "" : "no ")
              + "packages section; Accretion reads lockfileVersion 2 and 3",
          "regenerate it with `npm install --package-lock-only` (npm 7 or newer)",
          null);
    }
    Map<String, Object> rootEntry = JsonValues.map(packages, "");
    Manifest root = rootManifest != null ? rootManifest : new Manifest(rootEntry);
    Tree tree = Tree.forRoot(root);
    for (Map.Entry<String, Object> e : packages.entrySet()) {
      String path = e.getKey();
      if (path.isEmpty()) {
        continue;
      }
      if (!(e.getValue() instanceof Map)) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            fileName + ": packages[\"" + path + "\"] is not an object",
            "regenerate the lock with `npm install --package-lock-only`",
            null);
      }
      if (path.startsWith("/") || path.contains("\\") || ("/" + path + "/").contains("/../")) {
        throw new AccretionException(
            FailureKind.REFUSED,
            fileName + ": packages[\"" + path + "\"] is not a path inside the project",
            "a lock made by npm never has such keys; regenerate it",
            null);
      }
      Map<String, Object> entry = JsonValues.asMap(e.getValue());
      String name = JsonValues.string(entry, "name");
      boolean inNodeModules = path.startsWith("node_modules/") || path.contains("/node_modules/");
      if (name == null && inNodeModules) {
        name = Tree.folderName(path);
      }
      TreeNode node =
          new TreeNode(path, name, JsonValues.string(entry, "version"), new Manifest(entry));
      node.setResolved(JsonValues.string(entry, "resolved"), JsonValues.string(entry, "integrity"));
      node.setFlags(
          JsonValues.bool(entry, "dev"),
          JsonValues.bool(entry, "optional"),
          JsonValues.bool(entry, "devOptional"),
          JsonValues.bool(entry, "peer"));
      node.setInBundle(JsonValues.bool(entry, "inBundle"));
      node.setLink(JsonValues.bool(entry, "link"));
      node.setHasInstallScript(JsonValues.bool(entry, "hasInstallScript"));
      tree.add(node);
    }
    return tree;
  }

  /** The lockfileVersion a lock text declares, or -1. */
  public static int lockfileVersion(String text) {
    try {
      Object v = JsonText.parseObject(text).get("lockfileVersion");
      return v instanceof BigDecimal d ? d.intValue() : -1;
    } catch (JsonText.SyntaxError e) {
      return -1;
    }
  }
}
