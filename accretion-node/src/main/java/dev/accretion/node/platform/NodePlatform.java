package dev.accretion.node.platform;

import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.Target;
import dev.accretion.node.semver.Range;
import dev.accretion.node.semver.SemVer;
import java.util.ArrayList;
import java.util.List;

/**
 * A Lambda target as npm's platform checks see it ({@code npm-install-checks}): {@code os} is
 * {@code linux}, {@code cpu} is {@code x64} or {@code arm64} (Node's {@code process.arch}), {@code
 * libc} is {@code glibc} (every Lambda Node.js runtime is Amazon Linux), and the Node.js major
 * version of the runtime. Immutable.
 *
 * @param os always {@code linux}
 * @param cpu {@code x64} or {@code arm64}
 * @param libc always {@code glibc}
 * @param nodeMajor the runtime's Node.js major version ({@code 22} for nodejs22.x)
 */
public record NodePlatform(String os, String cpu, String libc, int nodeMajor) {

  /** The platform of a Lambda Node.js target. */
  public static NodePlatform of(Target target) {
    String cpu = target.architecture() == Architecture.ARM64 ? "arm64" : "x64";
    int major;
    try {
      major = Integer.parseInt(target.runtime().languageVersion().split("\\.")[0]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "runtime " + target.runtime().id() + " has no Node.js major version", e);
    }
    return new NodePlatform("linux", cpu, "glibc", major);
  }

  /** npm's {@code checkList}: none of the negated values, and one of the others if any. */
  static boolean checkList(String value, List<String> list) {
    if (list.size() == 1 && list.get(0).equals("any")) {
      return true;
    }
    int negated = 0;
    boolean match = false;
    for (String entry : list) {
      boolean negate = entry.startsWith("!");
      String test = negate ? entry.substring(1) : entry;
      if (negate) {
        negated++;
        if (value.equals(test)) {
          return false;
        }
      } else {
        match = match || value.equals(test);
      }
    }
    return match || negated == list.size();
  }

  /**
   * Why a package with these {@code os}, {@code cpu} and {@code libc} fields does not run here, or
   * null when it does ({@code checkPlatform}). Null lists mean "not restricted".
   */
  public String mismatch(List<String> osList, List<String> cpuList, List<String> libcList) {
    List<String> why = new ArrayList<>();
    if (osList != null && !osList.isEmpty() && !checkList(os, osList)) {
      why.add("os " + String.join(",", osList) + " (target: " + os + ")");
    }
    if (cpuList != null && !cpuList.isEmpty() && !checkList(cpu, cpuList)) {
      why.add("cpu " + String.join(",", cpuList) + " (target: " + cpu + ")");
    }
    if (libcList != null && !libcList.isEmpty() && !checkList(libc, libcList)) {
      why.add("libc " + String.join(",", libcList) + " (target: " + libc + ")");
    }
    return why.isEmpty() ? null : String.join(", ", why);
  }

  /**
   * Whether an {@code engines.node} range admits some release of this Node.js major version (Lambda
   * moves the minor and patch release of a runtime over time, so a range that admits any release of
   * the major is taken as fitting). An unparsable range admits everything, as npm ignores it.
   */
  public boolean enginesAdmit(String enginesNode) {
    if (enginesNode == null || enginesNode.isBlank()) {
      return true;
    }
    Range r = Range.parse(enginesNode, true, true).orElse(null);
    if (r == null) {
      return true;
    }
    List<SemVer> candidates = new ArrayList<>();
    candidates.add(SemVer.of(nodeMajor + ".0.0"));
    candidates.add(SemVer.of(nodeMajor + ".9999.9999"));
    for (SemVer b : r.boundaries()) {
      if (b.major() == nodeMajor) {
        SemVer rel = b.release();
        candidates.add(rel);
        candidates.add(new SemVer(rel.major(), rel.minor(), rel.patch() + 1, List.of(), List.of()));
        candidates.add(new SemVer(rel.major(), rel.minor() + 1, 0, List.of(), List.of()));
        if (rel.patch() > 0) {
          candidates.add(
              new SemVer(rel.major(), rel.minor(), rel.patch() - 1, List.of(), List.of()));
        }
        if (rel.minor() > 0) {
          candidates.add(new SemVer(rel.major(), rel.minor() - 1, 9999, List.of(), List.of()));
        }
      }
    }
    for (SemVer c : candidates) {
      if (r.test(c)) {
        return true;
      }
    }
    return false;
  }

  /** {@code linux/arm64 (glibc), Node.js 22}, for messages. */
  public String describe() {
    return os + "/" + cpu + " (" + libc + "), Node.js " + nodeMajor;
  }
}
