package dev.accretion.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's place in the module rules (README, architecture): it uses core and nothing else of
 * Accretion's, so that every language module can depend on it without depending on another
 * language, the AWS side or a shell.
 */
class ModuleRulesTest {
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?(dev\\.accretion\\.[a-z]+)", Pattern.MULTILINE);

  @Test
  void pipeline_importsOnlyCoreAndItself() throws Exception {
    List<String> wrong = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String text = Files.readString(f);
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
          String module = m.group(1);
          if (!module.equals("dev.accretion.core") && !module.equals("dev.accretion.pipeline")) {
            wrong.add(f + ": " + m.group());
          }
        }
        for (String other :
            List.of("dev.accretion.python", "dev.accretion.aws", "dev.accretion.cli")) {
          if (text.contains(other + ".")) {
            wrong.add(f + " names " + other);
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }
}
