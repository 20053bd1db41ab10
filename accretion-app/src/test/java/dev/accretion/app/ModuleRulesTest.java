package dev.accretion.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module rules of the README's architecture section, checked on every module of the build: each
 * module's main sources may refer only to the packages of the modules it may use, and its pom may
 * depend (outside test scope) only on those modules.
 *
 * <pre>
 * core      → nothing of ours
 * pipeline  → core
 * languages (python, node, java, command) → pipeline, core
 * aws       → core
 * inspect   → pipeline, core
 * templates → core
 * efs       → python, pipeline, core
 * app       → every engine (languages, aws, inspect, templates, efs, pipeline, core)
 * shells (cli, server) → app, and core's model packages only
 * cli       → also server (the serve command starts the service)
 * efs-lambda → app, and core's model packages only (a shell: the install worker on Lambda)
 * </pre>
 *
 * A module's package root is its short name without hyphens ({@code accretion-efs-lambda} → {@code
 * dev.accretion.efslambda}).
 *
 * <p>A module this test does not know fails it: a new module gets its place in the rules first.
 */
class ModuleRulesTest {
  /** Module directory → package root of its code. */
  private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.accretion\\.([a-z]+)\\b");

  private static final Set<String> LANGUAGES = Set.of("python", "node", "java", "command");
  private static final Set<String> SHELLS = Set.of("cli", "server", "efs-lambda");

  /**
   * The packages of core a shell may name: the failure model ({@code dev.accretion.core}: {@code
   * AccretionException}, {@code FailureKind}, {@code BuilderVersion}) and the runtime model ({@code
   * dev.accretion.core.runtime}). Everything else a shell needs comes from app.
   */
  private static final Set<String> CORE_MODEL_FOR_SHELLS =
      Set.of("dev.accretion.core", "dev.accretion.core.runtime");

  /** Which of our modules (by short name) a module may use. */
  static Set<String> allowed(String module) {
    if (module.equals("core") || module.equals("testkit")) {
      return Set.of();
    }
    if (module.equals("pipeline") || module.equals("aws") || module.equals("templates")) {
      return Set.of("core");
    }
    if (module.equals("inspect")) {
      return Set.of("pipeline", "core");
    }
    if (LANGUAGES.contains(module)) {
      return Set.of("pipeline", "core");
    }
    if (module.equals("efs")) {
      // EFS side-loading installs Python packages with the python builder's resolver and installer
      return Set.of("python", "pipeline", "core");
    }
    if (module.equals("app")) {
      Set<String> engines = new TreeSet<>(LANGUAGES);
      engines.addAll(Set.of("aws", "inspect", "templates", "efs", "pipeline", "core"));
      return engines;
    }
    if (module.equals("cli")) {
      // the serve command starts the service
      return Set.of("app", "server", "core");
    }
    if (SHELLS.contains(module)) {
      return Set.of("app", "core");
    }
    if (module.equals("bench")) {
      // JMH benchmarks of the packaging standards: a tool, never a dependency of anything
      return Set.of("python", "pipeline", "core");
    }
    throw new AssertionError(
        "module accretion-"
            + module
            + " has no place in the module rules: add it to ModuleRulesTest and the README");
  }

  private static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("accretion-app/pom.xml"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("the build's root folder above " + Path.of("").toAbsolutePath()).isNotNull();
    return dir;
  }

  /** The modules of the root pom, by short name ({@code accretion-core} → {@code core}). */
  private static List<String> modules(Path root) throws IOException {
    String pom = Files.readString(root.resolve("pom.xml"));
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("<module>accretion-([a-z-]+)</module>").matcher(pom);
    while (m.find()) {
      out.add(m.group(1));
    }
    assertThat(out).contains("core", "app", "cli", "efs-lambda");
    return out;
  }

  /** The package root of a module's code: its short name without hyphens. */
  static String packageRoot(String module) {
    return module.replace("-", "");
  }

