package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code accretion inspect} on a Node.js layer made with {@code npm ci} + zip and a Java layer of
 * jars copied by Maven, published to moto; what it finds is what npm and Maven say they installed.
 */
class InspectNodeJavaIT {
  static InspectMoto moto;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    moto = new InspectMoto();
  }

  @AfterAll
  static void stop() {
    moto.close();
  }

  @Test
  void npmLayer_packagesAndWhereTheyAreNested_areWhatNpmInstalled() throws Exception {
    Path nodejs = Files.createDirectories(dir.resolve("nodejs"));
    Files.writeString(
        nodejs.resolve("package.json"),
        """
        {"name": "layer", "version": "1.0.0", "private": true,
         "dependencies": {"debug": "2.6.9", "ms": "2.1.3", "@smithy/types": "4.1.0"}}
        """);
    Map<String, String> npmEnv = Map.of("npm_config_cache", dir.resolve("npm-cache").toString());
    LayerTools.run(
        nodejs,
        npmEnv,
        "npm",
        "install",
        "--package-lock-only",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund");
    LayerTools.run(nodejs, npmEnv, "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund");
    String ls = LayerTools.run(nodejs, npmEnv, "npm", "ls", "--all", "--json", "--long").stdout();
    Set<String> expected = new TreeSet<>();
    npmTree(new ObjectMapper().readTree(ls), nodejs, expected);
    assertThat(expected)
        .contains(
            "ms==2.0.0 @ nodejs/node_modules/debug/node_modules/ms",
            "ms==2.1.3 @ " + "nodejs/node_modules/ms");
    Path zip = LayerTools.zip(dir, "node.zip", "nodejs");
    String arn =
        moto.publish(moto.name("npm-layer"), zip, List.of("nodejs20.x"), List.of("x86_64"));

    CliRun run = CliRun.run(moto.env(dir), dir, "inspect", arn, "--json");
    assertThat(run.code()).as(run.toString()).isZero();
    JsonNode r = run.json();
    Set<String> found = new TreeSet<>();
    for (JsonNode p : r.path("packages")) {
      assertThat(p.path("ecosystem").asText()).isEqualTo("npm");
      found.add(
          p.path("name").asText()
              + "=="
              + p.path("version").asText()
              + " @ "
              + p.path("location").asText());
    }
    assertThat(found).isEqualTo(expected);
    assertThat(r.path("packages").toString())
        .contains("\"nestedIn\":\"nodejs/node_modules/debug\"", "pkg:npm/%40smithy/types@4.1.0");

    // On a Python runtime the packages are not where it looks.
    CliRun python =
        CliRun.run(moto.env(dir), dir, "inspect", arn, "--runtime", "python3.12", "--json");
    assertThat(python.code()).isZero();
    assertThat(python.json().path("problems").toString()).contains("\"code\":\"language\"");
  }

  /** Every package of {@code npm ls --all --json --long}: name==version @ folder. */
  private static void npmTree(JsonNode node, Path nodejs, Set<String> out) {
    Iterator<Map.Entry<String, JsonNode>> deps = node.path("dependencies").fields();
    while (deps.hasNext()) {
      Map.Entry<String, JsonNode> d = deps.next();
      JsonNode dep = d.getValue();
      if (dep.has("path")) {
        String where = nodejs.getParent().relativize(Path.of(dep.path("path").asText())).toString();
        out.add(d.getKey() + "==" + dep.path("version").asText() + " @ " + where);
      }
      npmTree(dep, nodejs, out);
    }
  }

  @Test
  void mavenLayer_coordinatesAreWhatMavenResolved() throws Exception {
    Files.writeString(
        dir.resolve("pom.xml"),
        """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>test</groupId><artifactId>layer</artifactId><version>1</version>
          <packaging>pom</packaging>
          <dependencies>
            <dependency><groupId>com.fasterxml.jackson.core</groupId>
              <artifactId>jackson-databind</artifactId><version>2.17.2</version></dependency>
            <dependency><groupId>org.apache.commons</groupId>
              <artifactId>commons-lang3</artifactId><version>3.17.0</version></dependency>
          </dependencies>
        </project>
        """);
    String plugin = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:";
    LayerTools.run(
        dir,
        Map.of(),
        "mvn",
        "-q",
        "-B",
        plugin + "copy-dependencies",
        plugin + "list",
        "-DoutputDirectory=java/lib",
        "-DincludeScope=runtime",
        "-DoutputFile=" + dir.resolve("list.txt"));
    Set<String> expected = new TreeSet<>();
    Matcher m =
        Pattern.compile("(?m)^\\s+([^:\\s]+):([^:\\s]+):jar:([^:\\s]+):(compile|runtime)")
            .matcher(Files.readString(dir.resolve("list.txt")));
    while (m.find()) {
      expected.add(m.group(1) + ":" + m.group(2) + "==" + m.group(3));
    }
    assertThat(expected).hasSize(4).contains("org.apache.commons:commons-lang3==3.17.0");
    Path zip = LayerTools.zip(dir, "java.zip", "java");
    String arn =
        moto.publish(
            moto.name("maven-layer"), zip, List.of("java17", "java21"), List.of("x86_64", "arm64"));

    CliRun run =
        CliRun.run(moto.env(dir), dir, "inspect", arn, "--json", "--sbom", "java.cdx.json");
    assertThat(run.code()).as(run.toString()).isZero();
    JsonNode r = run.json();
    assertThat(r.path("targets").toString())
        .isEqualTo("[\"java17/x86_64\",\"java17/arm64\",\"java21/x86_64\",\"java21/arm64\"]");
    Set<String> found = new TreeSet<>();
    for (JsonNode p : r.path("packages")) {
      found.add(p.path("name").asText() + "==" + p.path("version").asText());
      assertThat(p.path("facts").path("coordinatesFrom").asText()).isEqualTo("pom.properties");
    }
    assertThat(found).isEqualTo(expected);
    assertThat(r.path("problems").toString()).doesNotContain("\"error\"");
    assertThat(
            new org.cyclonedx.parsers.JsonParser()
                .validate(dir.resolve("java.cdx.json").toFile(), org.cyclonedx.Version.VERSION_15))
        .isEmpty();
    assertThat(Files.readString(dir.resolve("java.cdx.json")))
        .contains("pkg:maven/org.apache.commons/commons-lang3@3.17.0");
  }
}
