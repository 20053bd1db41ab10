package dev.accretion.python.resolve;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.Language;
import dev.accretion.core.runtime.Runtime;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.python.PackageName;
import dev.accretion.python.ParseException;
import dev.accretion.python.index.IndexFile;
import dev.accretion.python.index.ProjectPage;
import dev.accretion.python.pep440.Version;
import dev.accretion.python.resolve.engine.Provider;
import dev.accretion.python.resolve.engine.ResolutionImpossible;
import dev.accretion.python.tags.PythonTarget;
import dev.accretion.python.tags.SdistFilename;
import dev.accretion.python.tags.WheelFilename;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns a resolution failure into an explanation: for each requirement in the final conflict, how
 * it was reached from the user's listing, which versions exist and why each was rejected (the
 * platform constraint that excluded its files), and the ways out: a pin that works, a runtime that
 * works.
 */
final class Explainer {
  private final PackageFinder finder;
  private final PythonTarget target;
  private final Map<PackageName, Set<String>> hashes;

  /**
   * @param hashes in hash-checking mode, the hashes the listing allows per project ({@code
   *     algorithm:hex}); null when hash-checking is off
   */
  Explainer(PackageFinder finder, PythonTarget target, Map<PackageName, Set<String>> hashes) {
    this.finder = finder;
    this.target = target;
    this.hashes = hashes;
  }

  Explainer(PackageFinder finder, PythonTarget target) {
    this(finder, target, null);
  }

  /** How many projects the search for other failing requirements looks at, at most. */
  static final int MAX_WALKED = 300;

  /** The roots' explanation without a dependency walk (tests of the explanation alone). */
  String explain(ResolutionImpossible failure, List<Need> roots) {
    return explain(failure, roots, null);
  }

  /**
   * The explanation of the conflict, then every other requirement that fails on its own (no release
   * that fits the target satisfies it), so that one run names them all: the listing's own
   * requirements, and, with {@code provider}, the dependencies that no release fits at all, reached
   * through the newest fitting release of each project (breadth first, each project once, at most
   * {@link #MAX_WALKED} projects; metadata the resolution read is not read again).
   */
  String explain(ResolutionImpossible failure, List<Need> roots, PythonProvider provider) {
    String conflict = explain(failure);
    Set<Key> explained = new HashSet<>();
    for (Provider.Information<?, ?> info : failure.causes()) {
      explained.add(((Need) info.requirement()).key());
    }
    StringBuilder more = new StringBuilder();
    int count = 0;
    // each entry: a requirement and how it was reached ("requirements.txt:3", "required by ...")
    java.util.ArrayDeque<Map.Entry<Need, String>> queue = new java.util.ArrayDeque<>();
    for (Need root : roots) {
      queue.add(Map.entry(root, root.origin() == null ? "your listing" : root.origin()));
    }
    Set<Key> walked = new HashSet<>();
    while (!queue.isEmpty() && walked.size() < MAX_WALKED) {
      Map.Entry<Need, String> next = queue.poll();
      Need need = next.getKey();
      if (need.url() != null || need.key().python()) {
        continue;
      }
      Candidate chosen = need.pinned();
      if (chosen == null) {
        if (!walked.add(need.key())) {
          continue;
        }
        PackageFinder.Found found;
        try {
          found = finder.find(need.key().name());
        } catch (AccretionException e) {
          continue;
        }
        Distribution newest = null;
        for (Distribution d : found.distributions()) {
          if (need.specifier().contains(d.version(), true)
              && (newest == null || d.version().compareTo(newest.version()) > 0)) {
            newest = d;
          }
        }
        if (newest == null) {
          // a listing's own requirement fails on its own when no fitting release satisfies it; a
          // dependency only when no release fits the target at all (another release of its parent
          // might ask for one that fits: that is the resolver's business, not an independent
          // failure)
          boolean independent = need.origin() != null || found.distributions().isEmpty();
          if (independent && explained.add(need.key())) {
            count++;
            more.append("\n\n  ")
                .append(need.key())
                .append(" is required as:\n    ")
                .append(need.text())
                .append("  (")
                .append(next.getValue())
                .append(')')
                .append(versions(need.key(), List.of(need)));
          }
          continue;
        }
        chosen = new Candidate(need.key(), newest.version(), newest);
      } else if (!walked.add(chosen.key())) {
        continue;
      }
      if (provider == null) {
        continue;
      }
      List<Need> dependencies;
      try {
        dependencies = provider.dependencies(chosen);
      } catch (AccretionException | RuntimeException e) {
        continue; // its metadata can't be read: the walk goes on with the others
      }
      String via =
          "required by "
              + chosen.key().name().display()
              + " "
              + chosen.version()
              + " <- "
              + (next.getValue().startsWith("required by ")
                  ? next.getValue().substring("required by ".length())
                  : next.getValue());
      String bounded = dev.accretion.python.Excerpt.of(via);
      for (Need dependency : dependencies) {
        queue.add(Map.entry(dependency, bounded));
      }
    }
    if (count == 0) {
      return conflict;
    }
    return conflict
        + "\n\n  also failing on their own ("
        + count
        + (count == 1 ? " more requirement" : " more requirements")
        + " with no release that fits this target):"
        + more;
  }

