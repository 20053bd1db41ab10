package dev.accretion.core.toml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.testkit.Python;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The TOML reader against Python's {@code tomllib} (python3.11, the oracle): the valid and invalid
 * documents of CPython's own tomllib test suite (found at test time in the installed Pythons'
 * {@code test/test_tomllib/data}, not copied here), every {@code .toml} file those Pythons ship,
 * and cases written here. Both sides print one canonical text per document (or "error"); they must
 * agree, except where tomllib reads integers past 64 bits, which this reader refuses.
 */
class TomlDifferentialTest {
  private static final String ORACLE =
      """
      import sys, tomllib, json, math, struct, datetime
      def canon(v):
          if isinstance(v, bool): return 'b1' if v else 'b0'
          if isinstance(v, int):
              if not -2**63 <= v < 2**63: raise OverflowError
              return 'i' + str(v)
          if isinstance(v, float):
              return 'fnan' if math.isnan(v) else 'f' + str(struct.unpack('>q', struct.pack('>d', v))[0])
          if isinstance(v, str): return 's' + json.dumps(v)
          if isinstance(v, datetime.datetime):
              t = [v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond]
              if v.tzinfo is None: return 'ldt' + str(t)
              return 'odt' + str(t + [int(v.utcoffset().total_seconds())])
          if isinstance(v, datetime.date): return 'ld' + str([v.year, v.month, v.day])
          if isinstance(v, datetime.time): return 'lt' + str([v.hour, v.minute, v.second, v.microsecond])
          if isinstance(v, list): return '[' + ','.join(canon(x) for x in v) + ']'
          if isinstance(v, dict): return '{' + ','.join(json.dumps(k) + ':' + canon(v[k]) for k in sorted(v)) + '}'
          raise TypeError(type(v))
      for line in sys.stdin:
          text = bytes.fromhex(line.strip()).decode('utf-8', 'surrogatepass')
          try:
              print(canon(tomllib.loads(text)))
          except OverflowError:
              print('skip')
          except Exception:
              print('error')
      """;

  static String canon(Object v) {
    if (v instanceof Boolean b) {
      return b ? "b1" : "b0";
    }
    if (v instanceof Long l) {
      return "i" + l;
    }
    if (v instanceof Double d) {
      return d.isNaN() ? "fnan" : "f" + Double.doubleToRawLongBits(d);
    }
    if (v instanceof String s) {
      return "s" + json(s);
    }
    if (v instanceof OffsetDateTime o) {
      LocalDateTime l = o.toLocalDateTime();
      return "odt"
          + list(fields(l.toLocalDate(), l.toLocalTime()), o.getOffset().getTotalSeconds());
    }
    if (v instanceof LocalDateTime l) {
      return "ldt" + list(fields(l.toLocalDate(), l.toLocalTime()));
    }
    if (v instanceof LocalDate d) {
      return "ld" + list(List.of(d.getYear(), d.getMonthValue(), d.getDayOfMonth()));
    }
    if (v instanceof LocalTime t) {
      return "lt" + list(List.of(t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000));
    }
    if (v instanceof TomlArray a) {
      List<String> parts = new ArrayList<>();
      for (Object x : a.toList()) {
        parts.add(canon(x));
      }
      return "[" + String.join(",", parts) + "]";
    }
    if (v instanceof TomlTable t) {
      Map<String, Object> sorted = new TreeMap<>(TomlDifferentialTest::byCodePoint);
      sorted.putAll(t.toMap());
      List<String> parts = new ArrayList<>();
      sorted.forEach((k, x) -> parts.add(json(k) + ":" + canon(x)));
      return "{" + String.join(",", parts) + "}";
    }
    throw new IllegalArgumentException(String.valueOf(v));
  }

  static int byCodePoint(String a, String b) {
    return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
  }

  static List<Integer> fields(LocalDate d, LocalTime t) {
    return List.of(
        d.getYear(),
        d.getMonthValue(),
        d.getDayOfMonth(),
        t.getHour(),
        t.getMinute(),
        t.getSecond(),
        t.getNano() / 1000);
  }

  static String list(List<Integer> values, int... more) {
    List<String> parts = new ArrayList<>();
    values.forEach(v -> parts.add(String.valueOf(v)));
    for (int m : more) {
      parts.add(String.valueOf(m));
    }
    return "[" + String.join(", ", parts) + "]";
  }

