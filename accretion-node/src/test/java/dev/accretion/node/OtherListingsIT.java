package dev.accretion.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.Placement;
import dev.accretion.pipeline.spi.ResolvedPackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workspaces (npm), pnpm-lock.yaml v9 and Yarn 1 yarn.lock, each installed with the versions its
 * lock gives and held against npm: {@code npm ls --all --omit=dev} finds nothing wrong with the
 * layer's tree, {@code npm ci} accepts the package-lock.json the builder writes, Node.js requires
 * the dependencies from the layer.
 */
class OtherListingsIT {
  @TempDir Path tmp;
  static final Path RESOURCES = Path.of("src/test/resources");

  SessionBuild.Result build(Path listing, Target target, BuilderOptions options) throws Exception {
    Path cache = Path.of("target/node-it-cache").toAbsolutePath();
    Path out = Files.createTempDirectory(tmp, "layer");
    return SessionBuild.build(
        listing,
        target,
        Placement.LAYER,
        options,
        SessionBuild.context(
            SessionBuild.cleanEnv(), tmp.resolve("home"), cache, BuildListener.NONE),
        cache.resolve("blobs"),
        out);
  }

  /**
   * npm ls on the layer, npm ci from the written lock (same files), node requires the dependencies.
   */
  void holdAgainstNpm(SessionBuild.Result r, Path packageJson, String script) throws Exception {
    Path layer =
        Path.of(r.files().values().iterator().next().path()).getName(0) == null ? null : null;
    Path out = tmp.resolve("check-" + System.nanoTime());
    Path nodejs = out.resolve("nodejs");
    Files.createDirectories(nodejs);
    for (var f : r.files().values()) {
      Path p = out.resolve(f.path());
      Files.createDirectories(p.getParent());
      Files.write(
          p, ((dev.accretion.pipeline.spi.LayerFile.Compressed) f.content()).uncompressed());
      Files.setPosixFilePermissions(
          p,
          java.nio.file.attribute.PosixFilePermissions.fromString(
              f.executable() ? "rwxr-xr-x" : "rw-r--r--"));
    }
    java.nio.file.attribute.FileTime fixed =
        java.nio.file.attribute.FileTime.fromMillis(315532800000L);
    try (var walk = Files.walk(out)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.setLastModifiedTime(p, fixed);
      }
    }
    Files.copy(packageJson, nodejs.resolve("package.json"));
    NodeTools.run(List.of("npm", "ls", "--all", "--omit=dev"), nodejs, null, Map.of())
        .requireSuccess("npm ls on the layer");
    Path ci = out.resolve("ci");
    Files.createDirectories(ci);
    Files.copy(packageJson, ci.resolve("package.json"));
    Files.write(
        ci.resolve("package-lock.json"),
        r.session().lockFile(r.resolution(), "t", null).orElseThrow().content());
    NodeTools.run(
            List.of(
                "npm",
                "ci",
                "--omit=dev",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--loglevel=error"),
            ci,
            null,
            Map.of())
        .requireSuccess("npm ci from the written lock");
    Map<String, String> npmTree = NpmCiDifferentialIT.tree(ci.resolve("node_modules"));
    Map<String, String> mine = NpmCiDifferentialIT.tree(nodejs.resolve("node_modules"));
    var onlyNpm = new java.util.TreeSet<>(npmTree.keySet());
    onlyNpm.removeAll(mine.keySet());
    var onlyMine = new java.util.TreeSet<>(mine.keySet());
    onlyMine.removeAll(npmTree.keySet());
    assertThat(onlyNpm)
        .as("files npm ci installs from the written lock that the layer lacks")
        .isEmpty();
    assertThat(onlyMine).as("files the layer has that npm ci does not install").isEmpty();
    assertThat(mine).isEqualTo(npmTree);
    NodeTools.run(
            List.of("node", "-e", script),
            tmp,
            null,
            Map.of("NODE_PATH", nodejs.resolve("node_modules").toString()))
        .requireSuccess("node requiring from the layer");
    assertThat(layer).isNull();
  }

  static String version(SessionBuild.Result r, String name) {
    return r.resolution().packages().stream()
        .filter(p -> p.name().equals(name))
        .map(ResolvedPackage::version)
        .findFirst()
        .orElse(null);
  }