  @SuppressWarnings("unchecked")
  String explain(ResolutionImpossible failure) {
    StringBuilder out = new StringBuilder();
    out.append("no set of wheels satisfies the requirements on ")
        .append(target.describe())
        .append(':');
    // one entry per cause, in order: a Need is a value, so two parents may ask for equal ones
    Map<Key, List<Provider.Information<Need, Candidate>>> byKey = new LinkedHashMap<>();
    for (Provider.Information<?, ?> info : failure.causes()) {
      Provider.Information<Need, Candidate> typed =
          (Provider.Information<Need, Candidate>) (Provider.Information<?, ?>) info;
      byKey.computeIfAbsent(typed.requirement().key(), k -> new ArrayList<>()).add(typed);
    }
    Map<Object, List<Provider.Information<?, ?>>> requiredBy = failure.requiredBy();
    for (Map.Entry<Key, List<Provider.Information<Need, Candidate>>> e : byKey.entrySet()) {
      Key key = e.getKey();
      if (key.python()) {
        out.append(requiresPython(e.getValue(), requiredBy));
        continue;
      }
      out.append("\n\n  ").append(key).append(" is required as:");
      Set<String> lines = new java.util.LinkedHashSet<>();
      List<Need> needs = new ArrayList<>();
      for (Provider.Information<Need, Candidate> info : e.getValue()) {
        Need need = info.requirement();
        needs.add(need);
        lines.add(need.text() + "  (" + chain(need, info.parent(), requiredBy) + ")");
      }
      for (String line : lines) {
        out.append("\n    ").append(line);
      }
      out.append(versions(key, needs));
    }
    return out.toString();
  }

  /**
   * The releases whose Requires-Python excludes the target, grouped: "foo 6.0, 5.0 (2 versions)
   * require Python>=3.12 (foo is required by bar 1.0 <- requirements.txt:1)".
   */
  private String requiresPython(
      List<Provider.Information<Need, Candidate>> infos,
      Map<Object, List<Provider.Information<?, ?>>> requiredBy) {
    StringBuilder out = new StringBuilder();
    out.append("\n\n  Python ")
        .append(target.pythonFullVersion())
        .append(" (")
        .append(target.runtime().id())
        .append(") is excluded by the Requires-Python of:");
    // (project, requirement text, how the project was reached) -> versions
    Map<String, Set<Version>> groups = new LinkedHashMap<>();
    for (Provider.Information<Need, Candidate> info : infos) {
      Need need = info.requirement();
      Candidate parent = info.parent();
      String via;
      String project;
      if (parent == null) {
        project = null;
        via = need.origin() == null ? "your listing" : need.origin();
      } else {
        project = parent.key().name().display();
        List<Provider.Information<?, ?>> up = requiredBy.get(parent.key());
        Provider.Information<Need, Candidate> first =
            up == null || up.isEmpty()
                ? null
                : (Provider.Information<Need, Candidate>) (Provider.Information<?, ?>) up.get(0);
        via =
            first == null
                ? "your listing"
                : first.parent() == null
                    ? (first.requirement().origin() == null
                        ? "your listing"
                        : first.requirement().origin())
                    : chain(first.requirement(), first.parent(), requiredBy);
      }
      String groupKey = (project == null ? "" : project) + "\u0000" + need.text() + "\u0000" + via;
      Set<Version> versions =
          groups.computeIfAbsent(groupKey, k -> new TreeSet<>(Comparator.reverseOrder()));
      if (parent != null) {
        versions.add(parent.version());
      }
    }
    for (Map.Entry<String, Set<Version>> g : groups.entrySet()) {
      String[] parts = g.getKey().split("\u0000", -1);
      List<Version> versions = new ArrayList<>(g.getValue());
      out.append("\n    ");
      if (parts[0].isEmpty()) {
        out.append("your listing requires ").append(parts[1]).append("  (").append(parts[2]);
      } else {
        String list =
            versions.size() <= 4
                ? join(versions)
                : join(versions.subList(0, 3))
                    + ", ... "
                    + versions.get(versions.size() - 1)
                    + " ("
                    + versions.size()
                    + " versions)";
        out.append(parts[0])
            .append(' ')
            .append(list)
            .append(versions.size() == 1 ? " requires " : " require ")
            .append(parts[1])
            .append("  (")
            .append(parts[0])
            .append(" is ")
            .append(parts[2].startsWith("required by ") ? "" : "required by ")
            .append(parts[2]);
      }
      out.append(')');
    }
    out.append("\n    => use a runtime whose Python those releases accept, or pin a release of")
        .append(" the package whose Requires-Python admits ")
        .append(target.pythonFullVersion());
    return out.toString();
  }

