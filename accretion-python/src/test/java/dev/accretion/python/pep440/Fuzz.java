package dev.accretion.python.pep440;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded generator of PEP 440 / PEP 508 inputs for the conformance tests: mostly well-formed
 * strings in all the spellings {@code packaging} accepts, and near-misses (random edits) so the
 * error paths are compared too. The same seed gives the same inputs.
 */
public final class Fuzz {
  /** Characters and tokens edits insert: the grammar's own, whitespace of every kind, a few odd. */
  private static final String ALPHABET =
      "0123456789..--__++!*vVaAbBcCrRpPeEoOsStTdDlLhHwWxX ~=<>()[];,'\"@\t\n\u00e9\u00a0\u2003K";

  private static final String[] TOKENS = {
    "post", "dev", ".*", "+", "!", "rc", "a", " ", ";", ",", "==", "(", ")", "and", "or", "'",
    "\"", "[", "]", "extra", "in", "not", "\\", "@", ".", "-", "_", "0", "\n", "\t", "v", "===",
    "~=", "<", ">=", "python_version", "<=", "!=", "local"
  };

  private static final String[] PRE_WORDS = {
    "a", "b", "c", "rc", "alpha", "beta", "pre", "preview"
  };
  private static final String[] POST_WORDS = {"post", "rev", "r"};
  private static final String[] SEPARATORS = {"", "", "", "", ".", ".", "-", "_"};
  private static final String[] SPACES = {" ", " ", "  ", "\t", "\n", "\u00a0", "\u2003", "\f"};

  private final Random random;

  public Fuzz(long seed) {
    this.random = new Random(seed);
  }

  /**
   * The seed to use: {@code defaultSeed}, or mixed with {@code -Daccretion.conformance.seed=N} to
   * explore other inputs locally (a failure message names the inputs, so a run is reproducible).
   */
  public static long seed(long defaultSeed) {
    return defaultSeed ^ Long.getLong("accretion.conformance.seed", 0L);
  }

  /** How many generated inputs: {@code base}, times {@code -Daccretion.conformance.scale=N}. */
  public static int scaled(int base) {
    return base * Integer.getInteger("accretion.conformance.scale", 1);
  }

  public Random random() {
    return random;
  }

  public boolean chance(double p) {
    return random.nextDouble() < p;
  }

  public <T> T pick(T[] options) {
    return options[random.nextInt(options.length)];
  }

  public <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  /** A number as a version writes it: mostly small, sometimes zero-padded, rarely huge. */
  public String number() {
    double d = random.nextDouble();
    if (d < 0.55) {
      return Integer.toString(random.nextInt(10));
    }
    if (d < 0.75) {
      return Integer.toString(10 + random.nextInt(90));
    }
    if (d < 0.85) {
      return Integer.toString(100 + random.nextInt(100_000));
    }
    if (d < 0.91) {
      return "0" + random.nextInt(100);
    }
    if (d < 0.95) {
      return "20"
          + (10 + random.nextInt(15))
          + "0"
          + (1 + random.nextInt(9))
          + "1"
          + random.nextInt(10);
    }
    if (d < 0.98) {
      // Around and past the range of a long.
      return pick(
          new String[] {"9223372036854775807", "9223372036854775808", "18446744073709551616"});
    }
    StringBuilder huge = new StringBuilder().append(1 + random.nextInt(9));
    for (int k = 0, n = 18 + random.nextInt(12); k < n; k++) {
      huge.append(random.nextInt(10));
    }
    return huge.toString();
  }

