package dev.accretion.node.semver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.node.NodeTools;
import dev.accretion.node.json.JsonText;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Versions and ranges against npm's own {@code semver} package, run with the machine's Node.js:
 * validity, the desugared form, satisfaction (loose, and with prereleases included), the highest
 * satisfying version and range intersection, over hand-picked corner cases and random ranges.
 */
class SemVerDifferentialTest {
  static final List<String> RANGES =
      List.of(
          "",
          "*",
          "x",
          "X",
          "1",
          "1.x",
          "1.2",
          "1.2.x",
          "1.2.3",
          "=1.2.3",
          "v1.2.3",
          ">1.2.3",
          ">=1.2.3",
          "<1.2.3",
          "<=1.2.3",
          "~1.2.3",
          "~1.2",
          "~1",
          "~>1.2.3",
          "^1.2.3",
          "^0.2.3",
          "^0.0.3",
          "^0.0",
          "^0.x",
          "^1.2.x",
          "^0.0.x",
          "1.2 - 2.3.4",
          "1.2.3 - 2.3",
          "1.2.3 - 2",
          "1 - 2",
          ">=1.0.0 <2.0.0",
          ">= 1.0.0 < 2.0.0",
          "1.x || >=2.5.0 || 5.0.0 - 7.2.3",
          "^1.2.3-beta.2",
          "~1.2.3-beta.2",
          ">1.2.3-alpha.3",
          ">=1.2.3-alpha <1.2.3",
          "<1",
          ">1",
          "<=1",
          ">=1",
          "<1.2",
          ">1.2",
          "<=1.2",
          "^ 1.2.3",
          "~ 1.2.3",
          "> 1.2.3",
          ">=*",
          "<*",
          ">*",
          "01.02.03",
          "1.2.3beta",
          "^01.2.3",
          "latest",
          "next",
          "1.2.3+build",
          "^1.2.3+build.5",
          "~1.2.3 || ^2",
          "2.x.x",
          "1.2.3 1.2.4",
          "<0.0.0-0",
          ">=0.0.0",
          ">=0.0.0-0",
          "^0.0.0",
          "~0.0.0",
          "a.b.c",
          "1.2.3.4",
          ">=1.2.3 || foo",
          "x.1",
          "*.1.2",
          "1.*",
          "1.*.*",
          ">1.x",
          "<=1.x",
          "^*",
          "~*",
          "||",
          "1 ||",
          "|| 1",
          "1.2.3 - *",
          "* - 1.2.3",
          "=1.x",
          "==1.2.3",
          "!=1.2.3",
          "^1.0.0-0",
          ">=1.0.0-rc.1 <1.0.0",
          "1.0.0-rc.1 - 1.0.0",
          ">=1.2.3-x.7.z.92",
          "^12.20.0 || ^14.13.1 || >=16.0.0",
          ">=18",
          "^18.17.0 || ^20.3.0 || >=21.0.0",
          "16 || 18 || >=20",
          ">= 14",
          ">=0.10.0",
          "0.x || >=1.0.0-0",
          "  ^1.2.3   ",
          "^1.2.3\t||\t~2",
          ">=1.2.3 <1.2.3",
          ">2 <1",
          "1.2.3 - 1.2.3",
          "~1.2.3-0",
          "^1.2.3-0",
          "<=1.2.3-beta",
          "v1",
          "=v1.2.3",
          "1.2.3-",
          "^1.2.3-beta..1",
          "~0.0.1",
          "~0.1",
          "^0.1",
          "^0",
          "~0",
          ">= 1 .2",
          "1.2.3 || <=",
          "<= 1.x",
          "> 1.2.x",
          ">=1.2.x",
          "<1.2.x",
          ">1.2.3 || <1.0.0",
          "^12.22.0 || ^14.17.0 || >=16.0.0",
          "1.0.0 - 2.0.0 || 3.x",
          "^2.0.0 || ^3.0.0-alpha.1");

