package dev.accretion.python.resolve;

import dev.accretion.python.tags.PythonTarget;
import dev.accretion.python.tags.Tag;
import dev.accretion.python.tags.WheelFilename;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Says in a few words why a wheel's tags don't fit a Lambda target. */
public final class PlatformReasons {
  private static final Pattern MANYLINUX =
      Pattern.compile("manylinux_(\\d+)_(\\d+)_(.+)|manylinux(1|2010|2014)_(.+)");

  /** The target's interpreter-ABI pairs and platforms, from its (long) tag list. */
  private record TargetFacts(Set<String> pairs, Set<String> platforms) {}

  // once per target, not once per rejected wheel: a target has hundreds of tags, and every
  // resolution explains each wheel it rejects
  private static final Map<PythonTarget, TargetFacts> FACTS = new ConcurrentHashMap<>();

  private PlatformReasons() {}

  private static TargetFacts facts(PythonTarget target) {
    return FACTS.computeIfAbsent(
        target,
        t -> {
          Set<String> pairs = new HashSet<>();
          Set<String> platforms = new HashSet<>();
          for (Tag tag : t.tags()) {
            pairs.add(tag.interpreter() + "-" + tag.abi());
            platforms.add(tag.platform());
          }
          return new TargetFacts(Set.copyOf(pairs), Set.copyOf(platforms));
        });
  }

  public static String explain(WheelFilename wheel, PythonTarget target) {
    TargetFacts facts = facts(target);
    Set<String> pairs = facts.pairs();
    Set<String> platforms = facts.platforms();
    Set<String> interpreterMismatch = new TreeSet<>();
    Set<Tag> interpreterOk = new LinkedHashSet<>();
    for (Tag t : wheel.tags()) {
      if (pairs.contains(t.interpreter() + "-" + t.abi())) {
        interpreterOk.add(t);
      } else {
        interpreterMismatch.add(t.interpreter() + "-" + t.abi());
      }
    }
    if (interpreterOk.isEmpty()) {
      return "wheels only for "
          + String.join(", ", interpreterMismatch)
          + "; "
          + target.runtime().id()
          + " is CPython "
          + target.pythonVersion();
    }
    String machine = target.architecture().machine();
    int minGlibc = Integer.MAX_VALUE;
    Set<String> tooNew = new TreeSet<>();
    Set<String> otherArch = new TreeSet<>();
    Set<String> other = new TreeSet<>();
    for (Tag t : interpreterOk) {
      String p = t.platform();
      if (platforms.contains(p) || p.equals("any")) {
        continue; // can't happen for a rejected wheel, but keeps the logic total
      }
      Matcher m = MANYLINUX.matcher(p);
      if (m.matches()) {
        String arch = m.group(3) != null ? m.group(3) : m.group(5);
        int glibcMinor =
            m.group(1) != null
                ? (Integer.parseInt(m.group(1)) == 2 ? Integer.parseInt(m.group(2)) : 1000)
                : switch (m.group(4)) {
                  case "1" -> 5;
                  case "2010" -> 12;
                  default -> 17;
                };
        if (!arch.equals(machine)) {
          otherArch.add(arch);
        } else {
          tooNew.add(p);
          minGlibc = Math.min(minGlibc, glibcMinor);
        }
      } else {
        other.add(p);
      }
    }
    String runtime =
        target.runtime().id() + " runs on " + target.runtime().os() + ", glibc " + target.glibc();
    if (!tooNew.isEmpty()) {
      return "wheels only for "
          + String.join("/", tooNew)
          + " (needs glibc 2."
          + minGlibc
          + "); "
          + runtime;
    }
    if (!otherArch.isEmpty()) {
      return "wheels only for "
          + String.join("/", otherArch)
          + "; the target CPU is "
          + machine
          + " ("
          + target.architecture().lambdaName()
          + ")";
    }
    return "wheels only for " + String.join(", ", other) + "; Lambda runs Linux (" + machine + ")";
  }

  /** The minimum glibc minor version a wheel needs on the target's CPU, or -1 if not manylinux. */
  static int requiredGlibcMinor(WheelFilename wheel, String machine) {
    int min = Integer.MAX_VALUE;
    for (Tag t : wheel.tags()) {
      Matcher m = MANYLINUX.matcher(t.platform());
      if (!m.matches()) {
        if (t.platform().equals("any")) {
          return 0;
        }
        continue;
      }
      String arch = m.group(3) != null ? m.group(3) : m.group(5);
      if (!arch.equals(machine)) {
        continue;
      }
      int minor =
          m.group(1) != null
              ? Integer.parseInt(m.group(2))
              : switch (m.group(4)) {
                case "1" -> 5;
                case "2010" -> 12;
                default -> 17;
              };
      min = Math.min(min, minor);
    }
    return min == Integer.MAX_VALUE ? -1 : min;
  }
}
