package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Golden outputs: a template under {@code src/test/resources/golden/} whose {@code ${key}}
 * placeholders are filled with values the test computes independently (paths, digests, ARNs), then
 * compared byte for byte with what a command printed. A missing template is written to {@code
 * target/golden-new/} (with the values put back as placeholders) and the test fails, so a new
 * golden is reviewed before it is kept.
 */
final class Golden {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-zA-Z0-9_.:-]+)}");

  private Golden() {}

  static void assertMatches(String name, String actual, Map<String, String> values) {
    String template = template(name);
    if (template == null) {
      String proposed = actual;
      // longest values first, so a path is not replaced inside a longer one
      var entries =
          values.entrySet().stream()
              .sorted((a, b) -> Integer.compare(b.getValue().length(), a.getValue().length()))
              .toList();
      for (var e : entries) {
        proposed = proposed.replace(e.getValue(), "${" + e.getKey() + "}");
      }
      try {
        Path out = Path.of("target/golden-new").resolve(name);
        Files.createDirectories(out.getParent());
        Files.writeString(out, proposed, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      throw new AssertionError("no golden " + name + "; proposed one in target/golden-new");
    }
    assertThat(actual).isEqualTo(fill(template, values));
  }

  static String fill(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new AssertionError("golden placeholder ${" + m.group(1) + "} has no value");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String template(String name) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