  private String cased(String word) {
    double d = random.nextDouble();
    if (d < 0.75) {
      return word;
    }
    if (d < 0.85) {
      return word.toUpperCase();
    }
    StringBuilder out = new StringBuilder();
    for (char c : word.toCharArray()) {
      out.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }

  private String separator() {
    return pick(SEPARATORS);
  }

  public String space() {
    return pick(SPACES);
  }

  /** A release segment such as {@code 1.2.3}. */
  public String release() {
    int parts = 1 + Math.min(random.nextInt(5), random.nextInt(5));
    StringBuilder out = new StringBuilder(number());
    for (int k = 1; k < parts; k++) {
      out.append('.').append(number());
    }
    return out.toString();
  }

  /** A PEP 440 version in any accepted spelling (not yet mutated). */
  public String version() {
    StringBuilder out = new StringBuilder();
    if (chance(0.04)) {
      out.append(space());
    }
    if (chance(0.08)) {
      out.append(cased("v"));
    }
    if (chance(0.08)) {
      out.append(number()).append('!');
    }
    out.append(release());
    out.append(suffixes(0.3, 0.2, 0.2));
    if (chance(0.15)) {
      out.append(local());
    }
    if (chance(0.04)) {
      out.append(space());
    }
    return out.toString();
  }

  /** Pre, post and dev segments in any spelling, each with the given probability. */
  public String suffixes(double pre, double post, double dev) {
    StringBuilder out = new StringBuilder();
    if (chance(pre)) {
      out.append(separator()).append(cased(pick(PRE_WORDS)));
      if (chance(0.8)) {
        out.append(separator()).append(number());
      } else if (chance(0.2)) {
        out.append(separator());
      }
    }
    if (chance(post)) {
      if (chance(0.2)) {
        out.append('-').append(number());
      } else {
        out.append(separator()).append(cased(pick(POST_WORDS)));
        if (chance(0.8)) {
          out.append(separator()).append(number());
        }
      }
    }
    if (chance(dev)) {
      out.append(separator()).append(cased("dev"));
      if (chance(0.8)) {
        out.append(separator()).append(number());
      }
    }
    return out.toString();
  }

  /** A local label such as {@code +ubuntu.1}. */
  public String local() {
    StringBuilder out = new StringBuilder("+");
    int parts = 1 + random.nextInt(3);
    for (int k = 0; k < parts; k++) {
      if (k > 0) {
        out.append(pick(new String[] {".", ".", "-", "_"}));
      }
      out.append(
          pick(new String[] {"ubuntu", "1", "007", "abc", "CPU", "cu121", "g1a2b3c", "x", "0"}));
    }
    return out.toString();
  }

  /** One to three random edits: delete, insert, replace, swap, duplicate, insert a token. */
  public String mutate(String text) {
    StringBuilder out = new StringBuilder(text);
    int edits = 1 + Math.min(random.nextInt(3), random.nextInt(3));
    for (int e = 0; e < edits; e++) {
      int at = out.length() == 0 ? 0 : random.nextInt(out.length() + 1);
      int kind = random.nextInt(6);
      switch (kind) {
        case 0 -> {
          if (at < out.length()) {
            out.deleteCharAt(at);
          }
        }
        case 1 -> out.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        case 2 -> {
          if (at < out.length()) {
            out.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
          }
        }
        case 3 -> {
          if (at + 1 < out.length()) {
            char c = out.charAt(at);
            out.setCharAt(at, out.charAt(at + 1));
            out.setCharAt(at + 1, c);
          }
        }
        case 4 -> {
          int end = Math.min(out.length(), at + 1 + random.nextInt(4));
          out.insert(at, out.substring(at, end));
        }
        default -> out.insert(at, pick(TOKENS));
      }
    }
    return out.toString();
  }

  public String maybeMutate(String text, double p) {
    return chance(p) ? mutate(text) : text;
  }

  // ---------------------------------------------------------------------------------------------
  // Specifiers

  private static final String[] OPERATORS = {
    "==", "==", "==", "==", ">=", ">=", ">=", "<", "<", "<=", ">", ">", "!=", "!=", "~=", "~=",
    "==="
  };

  /** A version as specifiers write it: no surrounding whitespace, sometimes a local label. */
  public String specifierVersion(String operator) {
    StringBuilder out = new StringBuilder();
    if (chance(0.05)) {
      out.append(cased("v"));
    }
    if (chance(0.06)) {
      out.append(random.nextInt(3)).append('!');
    }
    out.append(release());
    if (operator.equals("~=") && out.indexOf(".") < 0 && chance(0.9)) {
      out.append('.').append(number());
    }
    if ((operator.equals("==") || operator.equals("!=")) && chance(0.25)) {
      if (chance(0.9)) {
        return out.append(".*").toString();
      }
      return out.append(suffixes(0.5, 0.3, 0.3)).append(".*").toString();
    }
    out.append(suffixes(0.25, 0.15, 0.15));
    if (chance(operator.equals("==") || operator.equals("!=") ? 0.15 : 0.03)) {
      out.append(local());
    }
    return out.toString();
  }

  /** One specifier, with whitespace in the places {@code packaging} allows it. */
  public String specifier() {
    String operator = pick(OPERATORS);
    StringBuilder out = new StringBuilder();
    if (chance(0.05)) {
      out.append(space());
    }
    out.append(operator);
    if (chance(0.2)) {
      out.append(chance(0.8) ? " " : space());
    }
    if (operator.equals("===")) {
      out.append(
          pick(
              new String[] {
                version().strip(), "foo", "1.0-legacy", "", "1.0.0", "1.0", "2.0rc1", "FOO-Bar"
              }));
    } else {
      out.append(specifierVersion(operator));
    }
    if (chance(0.05)) {
      out.append(space());
    }
    return out.toString();
  }

  /** Zero to four specifiers separated by commas, with blank items now and then. */
  public String specifierSet() {
    int n = random.nextInt(5);
    List<String> items = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      items.add(specifier());
      if (chance(0.03)) {
        items.add(chance(0.5) ? "" : " ");
      }
    }
    return String.join(chance(0.7) ? "," : ", ", items);
  }

