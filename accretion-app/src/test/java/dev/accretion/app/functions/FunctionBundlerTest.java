package dev.accretion.app.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.app.Environment;
import dev.accretion.aws.project.FunctionsFile;
import dev.accretion.core.archive.ZipArchive;
import dev.accretion.core.archive.ZipEntryInfo;
import dev.accretion.core.archive.ZipLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionBundlerTest {
  @TempDir Path dir;

  @Test
  void included_leavesOutTestsCachesAndCredentials() {
    for (String kept :
        List.of(
            "app.py", "lib/util.py", "index.mjs", "package.json", "testing.py", "contest/x.py")) {
      assertThat(FunctionBundler.included(kept)).as(kept).isTrue();
    }
    for (String left :
        List.of(
            "tests/test_app.py",
            "test/x.js",
            "src/__tests__/a.js",
            "__pycache__/app.cpython-311.pyc",
            "node_modules/x/index.js",
            "app.pyc",
            "test_app.py",
            "lib/app_test.py",
            "index.test.js",
            "a.spec.ts",
            ".npmrc",
            ".env",
            ".venv/bin/python")) {
      assertThat(FunctionBundler.included(left)).as(left).isFalse();
    }
  }

  @Test
  void bundle_ofAFolderWithoutListing_isItsSourceInReproducibleBytes() throws Exception {
    FunctionsFile.FunctionConfig config =
        FunctionsFile.parse(
                dir.resolve("accretion.toml"),
                """
                [repository]
                name = "x"
                [functions."a"]
                runtime = "python3.11"
                handler = "app.handler"
                role = "arn:aws:iam::123456789012:role/r"
                """)
            .functions()
            .get(0);
    List<GitRepository.SourceFile> files =
        List.of(
            new GitRepository.SourceFile(
                "run.sh", true, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)),
            new GitRepository.SourceFile(
                "app.py", false, "x = 1\n".getBytes(StandardCharsets.UTF_8)),
            new GitRepository.SourceFile("tests/test_app.py", false, new byte[] {1}));
    FunctionBundler bundler =
        new FunctionBundler(
            Environment.of(Map.of("HOME", dir.toString()), dir), dir.resolve("cache"));
    Files.createDirectories(dir.resolve("one"));
    Files.createDirectories(dir.resolve("two"));
    FunctionBundler.Bundle one = bundler.bundle(config, "fn", dir, files, dir.resolve("one"));
    FunctionBundler.Bundle two =
        bundler.bundle(config, "fn", dir, files.reversed(), dir.resolve("two"));

    assertThat(one.paths()).containsExactly("app.py", "run.sh");
    assertThat(Files.readAllBytes(one.zip())).isEqualTo(Files.readAllBytes(two.zip()));
    assertThat(one.codeSha256()).isEqualTo(two.codeSha256());
    try (ZipArchive zip = ZipArchive.open(one.zip(), ZipLimits.lambda())) {
      assertThat(zip.entries()).extracting(ZipEntryInfo::path).containsExactly("app.py", "run.sh");
      assertThat(zip.entry("run.sh").orElseThrow().isExecutable()).isTrue();
    }
  }
}