  /** "required by pandas 3.0.6 <- requirements.txt:2" */
  @SuppressWarnings("unchecked")
  private static String chain(
      Need need, Candidate parent, Map<Object, List<Provider.Information<?, ?>>> requiredBy) {
    if (parent == null) {
      return need.origin() == null ? "your listing" : need.origin();
    }
    StringBuilder s = new StringBuilder("required by ");
    Set<Key> seen = new HashSet<>();
    Candidate current = parent;
    while (current != null) {
      s.append(current.key().name().display()).append(' ').append(current.version());
      if (!seen.add(current.key())) {
        break;
      }
      List<Provider.Information<?, ?>> infos = requiredBy.get(current.key());
      if (infos == null || infos.isEmpty()) {
        break;
      }
      Provider.Information<Need, Candidate> first =
          (Provider.Information<Need, Candidate>) (Provider.Information<?, ?>) infos.get(0);
      if (first.parent() == null) {
        s.append(" <- ")
            .append(
                first.requirement().origin() == null
                    ? "your listing"
                    : first.requirement().origin());
        break;
      }
      s.append(" <- ");
      current = first.parent();
    }
    return s.toString();
  }

  private String versions(Key key, List<Need> needs) {
    PackageFinder.Found found;
    try {
      found = finder.find(key.name());
    } catch (AccretionException e) {
      return "\n    (its index pages could not be read: " + e.getMessage() + ")";
    }
    StringBuilder out = new StringBuilder();
    if (!found.listedAnywhere() && !found.sources().isEmpty()) {
      out.append("\n    ")
          .append(found.sources().get(0))
          .append(" has a project page for ")
          .append(key.name().display())
          .append(" with no files on it; the first index that has the project owns the name, so")
          .append(" no later index is asked (remove the empty project from that index, or use")
          .append(" --index-strategy best-match)");
      return out.toString();
    }
    List<dev.accretion.python.index.IndexUnreachableException> skipped =
        finder.client().skippedSources();
    if (!found.listedAnywhere() && !skipped.isEmpty()) {
      // "no index lists it" would point the wrong way: an index that might have it was not read
      out.append("\n    no index that could be read lists ")
          .append(key.name().display())
          .append("; ")
          .append(skipped.size() == 1 ? "one could not be read: " : "these could not be read: ");
      for (int i = 0; i < Math.min(3, skipped.size()); i++) {
        out.append(i == 0 ? "" : "; ").append(skipped.get(i).getMessage());
      }
      return out.toString();
    }
    if (!found.listedAnywhere()) {
      out.append("\n    no index lists ")
          .append(key.name().display())
          .append(
              " (check the name, or add the index that has it with --index-url / --extra-index-url)");
      return out.toString();
    }
    // usable versions, and whether any of them satisfies every need
    List<Version> usable = new ArrayList<>();
    for (Distribution d : found.distributions()) {
      usable.add(d.version());
    }
    Version newestFitting = null;
    for (Distribution d : found.distributions()) {
      boolean all = true;
      for (Need n : needs) {
        if (n.url() == null && n.pinned() == null && !n.specifier().contains(d.version(), true)) {
          all = false;
        }
      }
      if (all && !d.version().isPrerelease()) {
        newestFitting = d.version();
        break;
      }
    }
    // rejected versions that the needs would otherwise accept
    Map<Version, List<Rejection>> rejected = PackageFinder.rejectionsByVersion(found);
    Map<String, List<Version>> reasons = new LinkedHashMap<>();
    List<Version> platformRejected = new ArrayList<>();
    for (Map.Entry<Version, List<Rejection>> e : rejected.entrySet()) {
      Version v = e.getKey();
      if (usable.contains(v)) {
        continue;
      }
      boolean wanted = true;
      for (Need n : needs) {
        if (n.url() == null && n.pinned() == null && !n.specifier().contains(v, true)) {
          wanted = false;
        }
      }
      if (!wanted) {
        continue;
      }
      Rejection r = representative(e.getValue());
      reasons.computeIfAbsent(describe(r), k -> new ArrayList<>()).add(v);
      if (r.kind() == Rejection.Kind.PLATFORM) {
        platformRejected.add(v);
      }
    }
    int shown = 0;
    for (Map.Entry<String, List<Version>> e : reasons.entrySet()) {
      if (shown++ == 6) {
        out.append("\n    ... and more versions rejected for other reasons");
        break;
      }
      List<Version> vs = e.getValue();
      String list =
          vs.size() <= 4
              ? join(vs)
              : join(vs.subList(0, 3))
                  + ", ... "
                  + vs.get(vs.size() - 1)
                  + " ("
                  + vs.size()
                  + " versions)";
      out.append("\n    ")
          .append(key.name().display())
          .append(' ')
          .append(list)
          .append(": ")
          .append(e.getKey());
    }
    Set<String> allowed = hashes == null ? null : hashes.get(key.name());
    String hashMismatch = allowed == null ? null : hashMismatch(key, needs, found, allowed);
    if (hashMismatch != null) {
      out.append(hashMismatch);
    } else if (!usable.isEmpty()) {
      out.append("\n    versions with a wheel for this target: ")
          .append(usable.size() <= 8 ? join(usable) : join(usable.subList(0, 8)) + ", ...");
    } else if (reasons.isEmpty()) {
      out.append("\n    no file of ")
          .append(key.name().display())
          .append(" can be used on this target");
    }
    out.append(shadowed(key, needs, found));
    // ways out
    List<String> ways = new ArrayList<>();
    if (!platformRejected.isEmpty()) {
      Version newestRejected = platformRejected.get(0);
      Version oldestRejected = platformRejected.get(platformRejected.size() - 1);
      Version fit = newestFitting;
      if (fit == null && !usable.isEmpty()) {
        fit = usable.get(0);
      }
      if (newestFitting == null
          && !usable.isEmpty()
          && usable.get(0).compareTo(oldestRejected) < 0) {
        // the target has an older release, but the requirements rule it out
        List<String> texts = new ArrayList<>();
        for (Need n : needs) {
          texts.add(n.text());
        }
        ways.add(
            "newest "
                + key.name().display()
                + " that fits this target is "
                + usable.get(0)
                + ", which "
                + String.join(", ", texts)
                + " excludes: relax that requirement (or use an older release of what asks for it)");
      } else if (fit != null && fit.compareTo(oldestRejected) < 0) {
        ways.add(
            "newest "
                + key.name().display()
                + " that fits this target is "
                + fit
                + ": pin '"
                + key.name().normalized()
                + "<"
                + upperBound(oldestRejected, fit)
                + "'");
      }
      String runtime = runtimeThatFits(key.name(), found, newestRejected);
      if (runtime != null) {
        ways.add(
            "or use "
                + runtime
                + ", where "
                + key.name().display()
                + " "
                + newestRejected
                + " fits");
      }
    }
    for (String w : ways) {
      out.append("\n    => ").append(w);
    }
    return out.toString();
  }

