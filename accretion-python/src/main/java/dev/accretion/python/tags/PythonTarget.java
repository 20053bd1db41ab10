package dev.accretion.python.tags;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.GlibcVersion;
import dev.accretion.core.runtime.Language;
import dev.accretion.core.runtime.Runtime;
import dev.accretion.core.runtime.Target;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lambda Python runtime on one architecture, seen the way the Python packaging standards see an
 * interpreter: its PEP 425 tag list in priority order and its PEP 508 marker environment. This is
 * what makes resolution platform-aware without a Python interpreter: the tags are those of the
 * Lambda runtime, not of the machine that builds. Immutable and thread-safe.
 *
 * <p>The tag list is exactly what {@code packaging.tags.sys_tags()} gives on that runtime (CPython
 * X.Y, ABI {@code cpXY}, glibc of its Amazon Linux): {@code cpython_tags} then {@code
 * compatible_tags} over the manylinux platforms from the runtime's glibc down ({@code
 * manylinux_2_Y} for every Y, each legacy alias right after its PEP 600 name), minus {@code
 * linux_<machine>}: a wheel tagged only {@code linux_x86_64} was built for the build machine's own
 * libraries and promises nothing about Amazon Linux, so pip on Lambda would accept it but a layer
 * built elsewhere must not.
 */
public final class PythonTarget {
  /**
   * A representative {@code uname -r} of Lambda's execution environment (a 5.10 Amazon Linux
   * kernel, the same for AL2 and AL2023 runtimes); the machine is appended. Lambda does not promise
   * a kernel version, so markers on {@code platform_release} can only be answered approximately.
   */
  static final String KERNEL_RELEASE = "5.10.240-258.955.amzn2.";

  /** A representative {@code platform.version()} of that kernel; as approximate as the release. */
  static final String KERNEL_VERSION = "#1 SMP Thu Jul 31 00:00:00 UTC 2025";

  private static final Pattern PYTHON_VERSION = Pattern.compile("([0-9]+)\\.([0-9]+)");

  /** PEP 513/571/599 names of glibc 2.5, 2.12 and 2.17, listed after the PEP 600 name. */
  private static final Map<Integer, String> LEGACY_MANYLINUX =
      Map.of(17, "manylinux2014", 12, "manylinux2010", 5, "manylinux1");

  private final Target target;
  private final int major;
  private final int minor;
  private final String fullVersion;
  private final List<String> platforms;
  private final List<Tag> tags;
  private final Map<Tag, Integer> ranks;
  private final Map<String, String> markers;

  private PythonTarget(Target target, int major, int minor, String fullVersion) {
    this.target = target;
    this.major = major;
    this.minor = minor;
    this.fullVersion = fullVersion;
    this.platforms = List.copyOf(manylinuxPlatforms(target.runtime().glibc(), machine()));
    this.tags = List.copyOf(computeTags());
    Map<Tag, Integer> rankOf = new HashMap<>();
    for (int i = 0; i < tags.size(); i++) {
      rankOf.putIfAbsent(tags.get(i), i);
    }
    this.ranks = Collections.unmodifiableMap(rankOf);
    this.markers = Collections.unmodifiableMap(computeMarkers());
  }