  static final List<String> VERSIONS =
      List.of(
          "0.0.0",
          "0.0.1",
          "0.0.3",
          "0.0.4",
          "0.1.0",
          "0.2.3",
          "0.2.9",
          "0.3.0",
          "0.10.0",
          "1.0.0",
          "1.0.0-rc.1",
          "1.0.0-0",
          "1.2.0",
          "1.2.3",
          "1.2.3-alpha",
          "1.2.3-alpha.3",
          "1.2.3-alpha.7",
          "1.2.3-beta.2",
          "1.2.3-beta.4",
          "1.2.3-beta.10",
          "1.2.3-0",
          "1.2.4",
          "1.2.4-beta",
          "1.3.0",
          "1.9.9",
          "2.0.0",
          "2.0.0-0",
          "2.3.4",
          "2.3.5",
          "2.4.0",
          "2.5.0",
          "3.0.0",
          "3.0.0-alpha.1",
          "3.0.0-alpha.2",
          "5.0.0",
          "7.2.3",
          "7.2.4",
          "12.20.0",
          "14.0.0",
          "14.13.1",
          "16.0.0",
          "18.17.0",
          "18.0.0",
          "20.2.0",
          "20.3.0",
          "21.0.0",
          "22.12.0",
          "1.2.3-x.7.z.92",
          "v1.2.3",
          "=1.2.3",
          "01.2.3",
          "1.2.3beta",
          " 1.2.3 ",
          "1.2.3+build.7",
          "1.2",
          "x",
          "1.2.3-beta.02",
          "9007199254740992.0.0");

