package dev.accretion.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.pipeline.spi.LockFile;
import dev.accretion.pipeline.spi.Placement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * package.json alone, resolved in Java against the npm registry: npm 11 finds nothing wrong with
 * the tree the layer holds ({@code npm ls --all --omit=dev} exits 0 on it), {@code npm ci} accepts
 * the package-lock.json the builder writes, and Node.js 20 requires every direct dependency from
 * the layer.
 */
class ResolveFromPackageJsonIT {
  static final String[] PROJECTS = {
    // peer dependencies (react-dom needs react), devDependencies, an alias, overrides, optional
    // platform packages
    """
    { "name": "peers", "version": "1.0.0",
      "dependencies": { "react-dom": "^18.3.1", "react": "^18.3.1", "lodash-es": "npm:lodash@^4.17.0" },
      "devDependencies": { "typescript": "^5.6.0", "@types/node": "^22.0.0" } }
    """,
    """
    { "name": "web", "version": "1.0.0",
      "dependencies": { "express": "^4.21.2", "jsonwebtoken": "^9.0.2", "axios": "^1.7.9" },
      "overrides": { "ms": "2.1.3", "body-parser": { "debug": "2.6.9" } } }
    """,
    """
    { "name": "native", "version": "1.0.0",
      "dependencies": { "sharp": "^0.34.1", "esbuild": "^0.24.2", "uuid": "latest" } }
    """,
  };

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void resolvedTreeAndLockPassNpm(int index, @TempDir Path tmp) throws Exception {
    Path project = tmp.resolve("project");
    Files.createDirectories(project);
    Files.writeString(project.resolve("package.json"), PROJECTS[index]);
    Target target = SessionBuild.target("nodejs20.x", Architecture.X86_64);
    Path layer = tmp.resolve("layer");
    Path cache = Path.of("target/node-it-cache").toAbsolutePath();
    SessionBuild.Result result =
        SessionBuild.build(
            project.resolve("package.json"),
            target,
            Placement.LAYER,
            BuilderOptions.none(),
            SessionBuild.context(
                SessionBuild.cleanEnv(), tmp.resolve("home"), cache, BuildListener.NONE),
            cache.resolve("blobs"),
            layer);
    assertThat(result.files()).isNotEmpty();
    LockFile lock = result.session().lockFile(result.resolution(), "t", null).orElseThrow();

    // npm ls on the layer's tree, with the project's package.json as its root
    Path nodejs = layer.resolve("nodejs");
    Files.copy(project.resolve("package.json"), nodejs.resolve("package.json"));
    NodeTools.run(List.of("npm", "ls", "--all", "--omit=dev"), nodejs, null, Map.of())
        .requireSuccess("npm ls --all --omit=dev on the layer's tree");

    // npm ci accepts the written lock
    Path ci = tmp.resolve("ci");
    Files.createDirectories(ci);
    Files.copy(project.resolve("package.json"), ci.resolve("package.json"));
    Files.write(ci.resolve("package-lock.json"), lock.content());
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
    // and installs the same files from it
    assertThat(NpmCiDifferentialIT.tree(ci.resolve("node_modules")))
        .isEqualTo(NpmCiDifferentialIT.tree(nodejs.resolve("node_modules")));

    Path cwd = tmp.resolve("cwd");
    Files.createDirectories(cwd);
    StringBuilder script = new StringBuilder();
    for (String dep : NpmCiDifferentialIT.directDependencies(project)) {
      script.append("require('").append(dep).append("');\n");
    }
    NodeTools.run(
            List.of("node", "-e", script.toString()),
            cwd,
            null,
            Map.of("NODE_PATH", nodejs.resolve("node_modules").toString()))
        .requireSuccess("node requiring the direct dependencies");
  }
}
