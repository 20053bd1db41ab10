package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.testkit.MotoServer;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The issue's bar for {@code functions sync}, against moto with a git repository made by the test:
 * six function folders (Node.js and Python, one with a native dependency, one nested two levels
 * deep) in two regions. moto does not serve function code back (GetFunction's Code.Location is an
 * unreachable AWS host), so "the code" is read where it reached moto: the zip in each
 * CreateFunction/UpdateFunctionCode request, recorded by a proxy, whose SHA-256 must be the
 * CodeSha256 moto reports.
 */
class FunctionsSyncIT {
  private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
  private static final String ROLE = "arn:aws:iam::" + MotoServer.ACCOUNT + ":role/fn-sync-it";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static LambdaRecordingProxy proxy;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    proxy = new LambdaRecordingProxy(MotoServer.endpoint());
    try (IamClient iam =
        IamClient.builder()
            .region(Region.AWS_GLOBAL)
            .endpointOverride(MotoServer.endpoint())
            .credentialsProvider(credentials())
            .httpClient(Apache5HttpClient.create())
            .build()) {
      for (String role : List.of("fn-sync-it", "orders-lambda")) {
        try {
          iam.createRole(
              b ->
                  b.roleName(role)
                      .assumeRolePolicyDocument(
                          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                              + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
                              + "\"Action\":\"sts:AssumeRole\"}]}"));
        } catch (software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException e) {
          // another test class made it on this moto
        }
      }
    }
  }

  @BeforeEach
  void resetProxy() {
    proxy.settleAfter(0);
    proxy.failRegion(null);
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
  }

  private static LambdaClient lambda(String region) {
    return LambdaClient.builder()
        .region(Region.of(region))
        .endpointOverride(MotoServer.endpoint())
        .credentialsProvider(credentials())
        .httpClient(Apache5HttpClient.create())
        .build();
  }

  private CliRun sync(Path repo, String... args) throws Exception {
    String mirror = LayerTools.mirrorIndex();
    Map<String, String> env = new HashMap<>(MotoServer.environment(dir, "us-east-1"));
    env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
    env.put("ACCRETION_CACHE_DIR", dir.resolve("cache").toString());
    // the machine's wheel mirror, named by pip's configuration (PyPI itself is not reachable)
    env.put("PIP_INDEX_URL", mirror);
    List<String> all = new ArrayList<>(List.of("functions", "sync"));
    all.addAll(List.of(args));
    return CliRun.run(env, repo, all.toArray(String[]::new));
  }

  private static void write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static void commit(Git git, String message) throws Exception {
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    git.commit().setMessage(message).setSign(false).call();
  }

  private static final Map<String, String> RUNTIMES =
      new LinkedHashMap<>(
          Map.of(
              "py/hello", "python3.11",
              "py/native", "python3.11",
              "services/billing/api", "python3.12",
              "node/web", "nodejs20.x",
              "node/plain", "nodejs22.x",
              "tools", "python3.11"));

  /** The six folders, their accretion.toml, committed. */
  private Git repository(Path root, String remote) throws Exception {
    Git git = Git.init().setDirectory(root.toFile()).setInitialBranch("main").call();
    StoredConfig config = git.getRepository().getConfig();
    config.setString("user", null, "name", "test");
    config.setString("user", null, "email", "test@example.com");
    config.setString("remote", "origin", "url", remote);
    config.save();
    StringBuilder toml = new StringBuilder();
    for (Map.Entry<String, String> f : RUNTIMES.entrySet()) {
      boolean python = f.getValue().startsWith("python");
      toml.append("[functions.\"")
          .append(f.getKey())
          .append("\"]\nruntime = \"")
          .append(f.getValue())
          .append("\"\nhandler = \"")
          .append(python ? "app.handler" : "index.handler")
          .append("\"\nrole = \"")
          .append(ROLE)
          .append("\"\n");
      if (f.getKey().equals("py/native")) {
        toml.append("memory = 256\ntimeout = 20\nenvironment = { MODE = \"test\" }\n");
      }
      toml.append('\n');
    }
    write(root.resolve("accretion.toml"), toml.toString());
    write(root.resolve("README.md"), "functions\n");
    write(root.resolve("py/hello/app.py"), "import six\n\ndef handler(e, c):\n    return 1\n");
    write(root.resolve("py/hello/requirements.txt"), "six==1.17.0\n");
    write(root.resolve("py/hello/tests/test_app.py"), "def test_x():\n    pass\n");
    write(
        root.resolve("py/native/app.py"),
        "import markupsafe\n\ndef handler(e, c):\n    return str(markupsafe.escape('<'))\n");
    write(root.resolve("py/native/requirements.txt"), "markupsafe==3.0.3\n");
    write(root.resolve("services/billing/api/app.py"), "def handler(e, c):\n    return 'bill'\n");
    write(root.resolve("services/billing/api/lib/money.py"), "CENTS = 100\n");
    write(
        root.resolve("node/web/index.js"),
        "const ms = require('ms');\nexports.handler = async () => ms('1h');\n");
    write(
        root.resolve("node/web/package.json"),
        """
        {"name": "web", "version": "1.0.0", "dependencies": {"ms": "2.1.3"},
         "devDependencies": {"left-pad": "1.3.0"}}
        """);
    write(
        root.resolve("node/web/package-lock.json"),
        """
        {
          "name": "web",
          "version": "1.0.0",
          "lockfileVersion": 3,
          "requires": true,
          "packages": {
            "": {"name": "web", "version": "1.0.0", "dependencies": {"ms": "2.1.3"},
                 "devDependencies": {"left-pad": "1.3.0"}},
            "node_modules/left-pad": {
              "version": "1.3.0",
              "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz",
              "integrity": "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQGinBN9yTQT3bFlCBy/aVx2HrNcqQGsdot8ghrjyrvMCoEA==",
              "dev": true,
              "license": "WTFPL"
            },
            "node_modules/ms": {
              "version": "2.1.3",
              "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz",
              "integrity": "sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==",
              "license": "MIT"
            }
          }
        }
        """);
    write(root.resolve("node/web/index.test.js"), "test('x', () => {});\n");
    write(root.resolve("node/plain/index.mjs"), "export const handler = async () => 'plain';\n");
    write(root.resolve("node/plain/__tests__/a.js"), "1;\n");
    write(root.resolve("tools/app.py"), "def handler(e, c):\n    return 'tools'\n");
    commit(git, "six functions");
    return git;
  }

  private static String treeId(Git git, String path) throws Exception {
    var repo = git.getRepository();
    try (TreeWalk walk = TreeWalk.forPath(repo, path, repo.resolve("HEAD^{tree}"))) {
      return walk.getObjectId(0).name();
    }
  }

  private static String sha256Base64(byte[] bytes) throws Exception {
    return Base64.getEncoder().encodeToString(sha256(bytes));
  }

  private static byte[] sha256(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }

  private static TreeSet<String> files(byte[] zip) throws Exception {
    TreeSet<String> out = new TreeSet<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        if (!e.isDirectory()) {
          out.add(e.getName());
        }
      }
    }
    return out;
  }

  /** The zip each function got in the recorded CreateFunction/UpdateFunctionCode calls. */
  private static Map<String, byte[]> uploadedZips(List<LambdaRecordingProxy.Call> calls)
      throws Exception {
    Map<String, byte[]> out = new HashMap<>();
    for (LambdaRecordingProxy.Call c : calls) {
      if (c.method().equals("POST") && c.path().endsWith("/functions")) {
        JsonNode body = JSON.readTree(c.body());
        out.put(
            c.region() + "/" + body.get("FunctionName").asText(),
            Base64.getDecoder().decode(body.get("Code").get("ZipFile").asText()));
      } else if (c.method().equals("PUT") && c.path().endsWith("/code")) {
        String name = c.path().split("/")[3];
        out.put(
            c.region() + "/" + name,
            Base64.getDecoder().decode(JSON.readTree(c.body()).get("ZipFile").asText()));
      }
    }
    return out;
  }

  private static Map<String, String> actions(JsonNode result) {
    Map<String, String> out = new HashMap<>();
    for (JsonNode f : result.get("functions")) {
      out.put(f.get("path").asText() + "@" + f.get("region").asText(), f.get("action").asText());
    }
    return out;
  }

  @Test
  void sixFolders_createOnceSkipThenUpdateExactlyWhatChanged() throws Exception {
    String unique = UUID.randomUUID().toString().substring(0, 8);
    String prefix = "it" + unique;
    String remote = "https://example.com/acme/functions-" + unique + ".git";
    Path root = dir.resolve("repo");
    try (Git git = repository(root, remote)) {
      String regions = String.join(",", REGIONS);

      // plan: six creates per region, nothing changed
      proxy.clear();
      CliRun plan = sync(root, "--prefix", prefix, "--regions", regions, "--plan", "--json");
      assertThat(plan.code()).as(plan.toString()).isZero();
      assertThat(actions(plan.json()).values()).hasSize(12).containsOnly("create");
      assertThat(proxy.changes()).isEmpty();

      // first sync: 12 creates with the right names, descriptions, runtimes and code
      proxy.clear();
      CliRun first = sync(root, "--prefix", prefix, "--regions", regions, "--json");
      assertThat(first.code()).as(first.toString()).isZero();
      JsonNode result = first.json();
      assertThat(result.get("counts").get("create").asInt()).isEqualTo(12);
      String identity = "example.com/acme/functions-" + unique;
      assertThat(result.get("repository").asText()).isEqualTo(identity);
      Map<String, byte[]> zips = uploadedZips(proxy.calls());
      Map<String, String> names = new HashMap<>();
      for (JsonNode f : result.get("functions")) {
        names.put(f.get("path").asText(), f.get("name").asText());
      }
      for (String region : REGIONS) {
        try (LambdaClient lambda = lambda(region)) {
          for (Map.Entry<String, String> e : RUNTIMES.entrySet()) {
            String path = e.getKey();
            String name = names.get(path);
            assertThat(name).matches(prefix + "-[0-9a-f]{16}");
            FunctionConfiguration c = lambda.getFunction(b -> b.functionName(name)).configuration();
            assertThat(c.description()).isEqualTo(path + "@" + treeId(git, path));
            assertThat(c.runtimeAsString()).isEqualTo(e.getValue());
            assertThat(c.role()).isEqualTo(ROLE);
            byte[] zip = zips.get(region + "/" + name);
            assertThat(zip).as(region + "/" + path).isNotNull();
            assertThat(sha256Base64(zip)).isEqualTo(c.codeSha256());
            TreeSet<String> files = files(zip);
            assertThat(files).noneMatch(p -> p.startsWith("python/") || p.startsWith("nodejs/"));
            switch (path) {
              case "py/hello" ->
                  assertThat(files)
                      .contains("app.py", "requirements.txt", "six.py")
                      .noneMatch(p -> p.startsWith("tests/"));
              case "py/native" -> {
                assertThat(files).contains("app.py", "markupsafe/__init__.py");
                assertThat(files).anyMatch(p -> p.matches("markupsafe/_speedups\\..*\\.so"));
                assertThat(c.memorySize()).isEqualTo(256);
                assertThat(c.timeout()).isEqualTo(20);
                assertThat(c.environment().variables()).containsEntry("MODE", "test");
              }
              case "services/billing/api" ->
                  assertThat(files).containsExactly("app.py", "lib/money.py");
              case "node/web" ->
                  assertThat(files)
                      .contains("index.js", "package.json", "node_modules/ms/index.js")
                      .doesNotContain("index.test.js")
                      .noneMatch(p -> p.startsWith("node_modules/left-pad/"));
              case "node/plain" -> assertThat(files).containsExactly("index.mjs");
              case "tools" -> assertThat(files).containsExactly("app.py");
              default -> throw new AssertionError(path);
            }
          }
        }
      }

      // second sync: only reads, no create or update call
      proxy.clear();
      CliRun second = sync(root, "--prefix", prefix, "--regions", regions, "--json");
      assertThat(second.code()).as(second.toString()).isZero();
      assertThat(second.json().get("counts").get("skip").asInt()).isEqualTo(12);
      assertThat(proxy.changes()).isEmpty();
      // a skipped function costs one GetFunction and nothing else
      for (String name : names.values()) {
        assertThat(proxy.calls())
            .filteredOn(c -> c.path().contains("/functions/" + name))
            .extracting(c -> c.method() + " " + c.path().substring(c.path().indexOf("/functions/")))
            .containsExactly("GET /functions/" + name, "GET /functions/" + name);
      }

      // a commit touching one folder updates exactly that function, in each region
      write(root.resolve("py/hello/app.py"), "import six\n\ndef handler(e, c):\n    return 2\n");
      commit(git, "hello returns 2");
      proxy.clear();
      CliRun third = sync(root, "--prefix", prefix, "--regions", regions, "--json");
      assertThat(third.code()).as(third.toString()).isZero();
      Map<String, String> acts = actions(third.json());
      for (String region : REGIONS) {
        for (String path : RUNTIMES.keySet()) {
          assertThat(acts.get(path + "@" + region))
              .as(path + " in " + region)
              .isEqualTo(path.equals("py/hello") ? "update" : "skip");
        }
      }
      assertThat(proxy.changes())
          .allMatch(c -> c.path().contains("/functions/" + names.get("py/hello") + "/"))
          .hasSize(4); // code + configuration, two regions
      try (LambdaClient lambda = lambda("eu-west-1")) {
        assertThat(
                lambda
                    .getFunction(b -> b.functionName(names.get("py/hello")))
                    .configuration()
                    .description())
            .isEqualTo("py/hello@" + treeId(git, "py/hello"));
      }

      // a commit outside every folder updates nothing
      write(root.resolve("README.md"), "functions, documented\n");
      commit(git, "docs");
      proxy.clear();
      CliRun fourth = sync(root, "--prefix", prefix, "--regions", regions, "--json");
      assertThat(fourth.code()).as(fourth.toString()).isZero();
      assertThat(actions(fourth.json()).values()).containsOnly("skip");
      assertThat(proxy.changes()).isEmpty();

      // the same repository cloned elsewhere, its remote written another way: the same names
      Path clone = dir.resolve("elsewhere/clone");
      try (Git cloned =
          Git.cloneRepository()
              .setURI(root.toUri().toString())
              .setDirectory(clone.toFile())
              .call()) {
        StoredConfig config = cloned.getRepository().getConfig();
        config.setString(
            "remote", "origin", "url", "git@EXAMPLE.com:acme/functions-" + unique + ".git");
        config.save();
      }
      proxy.clear();
      CliRun fromClone =
          sync(clone.resolve("node"), "--prefix", prefix, "--regions", regions, "--plan", "--json");
      assertThat(fromClone.code()).as(fromClone.toString()).isZero();
      for (JsonNode f : fromClone.json().get("functions")) {
        assertThat(f.get("name").asText()).isEqualTo(names.get(f.get("path").asText()));
        assertThat(f.get("action").asText()).isEqualTo("skip");
      }
      assertThat(proxy.changes()).isEmpty();

      // one region failing: the other finishes, the exit code names the failures; a rerun ends
      // with every function up to date
      write(
          root.resolve("node/web/index.js"),
          "const ms = require('ms');\nexports.handler = async () => ms('2h');\n");
      write(root.resolve("tools/app.py"), "def handler(e, c):\n    return 'tools 2'\n");
      commit(git, "web and tools");
      proxy.failRegion("eu-west-1");
      CliRun faulty;
      try {
        faulty = sync(root, "--prefix", prefix, "--regions", regions, "--json");
      } finally {
        proxy.failRegion(null);
      }
      assertThat(faulty.code()).as(faulty.toString()).isEqualTo(1);
      Map<String, String> faultActs = actions(faulty.json());
      assertThat(faultActs.get("node/web@us-east-1")).isEqualTo("update");
      assertThat(faultActs.get("tools@us-east-1")).isEqualTo("update");
      assertThat(faultActs.get("node/web@eu-west-1")).isEqualTo("failed");
      assertThat(faulty.err()).contains("node/web (" + names.get("node/web") + ") in eu-west-1");
      proxy.clear();
      CliRun rerun = sync(root, "--prefix", prefix, "--regions", regions, "--json");
      assertThat(rerun.code()).as(rerun.toString()).isZero();
      Map<String, String> rerunActs = actions(rerun.json());
      assertThat(rerunActs.get("node/web@eu-west-1")).isEqualTo("update");
      assertThat(rerunActs.get("tools@eu-west-1")).isEqualTo("update");
      assertThat(rerunActs.get("node/web@us-east-1")).isEqualTo("skip");
      assertThat(proxy.changes()).allMatch(c -> c.region().equals("eu-west-1"));
      for (String region : REGIONS) {
        try (LambdaClient lambda = lambda(region)) {
          for (String path : RUNTIMES.keySet()) {
            assertThat(
                    lambda
                        .getFunction(b -> b.functionName(names.get(path)))
                        .configuration()
                        .description())
                .as(path + " in " + region)
                .isEqualTo(path + "@" + treeId(git, path));
          }
        }
      }

      // a folder no longer declared: reported as gone, deleted only with --prune
      String toml = Files.readString(root.resolve("accretion.toml"));
      int at = toml.indexOf("[functions.\"tools\"]");
      int end = toml.indexOf("\n\n", at) + 2;
      write(root.resolve("accretion.toml"), toml.substring(0, at) + toml.substring(end));
      commit(git, "tools retired");
      CliRun gone = sync(root, "--prefix", prefix, "--regions", "us-east-1", "--json");
      assertThat(gone.code()).as(gone.toString()).isZero();
      assertThat(gone.json().get("gone")).hasSize(1);
      assertThat(gone.json().get("gone").get(0).get("name").asText()).isEqualTo(names.get("tools"));
      assertThat(gone.json().get("gone").get(0).get("removed").asBoolean()).isFalse();
      CliRun pruned = sync(root, "--prefix", prefix, "--regions", "us-east-1", "--prune");
      assertThat(pruned.code()).as(pruned.toString()).isZero();
      assertThat(pruned.out()).contains("pruned").contains(names.get("tools"));
      try (LambdaClient lambda = lambda("us-east-1")) {
        assertThat(lambda.listFunctions().functions())
            .extracting(FunctionConfiguration::functionName)
            .doesNotContain(names.get("tools"))
            .contains(names.get("py/hello"));
      }
    }
  }

  private static Git emptyRepository(Path root, String remote) throws Exception {
    Git git = Git.init().setDirectory(root.toFile()).setInitialBranch("main").call();
    StoredConfig config = git.getRepository().getConfig();
    config.setString("user", null, "name", "test");
    config.setString("user", null, "email", "test@example.com");
    if (remote != null) {
      config.setString("remote", "origin", "url", remote);
    }
    config.save();
    return git;
  }

  private static String table(String path, String runtime) {
    return "[functions.\""
        + path
        + "\"]\nruntime = \""
        + runtime
        + "\"\nhandler = \"app.handler\"\nrole = \""
        + ROLE
        + "\"\n\n";
  }

  private static S3Client s3(String region) {
    return S3Client.builder()
        .region(Region.of(region))
        .endpointOverride(MotoServer.endpoint())
        .credentialsProvider(credentials())
        .forcePathStyle(true)
        .httpClient(Apache5HttpClient.create())
        .build();
  }

  private static FunctionConfiguration configuration(String region, String name) {
    try (LambdaClient lambda = lambda(region)) {
      return lambda.getFunction(b -> b.functionName(name)).configuration();
    }
  }

  /**
   * Lambda's busy play ({@link LambdaRecordingProxy#settleAfter}) as the sync lived it: no change
   * call was refused, and after each change of {@code name} the next {@code polls} readings said
   * InProgress and the next change came only after a reading said Successful.
   */
  private static void assertWaitedOutEachChange(String region, String name, int polls) {
    String key = region + " " + name;
    List<String> mine =
        proxy.events().stream()
            .filter(e -> e.contains(" " + key + " ") || e.endsWith(key))
            .toList();
    assertThat(mine).as("events of " + key).noneMatch(e -> e.startsWith("conflict"));
    List<Integer> changes = new ArrayList<>();
    for (int i = 0; i < mine.size(); i++) {
      if (mine.get(i).startsWith("change ")) {
        changes.add(i);
      }
    }
    assertThat(changes).as("changes of " + key + " in " + mine).isNotEmpty();
    for (int c : changes) {
      assertThat(mine.size()).as(mine.toString()).isGreaterThan(c + polls + 1);
      for (int k = 1; k <= polls; k++) {
        assertThat(mine.get(c + k)).as(mine.toString()).isEqualTo("poll " + key + " InProgress");
      }
      assertThat(mine.get(c + polls + 1))
          .as(mine.toString())
          .isEqualTo("poll " + key + " Successful");
    }
  }

  /**
   * A zip over Lambda's 50 MB direct-upload limit goes through the staging bucket when the CLI
   * syncs (create and update); Python folders list their dependencies in pyproject.toml (extras and
   * dependency groups left out); every change waits while Lambda says InProgress (moto never does:
   * the proxy plays it, and refuses a change meanwhile as Lambda does); a commit that changes the
   * revision but not the zip (a test file only) updates the configuration and sends no code.
   */
  @Test
  void largeZipStaged_pyprojectListings_changesWaitWhileInProgress_sameZipNotResent()
      throws Exception {
    String unique = UUID.randomUUID().toString().substring(0, 8);
    String prefix = "st" + unique;
    String region = "us-east-1";
    Path root = dir.resolve("staging");
    try (Git git = emptyRepository(root, "https://example.com/acme/staging-" + unique + ".git")) {
      write(
          root.resolve("accretion.toml"),
          table("big", "python3.11") + table("lib/tools", "python3.12"));
      write(
          root.resolve("big/app.py"),
          "import six\n\ndef handler(e, c):\n    return len(open('blob.bin', 'rb').read())\n");
      write(
          root.resolve("big/pyproject.toml"),
          """
          [project]
          name = "big"
          version = "1.0.0"
          dependencies = ["six==1.17.0"]

          [project.optional-dependencies]
          dev = ["idna>=3"]

          [dependency-groups]
          test = ["pytest"]
          """);
      write(root.resolve("big/tests/test_app.py"), "def test_x():\n    pass\n");
      // incompressible: the zip stays over 50 MiB
      byte[] noise = new byte[53 * 1024 * 1024];
      new java.util.Random(15).nextBytes(noise);
      Files.write(root.resolve("big/blob.bin"), noise);
      write(root.resolve("lib/tools/app.py"), "import idna\n\ndef handler(e, c):\n    return 1\n");
      write(
          root.resolve("lib/tools/pyproject.toml"),
          """
          [project]
          name = "tools"
          version = "0.1.0"
          dependencies = ["idna>=3"]

          [project.optional-dependencies]
          fast = ["six==1.17.0"]
          """);
      commit(git, "big and tools");

      proxy.clear();
      CliRun first = sync(root, "--prefix", prefix, "--regions", region, "--json");
      assertThat(first.code()).as(first.toString()).isZero();
      assertThat(first.json().get("counts").get("create").asInt()).isEqualTo(2);
      Map<String, String> names = new HashMap<>();
      for (JsonNode f : first.json().get("functions")) {
        names.put(f.get("path").asText(), f.get("name").asText());
      }
      String bucket = "accretion-" + MotoServer.ACCOUNT + "-" + region;
      String stagedKey = null;
      for (LambdaRecordingProxy.Call c : proxy.changes()) {
        JsonNode code = JSON.readTree(c.body()).get("Code");
        if (JSON.readTree(c.body()).get("FunctionName").asText().equals(names.get("big"))) {
          assertThat(code.has("ZipFile")).as("big is not sent in the request").isFalse();
          assertThat(code.get("S3Bucket").asText()).isEqualTo(bucket);
          stagedKey = code.get("S3Key").asText();
        } else {
          assertThat(code.has("ZipFile")).as("a small zip is sent in the request").isTrue();
          assertThat(code.has("S3Key")).isFalse();
          TreeSet<String> files = files(Base64.getDecoder().decode(code.get("ZipFile").asText()));
          assertThat(files)
              .contains("app.py", "pyproject.toml", "idna/__init__.py")
              .noneMatch(p -> p.startsWith("six") || p.startsWith("python/"));
        }
      }
      assertThat(stagedKey).matches("accretion/functions/[0-9a-f]{64}\\.zip");
      String key = stagedKey;
      byte[] staged;
      try (S3Client s3 = s3(region)) {
        staged = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
      }
      assertThat((long) staged.length).isGreaterThan(50L * 1024 * 1024);
      assertThat(key).contains(java.util.HexFormat.of().formatHex(sha256(staged)));
      assertThat(configuration(region, names.get("big")).codeSha256())
          .isEqualTo(sha256Base64(staged));
      assertThat(files(staged))
          .contains("app.py", "pyproject.toml", "blob.bin", "six.py")
          .noneMatch(p -> p.startsWith("tests/") || p.startsWith("idna") || p.startsWith("pytest"));

      // a commit changing big's code: staged again, and each change waits out InProgress
      proxy.settleAfter(3);
      write(
          root.resolve("big/app.py"),
          "import six\n\ndef handler(e, c):\n    return -len(open('blob.bin', 'rb').read())\n");
      commit(git, "big negative");
      proxy.clear();
      CliRun second = sync(root, "--prefix", prefix, "--regions", region, "--json");
      assertThat(second.code()).as(second.toString()).isZero();
      Map<String, String> acts = actions(second.json());
      assertThat(acts)
          .containsEntry("big@" + region, "update")
          .containsEntry("lib/tools@" + region, "skip");
      List<LambdaRecordingProxy.Call> codeCalls =
          proxy.changes().stream().filter(c -> c.path().endsWith("/code")).toList();
      assertThat(codeCalls).hasSize(1);
      JsonNode updateCode = JSON.readTree(codeCalls.get(0).body());
      assertThat(updateCode.has("ZipFile")).isFalse();
      assertThat(updateCode.get("S3Bucket").asText()).isEqualTo(bucket);
      assertThat(updateCode.get("S3Key").asText()).isNotEqualTo(key);
      assertWaitedOutEachChange(region, names.get("big"), 3);
      assertThat(proxy.events())
          .anyMatch(e -> e.equals("change " + region + " " + names.get("big") + " code"));
      assertThat(proxy.events())
          .anyMatch(e -> e.equals("change " + region + " " + names.get("big") + " configuration"));

      // a commit changing only a test of big: a new revision, the same zip: no code is sent
      write(root.resolve("big/tests/test_app.py"), "def test_y():\n    pass\n");
      commit(git, "big test");
      proxy.clear();
      CliRun third = sync(root, "--prefix", prefix, "--regions", region, "--json");
      proxy.settleAfter(0);
      assertThat(third.code()).as(third.toString()).isZero();
      JsonNode big = null;
      for (JsonNode f : third.json().get("functions")) {
        if (f.get("path").asText().equals("big")) {
          big = f;
        }
      }
      assertThat(big.get("action").asText()).isEqualTo("update");
      assertThat(big.get("codeUploaded").asBoolean()).isFalse();
      assertThat(big.get("configurationUpdated").asBoolean()).isTrue();
      assertThat(proxy.changes())
          .singleElement()
          .satisfies(c -> assertThat(c.path()).endsWith("/" + names.get("big") + "/configuration"));
      assertThat(proxy.calls())
          .noneMatch(c -> c.method().equals("PUT") && c.path().startsWith("/" + bucket));
      assertThat(configuration(region, names.get("big")).description())
          .isEqualTo("big@" + treeId(git, "big"));
    }
  }

  /**
   * Regions side by side and functions bounded, proven by a rendezvous instead of a clock: with
   * --parallel 2, the first two GetFunction calls (one per region) are held until both are in
   * flight, and never more than two requests are in flight. Also the text of --plan.
   */
  @Test
  void regionsSideBySide_functionsBoundedByParallel_planTextPerFunctionAndRegion()
      throws Exception {
    String unique = UUID.randomUUID().toString().substring(0, 8);
    String prefix = "par" + unique;
    Path root = dir.resolve("parallel");
    List<String> paths = List.of("a", "b", "c");
    try (Git git = emptyRepository(root, "https://example.com/acme/parallel-" + unique + ".git")) {
      StringBuilder toml = new StringBuilder();
      for (String p : paths) {
        toml.append(table(p, "python3.12"));
        write(root.resolve(p + "/app.py"), "def handler(e, c):\n    return '" + p + "'\n");
      }
      write(root.resolve("accretion.toml"), toml.toString());
      commit(git, "three");
      String regions = String.join(",", REGIONS);

      CliRun planJson = sync(root, "--prefix", prefix, "--regions", regions, "--plan", "--json");
      assertThat(planJson.code()).as(planJson.toString()).isZero();
      proxy.clear();
      CliRun plan = sync(root, "--prefix", prefix, "--regions", regions, "--plan");
      assertThat(plan.code()).as(plan.toString()).isZero();
      assertThat(proxy.changes()).isEmpty();
      List<String> lines = plan.out().lines().toList();
      assertThat(lines.get(0))
          .isEqualTo(
              "plan of example.com/acme/parallel-"
                  + unique
                  + " (prefix "
                  + prefix
                  + ", us-east-1, eu-west-1)");
      assertThat(lines).hasSize(1 + paths.size() * REGIONS.size() + 1);
      for (JsonNode f : planJson.json().get("functions")) {
        assertThat(lines)
            .contains(
                String.format(
                    java.util.Locale.ROOT,
                    "  %-7s %-12s %-40s %s@%s",
                    "create",
                    f.get("region").asText(),
                    f.get("name").asText(),
                    f.get("path").asText(),
                    treeId(git, f.get("path").asText()).substring(0, 12)));
      }
      assertThat(lines.get(lines.size() - 1)).isEqualTo("6 create");

      proxy.meet(2);
      CliRun run =
          sync(root, "--prefix", prefix, "--regions", regions, "--parallel", "2", "--json");
      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(run.json().get("counts").get("create").asInt()).isEqualTo(6);
      assertThat(proxy.met())
          .as("both regions in flight at once")
          .containsExactlyInAnyOrder(REGIONS.toArray(String[]::new));
      assertThat(proxy.maxInFlight()).as("at most --parallel requests at once").isEqualTo(2);
    }
  }

  /** The README's accretion.toml, as written, in a repository with the two folders it names. */
  @Test
  void readmeExample_syncsAsWritten() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int at = readme.indexOf("### `functions sync`");
    assertThat(at).as("README has the functions sync section").isNotNegative();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("```toml\\n(.*?)```", java.util.regex.Pattern.DOTALL)
            .matcher(readme);
    assertThat(m.find(at)).isTrue();
    Path root = dir.resolve("shop");
    try (Git git = Git.init().setDirectory(root.toFile()).setInitialBranch("main").call()) {
      StoredConfig config = git.getRepository().getConfig();
      config.setString("user", null, "name", "test");
      config.setString("user", null, "email", "test@example.com");
      config.save();
      write(root.resolve("accretion.toml"), m.group(1));
      write(root.resolve("orders/app.py"), "def handler(e, c):\n    return 'orders'\n");
      write(root.resolve("web/checkout/index.js"), "exports.handler = async () => 'ok';\n");
      commit(git, "shop");

      CliRun plan = sync(root, "--plan");
      assertThat(plan.code()).as(plan.toString()).isZero();
      assertThat(plan.out()).contains("plan of acme/shop (prefix accretion, us-east-1)");
      String prefix = "readme" + UUID.randomUUID().toString().substring(0, 8);
      CliRun run = sync(root, "--prefix", prefix, "--regions", "us-east-1");
      assertThat(run.code()).as(run.toString()).isZero();
      assertThat(run.out()).contains("2 create");
      CliRun again = sync(root, "--prefix", prefix, "--regions", "us-east-1", "--json");
      assertThat(again.code()).as(again.toString()).isZero();
      assertThat(again.json().get("counts").get("skip").asInt()).isEqualTo(2);

      // uncommitted changes: refused, unless --allow-dirty (then that folder only is updated)
      write(root.resolve("orders/app.py"), "def handler(e, c):\n    return 'edited'\n");
      CliRun dirty = sync(root, "--prefix", prefix, "--regions", "us-east-1", "--plan");
      assertThat(dirty.code()).as(dirty.toString()).isEqualTo(1);
      assertThat(dirty.err()).contains("uncommitted changes in orders (orders/app.py)");
      CliRun allowed =
          sync(
              root,
              "--prefix",
              prefix,
              "--regions",
              "us-east-1",
              "--plan",
              "--json",
              "--allow-dirty");
      assertThat(allowed.code()).as(allowed.toString()).isZero();
      for (JsonNode f : allowed.json().get("functions")) {
        boolean orders = f.get("path").asText().equals("orders");
        assertThat(f.get("action").asText()).isEqualTo(orders ? "update" : "skip");
        assertThat(f.get("revision").asText().endsWith("-dirty")).isEqualTo(orders);
      }
      try (LambdaClient lambda = lambda("us-east-1")) {
        for (JsonNode f : again.json().get("functions")) {
          FunctionConfiguration c =
              lambda.getFunction(b -> b.functionName(f.get("name").asText())).configuration();
          if (f.get("path").asText().equals("orders")) {
            assertThat(c.memorySize()).isEqualTo(256);
            assertThat(c.timeout()).isEqualTo(30);
            assertThat(c.environment().variables()).containsEntry("TABLE", "orders");
          } else {
            assertThat(c.architecturesAsStrings()).containsExactly("arm64");
            assertThat(c.runtimeAsString()).isEqualTo("nodejs20.x");
          }
        }
      }

      // the README's command lines, literally (the edit above committed first)
      commit(git, "orders edited");
      java.util.regex.Matcher sh =
          java.util.regex.Pattern.compile("```sh\\n(.*?)```", java.util.regex.Pattern.DOTALL)
              .matcher(readme);
      assertThat(sh.find(at)).isTrue();
      List<String> lines =
          sh.group(1).lines().filter(l -> l.startsWith("./accretion functions sync")).toList();
      assertThat(lines).hasSize(4);
      for (String line : lines) {
        String[] words =
            line.substring("./accretion functions sync".length())
                .replaceAll("\\s+#.*$", "")
                .trim()
                .split("\\s+");
        CliRun r = sync(root, words);
        assertThat(r.code()).as(line + "\n" + r).isZero();
        if (line.contains("--json")) {
          assertThat(r.json().get("functions")).hasSize(2);
        }
      }
      CliRun shop =
          sync(root, "--prefix", "shop", "--regions", "us-east-1,eu-west-1", "--plan", "--json");
      assertThat(shop.code()).as(shop.toString()).isZero();
      assertThat(actions(shop.json()).values()).hasSize(4).containsOnly("skip");
    }
  }

  /** A managed layer named in [functions] is the latest version's ARN in each region. */
  @Test
  void managedLayerName_becomesItsLatestVersionArnPerRegion() throws Exception {
    String layer = TestZips.unique("fnlayer");
    Path root = dir.resolve("withlayer");
    try (Git git = Git.init().setDirectory(root.toFile()).setInitialBranch("main").call()) {
      StoredConfig config = git.getRepository().getConfig();
      config.setString("user", null, "name", "test");
      config.setString("user", null, "email", "test@example.com");
      config.save();
      TestZips.write(
          root.resolve("dist/layer.zip"),
          Map.of("six", "1.17.0"),
          List.of("python3.11"),
          List.of("x86_64"));
      Map<String, String> env = new HashMap<>(MotoServer.environment(dir, "us-east-1"));
      env.put("ACCRETION_CACHE_DIR", dir.resolve("cache").toString());
      for (int i = 0; i < 2; i++) {
        if (i == 1) {
          TestZips.write(
              root.resolve("dist/layer.zip"),
              Map.of("six", "1.16.0"),
              List.of("python3.11"),
              List.of("x86_64"));
        }
        CliRun publish =
            CliRun.run(
                env,
                root,
                "publish",
                "dist/layer.zip",
                "--layer",
                layer,
                "--runtime",
                "python3.11",
                "--regions",
                "us-east-1,eu-west-1");
        assertThat(publish.code()).as(publish.toString()).isZero();
      }
      write(
          root.resolve("accretion.toml"),
          "[repository]\nname = \"layers-"
              + layer
              + "\"\n[functions.\"fn\"]\nruntime = \"python3.11\"\nhandler = \"app.handler\"\n"
              + "role = \""
              + ROLE
              + "\"\nlayers = [\""
              + layer
              + "\"]\n");
      write(root.resolve("fn/app.py"), "def handler(e, c):\n    return 1\n");
      commit(git, "fn");
      CliRun run = sync(root, "--prefix", "layered", "--regions", "us-east-1,eu-west-1", "--json");
      assertThat(run.code()).as(run.toString()).isZero();
      for (JsonNode f : run.json().get("functions")) {
        String region = f.get("region").asText();
        try (LambdaClient lambda = lambda(region)) {
          assertThat(
                  lambda
                      .getFunction(b -> b.functionName(f.get("name").asText()))
                      .configuration()
                      .layers())
              .extracting(software.amazon.awssdk.services.lambda.model.Layer::arn)
              .containsExactly(
                  "arn:aws:lambda:" + region + ":" + MotoServer.ACCOUNT + ":layer:" + layer + ":2");
        }
      }
    }
  }
}