  @Test
  void npmWorkspace_getsItsOwnDependenciesAtTheLocksVersions() throws Exception {
    Path project = tmp.resolve("ws");
    copyTree(RESOURCES.resolve("workspaces"), project);
    SessionBuild.Result r =
        build(
            project.resolve("package.json"),
            SessionBuild.target("nodejs20.x", Architecture.X86_64),
            BuilderOptions.none().with("workspace", "api"));
    assertThat(version(r, "lodash")).startsWith("3.");
    assertThat(r.files())
        .containsKey("nodejs/node_modules/lodash/package.json")
        .doesNotContainKey("nodejs/node_modules/typescript/package.json");
    assertThat(r.session().defaultName()).isEqualTo("api");
    holdAgainstNpm(
        r,
        project.resolve("packages/api/package.json"),
        "if (!require('lodash').VERSION.startsWith('3.')) process.exit(3); require('express'); require('debug');");
    assertThatThrownBy(
            () ->
                build(
                    project.resolve("package.json"),
                    SessionBuild.target("nodejs20.x", Architecture.X86_64),
                    BuilderOptions.none().with("workspace", "worker")))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.BAD_INPUT);
              assertThat(e.getMessage()).contains("shared");
            });
    assertThatThrownBy(
            () ->
                build(
                    project.resolve("package.json"),
                    SessionBuild.target("nodejs20.x", Architecture.X86_64),
                    BuilderOptions.none().with("workspace", "nope")))
        .isInstanceOfSatisfying(
            AccretionException.class,
            e -> assertThat(e.getMessage()).contains("api").contains("worker"));
  }

  @Test
  void pnpmLock_installsPnpmsVersions() throws Exception {
    Path project = tmp.resolve("pnpm");
    copyTree(RESOURCES.resolve("pnpm"), project);
    SessionBuild.Result r =
        build(
            project.resolve("pnpm-lock.yaml"),
            SessionBuild.target("nodejs20.x", Architecture.X86_64),
            BuilderOptions.none());
    assertThat(version(r, "express")).isEqualTo("4.22.3");
    assertThat(version(r, "@esbuild/linux-x64")).isEqualTo("0.24.2");
    assertThat(version(r, "@esbuild/linux-arm64")).isNull();
    assertThat(version(r, "typescript")).isNull();
    assertThat(r.files()).containsKey("nodejs/node_modules/string-width-cjs/package.json");
    holdAgainstNpm(
        r,
        project.resolve("package.json"),
        "require('express'); require('react-dom/server').renderToString(require('react').createElement('p')); require('esbuild').transformSync('let a: number = 1', {loader: 'ts'}); require('string-width-cjs')('x');");
    SessionBuild.Result arm =
        build(
            project.resolve("package.json"),
            SessionBuild.target("nodejs22.x", Architecture.ARM64),
            BuilderOptions.none());
    assertThat(version(arm, "@esbuild/linux-arm64")).isEqualTo("0.24.2");
    assertThat(version(arm, "@esbuild/linux-x64")).isNull();
  }

  @Test
  void yarnLock_installsYarnsVersions_platformFromTheRegistry() throws Exception {
    Path project = tmp.resolve("yarn");
    copyTree(RESOURCES.resolve("yarn"), project);
    SessionBuild.Result r =
        build(
            project.resolve("yarn.lock"),
            SessionBuild.target("nodejs20.x", Architecture.X86_64),
            BuilderOptions.none());
    assertThat(version(r, "react-dom")).isEqualTo("18.3.1");
    assertThat(version(r, "@esbuild/linux-x64")).isEqualTo("0.24.2");
    assertThat(version(r, "@esbuild/darwin-arm64")).isNull();
    assertThat(r.resolution().notes()).anyMatch(n -> n.contains("@esbuild/darwin-arm64"));
    holdAgainstNpm(
        r,
        project.resolve("package.json"),
        "require('express'); require('react-dom/server'); require('esbuild').transformSync('let a: number = 1', {loader: 'ts'}); require('string-width-cjs')('x');");
  }

  static void copyTree(Path from, Path to) throws Exception {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
