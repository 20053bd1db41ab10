package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.testkit.MotoServer;
import dev.accretion.testkit.SimpleIndexBuilder;
import dev.accretion.testkit.WheelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: in a CI log (stderr to a file, no terminal) a build or publish prints one plain line
 * per stage, as uv and pip do — resolved, fetched, verified, assembled, published per region — and
 * no terminal control sequences. Runs the real {@code accretion} main class in a child JVM.
 */
class ProgressOffTerminalIT {
  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private Result run(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv("PATH"));
    pb.environment().putAll(env);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void buildAndPublish_printOnePlainLinePerStage() throws Exception {
    SimpleIndexBuilder index = new SimpleIndexBuilder(dir.resolve("index"));
    index.add(
        WheelBuilder.wheel("webby", "2.0")
            .file("webby/__init__.py", "import tiny\n")
            .requires("tiny"));
    index.add(WheelBuilder.wheel("tiny", "1.0").file("tiny/__init__.py", "T = 1\n"));
    Files.writeString(dir.resolve("requirements.txt"), "webby\n");
    Map<String, String> env = new HashMap<>(MotoServer.environment(dir, "us-east-1"));
    env.put("PIP_CONFIG_FILE", "/dev/null");
    env.put("PIP_INDEX_URL", index.url());

    Result build =
        run(
            env,
            "build",
            "requirements.txt",
            "--runtime",
            "python3.12",
            "--name",
            "plain",
            "--cache-dir",
            dir.resolve("cache").toString());
    assertThat(build.code()).as(build.err()).isZero();
    assertThat(build.err())
        .doesNotContain("\033[")
        .doesNotContain("\r")
        .containsPattern("(?m)^Resolved 2 packages for python3\\.12/x86_64 in \\d")
        .containsPattern("(?m)^Fetched 2 files, .* in \\d")
        .containsPattern("(?m)^Verified 2 files ")
        .containsPattern("(?m)^Assembled plain-python3\\.12-x86_64\\.zip \\(");
    assertThat(build.out()).startsWith("Built layer plain");

    String layer = TestZips.unique("plain-log");
    Result publish =
        run(
            env,
            "publish",
            "dist/plain-python3.12-x86_64.zip",
            "--layer",
            layer,
            "--regions",
            "us-east-1,eu-west-1");
    assertThat(publish.code()).as(publish.err()).isZero();
    assertThat(publish.err())
        .doesNotContain("\033[")
        .containsPattern("(?m)^Uploaded and published version 1 in us-east-1$")
        .containsPattern("(?m)^Uploaded and published version 1 in eu-west-1$");
  }
}
