package dev.accretion.python.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import dev.accretion.core.json.Json;
import dev.accretion.python.ParseException;
import dev.accretion.testkit.Python;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipConfigurationTest {
  @TempDir Path temp;

  private Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private Map<String, String> isolatedEnv(Path home) {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_DIRS", temp.resolve("no-xdg").toString());
    return env;
  }

  @Test
  void load_envVariablesOverrideFilesAndReplaceLists() throws Exception {
    Path home = temp.resolve("home");
    write(
        home.resolve(".config/pip/pip.conf"),
        "[global]\nextra-index-url = https://a/simple\n  https://b/simple\nfind-links = /x /y\n");
    Map<String, String> env = isolatedEnv(home);
    env.put("PIP_FIND_LINKS", "/z");
    PipConfiguration config = PipConfiguration.load(env, home);
    assertThat(config.extraIndexUrls()).containsExactly("https://a/simple", "https://b/simple");
    assertThat(config.findLinks()).containsExactly("/z");
    assertThat(config.indexUrl()).isNull();
    assertThat(config.indexUrls())
        .containsExactly(
            "https://a/simple", "https://b/simple", PipConfiguration.DEFAULT_INDEX_URL);
    assertThat(config.files()).contains(home.resolve(".config/pip/pip.conf"));
  }

  @Test
  void load_commandSectionOverridesGlobalAndNoIndexDropsIndexes() throws Exception {
    Path home = temp.resolve("home");
    write(
        home.resolve(".pip/pip.conf"),
        "[global]\nindex-url = https://global/simple\n[install]\nindex_url = https://install/simple\n"
            + "no-index = yes\n");
    PipConfiguration config = PipConfiguration.load(isolatedEnv(home), home);
    assertThat(config.indexUrl()).isEqualTo("https://install/simple");
    assertThat(config.noIndex()).isTrue();
    assertThat(config.indexUrls()).isEmpty();
    PipConfiguration download = PipConfiguration.load(isolatedEnv(home), home, "download", null);
    assertThat(download.indexUrl()).isEqualTo("https://global/simple");
    assertThat(download.noIndex()).isFalse();
  }

  @Test
  void load_devNullConfigFileSkipsEveryFileButKeepsEnvironment() throws Exception {
    Path home = temp.resolve("home");
    write(home.resolve(".config/pip/pip.conf"), "[global]\nindex-url = https://file/simple\n");
    Map<String, String> env = isolatedEnv(home);
    env.put("PIP_CONFIG_FILE", "/dev/null");
    env.put("PIP_EXTRA_INDEX_URL", "file:///e");
    PipConfiguration config = PipConfiguration.load(env, home);
    assertThat(config.indexUrl()).isNull();
    assertThat(config.extraIndexUrls()).containsExactly("file:///e");
    assertThat(config.files()).isEmpty();
  }

  @Test
  void load_siteFileFromVirtualEnvOverridesUserFile() throws Exception {
    Path home = temp.resolve("home");
    Path venv = temp.resolve("venv");
    write(home.resolve(".config/pip/pip.conf"), "[global]\nindex-url = https://user/simple\n");
    write(venv.resolve("pip.conf"), "[global]\nindex-url = https://site/simple\n");
    Map<String, String> env = isolatedEnv(home);
    env.put("VIRTUAL_ENV", venv.toString());
    assertThat(PipConfiguration.load(env, home).indexUrl()).isEqualTo("https://site/simple");
  }

  @Test
  void load_rejectsMalformedFileQuotingTheLine() throws Exception {
    Path home = temp.resolve("home");
    write(home.resolve(".config/pip/pip.conf"), "[global]\nindex-url = x\nthis line is wrong\n");
    assertThatThrownBy(() -> PipConfiguration.load(isolatedEnv(home), home))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("pip.conf line 3")
        .hasMessageContaining("'this line is wrong'");
  }

  @Test
  void load_rejectsNonBooleanNoIndex() throws Exception {
    Path home = temp.resolve("home");
    Map<String, String> env = isolatedEnv(home);
    env.put("PIP_NO_INDEX", "maybe");
    assertThatThrownBy(() -> PipConfiguration.load(env, home))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("'maybe'")
        .hasMessageContaining("not a boolean");
  }

  @Test
  void iniFile_followsConfigparserContinuationAndDefaultRules() throws Exception {
    IniFile ini =
        IniFile.parse(
            "# comment\n[DEFAULT]\nfind-links = /d\n[global]\nExtra-Index-URL : a\n\n   b\n"
                + "  ; not a value\n c\nkey=\n",
            "t.conf");
    assertThat(ini.sections()).containsExactly("global");
    assertThat(ini.items("global"))
        .containsExactly(
            Map.entry("find-links", "/d"),
            Map.entry("extra-index-url", "a\n\nb\nc"),
            Map.entry("key", ""));
  }

  @Test
  void iniFile_rejectsOptionBeforeAnySection() {
    assertThatThrownBy(() -> IniFile.parse("index-url = x\n", "t.conf"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("t.conf line 1")
        .hasMessageContaining("section header");
  }

  // ---------------------------------------------------------------------------------------------
  // Differential: pip 23.x's own option parser on the same files and environment.

  private static final String ORACLE =
      """
      import json, os, sys, io, contextlib
      from pip._internal.commands import create_command
      base_env = dict(os.environ)
      for line in sys.stdin:
          case = json.loads(line)
          os.environ.clear()
          os.environ.update(case["env"])
          sys.prefix = case["prefix"]
          try:
              with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                  cmd = create_command("install")
                  opts, _ = cmd.parse_args([])
              out = {"index_url": opts.index_url, "extra": opts.extra_index_urls,
                     "find_links": opts.find_links, "no_index": bool(opts.no_index),
                     "trusted": opts.trusted_hosts, "timeout": float(opts.timeout),
                     "cert": opts.cert}
          except BaseException as e:
              out = {"error": type(e).__name__ + ": " + str(e)}
          print(json.dumps(out), flush=True)
      """;

  private static final String[] KEYS_INDEX = {
    "index-url", "index_url", "INDEX-URL", "--index-url", "pypi-url", "Index_Url"
  };
  private static final String[] KEYS_EXTRA = {
    "extra-index-url", "extra_index_url", "EXTRA-INDEX-URL"
  };
  private static final String[] KEYS_FIND = {"find-links", "find_links", "--find-links", "f"};
  private static final String[] SECTIONS = {
    "global", "global", "install", "download", "DEFAULT", "freeze", "Global"
  };

  @Test
  void load_agreesWithPipOnGeneratedConfigurations() throws Exception {
    Random random = new Random(20240611);
    List<Map<String, Object>> cases = new ArrayList<>();
    List<Map<String, String>> javaEnvs = new ArrayList<>();
    List<Path> homes = new ArrayList<>();
    List<Path> prefixes = new ArrayList<>();
    int count = 400;
    for (int i = 0; i < count; i++) {
      Path root = temp.resolve("case" + i);
      Path home = root.resolve("home");
      Path prefix = root.resolve("venv");
      Files.createDirectories(home);
      Map<String, String> env = new LinkedHashMap<>();
      env.put("HOME", home.toString());
      // global: two XDG config dirs
      Path xdgA = root.resolve("xdgA");
      Path xdgB = root.resolve("xdgB");
      env.put("XDG_CONFIG_DIRS", xdgA + ":" + xdgB);
      if (random.nextInt(3) == 0) {
        write(xdgA.resolve("pip/pip.conf"), randomConfig(random));
      }
      if (random.nextInt(3) == 0) {
        write(xdgB.resolve("pip/pip.conf"), randomConfig(random));
      }
      if (random.nextInt(3) == 0) {
        write(home.resolve(".pip/pip.conf"), randomConfig(random));
      }
      if (random.nextBoolean()) {
        Path xdgHome = root.resolve("cfg");
        env.put("XDG_CONFIG_HOME", xdgHome.toString());
        if (random.nextBoolean()) {
          write(xdgHome.resolve("pip/pip.conf"), randomConfig(random));
        }
      } else if (random.nextBoolean()) {
        write(home.resolve(".config/pip/pip.conf"), randomConfig(random));
      }
      if (random.nextInt(3) == 0) {
        write(prefix.resolve("pip.conf"), randomConfig(random));
      }
      switch (random.nextInt(5)) {
        case 0 ->
            env.put(
                "PIP_CONFIG_FILE",
                write(root.resolve("env.conf"), randomConfig(random)).toString());
        case 1 -> env.put("PIP_CONFIG_FILE", root.resolve("missing.conf").toString());
        case 2 -> env.put("PIP_CONFIG_FILE", "/dev/null");
        default -> {}
      }
      if (random.nextInt(3) == 0) {
        env.put("PIP_INDEX_URL", "https://env" + random.nextInt(9) + "/simple");
      }
      if (random.nextInt(3) == 0) {
        env.put("PIP_EXTRA_INDEX_URL", random.nextBoolean() ? "file:///e1 file:///e2" : "");
      }
      if (random.nextInt(3) == 0) {
        env.put("PIP_FIND_LINKS", "/opt/w" + random.nextInt(3));
      }
      if (random.nextInt(5) == 0) {
        env.put("PIP_NO_INDEX", pick(random, "1", "0", "yes", "off", "maybe"));
      }
      if (random.nextInt(5) == 0) {
        env.put("PIP_DEFAULT_TIMEOUT", pick(random, "30", "2.5", "1e2"));
      }
      if (random.nextInt(6) == 0) {
        env.put("PIP_TRUSTED_HOST", "h1 h2");
      }
      if (random.nextInt(6) == 0) {
        env.put("PIP_CERT", pick(random, "/env/ca.pem", "~/env-ca.pem", ""));
      }
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("env", env);
      c.put("prefix", prefix.toString());
      cases.add(c);
      Map<String, String> javaEnv = new HashMap<>(env);
      javaEnvs.add(javaEnv);
      homes.add(home);
      prefixes.add(prefix);
    }
    StringBuilder stdin = new StringBuilder();
    for (Map<String, Object> c : cases) {
      stdin.append(toJson(c)).append('\n');
    }
    String[] answers = Python.of("3.11").script(ORACLE, stdin.toString()).split("\n");
    assertThat(answers).hasSize(count);
    int errors = 0;
    int certs = 0;
    for (int i = 0; i < count; i++) {
      @SuppressWarnings("unchecked")
      Map<String, Json.Node> expected = (Map<String, Json.Node>) Json.parse(answers[i]).value();
      String context =
          "case " + i + " env " + javaEnvs.get(i) + describeFiles(temp.resolve("case" + i));
      if (expected.containsKey("error")) {
        errors++;
        int index = i;
        assertThatThrownBy(
                () ->
                    PipConfiguration.load(
                        javaEnvs.get(index), homes.get(index), "install", prefixes.get(index)))
            .as(context + " pip said " + expected.get("error").value())
            .isInstanceOf(AccretionException.class);
        continue;
      }
      PipConfiguration actual =
          PipConfiguration.load(javaEnvs.get(i), homes.get(i), "install", prefixes.get(i));
      assertThat(actual.effectiveIndexUrl())
          .as(context)
          .isEqualTo(expected.get("index_url").value());
      assertThat(actual.extraIndexUrls()).as(context).isEqualTo(strings(expected.get("extra")));
      assertThat(actual.findLinks()).as(context).isEqualTo(strings(expected.get("find_links")));
      assertThat(actual.noIndex()).as(context).isEqualTo(expected.get("no_index").value());
      assertThat(actual.trustedHosts()).as(context).isEqualTo(strings(expected.get("trusted")));
      double timeout =
          Double.parseDouble(((Json.JsonNumber) expected.get("timeout").value()).text());
      Duration javaTimeout = actual.timeout() == null ? Duration.ofSeconds(15) : actual.timeout();
      assertThat(javaTimeout.toNanos() / 1e9).as(context).isEqualTo(timeout);
      // pip expands ~ when it parses the option; Accretion when it opens the file
      Object cert = expected.get("cert").value();
      String javaCert = actual.cert();
      if (javaCert != null && javaCert.startsWith("~/")) {
        javaCert = homes.get(i) + javaCert.substring(1);
      }
      assertThat(javaCert).as(context).isEqualTo(cert);
      if (cert != null) {
        certs++;
      }
    }
    // the generator must exercise both outcomes, and cert
    assertThat(errors).isBetween(5, count / 2);
    assertThat(certs).isGreaterThan(20);
  }

  private static String describeFiles(Path root) throws IOException {
    StringBuilder out = new StringBuilder();
    try (var files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        out.append("\n--- ").append(file).append('\n').append(Files.readString(file));
      }
    }
    return out.toString();
  }

  private static List<String> strings(Json.Node node) {
    List<String> out = new ArrayList<>();
    for (Object item : (List<?>) node.value()) {
      out.add((String) ((Json.Node) item).value());
    }
    return out;
  }

  private static String pick(Random random, String... options) {
    return options[random.nextInt(options.length)];
  }

  private static String randomConfig(Random random) {
    StringBuilder text = new StringBuilder();
    if (random.nextInt(12) == 0) {
      text.append("index-url = https://no-section/simple\n");
    }
    int sections = 1 + random.nextInt(3);
    List<String> used = new ArrayList<>();
    for (int s = 0; s < sections; s++) {
      String section = pick(random, SECTIONS);
      if (used.contains(section) && random.nextInt(4) != 0) {
        continue;
      }
      used.add(section);
      text.append(random.nextInt(8) == 0 ? "  " : "").append('[').append(section).append("]\n");
      if (random.nextInt(5) == 0) {
        text.append(pick(random, "cert", "CERT", "--cert"))
            .append(" = ")
            .append(pick(random, "~/ca.pem", "/etc/ssl/ca.pem", "rel/ca.pem", ""))
            .append('\n');
      }
      int options = random.nextInt(4);
      for (int o = 0; o < options; o++) {
        if (random.nextInt(6) == 0) {
          text.append(pick(random, "# comment", "; other comment", "", "   "));
          text.append('\n');
        }
        switch (random.nextInt(8)) {
          case 0, 1 ->
              text.append(pick(random, KEYS_INDEX))
                  .append(pick(random, " = ", "=", " : ", ":"))
                  .append("https://idx")
                  .append(random.nextInt(5))
                  .append("/simple\n");
          case 2, 3 -> {
            text.append(pick(random, KEYS_EXTRA)).append(" = ");
            int values = random.nextInt(4);
            for (int v = 0; v < values; v++) {
              text.append(pick(random, " ", "\n  ", "\n\n\t", "\n  # c\n  "));
              text.append("file:///x").append(random.nextInt(9)).append("/simple");
            }
            text.append('\n');
          }
          case 4 ->
              text.append(pick(random, KEYS_FIND))
                  .append(" = /w")
                  .append(random.nextInt(3))
                  .append(random.nextBoolean() ? " /w9\n" : "\n");
          case 5 ->
              text.append("no-index = ")
                  .append(pick(random, "true", "false", "on", "0", "bad"))
                  .append('\n');
          case 6 ->
              text.append(pick(random, "timeout", "default-timeout"))
                  .append(" = ")
                  .append(pick(random, "5", "7.5", "x"))
                  .append('\n');
          default ->
              text.append(pick(random, "trusted-host = a b", "cert = /c", "bad line", "= novalue"))
                  .append('\n');
        }
      }
    }
    return text.toString();
  }

  private static String toJson(Object value) {
    if (value instanceof Map<?, ?> map) {
      StringBuilder out = new StringBuilder("{");
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (out.length() > 1) {
          out.append(',');
        }
        out.append(toJson(entry.getKey())).append(':').append(toJson(entry.getValue()));
      }
      return out.append('}').toString();
    }
    String text = value.toString();
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