  /**
   * The Python view of a target.
   *
   * @throws AccretionException if the runtime is not a Python runtime, or its row lacks what the
   *     tags and markers need
   */
  public static PythonTarget of(Target target) throws AccretionException {
    Runtime runtime = target.runtime();
    if (runtime.language() != Language.PYTHON) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "Lambda runtime "
              + runtime.id()
              + " is a "
              + runtime.language()
              + " runtime; Python packages need a python3.x runtime");
    }
    Matcher version = PYTHON_VERSION.matcher(runtime.languageVersion());
    if (!version.matches() || !version.group(1).equals("3")) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "Lambda runtime "
              + runtime.id()
              + " has Python version '"
              + runtime.languageVersion()
              + "'; expected 3.MINOR");
    }
    if (runtime.glibc().major() != 2) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "Lambda runtime " + runtime.id() + " has glibc " + runtime.glibc() + "; expected 2.x");
    }
    String full =
        runtime
            .representativeFullVersion()
            .orElseThrow(
                () ->
                    new AccretionException(
                        FailureKind.BAD_INPUT,
                        "Lambda runtime "
                            + runtime.id()
                            + " has no fullVersion in the runtime matrix"));
    return new PythonTarget(target, 3, Integer.parseInt(version.group(2)), full);
  }

  /**
   * The Python view of a runtime on an architecture.
   *
   * @throws AccretionException if Lambda does not offer the runtime there or it is not Python
   */
  public static PythonTarget of(Runtime runtime, Architecture architecture)
      throws AccretionException {
    return of(Target.of(runtime, architecture));
  }

  /**
   * The manylinux platform tags a glibc supports, best first, as {@code
   * packaging._manylinux.platform_tags} lists them: {@code manylinux_2_Y_<machine>} from the
   * glibc's minor down to 2.5 on x86_64 (2.17 elsewhere: older glibc never existed there), each
   * legacy alias right after its equivalent.
   */
  static List<String> manylinuxPlatforms(GlibcVersion glibc, String machine) {
    int oldest = machine.equals("x86_64") || machine.equals("i686") ? 5 : 17;
    List<String> result = new ArrayList<>();
    for (int glibcMinor = glibc.minor(); glibcMinor >= oldest; glibcMinor--) {
      result.add("manylinux_" + glibc.major() + "_" + glibcMinor + "_" + machine);
      String legacy = LEGACY_MANYLINUX.get(glibcMinor);
      if (legacy != null && glibc.major() == 2) {
        result.add(legacy + "_" + machine);
      }
    }
    return result;
  }

  private List<Tag> computeTags() {
    String cp = "cp" + major + minor;
    List<Tag> result = new ArrayList<>();
    // cpython_tags: the interpreter's own ABI, then the stable ABI (PEP 384, from 3.2), then none,
    // then the stable ABI of every older 3.x down to 3.2.
    for (String platform : platforms) {
      result.add(new Tag(cp, cp, platform));
    }
    for (String platform : platforms) {
      result.add(new Tag(cp, "abi3", platform));
    }
    for (String platform : platforms) {
      result.add(new Tag(cp, "none", platform));
    }
    for (int older = minor - 1; older >= 2; older--) {
      for (String platform : platforms) {
        result.add(new Tag("cp" + major + older, "abi3", platform));
      }
    }
    // compatible_tags: pure-Python tags pyXY, py3, py3(Y-1) ... py30 on each platform, then the
    // interpreter with no ABI on any platform, then the same pure-Python series on any.
    List<String> pythons = new ArrayList<>();
    pythons.add("py" + major + minor);
    pythons.add("py" + major);
    for (int older = minor - 1; older >= 0; older--) {
      pythons.add("py" + major + older);
    }
    for (String python : pythons) {
      for (String platform : platforms) {
        result.add(new Tag(python, "none", platform));
      }
    }
    result.add(new Tag(cp, "none", "any"));
    for (String python : pythons) {
      result.add(new Tag(python, "none", "any"));
    }
    return result;
  }

  private Map<String, String> computeMarkers() {
    Map<String, String> env = new TreeMap<>();
    env.put("implementation_name", "cpython");
    env.put("implementation_version", fullVersion);
    env.put("os_name", "posix");
    env.put("platform_machine", machine());
    env.put("platform_python_implementation", "CPython");
    env.put("platform_release", KERNEL_RELEASE + machine());
    env.put("platform_system", "Linux");
    env.put("platform_version", KERNEL_VERSION);
    env.put("python_full_version", fullVersion);
    env.put("python_version", major + "." + minor);
    env.put("sys_platform", "linux");
    return env;
  }

  private String machine() {
    return target.architecture().machine();
  }

  /** Every supported tag, best first (index 0 is the most specific). Unmodifiable. */
  public List<Tag> tags() {
    return tags;
  }

  /** The manylinux platform tags of this target, best first. Unmodifiable. */
  public List<String> platforms() {
    return platforms;
  }

  /** The tag's priority (0 = best), or empty if a wheel with only this tag cannot run here. */
  public OptionalInt rank(Tag tag) {
    Integer rank = ranks.get(tag);
    return rank == null ? OptionalInt.empty() : OptionalInt.of(rank);
  }

  /**
   * The best priority among a wheel's tags (a wheel fits if any of its tags does), or empty if none
   * is supported.
   */
  public OptionalInt bestRank(Set<Tag> wheelTags) {
    int best = Integer.MAX_VALUE;
    for (Tag tag : wheelTags) {
      Integer rank = ranks.get(tag);
      if (rank != null && rank < best) {
        best = rank;
      }
    }
    return best == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(best);
  }

  /** As {@link #bestRank(Set)} for a wheel's tags. */
  public OptionalInt bestRank(WheelFilename wheel) {
    return bestRank(wheel.tags());
  }

  /** Whether the tag is supported. */
  public boolean supports(Tag tag) {
    return ranks.containsKey(tag);
  }

  /** Whether a wheel with these tags can be installed here. */
  public boolean supports(Set<Tag> wheelTags) {
    return bestRank(wheelTags).isPresent();
  }

  /** Whether the wheel can be installed here. */
  public boolean supports(WheelFilename wheel) {
    return supports(wheel.tags());
  }

  /**
   * The PEP 508 marker environment of the runtime: {@code python_version}, {@code
   * python_full_version} (representative, from the runtime matrix), {@code platform_machine}
   * ({@code x86_64} or {@code aarch64}), {@code sys_platform} linux, {@code platform_system} Linux,
   * {@code os_name} posix, {@code implementation_name} cpython, {@code implementation_version},
   * {@code platform_python_implementation} CPython, and a representative {@code platform_release}
   * and {@code platform_version} of Lambda's kernel. Sorted by key, unmodifiable.
   */
  public Map<String, String> markerEnvironment() {
    return markers;
  }

  /** {@code 3.12}. */
  public String pythonVersion() {
    return major + "." + minor;
  }

  /** The representative full version, e.g. {@code 3.12.12}. */
  public String pythonFullVersion() {
    return fullVersion;
  }

  public GlibcVersion glibc() {
    return target.runtime().glibc();
  }

  public Architecture architecture() {
    return target.architecture();
  }

  public Runtime runtime() {
    return target.runtime();
  }

  public Target target() {
    return target;
  }

  /** For messages: {@code python3.11 (Amazon Linux 2, glibc 2.26) on x86_64}. */
  public String describe() {
    return target.describe();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PythonTarget that && target.equals(that.target);
  }

  @Override
  public int hashCode() {
    return Objects.hash(target);
  }

  /** {@code python3.12/arm64}. */
  @Override
  public String toString() {
    return target.toString();
  }
}