  /**
   * Versions near {@code base} (a valid version): itself, with trailing zeros, neighbours, and its
   * dev, pre, post and local variants, the cases where the specifier rules differ.
   */
  public List<String> neighbours(Version base) {
    Set<String> out = new LinkedHashSet<>();
    String release = String.join(".", base.releaseExact().stream().map(Object::toString).toList());
    String epoch = base.epoch() == 0 ? "" : base.epoch() + "!";
    List<String> releases = new ArrayList<>();
    releases.add(release);
    releases.add(release + ".0");
    List<java.math.BigInteger> parts = base.releaseExact();
    if (parts.size() > 1) {
      releases.add(
          String.join(
              ".", parts.subList(0, parts.size() - 1).stream().map(Object::toString).toList()));
    }
    List<String> bumped = new ArrayList<>(parts.stream().map(Object::toString).toList());
    bumped.set(
        bumped.size() - 1, parts.get(parts.size() - 1).add(java.math.BigInteger.ONE).toString());
    releases.add(String.join(".", bumped));
    if (parts.get(parts.size() - 1).signum() > 0) {
      bumped.set(
          bumped.size() - 1,
          parts.get(parts.size() - 1).subtract(java.math.BigInteger.ONE).toString());
      releases.add(String.join(".", bumped));
    }
    releases.add(parts.get(0).add(java.math.BigInteger.ONE) + ".0");
    String[] suffixes = {
      "",
      ".dev0",
      ".dev1",
      "a1",
      "a1.dev1",
      "b2",
      "rc1",
      ".post0",
      ".post1",
      ".post1.dev1",
      "+local",
      "+1",
      "rc1+abc.5",
      ".post1+x",
      "a1.post1"
    };
    for (String r : releases) {
      for (String s : suffixes) {
        if (chance(0.25) || s.isEmpty()) {
          out.add(epoch + r + s);
        }
      }
    }
    out.add(base.toString());
    out.add(base.publicVersion() + "+zzz");
    out.add(base.baseVersion().toString());
    out.add("1!" + release);
    return new ArrayList<>(out);
  }

  // ---------------------------------------------------------------------------------------------
  // Markers and requirements

  private static final String[] VARIABLES = {
    "python_version",
    "python_version",
    "python_version",
    "python_full_version",
    "platform_machine",
    "platform_machine",
    "sys_platform",
    "sys_platform",
    "platform_system",
    "os_name",
    "implementation_name",
    "implementation_version",
    "platform_python_implementation",
    "platform_release",
    "platform_version",
    "extra",
    "extra",
    "extra",
    "os.name",
    "sys.platform",
    "platform.machine",
    "platform.python_implementation",
    "python_implementation",
    "platform.version",
    "extras",
    "dependency_groups"
  };

  private static final String[] MARKER_OPERATORS = {
    "==", "==", "==", "==", "==", "!=", "!=", ">=", ">=", ">=", "<", "<", "<=", ">", "in", "not in",
    "~=", "==="
  };

  private static final String[] VERSION_VALUES = {
    "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3", "2.7", "3.11.4", "3.12.0rc1", "3.*",
    "3.10.*", " 3.9", "3.9 ", "", "foo", "3.11.7", "5.10", "4.14.0", "3.8.0", "3.13.0a1", "6",
    "3.6.2", "3.11+local", "=3.8", "3.x"
  };
  private static final String[] STRING_VALUES = {
    "x86_64", "aarch64", "arm64", "AMD64", "i686", "linux", "win32", "darwin", "cygwin", "Linux",
    "Windows", "Darwin", "posix", "nt", "cpython", "pypy", "CPython", "PyPy", "Jython", "x86",
    "lin", "", "64"
  };
  private static final String[] EXTRA_VALUES = {
    "test", "tests", "Foo_Bar", "foo-bar", "dev.docs", "DOCS", "all", "socks", "foo__bar", "a"
  };
  private static final String[] ODD_VALUES = {
    "\\x41",
    "a\\nb",
    "\\\\",
    "\\N{LATIN SMALL LETTER A}",
    "\\u0041",
    "\\101",
    "\\'",
    "tab\there",
    "\\q",
    "\\x4",
    "\\N{NO SUCH NAME}",
    "\\U0001F600",
    "caf\u00e9",
    "\\\n",
    "a\\"
  };

