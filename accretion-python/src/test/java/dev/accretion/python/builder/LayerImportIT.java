package dev.accretion.python.builder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.core.archive.ZipArchive;
import dev.accretion.core.archive.ZipEntryInfo;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.artifact.BuiltArtifact;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.BuildResult;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.LayerPipeline;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.python.lock.Locker;
import dev.accretion.python.resolve.IndexStrategy;
import dev.accretion.testkit.Python;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bar's importability and pip-equivalence checks on real package sets from the local mirror,
 * resolved through the machine's real pip configuration like the CLI: each layer is built,
 * unzipped, and in a real interpreter of the target's Python version, run isolated ({@code -I -S})
 * with only the layer's {@code python/} on {@code sys.path}, every top-level module is imported, a
 * smoke call runs and {@code importlib.metadata.version()} answers for every installed
 * distribution. Then the installed files are compared with pip's {@code --target} install of the
 * very same wheel files.
 */
class LayerImportIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;

  static Stream<Arguments> sets() {
    return Stream.of(
        Arguments.of(
            "pandas-numpy",
            List.of("python3.11"),
            "pandas\nnumpy\n",
            "import pandas as pd, numpy as np\n"
                + "df = pd.DataFrame({'a': np.arange(4)})\n"
                + "assert int(df['a'].sum()) == 6 and np.linalg.det(np.eye(2)) == 1.0\n"),
        Arguments.of(
            "pydantic",
            List.of("python3.11"),
            "pydantic\n",
            "from pydantic import BaseModel\n"
                + "class M(BaseModel):\n    x: int\n"
                + "assert M(x='3').x == 3\n"
                + "import pydantic_core; assert pydantic_core.__version__\n"),
        Arguments.of(
            "psycopg2",
            List.of("python3.11"),
            "psycopg2-binary\n",
            "import psycopg2, psycopg2.extensions\n"
                + "assert psycopg2.extensions.adapt(5).getquoted() == b'5'\n"
                + "assert psycopg2.__libpq_version__ > 90000\n"),
        Arguments.of(
            "lxml",
            List.of("python3.11"),
            "lxml\n",
            "from lxml import etree\n"
                + "assert etree.tostring(etree.fromstring('<a><b/></a>')) == b'<a><b/></a>'\n"),
        Arguments.of(
            "requests",
            List.of("python3.11"),
            "requests\n",
            "import requests\n"
                + "r = requests.Request('GET', 'http://example.com', params={'q': 1}).prepare()\n"
                + "assert r.url == 'http://example.com/?q=1'\n"
                + "import charset_normalizer; assert charset_normalizer.from_bytes(b'hello').best()\n"),
        Arguments.of("boto3", List.of("python3.11"), "boto3\n", BOTO3_SMOKE),
        Arguments.of(
            "pyyaml",
            List.of("python3.11"),
            "pyyaml\n",
            "import yaml\n"
                + "assert yaml.safe_load('a: [1, 2]') == {'a': [1, 2]}\n"
                + "assert yaml.__with_libyaml__ and yaml.CSafeLoader\n"),
        Arguments.of(
            "orjson",
            List.of("python3.11"),
            "orjson\n",
            "import orjson\nassert orjson.loads(orjson.dumps({'a': [1, 2.5]})) == {'a': [1, 2.5]}\n"),
        Arguments.of(
            "sqlalchemy",
            List.of("python3.11"),
            "sqlalchemy\n",
            "import sqlalchemy as sa\n"
                + "e = sa.create_engine('sqlite://')\n"
                + "with e.connect() as c:\n"
                + "    assert c.execute(sa.text('select 41 + 1')).scalar() == 42\n"),
        Arguments.of(
            "jinja2",
            List.of("python3.11"),
            "jinja2\n",
            "import jinja2\n"
                + "assert jinja2.Template('{{ x|e }}').render(x='<') == '&lt;'\n"
                + "from markupsafe import _speedups\n"),
        Arguments.of(
            "pillow",
            List.of("python3.11"),
            "pillow\n",
            "from PIL import Image, _imaging\n"
                + "im = Image.new('RGB', (2, 2), 'red')\n"
                + "assert im.getpixel((0, 0)) == (255, 0, 0)\n"),
        // pure and abi3 sets on the Amazon Linux 2023 runtimes
        Arguments.of("boto3-al2023", List.of("python3.12", "python3.13"), "boto3\n", BOTO3_SMOKE),
        Arguments.of(
            "abi3",
            List.of("python3.12", "python3.13"),
            "bcrypt\npsutil\ntornado\nprotobuf\n",
            "import bcrypt, psutil, tornado.escape\n"
                + "h = bcrypt.hashpw(b'x', bcrypt.gensalt(4)); assert bcrypt.checkpw(b'x', h)\n"
                + "assert psutil.cpu_count() >= 1\n"
                + "assert tornado.escape.json_decode('{\"a\": 1}') == {'a': 1}\n"
                + "from google.protobuf import struct_pb2\n"
                + "s = struct_pb2.Struct(); s['a'] = 1; assert s['a'] == 1\n"),
        Arguments.of(
            "pure",
            List.of("python3.12", "python3.13"),
            "attrs\nclick\nurllib3\nidna\ncertifi\n",
            "import attrs, click, urllib3, idna, certifi\n"
                + "@attrs.define\nclass P:\n    x: int\n"
                + "assert P(1).x == 1\n"
                + "assert idna.encode('\\u00fc.de') == b'xn--tda.de'\n"
                + "assert certifi.where().endswith('cacert.pem')\n"
                + "assert urllib3.util.parse_url('http://h:1/p').port == 1\n"));
  }

  private static final String BOTO3_SMOKE =
      "import boto3\n"
          + "c = boto3.session.Session(aws_access_key_id='a', aws_secret_access_key='b',"
          + " region_name='eu-west-1').client('s3')\n"
          + "assert c.meta.region_name == 'eu-west-1'\n"
          + "assert c.meta.service_model.service_name == 's3'\n";

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("sets")
  void layer_importsInTheTargetInterpreterAndMatchesPipTarget(
      String name, List<String> runtimes, String requirements, String smoke) throws Exception {
    Path dir = Files.createDirectories(shared.resolve(name));
    Path listing = dir.resolve("requirements.txt");
    Files.writeString(listing, requirements);
    List<Target> targets = new ArrayList<>();
    for (String runtime : runtimes) {
      targets.add(RuntimeMatrix.load().target(runtime, "x86_64"));
    }
    Locker.Options options =
        new Locker.Options(
            null,
            Set.of(),
            Set.of(),
            Locker.IndexOverrides.none(),
            IndexStrategy.FIRST_INDEX,
            false,
            null,
            System.getenv(),
            Path.of(System.getProperty("user.home")),
            dir,
            null);
    BuildResult result =
        new LayerPipeline(BuilderRegistry.load())
            .build(
                TestRequest.of(listing, options, targets, dir.resolve("dist"))
                    .toPipeline(shared.resolve("cache"), BuildListener.NONE));
    assertThat(result.artifacts()).isNotEmpty();
    int served = 0;
    for (BuiltArtifact artifact : result.artifacts()) {
      served += artifact.runtimes().size();
      Path unzipped = unzip(artifact.zip(), dir.resolve("unzipped-" + artifact.sha256Hex()));
      for (String runtime : artifact.runtimes()) {
        importCheck(runtime.substring("python".length()), unzipped.resolve("python"), smoke);
      }
      comparePipTarget(artifact, unzipped.resolve("python"), dir);
    }
    assertThat(served).isEqualTo(runtimes.size());
    if (name.equals("abi3") || name.equals("pure") || name.equals("boto3-al2023")) {
      // jmespath's jp.py script (boto3) starts with "#!/usr/bin/env python3" in a layer for
      // several Python versions, so scripts alone never split a pure layer
      assertThat(result.artifacts()).as("pure/abi3 content is shared").hasSize(1);
      assertThat(result.artifacts().get(0).zip())
          .hasFileName(name + "-python3.12+python3.13-x86_64.zip");
    }
  }

  private static void importCheck(String version, Path site, String smoke) throws IOException {
    String script =
        """
        import json, os, sys
        request = json.load(sys.stdin)
        site = request["site"]
        sys.path[:] = [site] + [p for p in sys.path if p and "site-packages" not in p]
        import importlib, importlib.metadata, traceback
        failures = []
        names = []
        for entry in sorted(os.listdir(site)):
            path = os.path.join(site, entry)
            if os.path.isdir(path):
                name = entry
            elif entry.endswith(".py"):
                name = entry[:-3]
            elif entry.endswith(".so"):
                name = entry.split(".")[0]
            else:
                continue
            if name.isidentifier() and name != "__pycache__":
                names.append(name)
        for name in names:
            try:
                importlib.import_module(name)
            except BaseException:
                failures.append(name + ": " + traceback.format_exc(limit=3))
        versions = {}
        for entry in sorted(os.listdir(site)):
            if entry.endswith(".dist-info"):
                meta = importlib.metadata.Distribution.at(os.path.join(site, entry)).metadata
                want = meta["Version"]
                try:
                    got = importlib.metadata.version(meta["Name"])
                except BaseException as e:
                    got = "error: %r" % e
                versions[meta["Name"]] = [want, got]
        try:
            exec(request["smoke"], {})
        except BaseException:
            failures.append("smoke: " + traceback.format_exc(limit=5))
        outside = [m.__file__ for m in list(sys.modules.values())
                   if getattr(m, "__file__", None) and "site-packages" in m.__file__]
        print(json.dumps({"modules": names, "failures": failures, "versions": versions,
                          "outside": outside, "executable": sys.executable}))
        """;
    String input = JSON.writeValueAsString(Map.of("site", site.toString(), "smoke", smoke));
    Python python = Python.of(version);
    Python.Result run = python.run(List.of("-I", "-S", "-c", script), input);
    assertThat(run.code()).as("python%s crashed: %s", version, run.stderr()).isZero();
    JsonNode answer = JSON.readTree(run.stdout());
    assertThat(answer.get("modules")).as("top-level modules found").isNotEmpty();
    assertThat(answer.get("failures")).as("imports and smoke call on python" + version).isEmpty();
    assertThat(answer.get("outside")).as("nothing loaded from a site-packages").isEmpty();
    assertThat(answer.get("versions")).isNotEmpty();
    answer
        .get("versions")
        .properties()
        .forEach(
            e ->
                assertThat(e.getValue().get(1).asText())
                    .as("importlib.metadata.version(%s)", e.getKey())
                    .isEqualTo(e.getValue().get(0).asText()));
  }

  /** pip --target with the same wheel files gives the same files with the same content. */
  private static void comparePipTarget(BuiltArtifact artifact, Path site, Path dir)
      throws Exception {
    JsonNode manifest = JSON.readTree(artifact.manifest().toFile());
    List<String> command =
        new ArrayList<>(
            List.of(
                "-m",
                "pip",
                "install",
                "--no-deps",
                "--no-compile",
                "--no-index",
                "--disable-pip-version-check",
                "--target"));
    Path target = dir.resolve("pip-" + artifact.sha256Hex());
    command.add(target.toString());
    for (JsonNode p : manifest.get("packages")) {
      command.add(Path.of(URI.create(p.get("url").asText())).toString());
    }
    Python.Result pip = Python.of("3.11").run(command, null, Map.of(), 900);
    assertThat(pip.code()).as("pip install --target: %s", pip.stderr()).isZero();
    Map<String, String> ours = files(site);
    Map<String, String> theirs = files(target);
    theirs.keySet().removeIf(p -> p.startsWith("bin/"));
    assertThat(theirs)
        .as("pip installed the packages")
        .hasSizeGreaterThan(3 * artifact.packages().size());
    assertThat(ours.keySet()).isEqualTo(theirs.keySet());
    assertThat(ours).isEqualTo(theirs);
  }

  /** Relative path to sha256, ignoring what installers write for themselves. */
  private static Map<String, String> files(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (!Files.isRegularFile(p)) {
          continue;
        }
        String rel = root.relativize(p).toString();
        String file = p.getFileName().toString();
        if (rel.contains("__pycache__/")
            || (rel.contains(".dist-info/")
                && Set.of("RECORD", "INSTALLER", "REQUESTED", "direct_url.json").contains(file))) {
          continue;
        }
        out.put(rel, sha256(p));
      }
    }
    return out;
  }

  private static String sha256(Path p) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(p)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        d.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  static Path unzip(Path zip, Path into) throws Exception {
    try (ZipArchive archive = ZipArchive.open(zip, ZipLimits.unlimited())) {
      for (ZipEntryInfo e : archive.entries()) {
        Path target = into.resolve(e.path());
        if (e.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = archive.open(e)) {
          Files.copy(in, target);
        }
        if (e.isExecutable()) {
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
    }
    return into;
  }
}