  /**
   * In hash-checking mode: the wheels that fit and that the needs accept, but whose hash is not one
   * the listing allows. Null when there are none (the failure is about something else).
   */
  private static String hashMismatch(
      Key key, List<Need> needs, PackageFinder.Found found, Set<String> allowed) {
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (Distribution d : found.distributions()) {
      boolean wanted = true;
      for (Need n : needs) {
        if (n.url() == null && n.pinned() == null && !n.specifier().contains(d.version(), true)) {
          wanted = false;
        }
      }
      String sha = d.file().sha256().orElse(null);
      if (!wanted || (sha != null && allowed.contains("sha256:" + sha))) {
        continue;
      }
      if (shown++ == 3) {
        out.append("\n    ... and more files whose hashes differ");
        break;
      }
      out.append("\n    hash mismatch: ")
          .append(d.file().filename())
          .append(sha == null ? " has no sha256 on its index" : " has sha256:" + sha)
          .append(" (")
          .append(d.file().index())
          .append("), which is not among the --hash values the listing gives for ")
          .append(key.name().display())
          .append(" (")
          .append(abbreviate(allowed))
          .append(')');
    }
    if (shown == 0) {
      return null;
    }
    out.append("\n    => the file is not the one the listing pins: check the --hash (pip hash FILE")
        .append(" prints it), or the index if the release was re-uploaded");
    return out.toString();
  }

  private static String abbreviate(Set<String> hashes) {
    List<String> out = new ArrayList<>();
    for (String h : new TreeSet<>(hashes)) {
      out.add(h.length() > 23 ? h.substring(0, 23) + "…" : h);
      if (out.size() == 4) {
        out.add("...");
        break;
      }
    }
    return String.join(", ", out);
  }

