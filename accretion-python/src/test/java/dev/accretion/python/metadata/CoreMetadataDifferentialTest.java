package dev.accretion.python.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.testkit.Python;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Tricky but well-formed METADATA texts (folding, blank continuation lines, tabs, CR and CRLF,
 * empty values, trailing blanks, bodies with and without trailing line breaks) against {@code
 * packaging.metadata.parse_email}: every field Accretion exposes must be the same raw string.
 */
class CoreMetadataDifferentialTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String ORACLE =
      """
      import json, sys
      from packaging.metadata import parse_email
      for line in sys.stdin:
          raw, unparsed = parse_email(json.loads(line))
          def norm(v):
              if isinstance(v, str):
                  return v.replace("\\r\\n", "\\n").replace("\\r", "\\n")
              if isinstance(v, list):
                  return [norm(x) for x in v]
              return v
          print(json.dumps({k: norm(v) for k, v in raw.items()}))
      """;

  private static final List<String> VALUES =
      List.of(
          "plain",
          "  leading blanks",
          "trailing blanks  ",
          "",
          "tab\tinside",
          "ünïcode ✓",
          "folded\n        second line",
          "folded\n\tthird\n \n  after blank continuation",
          "colon: inside; and \"quotes\"");

  @Test
  void parse_givesTheSameRawFieldsAsPackaging() throws Exception {
    Random random = new Random(7);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      StringBuilder text = new StringBuilder("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n");
      String[] single = {"Summary", "License", "Requires-Python", "License-Expression"};
      for (String field : single) {
        if (random.nextBoolean()) {
          text.append(field).append(":").append(random.nextBoolean() ? " " : "");
          text.append(VALUES.get(random.nextInt(VALUES.size()))).append('\n');
        }
      }
      String[] multi = {"Requires-Dist", "Classifier", "Provides-Extra", "License-File", "Dynamic"};
      for (int n = random.nextInt(6); n > 0; n--) {
        text.append(multi[random.nextInt(multi.length)]).append(": ");
        text.append(VALUES.get(random.nextInt(VALUES.size()))).append('\n');
      }
      switch (random.nextInt(4)) {
        case 0 -> {}
        case 1 -> text.append('\n');
        case 2 -> text.append("\nBody\n\n  indented\n");
        default -> text.append("\nBody without final break");
      }
      String eol = List.of("\n", "\r\n", "\r").get(random.nextInt(3));
      texts.add(text.toString().replace("\n", eol));
    }
    StringBuilder stdin = new StringBuilder();
    for (String text : texts) {
      stdin.append(JSON.writeValueAsString(text)).append('\n');
    }
    String[] answers = Python.of("3.11").script(ORACLE, stdin.toString()).split("\n");
    assertThat(answers).hasSize(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      CoreMetadata m = CoreMetadata.parse(texts.get(i));
      Map<String, Object> ours = new LinkedHashMap<>();
      ours.put("metadata_version", m.metadataVersion());
      ours.put("name", m.name());
      ours.put("version", m.version());
      ours.put("summary", m.summary());
      ours.put("license", m.license());
      ours.put("requires_python", m.requiresPython());
      ours.put("license_expression", m.licenseExpression());
      ours.put("requires_dist", m.requiresDist());
      ours.put("classifiers", m.classifiers());
      ours.put("provides_extra", m.providesExtra());
      ours.put("license_files", m.licenseFiles());
      ours.put("dynamic", m.dynamic());
      ours.put("description", m.description());
      ours.values().removeIf(v -> v == null || (v instanceof List<?> l && l.isEmpty()));
      JsonNode theirs = JSON.readTree(answers[i]);
      JsonNode mine = JSON.valueToTree(ours);
      assertThat(mine).as(JSON.writeValueAsString(texts.get(i))).isEqualTo(theirs);
    }
  }
}