  @Test
  void sources_referOnlyToModulesTheyMayUse() throws IOException {
    Path root = root();
    List<String> violations = new ArrayList<>();
    for (String module : modules(root)) {
      Set<String> allowed = allowed(module);
      Path sources = root.resolve("accretion-" + module + "/src/main/java");
      if (!Files.isDirectory(sources)) {
        continue;
      }
      String own = packageRoot(module);
      for (Path file : javaFiles(sources)) {
        String text = Files.readString(file);
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
          String used = m.group(1);
          if (used.equals(own)) {
            continue;
          }
          String where = root.relativize(file) + ":" + line(text, m.start());
          if (allowed.stream().map(ModuleRulesTest::packageRoot).noneMatch(used::equals)) {
            violations.add(
                where
                    + " refers to dev.accretion."
                    + used
                    + " ("
                    + module
                    + " may use "
                    + allowed
                    + ")");
          } else if (SHELLS.contains(module) && used.equals("core")) {
            String pkg = corePackage(text, m.end());
            if (!CORE_MODEL_FOR_SHELLS.contains(pkg)) {
              violations.add(
                  where
                      + " refers to "
                      + pkg
                      + ": a shell may name only core's model packages "
                      + CORE_MODEL_FOR_SHELLS
                      + "; go through a use case of app");
            }
          }
        }
      }
    }
    assertThat(violations).as("module rule violations").isEmpty();
  }

  @Test
  void poms_dependOnlyOnModulesTheyMayUse() throws IOException {
    Path root = root();
    List<String> violations = new ArrayList<>();
    for (String module : modules(root)) {
      Set<String> allowed = allowed(module);
      String pom = Files.readString(root.resolve("accretion-" + module + "/pom.xml"));
      for (Map.Entry<String, String> d : ourDependencies(pom).entrySet()) {
        if (!d.getValue().equals("test") && !allowed.contains(d.getKey())) {
          violations.add(
              "accretion-"
                  + module
                  + "/pom.xml depends on accretion-"
                  + d.getKey()
                  + " ("
                  + module
                  + " may use "
                  + allowed
                  + ")");
        }
      }
    }
    assertThat(violations).as("module rule violations").isEmpty();
  }

  @Test
  void theRulesThemselves_shellsNeverReachAnEngineDirectly() {
    for (String shell : SHELLS) {
      assertThat(allowed(shell)).doesNotContain("python", "aws", "pipeline", "node", "java");
    }
    assertThat(allowed("core")).isEmpty();
    for (String language : LANGUAGES) {
      assertThat(allowed(language))
          .doesNotContain("aws", "app")
          .doesNotContainAnyElementsOf(LANGUAGES);
    }
    assertThat(allowed("aws")).containsExactly("core");
  }

  /** Our dependencies of a pom: module short name → scope ("compile" when none is given). */
  static Map<String, String> ourDependencies(String pom) {
    Map<String, String> out = new LinkedHashMap<>();
    int start = pom.indexOf("<dependencies>");
    int management = pom.indexOf("<dependencyManagement>");
    if (management >= 0 && management < start) {
      start = pom.indexOf("<dependencies>", pom.indexOf("</dependencyManagement>"));
    }
    if (start < 0) {
      return out;
    }
    String deps = pom.substring(start, pom.indexOf("</dependencies>", start));
    Matcher m = Pattern.compile("(?s)<dependency>(.*?)</dependency>").matcher(deps);
    while (m.find()) {
      String d = m.group(1);
      Matcher a = Pattern.compile("<artifactId>accretion-([a-z-]+)</artifactId>").matcher(d);
      if (a.find() && d.contains("<groupId>dev.accretion</groupId>")) {
        Matcher s = Pattern.compile("<scope>([a-z]+)</scope>").matcher(d);
        out.put(a.group(1), s.find() ? s.group(1) : "compile");
      }
    }
    return out;
  }

  /** The package a reference {@code dev.accretion.core...} names: lower-case segments only. */
  private static String corePackage(String text, int end) {
    StringBuilder pkg = new StringBuilder("dev.accretion.core");
    int i = end;
    while (i < text.length() && text.charAt(i) == '.') {
      int j = i + 1;
      while (j < text.length() && Character.isJavaIdentifierPart(text.charAt(j))) {
        j++;
      }
      String segment = text.substring(i + 1, j);
      if (segment.isEmpty() || !Character.isLowerCase(segment.charAt(0))) {
        break;
      }
      pkg.append('.').append(segment);
      i = j;
    }
    return pkg.toString();
  }

  private static int line(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static List<Path> javaFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }
}