  /**
   * Versions that later indexes list and the needs would accept, left out by first-index: say so,
   * or the user sees a version "missing" that pip (which pools the indexes) would consider.
   */
  private static String shadowed(Key key, List<Need> needs, PackageFinder.Found found) {
    StringBuilder out = new StringBuilder();
    for (ProjectPage page : found.shadowed()) {
      Set<Version> versions = new TreeSet<>(Comparator.reverseOrder());
      for (IndexFile file : page.files()) {
        String version = null;
        try {
          if (WheelFilename.isWheel(file.filename())) {
            version = WheelFilename.parse(file.filename()).version();
          } else if (SdistFilename.isSdist(file.filename())) {
            version = SdistFilename.parse(file.filename()).version();
          }
        } catch (ParseException e) {
          // not a file name that says its version: nothing to report
        }
        Version v = version == null ? null : Version.tryParse(version).orElse(null);
        if (v == null) {
          continue;
        }
        boolean wanted = true;
        for (Need n : needs) {
          if (n.url() == null && n.pinned() == null && !n.specifier().contains(v, true)) {
            wanted = false;
          }
        }
        if (wanted) {
          versions.add(v);
        }
      }
      if (versions.isEmpty()) {
        continue;
      }
      List<Version> list = new ArrayList<>(versions);
      out.append("\n    ")
          .append(key.name().display())
          .append(' ')
          .append(list.size() <= 4 ? join(list) : join(list.subList(0, 4)) + ", ...")
          .append(list.size() == 1 ? " is" : " are")
          .append(" also on ")
          .append(page.source())
          .append(", which the first-index strategy ignores for ")
          .append(key.name().display())
          .append(" (it comes only from ")
          .append(
              found.sources().isEmpty() ? "the first index that lists it" : found.sources().get(0))
          .append("); --index-strategy best-match pools the indexes as pip does");
    }
    return out.toString();
  }

  private static Rejection representative(List<Rejection> rejections) {
    // platform reasons are the most telling; then Requires-Python; then the rest
    for (Rejection.Kind kind : Rejection.Kind.values()) {
      for (Rejection r : rejections) {
        if (r.kind() == kind) {
          return r;
        }
      }
    }
    return rejections.get(0);
  }

  private static String describe(Rejection r) {
    return switch (r.kind()) {
      case SDIST ->
          "only a source distribution (" + r.filename() + "); Accretion installs wheels only";
      default -> r.detail();
    };
  }

  /**
   * The shortest release prefix of {@code rejected} that is still above {@code fit}: 2.3.5 -> 2.3.
   */
  private static String upperBound(Version rejected, Version fit) {
    List<Long> release = rejected.release();
    for (int n = 1; n <= release.size(); n++) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          s.append('.');
        }
        s.append(release.get(i));
      }
      Version candidate = Version.tryParse(s.toString()).orElse(null);
      if (candidate != null && candidate.compareTo(fit) > 0 && candidate.compareTo(rejected) <= 0) {
        return s.toString();
      }
    }
    return rejected.toString();
  }

  /** A Python runtime (same CPU) on which the given version of the project has a wheel. */
  private String runtimeThatFits(PackageName name, PackageFinder.Found found, Version version) {
    List<WheelFilename> wheels = new ArrayList<>();
    for (Rejection r : found.rejections()) {
      if (version.equals(r.version()) && r.kind() == Rejection.Kind.PLATFORM) {
        try {
          wheels.add(WheelFilename.parse(r.filename()));
        } catch (ParseException e) {
          // skip
        }
      }
    }
    try {
      Map<String, String> fits = new TreeMap<>();
      for (Runtime runtime : RuntimeMatrix.load().all(Language.PYTHON)) {
        if (runtime.id().equals(target.runtime().id())
            || !runtime.architectures().contains(target.architecture())) {
          continue;
        }
        PythonTarget other = PythonTarget.of(Target.of(runtime, target.architecture()));
        for (WheelFilename w : wheels) {
          if (other.supports(w)) {
            fits.put(
                runtime.id(),
                other.runtime().id() + " (" + runtime.os() + ", glibc " + runtime.glibc() + ")");
            break;
          }
        }
      }
      return fits.isEmpty() ? null : fits.values().iterator().next();
    } catch (AccretionException e) {
      return null;
    }
  }

  private static String join(List<Version> versions) {
    List<String> s = new ArrayList<>();
    for (Version v : versions) {
      s.add(v.toString());
    }
    return String.join(", ", s);
  }
}