  /** Python's {@code json.dumps} of a string (ensure_ascii). */
  static String json(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  static List<String> corpus() throws Exception {
    List<String> docs = new ArrayList<>();
    for (String version : List.of("3.11", "3.13")) {
      String dir =
          Python.of(version)
              .script("import sys, os\nprint(os.path.dirname(os.__file__))\n", "")
              .strip();
      try (Stream<Path> files = Files.walk(Path.of(dir))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".toml")).sorted().toList()) {
          byte[] bytes = Files.readAllBytes(f);
          String text = new String(bytes, StandardCharsets.UTF_8);
          if (java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes)) {
            docs.add(text);
          }
        }
      }
    }
    docs.addAll(
        List.of(
            "a = 1\nb = -0\nc = +17\nd = 1_000\ne = 0xDEAD_beef\nf = 0o755\ng = 0b1101\n",
            "f = [3.14, -0.0, 1e6, 1E-6, 6.626e-34, 9_224_617.445_991, inf, -inf, nan, +nan, 1e0]",
            "bad = 03",
            "bad = 0_0",
            "bad = 1__0",
            "bad = 1.",
            "bad = .5",
            "bad = 1e",
            "bad = +0x10",
            "big = 9223372036854775807\nsmall = -9223372036854775808",
            "over = 9223372036854775808",
            "s = \"tab\\there \\u00e9 \\U0001F600 \\\"q\\\" \\\\\"",
            "s = \"bad \\x41\"",
            "s = \"\\uD800\"",
            "s = \"line\nbreak\"",
            "s = '''\nfirst\n  second '' '''''",
            "s = \"\"\"\\\n   trimmed \\\n   words\"\"\"\"\"",
            "s = \"\"\"a\"\"\"\"\"\"",
            "s = 'C:\\\\path'",
            "d = [1979-05-27T07:32:00Z, 1979-05-27T00:32:00.999999-07:00, 1979-05-27 07:32:00,"
                + " 1979-05-27, 07:32:00, 00:32:00.5, 1979-05-27t07:32:00.123456789+05:30]",
            "d = 1979-02-29",
            "d = 1979-05-27T25:00:00",
            "d = 07:32",
            "[a]\nx = 1\n[a]\ny = 2",
            "[a.b]\nx = 1\n[a]\ny = 2\n[a.b.c]\nz = 3",
            "a.b.c = 1\na.d = 2\n[a.b.e]\nf = 3",
            "a.b = 1\n[a.b]\nc = 2",
            "a.b.c = 1\n[a]\nb.d = 2",
            "[a]\nb.c = 1\n[a.b]\nd = 2",
            "a = {b = 1}\n[a]\nc = 2",
            "a = {b = 1}\na.c = 2",
            "a = {b = {c = 1}, b.d = 2}",
            "a = {b.c = 1, b.d = 2, e = [1, {f = 2}]}",
            "a = {}\n[a.b]",
            "a = [1, 2]\n[[a]]",
            "[[a]]\nx = 1\n[[a]]\nx = 2\n[a.b]\ny = 3\n[[a.c]]\nz = 4",
            "[[a]]\n[a]",
            "[a]\n[[a]]",
            "x = 1\nx = 2",
            "\"quoted key\" = 1\n'literal.key' = 2\na . b = 3\n\"\" = 4",
            "[ a . \"b c\" . d ]\ne = 1",
            "a = [\n  1, # one\n  2,\n]\n",
            "a = [1 2]",
            "a = {x = 1,}",
            "a = {x = 1\n}",
            "a = 1 b = 2",
            "# comment \u0001 control",
            "a = \"x\" # fine comment\n",
            "a = true\nb = false\nc = truee",
            "key = # missing",
            "= 1",
            "[]",
            "[a]]",
            "[[a]\n",
            "a = \"\"\"unterminated",
            "a = 1\r\nb = 2\r\n",
            "a = 1\rb = 2",
            "\ta\t=\t1\t",
            "1234 = 5\n12.34 = 6\ntrue = 7",
            "a = 1979-05-27T07:32:00+24:00",
            "a = -inf\nb = -nan",
            ""));
    return docs;
  }

  @Test
  void parse_agreesWithTomllib() throws Exception {
    List<String> docs = corpus();
    StringBuilder stdin = new StringBuilder();
    for (String doc : docs) {
      stdin.append(HexFormat.of().formatHex(doc.getBytes(StandardCharsets.UTF_8))).append('\n');
    }
    String[] answers = Python.of("3.11").script(ORACLE, stdin.toString()).split("\n");
    assertThat(answers).hasSize(docs.size());
    List<String> mismatches = new ArrayList<>();
    int errors = 0;
    for (int k = 0; k < docs.size(); k++) {
      String expected = answers[k];
      if (expected.equals("skip")) {
        continue;
      }
      TomlParseResult result = Toml.parse(docs.get(k));
      String actual = result.hasErrors() ? "error" : canon(result);
      if (expected.equals("error")) {
        errors++;
      }
      if (!expected.equals(actual)) {
        String doc = docs.get(k);
        mismatches.add(
            (doc.length() > 300 ? doc.substring(0, 300) + "…" : doc)
                + "\n  tomllib: "
                + (expected.length() > 300 ? expected.substring(0, 300) : expected)
                + "\n  ours:    "
                + (actual.length() > 300 ? actual.substring(0, 300) : actual)
                + (result.hasErrors() ? " (" + result.errors().get(0) + ")" : ""));
      }
    }
    assertThat(mismatches).as("%d documents", docs.size()).isEmpty();
    assertThat(docs.size()).isGreaterThan(150);
    assertThat(errors).isGreaterThan(40);
  }

  @Test
  void parse_deepNesting_isBoundedAndSaysWhere() {
    String deep = "a = " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
    TomlParseResult result = Toml.parse("x = 1\n" + deep);
    assertThat(result.hasErrors()).isTrue();
    assertThat(result.errors().get(0).position()).isEqualTo(new TomlPosition(2, 105));
    assertThat(result.errors().get(0).getMessage()).contains("nest more than 100 deep");
    String inline = "a = " + "{b = ".repeat(100_000) + "1" + "}".repeat(100_000);
    assertThat(Toml.parse(inline).errors().get(0).getMessage()).contains("nest more than 100");
  }

  @Test
  void positions_nameTheLineOfEveryKeyAndElement() {
    TomlParseResult r =
        Toml.parse(
            "# top\n[project]\nname = \"x\"\ndeps = [\n  \"a\",\n  \"b\",\n]\n\n[[pkg]]\nn = 1\n");
    assertThat(r.hasErrors()).isFalse();
    assertThat(r.inputPositionOf(List.of("project"))).isEqualTo(new TomlPosition(2, 1));
    assertThat(r.inputPositionOf(List.of("project", "name")).line()).isEqualTo(3);
    assertThat(r.getArray("project.deps").inputPositionOf(1)).isEqualTo(new TomlPosition(6, 3));
    assertThat(r.getArray("pkg").inputPositionOf(0).line()).isEqualTo(9);
    assertThat(r.getString("project.name")).isEqualTo("x");
  }
}
