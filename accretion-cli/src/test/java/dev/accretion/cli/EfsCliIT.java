package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accretion.testkit.Python;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The efs commands as a user runs them: lock, install, bootstrap, import, ls, gc. */
class EfsCliIT {
  @TempDir Path tmp;

  @Test
  void lockInstallBootstrapLsGc_asWritten() throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("ACCRETION_CACHE_DIR", tmp.resolve("cache").toString());
    Files.write(tmp.resolve("requirements.txt"), List.of("six", "idna"));

    CliRun lock = CliRun.run(env, tmp, "lock", "requirements.txt", "--runtime", "python3.11");
    assertThat(lock.code()).as(lock.toString()).isZero();
    assertThat(tmp.resolve("pylock.toml")).isRegularFile();

    CliRun install =
        CliRun.run(
            env,
            tmp,
            "efs",
            "install",
            "pylock.toml",
            "--root",
            "store",
            "--runtime",
            "python3.11",
            "--arch",
            "x86_64",
            "--json");
    assertThat(install.code()).as(install.toString()).isZero();
    JsonNode j = install.json();
    assertThat(j.get("installed").asInt()).isEqualTo(2);
    assertThat(j.get("bytesWritten").asLong()).isPositive();
    String digest = j.get("digest").asText();
    assertThat(tmp.resolve("store/views/" + digest + ".json")).isRegularFile();

    CliRun again =
        CliRun.run(
            env,
            tmp,
            "efs",
            "install",
            "pylock.toml",
            "--root",
            "store",
            "--runtime",
            "python3.11");
    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(again.out()).contains("Installed 0 of 2 package versions (0 B written");

    Path store = tmp.resolve("store");
    CliRun boot =
        CliRun.run(
            env,
            tmp,
            "efs",
            "bootstrap",
            "pylock.toml",
            "--runtime",
            "python3.11",
            "--mount",
            store.toString(),
            "--output",
            "fn/accretion_efs.py");
    assertThat(boot.code()).as(boot.toString()).isZero();
    Python.Result run =
        Python.of("3.11")
            .run(
                List.of(
                    "-S",
                    "-c",
                    "import sys; sys.path.insert(0, sys.argv[1]); import accretion_efs, six, idna; print(six.__file__)",
                    tmp.resolve("fn").toString()),
                "",
                Map.of("PATH", System.getenv("PATH")),
                60);
    assertThat(run.code()).as(run.stderr()).isZero();
    assertThat(run.stdout()).startsWith(store.resolve("views/" + digest).toString());

    CliRun ls = CliRun.run(env, tmp, "efs", "ls", "--root", "store", "--json");
    assertThat(ls.code()).as(ls.toString()).isZero();
    assertThat(ls.json().get("versions")).hasSize(2);
    assertThat(ls.json().get("views").get(0).get("complete").asBoolean()).isTrue();

    CliRun gc =
        CliRun.run(
            env,
            tmp,
            "efs",
            "gc",
            "--root",
            "store",
            "--keep",
            "pylock.toml",
            "--runtime",
            "python3.11",
            "--json");
    assertThat(gc.code()).as(gc.toString()).isZero();
    assertThat(gc.json().get("removedVersions")).isEmpty();
    assertThat(gc.json().get("keptViews").get(0).asText()).isEqualTo(digest);

    CliRun missing = CliRun.run(env, tmp, "efs", "install", "nope.txt", "--root", "store");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("the listing nope.txt does not exist");
    CliRun node =
        CliRun.run(
            env,
            tmp,
            "efs",
            "install",
            "pylock.toml",
            "--root",
            "store",
            "--runtime",
            "nodejs22.x");
    assertThat(node.code()).as(node.toString()).isEqualTo(2);
    assertThat(node.err()).contains("nodejs22.x is not a Python runtime");
  }
}
