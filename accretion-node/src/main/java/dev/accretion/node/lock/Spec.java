package dev.accretion.node.lock;

import dev.accretion.node.semver.Range;
import dev.accretion.node.semver.SemVer;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A dependency spec as npm classifies it ({@code npm-package-arg}): a registry range or version, a
 * dist-tag, an alias ({@code npm:name@spec}), a tarball URL, a git repository or a local path.
 * Immutable.
 *
 * @param type the kind of spec
 * @param text the spec as written
 * @param name for an alias, the package it installs; else null
 * @param subSpec for an alias, the spec of that package; else null
 */
public record Spec(Type type, String text, String name, Spec subSpec) {

  /** The kinds of dependency spec. */
  public enum Type {
    /** A semver range or exact version on the registry. */
    RANGE,
    /** A dist-tag such as {@code latest}. */
    TAG,
    /** {@code npm:name@spec}. */
    ALIAS,
    /** An http(s) tarball URL. */
    URL,
    /** A git repository (git+https:, github:, user/repo). */
    GIT,
    /** A local folder or tarball ({@code file:}, {@code ./x}). */
    FILE,
    /** Something npm does not install, such as pnpm's and yarn's {@code workspace:}. */
    UNSUPPORTED
  }

  private static final Pattern GIT_SHORTHAND =
      Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*/[a-zA-Z0-9_.-]+(#.*)?$");

  public Spec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(text, "text");
  }

  /** Classifies {@code spec} as npm does. */
  public static Spec parse(String spec) {
    String s = spec == null ? "" : spec.strip();
    if (s.startsWith("npm:")) {
      String rest = s.substring(4);
      int at = rest.indexOf('@', rest.startsWith("@") ? 1 : 0);
      String name = at < 0 ? rest : rest.substring(0, at);
      String sub = at < 0 ? "" : rest.substring(at + 1);
      return new Spec(Type.ALIAS, s, name, parse(sub));
    }
    if (s.startsWith("workspace:")
        || s.startsWith("link:")
        || s.startsWith("portal:")
        || s.startsWith("patch:")) {
      return new Spec(Type.UNSUPPORTED, s, null, null);
    }
    if (s.startsWith("file:")
        || s.startsWith("./")
        || s.startsWith("../")
        || s.startsWith("/")
        || s.startsWith("~/")
        || s.equals(".")
        || s.equals("..")) {
      return new Spec(Type.FILE, s, null, null);
    }
    if (s.startsWith("git+")
        || s.startsWith("git://")
        || s.startsWith("github:")
        || s.startsWith("gitlab:")
        || s.startsWith("bitbucket:")
        || s.startsWith("gist:")
        || s.matches(
            "^https?://(www\\.)?(github\\.com|gitlab\\.com|bitbucket\\.org)/[^/]+/[^/]+?(\\.git)?(#.*)?$")
        || GIT_SHORTHAND.matcher(s).matches()) {
      return new Spec(Type.GIT, s, null, null);
    }
    if (s.startsWith("http://") || s.startsWith("https://")) {
      return new Spec(Type.URL, s, null, null);
    }
    if (s.isEmpty() || SemVer.parse(s, true).isPresent() || Range.parse(s).isPresent()) {
      return new Spec(Type.RANGE, s, null, null);
    }
    if (java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).equals(s)) {
      return new Spec(Type.TAG, s, null, null);
    }
    return new Spec(Type.UNSUPPORTED, s, null, null);
  }

  /** For a range spec, the range ({@code *} for an empty spec). */
  public Range range() {
    if (type != Type.RANGE) {
      throw new IllegalStateException("not a range spec: " + text);
    }
    return text.isEmpty() ? Range.of("*") : Range.of(text);
  }

  /**
   * Whether a package {@code pkgName}@{@code version} installed for this spec is valid as npm's
   * {@code dep-valid} sees it: a range is satisfied loosely ({@code *} takes anything, prereleases
   * too); a tag, URL, git or path spec takes what the lock says it resolved to; an alias checks the
   * package name and its own spec.
   */
  public boolean accepts(String pkgName, String version) {
    return switch (type) {
      case RANGE -> {
        if (text.isEmpty() || text.equals("*") || text.equals("latest")) {
          yield true;
        }
        yield version != null && range().test(version);
      }
      case ALIAS -> Objects.equals(name, pkgName) && subSpec.accepts(pkgName, version);
      case TAG, URL, GIT, FILE -> true;
      case UNSUPPORTED -> false;
    };
  }

  @Override
  public String toString() {
    return text;
  }
}
