package dev.accretion.node.tree;

import dev.accretion.node.lock.Manifest;
import java.util.List;
import java.util.Objects;

/**
 * One folder of a node_modules tree, as a package-lock's {@code packages} entry describes it: where
 * it is, which package at which version, where its tarball comes from, and npm's flags. Flags are
 * mutable while a tree is being built; a finished {@link Tree} is not changed again.
 */
public final class TreeNode {
  private final String path;
  private final String name;
  private final String version;
  private final Manifest manifest;
  String resolved;
  String integrity;
  boolean dev;
  boolean optional;
  boolean devOptional;
  boolean peer;
  boolean extraneous;
  boolean inBundle;
  boolean link;
  boolean hasInstallScript;
  List<String> libc;
  boolean libcKnown;

  /**
   * @param path the folder relative to the project: {@code ""} for the root, {@code
   *     node_modules/a/node_modules/@s/b}, or a workspace folder
   * @param name the package's real name (for an alias folder, the package it installs)
   * @param version the exact version (null for the root or a link)
   * @param manifest the package's declared fields (dependencies, os, cpu, engines...)
   */
  public TreeNode(String path, String name, String version, Manifest manifest) {
    this.path = Objects.requireNonNull(path, "path");
    this.name = name;
    this.version = version;
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    List<String> l = manifest.libc();
    this.libc = l;
    this.libcKnown = l != null;
  }

  public String path() {
    return path;
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  public Manifest manifest() {
    return manifest;
  }

  public String resolved() {
    return resolved;
  }

  public String integrity() {
    return integrity;
  }

  public boolean dev() {
    return dev;
  }

  public boolean optional() {
    return optional;
  }

  public boolean devOptional() {
    return devOptional;
  }

  public boolean peer() {
    return peer;
  }

  /** Whether nothing reaches it from the project (only after {@link DepFlags#calculate}). */
  public boolean extraneous() {
    return extraneous;
  }

  public boolean inBundle() {
    return inBundle;
  }

  public boolean link() {
    return link;
  }

  public boolean hasInstallScript() {
    return hasInstallScript;
  }

  /** {@code libc} as known (from the lock, or filled in from the package itself); null if none. */
  public List<String> libc() {
    return libc;
  }

  /** Whether {@link #libc()} is known: locks written before npm 11.11 leave it out. */
  public boolean libcKnown() {
    return libcKnown;
  }

  /** Records the package's own {@code libc} field, read from its registry metadata or tarball. */
  public void learnLibc(List<String> value) {
    this.libc = value;
    this.libcKnown = true;
  }

  public TreeNode setResolved(String resolved, String integrity) {
    this.resolved = resolved;
    this.integrity = integrity;
    return this;
  }

  public TreeNode setFlags(boolean dev, boolean optional, boolean devOptional, boolean peer) {
    this.dev = dev;
    this.optional = optional;
    this.devOptional = devOptional;
    this.peer = peer;
    return this;
  }

  public TreeNode setInBundle(boolean inBundle) {
    this.inBundle = inBundle;
    return this;
  }

  public TreeNode setLink(boolean link) {
    this.link = link;
    return this;
  }

  public TreeNode setHasInstallScript(boolean has) {
    this.hasInstallScript = has;
    return this;
  }

  /** Whether this is the project itself. */
  public boolean isRoot() {
    return path.isEmpty();
  }

  /** Whether it lives in a node_modules folder (not the root, not a workspace folder). */
  public boolean inNodeModules() {
    return path.startsWith("node_modules/") || path.contains("/node_modules/");
  }

  /**
   * The folder name it is installed under ({@code a}, {@code @s/b}), which an alias differs from.
   */
  public String folderName() {
    return Tree.folderName(path);
  }

  /** {@code name@version}, for messages. */
  public String label() {
    return (name == null ? path : name) + (version == null ? "" : "@" + version);
  }

  @Override
  public String toString() {
    return path + " (" + label() + ")";
  }
}
