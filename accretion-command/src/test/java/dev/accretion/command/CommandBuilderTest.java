package dev.accretion.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuildEvent;
import dev.accretion.pipeline.spi.BuildInput;
import dev.accretion.pipeline.spi.BuildSession;
import dev.accretion.pipeline.spi.Builder;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.LayerFile;
import dev.accretion.pipeline.spi.Placement;
import dev.accretion.pipeline.spi.Resolution;
import dev.accretion.pipeline.spi.ResolvedPackage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command builder at the session level, with real processes ({@code sh}). */
class CommandBuilderTest {

  @TempDir Path dir;
  Path source;
  Path cache;
  final List<BuildEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    source = Files.createDirectories(dir.resolve("layer-src"));
    Files.writeString(source.resolve("data.txt"), "hello\n");
    cache = dir.resolve("cache");
  }

  BuildSession open(String script, BuilderOptions extra) throws AccretionException {
    BuilderOptions options = BuilderOptions.of(Map.of("command", List.of("sh", "-c", script)));
    for (var e : extra.asMap().entrySet()) {
      options = options.with(e.getKey(), e.getValue());
    }
    BuildContext context =
        new BuildContext(
            Map.of("PATH", System.getenv("PATH"), "SECRET_TOKEN", "hunter2", "KEEP_ME", "yes"),
            dir.resolve("real-home"),
            dir,
            cache,
            events::add);
    return new CommandBuilder().open(new BuildInput(source, null, options, context));
  }

  static Target target(String runtime, Architecture arch) throws AccretionException {
    return Target.of(RuntimeMatrix.load().get(runtime), arch);
  }

  static String text(LayerFile f) {
    return new String(((LayerFile.Compressed) f.content()).uncompressed(), StandardCharsets.UTF_8);
  }

  @Test
  void builder_isFoundWithServiceLoader_andDetectsNothing() {
    assertThat(ServiceLoader.load(Builder.class).stream().map(p -> p.get().id()))
        .contains("command");
    assertThat(new CommandBuilder().detect(source)).isEmpty();
    assertThat(new CommandBuilder().languages()).isEmpty();
  }

  @Test
  void command_buildsTheLayerContent_inAScrubbedEnvironment() throws Exception {
    String script =
        """
        set -e
        mkdir -p "$ARTIFACTS_DIR/python/tool" "$ARTIFACTS_DIR/bin"
        cp data.txt "$ARTIFACTS_DIR/python/tool/data.txt"
        printf '#!/bin/sh\\necho hi\\n' > "$ARTIFACTS_DIR/bin/tool"; chmod 755 "$ARTIFACTS_DIR/bin/tool"
        env | sort > "$ARTIFACTS_DIR/env.txt"
        echo "building for $ACCRETION_RUNTIME on $ACCRETION_ARCH"
        cat > "$ARTIFACTS_DIR/.accretion-packages.json" <<'EOF'
        {"packages": [{"name": "tool", "version": "1.2.3"},
                      {"name": "numpy", "version": "2.2.6", "ecosystem": "pypi"}]}
        EOF
        """;
    Target t = target("python3.12", Architecture.ARM64);
    try (BuildSession s = open(script, BuilderOptions.none().with("pass-env", "KEEP_ME"))) {
      assertThat(s.selectorText()).isEmpty();
      Resolution r = s.resolve(t);
      assertThat(r.packages())
          .extracting(ResolvedPackage::name, ResolvedPackage::purl)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("numpy", "pkg:pypi/numpy@2.2.6"),
              org.assertj.core.groups.Tuple.tuple("tool", "pkg:generic/tool@1.2.3"));
      assertThat(r.packages()).allSatisfy(p -> assertThat(p.source()).isNull());
      List<LayerFile> files = s.extraFiles(t, Placement.LAYER);
      assertThat(files)
          .extracting(LayerFile::path)
          .containsExactly("bin/tool", "env.txt", "python/tool/data.txt");
      assertThat(files.get(0).executable()).isTrue();
      assertThat(files.get(2).executable()).isFalse();
      assertThat(text(files.get(2))).isEqualTo("hello\n");
      String env = text(files.get(1));
      assertThat(env)
          .contains("ACCRETION_RUNTIME=python3.12")
          .contains("ACCRETION_ARCH=arm64")
          .contains("ACCRETION_LAYER_PATH=python")
          .contains("KEEP_ME=yes")
          .contains("SOURCE_DATE_EPOCH=315532800")
          .doesNotContain("SECRET_TOKEN")
          .doesNotContain("HOME=" + dir.resolve("real-home"));
      assertThat(events).contains(new BuildEvent.Output("building for python3.12 on arm64"));
    }
    // the temporary folders are gone once the session is closed
    try (var left = Files.list(cache.resolve("command"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void failingCommand_failsWithItsExitCodeAndOutputTail() throws Exception {
    try (BuildSession s =
        open("echo first; echo 'compiler: error: no such file'; exit 3", BuilderOptions.none())) {
      assertThatThrownBy(() -> s.resolve(target("java21", Architecture.X86_64)))
          .isInstanceOfSatisfying(
              AccretionException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(FailureKind.FAILED);
                assertThat(e.problem()).contains("exit code 3").contains("java21/x86_64");
                assertThat(e.advice()).contains("compiler: error: no such file");
              });
    }
  }

  @Test
  void commandPastTheTimeout_isStopped() throws Exception {
    long start = System.nanoTime();
    try (BuildSession s =
        open("echo started; sleep 60 & wait", BuilderOptions.none().with("timeout", "1"))) {
      assertThatThrownBy(() -> s.resolve(target("nodejs22.x", Architecture.X86_64)))
          .isInstanceOfSatisfying(
              AccretionException.class,
              e -> {
                assertThat(e.problem()).contains("longer than 1 s");
                assertThat(e.advice()).contains("started");
              });
    }
    assertThat((System.nanoTime() - start) / 1_000_000_000).isLessThan(30);
  }

  @Test
  void writesOutsideArtifactsDir_neverReachTheLayer_andTheSourceIsUntouched() throws Exception {
    String script =
        """
        echo changed > data.txt
        echo extra > new-in-source.txt
        echo escape > ../escape.txt
        echo home > "$HOME/home.txt"
        echo tmp > "$TMPDIR/tmp.txt"
        echo inside > "$ARTIFACTS_DIR/inside.txt"
        """;
    Target t = target("java21", Architecture.X86_64);
    try (BuildSession s = open(script, BuilderOptions.none())) {
      s.resolve(t);
      assertThat(s.extraFiles(t, Placement.LAYER))
          .extracting(LayerFile::path)
          .containsExactly("inside.txt");
    }
    assertThat(Files.readString(source.resolve("data.txt"))).isEqualTo("hello\n");
    assertThat(source.resolve("new-in-source.txt")).doesNotExist();
    assertThat(dir.resolve("escape.txt")).doesNotExist();
  }

  @Test
  void aSymbolicLinkInArtifactsDir_isRefused() throws Exception {
    try (BuildSession s =
        open("ln -s /etc/passwd \"$ARTIFACTS_DIR/passwd\"", BuilderOptions.none())) {
      assertThatThrownBy(() -> s.resolve(target("java21", Architecture.X86_64)))
          .isInstanceOfSatisfying(
              AccretionException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(FailureKind.REFUSED);
                assertThat(e.problem()).contains("passwd").contains("/etc/passwd");
              });
    }
  }

  @Test
  void invalidPackagesFile_isBadInput() throws Exception {
    try (BuildSession s =
        open(
            "echo '{\"packages\": [{\"name\": \"x\"}]}' > \"$ARTIFACTS_DIR/.accretion-packages.json\"",
            BuilderOptions.none())) {
      assertThatThrownBy(() -> s.resolve(target("java21", Architecture.X86_64)))
          .isInstanceOfSatisfying(
              AccretionException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(FailureKind.BAD_INPUT);
                assertThat(e.problem()).contains("packages[0]").contains("version");
              });
    }
  }

  @Test
  void missingCommand_isAUsageError() {
    BuildContext context = new BuildContext(Map.of(), dir, dir, cache, e -> {});
    assertThatThrownBy(
            () ->
                new CommandBuilder()
                    .open(new BuildInput(source, null, BuilderOptions.none(), context)))
        .isInstanceOfSatisfying(
            AccretionException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.USAGE));
  }
}
