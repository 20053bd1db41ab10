package dev.accretion.python.pep440;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.accretion.testkit.Python;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code packaging} (the reference implementation, in the python3.11 interpreter) as a
 * batch oracle: one process answers every question of a test class, one JSON line per question.
 * Fails (never skips) if the interpreter or {@code packaging} is missing.
 */
public final class PackagingOracle {
  /** The {@code packaging} release these tests hold the Java code to. */
  public static final String PACKAGING_VERSION = "26.2";

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  private PackagingOracle() {}

  /** Asks every question in one Python process; the answers are in the same order. */
  public static List<JsonNode> ask(List<? extends Map<String, ?>> questions) {
    try {
      StringBuilder input = new StringBuilder();
      for (Map<String, ?> q : questions) {
        input.append(JSON.writeValueAsString(q)).append('\n');
      }
      long start = System.nanoTime();
      String output = Python.of("3.11").script(script(), input.toString());
      System.out.printf(
          "packaging oracle: %d questions answered in %d ms%n",
          questions.size(), (System.nanoTime() - start) / 1_000_000);
      List<JsonNode> answers = new ArrayList<>(questions.size());
      for (String line : output.split("\n")) {
        if (!line.isEmpty()) {
          answers.add(JSON.readTree(line));
        }
      }
      assertThat(answers).as("one answer per question").hasSize(questions.size());
      return answers;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Checks the oracle is the {@code packaging} release the tests were written against. */
  public static void assertPackagingVersion(JsonNode envsAnswer) {
    assertThat(envsAnswer.get("packaging").asText())
        .as("packaging version in python3.11")
        .isEqualTo(PACKAGING_VERSION);
  }

  private static String script() throws IOException {
    try (InputStream in = PackagingOracle.class.getResourceAsStream("packaging_oracle.py")) {
      assertThat(in).as("packaging_oracle.py on the test class path").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** {@code null}, {@code true} or {@code false} as Python's {@code None}/{@code True}/... */
  public static Boolean bool(JsonNode node) {
    return node == null || node.isNull() ? null : node.asBoolean();
  }

  /** A string field, or null for JSON null. */
  public static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
