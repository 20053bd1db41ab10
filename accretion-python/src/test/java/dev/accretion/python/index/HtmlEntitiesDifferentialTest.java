package dev.accretion.python.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.testkit.Python;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HTML character references against Python's {@code html.unescape} (python3.11, the oracle) over
 * the whole entity table: every name of {@code html.entities.html5} in several contexts (bare,
 * followed by text, by '=', by a semicolon, cut short), numeric references over the special ranges
 * and a sample of all code points, and malformed ones. The inputs are made here in Java from our
 * table and checked against Python's own table, so a name missing on either side fails too.
 */
class HtmlEntitiesDifferentialTest {
  private static final String ORACLE =
      """
      import html, html.entities, sys
      names = sorted(html.entities.html5)
      print(len(names))
      for n in names:
          print(n)
      for line in sys.stdin:
          text = bytes.fromhex(line.strip()).decode('utf-8', 'surrogatepass')
          print(html.unescape(text).encode('utf-8', 'surrogatepass').hex())
      """;

  @Test
  void unescape_matchesPythonOverTheWholeEntityTable() throws Exception {
    List<String> inputs = new ArrayList<>();
    for (String name : new java.util.TreeSet<>(HtmlEntities.table().keySet())) {
      String bare = name.endsWith(";") ? name.substring(0, name.length() - 1) : name;
      inputs.add("&" + name);
      inputs.add("a&" + name + "b");
      inputs.add("&" + bare + "=x");
      inputs.add("&" + bare + "x;");
      inputs.add("&" + bare + "1");
      inputs.add("&" + bare.substring(0, Math.max(1, bare.length() - 1)));
      inputs.add("&" + bare + ";;&" + bare + "&");
    }
    int[] special = {
      0,
      1,
      8,
      9,
      10,
      11,
      12,
      13,
      14,
      31,
      32,
      38,
      60,
      127,
      128,
      129,
      141,
      143,
      144,
      157,
      159,
      160,
      0xD7FF,
      0xD800,
      0xDBFF,
      0xDC00,
      0xDFFF,
      0xE000,
      0xFDCF,
      0xFDD0,
      0xFDEF,
      0xFDF0,
      0xFFFD,
      0xFFFE,
      0xFFFF,
      0x10000,
      0x1FFFE,
      0x1FFFF,
      0x10FFFD,
      0x10FFFE,
      0x10FFFF,
      0x110000,
      0x7FFFFFFF
    };
    List<Integer> numbers = new ArrayList<>();
    for (int cp : special) {
      numbers.add(cp);
    }
    for (int cp = 0; cp <= 0x10FFFF; cp += 4099) {
      numbers.add(cp);
    }
    for (int cp : numbers) {
      inputs.add("&#" + cp + ";");
      inputs.add("&#" + cp + "x");
      inputs.add("&#x" + Integer.toHexString(cp) + ";");
      inputs.add("&#X" + Integer.toHexString(cp).toUpperCase() + "y");
      inputs.add("&#000" + cp);
    }
    inputs.addAll(
        List.of(
            "&",
            "&&",
            "&;",
            "&#",
            "&#;",
            "&#x",
            "&#x;",
            "&#xg;",
            "&# 65;",
            "&#99999999999999999999;",
            "&#x00000000000000041;",
            "&amp",
            "&ampamp;",
            "&notit;",
            "&notin;",
            "& amp;",
            "&a\tb;",
            "&" + "a".repeat(40) + ";",
            "&" + "lt".repeat(20),
            "&\uD83D\uDE00;",
            "&lt\uD83D\uDE00",
            "plain text"));
    StringBuilder stdin = new StringBuilder();
    for (String input : inputs) {
      stdin
          .append(HexFormat.of().formatHex(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
          .append('\n');
    }
    String[] lines = Python.of("3.11").script(ORACLE, stdin.toString()).split("\n", -1);
    int count = Integer.parseInt(lines[0].strip());
    List<String> pythonNames = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      pythonNames.add(lines[i]);
    }
    assertThat(new java.util.TreeSet<>(HtmlEntities.table().keySet()))
        .as("our table is Python's")
        .containsExactlyElementsOf(pythonNames);
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      String expected =
          new String(
              HexFormat.of().parseHex(lines[count + 1 + i].strip()),
              java.nio.charset.StandardCharsets.UTF_8);
      String actual = HtmlEntities.unescape(inputs.get(i));
      if (!expected.equals(actual)) {
        mismatches.add(inputs.get(i) + " -> python " + expected + " / ours " + actual);
      }
    }
    assertThat(mismatches).as("%d inputs", inputs.size()).isEmpty();
    assertThat(inputs.size()).isGreaterThan(15_000);
  }
}