  public String markerValue(String variable) {
    if (chance(0.04)) {
      return pick(ODD_VALUES);
    }
    return switch (variable) {
      case "python_version", "python_full_version", "implementation_version", "platform_release" ->
          chance(0.9) ? pick(VERSION_VALUES) : pick(STRING_VALUES);
      case "extra", "extras", "dependency_groups" ->
          chance(0.9) ? pick(EXTRA_VALUES) : pick(STRING_VALUES);
      default -> chance(0.9) ? pick(STRING_VALUES) : pick(VERSION_VALUES);
    };
  }

  private String quote(String value) {
    boolean hasSingle = value.indexOf('\'') >= 0;
    boolean hasDouble = value.indexOf('"') >= 0;
    char q = hasDouble ? '\'' : hasSingle ? '"' : (chance(0.7) ? '"' : '\'');
    return q + value + q;
  }

  private String gap() {
    double d = random.nextDouble();
    return d < 0.75 ? " " : d < 0.9 ? "" : d < 0.96 ? "  " : "\t";
  }

  /** One comparison, usually {@code variable op "value"}. */
  public String markerItem() {
    String variable = pick(VARIABLES);
    String operator = pick(MARKER_OPERATORS);
    String value = quote(markerValue(variable));
    String opText = operator.equals("not in") && chance(0.1) ? "not\tin" : operator;
    double d = random.nextDouble();
    if (d < 0.85) {
      return variable + gap() + opText + gap() + value;
    }
    if (d < 0.97) {
      return value + gap() + opText + gap() + variable;
    }
    return chance(0.5)
        ? value + gap() + opText + gap() + quote(markerValue(variable))
        : variable + gap() + opText + gap() + pick(VARIABLES);
  }

  /** A marker expression with {@code and}/{@code or} and parentheses, up to three levels. */
  public String marker() {
    return marker(0);
  }

  private String marker(int depth) {
    int atoms = 1 + Math.min(random.nextInt(4), random.nextInt(4));
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < atoms; k++) {
      if (k > 0) {
        String op = chance(0.6) ? "and" : "or";
        out.append(chance(0.95) ? " " : "").append(op).append(chance(0.97) ? " " : "");
      }
      if (depth < 3 && chance(0.2)) {
        out.append('(').append(chance(0.2) ? " " : "").append(marker(depth + 1));
        out.append(chance(0.2) ? " " : "").append(')');
      } else {
        out.append(markerItem());
      }
    }
    return out.toString();
  }

  private static final String[] NAMES = {
    "requests",
    "Django",
    "typing_extensions",
    "zope.interface",
    "A",
    "foo-bar",
    "foo_",
    "x1",
    "oslo.config",
    "Foo.Bar-baz_qux",
    "numpy",
    "a-",
    "pkg"
  };
  private static final String[] EXTRAS = {"socks", "security", "Foo_Bar", "dev.docs", "test", "s3"};
  private static final String[] URLS = {
    "https://example.com/pkg-1.0.tar.gz",
    "file:///tmp/pkg-1.0-py3-none-any.whl",
    "git+https://github.com/a/b.git@v1#egg=b",
    "https://host/x;y",
    "./local/path"
  };

  /** A requirement: name, extras, specifiers or a URL, a marker, with PEP 508 whitespace. */
  public String requirement() {
    StringBuilder out = new StringBuilder();
    if (chance(0.05)) {
      out.append(gap());
    }
    out.append(pick(NAMES));
    if (chance(0.25)) {
      out.append(gap()).append('[').append(chance(0.2) ? " " : "");
      int n = random.nextInt(3);
      for (int k = 0; k < n; k++) {
        if (k > 0) {
          out.append(chance(0.7) ? "," : ", ");
        }
        out.append(pick(EXTRAS));
      }
      out.append(chance(0.2) ? " " : "").append(']');
    }
    boolean url = chance(0.1);
    if (url) {
      out.append(gap()).append('@').append(gap()).append(pick(URLS));
    } else if (chance(0.7)) {
      String specifiers = specifierSet().replace("\n", " ").replace("\u2003", " ");
      if (chance(0.15)) {
        out.append(gap()).append('(').append(specifiers).append(')');
      } else {
        out.append(gap()).append(specifiers);
      }
    }
    if (chance(0.4)) {
      out.append(url ? " " : gap()).append(';').append(gap()).append(marker());
    }
    if (chance(0.03)) {
      out.append(chance(0.5) ? " " : "\n");
    }
    return out.toString();
  }
}