  static List<String> randomRanges() {
    Random r = new Random(20260101);
    String[] ops = {"", "^", "~", ">", ">=", "<", "<=", "=", "~>", "v"};
    String[] parts = {"0", "1", "2", "3", "x", "*", "10", "01"};
    String[] pres = {"", "", "", "-0", "-alpha", "-beta.2", "-rc.1", "beta"};
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int sets = 1 + r.nextInt(2);
      List<String> s = new ArrayList<>();
      for (int k = 0; k < sets; k++) {
        int comps = 1 + r.nextInt(2);
        List<String> c = new ArrayList<>();
        for (int j = 0; j < comps; j++) {
          int len = 1 + r.nextInt(3);
          StringBuilder v = new StringBuilder(ops[r.nextInt(ops.length)]);
          for (int p = 0; p < len; p++) {
            if (p > 0) {
              v.append('.');
            }
            v.append(parts[r.nextInt(parts.length)]);
          }
          if (len == 3) {
            v.append(pres[r.nextInt(pres.length)]);
          }
          c.add(v.toString());
        }
        if (r.nextInt(6) == 0) {
          s.add(c.get(0).replaceAll("[^0-9.x*]", "") + " - " + (2 + r.nextInt(3)) + ".x");
        } else {
          s.add(String.join(" ", c));
        }
      }
      out.add(String.join(" || ", s));
    }
    return out;
  }

  private static final String ORACLE =
      """
      const semver = require(process.argv[1] + '/node_modules/semver');
      let input = '';
      process.stdin.on('data', d => input += d);
      process.stdin.on('end', () => {
        const { ranges, versions } = JSON.parse(input);
        const out = ranges.map(r => {
          const valid = semver.validRange(r, true);
          const sat = versions.map(v => semver.satisfies(v, r, true));
          const satPre = versions.map(v => semver.satisfies(v, r, { loose: true, includePrerelease: true }));
          const max = semver.maxSatisfying(versions.filter(v => semver.valid(v, true)), r, true);
          return { valid, sat, satPre, max };
        });
        const parsed = versions.map(v => { const p = semver.parse(v, true); return p ? p.version : null });
        const strict = versions.map(v => { const p = semver.parse(v, false); return p ? p.version : null });
        const sorted = versions.filter(v => semver.valid(v, true)).sort((a, b) => semver.compare(a, b, true));
        const inter = [];
        for (let i = 0; i + 1 < ranges.length; i++) {
          try { inter.push(semver.intersects(ranges[i], ranges[i + 1], true)); } catch (e) { inter.push(null); }
        }
        process.stdout.write(JSON.stringify({ out, parsed, strict, sorted, inter }));
      });
      """;

  @Test
  @SuppressWarnings("unchecked")
  void rangesAndVersions_readAsNpmSemverReadsThem() throws Exception {
    Set<String> ranges = new LinkedHashSet<>(RANGES);
    ranges.addAll(randomRanges());
    List<String> rangeList = List.copyOf(ranges);
    StringBuilder input = new StringBuilder("{\"ranges\":[");
    for (int i = 0; i < rangeList.size(); i++) {
      if (i > 0) {
        input.append(',');
      }
      JsonText.quote(input, rangeList.get(i));
    }
    input.append("],\"versions\":[");
    for (int i = 0; i < VERSIONS.size(); i++) {
      if (i > 0) {
        input.append(',');
      }
      JsonText.quote(input, VERSIONS.get(i));
    }
    input.append("]}");
    NodeTools.Result result =
        NodeTools.run(
                List.of("node", "-e", ORACLE, NodeTools.npmRoot().toString()),
                null,
                input.toString(),
                Map.of())
            .requireSuccess("the semver oracle");
    Map<String, Object> doc = JsonText.parseObject(result.stdout());
    List<Object> out = (List<Object>) doc.get("out");
    List<String> problems = new ArrayList<>();
    List<SemVer> validVersions = new ArrayList<>();
    List<Object> parsed = (List<Object>) doc.get("parsed");
    List<Object> strict = (List<Object>) doc.get("strict");
    for (int i = 0; i < VERSIONS.size(); i++) {
      String v = VERSIONS.get(i);
      String mine = SemVer.parse(v, true).map(SemVer::toString).orElse(null);
      if (!java.util.Objects.equals(mine, parsed.get(i))) {
        problems.add("parse(" + v + ", loose): npm " + parsed.get(i) + ", mine " + mine);
      }
      String mineStrict = SemVer.parse(v, false).map(SemVer::toString).orElse(null);
      if (!java.util.Objects.equals(mineStrict, strict.get(i))) {
        problems.add("parse(" + v + ", strict): npm " + strict.get(i) + ", mine " + mineStrict);
      }
      SemVer.parse(v, true).ifPresent(validVersions::add);
    }
    List<String> sorted = new ArrayList<>();
    List<String> validTexts = new ArrayList<>();
    for (String v : VERSIONS) {
      if (SemVer.parse(v, true).isPresent()) {
        validTexts.add(v);
      }
    }
    validTexts.sort((a, b) -> SemVer.of(a).compareTo(SemVer.of(b)));
    sorted.addAll(validTexts);
    List<String> npmSorted = new ArrayList<>();
    for (Object o : (List<Object>) doc.get("sorted")) {
      npmSorted.add(SemVer.of((String) o).toString());
    }
    List<String> mineSorted = sorted.stream().map(s -> SemVer.of(s).toString()).toList();
    if (!mineSorted.equals(npmSorted)) {
      problems.add("order: npm " + npmSorted + ", mine " + mineSorted);
    }
    for (int i = 0; i < rangeList.size(); i++) {
      String r = rangeList.get(i);
      Map<String, Object> o = (Map<String, Object>) out.get(i);
      Range range = Range.parse(r).orElse(null);
      Range rangePre = Range.parse(r, true, true).orElse(null);
      String mineValid = range == null ? null : range.formatted();
      if (!java.util.Objects.equals(mineValid, o.get("valid"))) {
        problems.add("validRange(" + r + "): npm " + o.get("valid") + ", mine " + mineValid);
        continue;
      }
      List<Object> sat = (List<Object>) o.get("sat");
      List<Object> satPre = (List<Object>) o.get("satPre");
      for (int k = 0; k < VERSIONS.size(); k++) {
        String v = VERSIONS.get(k);
        boolean mine = range != null && range.test(v);
        if (mine != (Boolean) sat.get(k)) {
          problems.add("satisfies(" + v + ", " + r + "): npm " + sat.get(k) + ", mine " + mine);
        }
        boolean minePre = rangePre != null && rangePre.test(v);
        if (minePre != (Boolean) satPre.get(k)) {
          problems.add(
              "satisfies("
                  + v
                  + ", "
                  + r
                  + ", includePrerelease): npm "
                  + satPre.get(k)
                  + ", mine "
                  + minePre);
        }
      }
      String mineMax =
          range == null
              ? null
              : range.maxSatisfying(validVersions).map(SemVer::toString).orElse(null);
      Object npmMax = o.get("max") == null ? null : SemVer.of((String) o.get("max")).toString();
      if (!java.util.Objects.equals(mineMax, npmMax)) {
        problems.add("maxSatisfying(" + r + "): npm " + npmMax + ", mine " + mineMax);
      }
    }
    List<Object> inter = (List<Object>) doc.get("inter");
    for (int i = 0; i + 1 < rangeList.size(); i++) {
      Range a = Range.parse(rangeList.get(i)).orElse(null);
      Range b = Range.parse(rangeList.get(i + 1)).orElse(null);
      Boolean mine = a == null || b == null ? null : a.intersects(b);
      if (!java.util.Objects.equals(mine, inter.get(i))) {
        problems.add(
            "intersects("
                + rangeList.get(i)
                + ", "
                + rangeList.get(i + 1)
                + "): npm "
                + inter.get(i)
                + ", mine "
                + mine);
      }
    }
    assertThat(problems)
        .as("differences from npm's semver over %d ranges", rangeList.size())
        .isEmpty();
  }
}
