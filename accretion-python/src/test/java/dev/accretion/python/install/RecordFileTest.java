package dev.accretion.python.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.python.ParseException;
import dev.accretion.testkit.Python;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void parse_readsRowsQuotedFieldsAndLineEnds() throws Exception {
    RecordFile r =
        RecordFile.parse(
            "a/b.py,sha256=x,12\r\n\"a,b/c.py\",sha256=y,3\n\n\"q\"\"uote.py\",,\nRECORD,,",
            "RECORD");
    assertThat(r.rows())
        .extracting(RecordFile.Row::path, RecordFile.Row::hash, RecordFile.Row::size)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a/b.py", "sha256=x", "12"),
            org.assertj.core.groups.Tuple.tuple("a,b/c.py", "sha256=y", "3"),
            org.assertj.core.groups.Tuple.tuple("q\"uote.py", "", ""),
            org.assertj.core.groups.Tuple.tuple("RECORD", "", ""));
    assertThat(r.rows().get(2).line()).isEqualTo(4);
  }

  @Test
  void parse_rejectsUnterminatedQuoteAndWrongFieldCount() {
    assertThatThrownBy(() -> RecordFile.parse("\"a.py,sha256=x,1\n", "X/RECORD"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("X/RECORD line 1")
        .hasMessageContaining("not closed");
    assertThatThrownBy(() -> RecordFile.parse("ok,,\na.py,sha256=x\n", "X/RECORD"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("expected 3 fields");
  }

  @Test
  void write_quotesOnlyWhatNeedsIt() {
    String text =
        RecordFile.write(
            List.of(
                new RecordFile.Row("plain.py", "sha256=abc", "1", 0),
                new RecordFile.Row("com,ma.py", "", "", 0),
                new RecordFile.Row("q\"uote.py", "", "", 0)));
    assertThat(text).isEqualTo("plain.py,sha256=abc,1\n\"com,ma.py\",,\n\"q\"\"uote.py\",,\n");
  }

  /** Python's csv module is the reference: both directions, on awkward paths. */
  @Test
  void parseAndWrite_agreeWithPythonsCsvModule() throws Exception {
    List<String> paths =
        List.of(
            "a.py",
            "dir/with space.py",
            "com,ma.py",
            "q\"uote.py",
            "\"leading.py",
            "ünïcode/π.py",
            "semi;colon.py",
            "tab\there.py");
    List<RecordFile.Row> rows = new ArrayList<>();
    for (String p : paths) {
      rows.add(new RecordFile.Row(p, "sha256=AbC-_", "10", 0));
    }
    String javaText = RecordFile.write(rows);
    String script =
        """
        import csv, io, json, sys
        data = json.load(sys.stdin)
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\\n")
        for p in data["paths"]:
            w.writerow([p, "sha256=AbC-_", "10"])
        parsed = [row for row in csv.reader(io.StringIO(data["java"]))]
        print(json.dumps({"written": out.getvalue(), "parsed": parsed}))
        """;
    String input = JSON.writeValueAsString(java.util.Map.of("paths", paths, "java", javaText));
    var answer = JSON.readTree(Python.of("3.11").script(script, input));
    assertThat(javaText).isEqualTo(answer.get("written").asText());
    List<String> parsedByPython = new ArrayList<>();
    answer.get("parsed").forEach(row -> parsedByPython.add(row.get(0).asText()));
    assertThat(parsedByPython).isEqualTo(paths);
    assertThat(RecordFile.parse(answer.get("written").asText(), "RECORD").rows())
        .extracting(RecordFile.Row::path)
        .isEqualTo(paths);
  }
}
