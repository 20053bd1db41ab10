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

/**
 * A set that cannot fit a layer (issue 14's bar): scipy, pandas, scikit-learn and duckdb with their
 * dependencies (scikit-learn 1.6.1, the newest for glibc 2.26, is on the second index: hence {@code
 * --index-strategy best-match}) for python3.11 x86_64, over 250 MB unzipped. {@code accretion
 * build} refuses it with the size error that points to {@code accretion efs}; {@code efs install}
 * puts it on the store, and python3.11 -S with only the bootstrap imports every top-level module
 * and computes.
 */
class EfsBigSetIT {
  @TempDir Path tmp;

  static final String IMPORT_ALL_AND_COMPUTE =
      "import sys; sys.path.insert(0, sys.argv[1])\n"
          + "import accretion_efs, os, importlib\n"
          + "view = sys.path[0]\n"
          + "mods = []\n"
          + "for n in sorted(os.listdir(view)):\n"
          + "    full = os.path.join(view, n)\n"
          + "    if n.startswith(('.', '_')) or n.endswith(('.dist-info', '.libs', '.pth')):\n"
          + "        continue\n"
          + "    if n.endswith('.py'):\n"
          + "        mods.append(n[:-3])\n"
          + "    elif os.path.isdir(full) and os.path.exists(os.path.join(full, '__init__.py')):\n"
          + "        mods.append(n)\n"
          + "    elif n.endswith('.so'):\n"
          + "        mods.append(n.split('.')[0])\n"
          + "optional = []\n"
          + "for m in mods:\n"
          + "    try:\n"
          + "        importlib.import_module(m)\n"
          + "    except ModuleNotFoundError as e:\n"
          + "        if e.name in mods:\n"
          + "            raise\n"
          + "        optional.append(m + '->' + e.name)\n"
          + "print('optional-missing:', ' '.join(optional))\n"
          + "import numpy as np, pandas as pd, scipy.linalg, duckdb\n"
          + "from sklearn.linear_model import LinearRegression\n"
          + "x = np.arange(20.0).reshape(-1, 1)\n"
          + "m = LinearRegression().fit(x, 3 * x[:, 0] + 2)\n"
          + "assert abs(m.coef_[0] - 3) < 1e-9 and abs(m.intercept_ - 2) < 1e-9\n"
          + "assert abs(scipy.linalg.det(np.array([[2.0, 0], [0, 3.0]])) - 6) < 1e-12\n"
          + "df = pd.DataFrame({'a': [1, 2, 3]})\n"
          + "assert duckdb.sql('select sum(a) as s from df').fetchall() == [(6,)]\n"
          + "print(len(mods), ' '.join(mods))\n";

  @Test
  void aSetBeyondALayer_buildPointsToEfs_andEfsInstallImportsUnderDashS() throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    Files.write(
        tmp.resolve("requirements.txt"), List.of("scipy", "pandas", "scikit-learn", "duckdb"));

    CliRun build =
        CliRun.run(
            env,
            tmp,
            "build",
            "requirements.txt",
            "--runtime",
            "python3.11",
            "--arch",
            "x86_64",
            "--index-strategy",
            "best-match");
    assertThat(build.code()).as(build.toString()).isEqualTo(1);
    assertThat(build.err())
        .contains("over the budget of 250.0 MiB (262144000 bytes")
        .contains("accretion efs install");

    CliRun install =
        CliRun.run(
            env,
            tmp,
            "efs",
            "install",
            "requirements.txt",
            "--root",
            "store",
            "--runtime",
            "python3.11",
            "--index-strategy",
            "best-match",
            "--json");
    assertThat(install.code()).as(install.toString()).isZero();
    JsonNode j = install.json();
    assertThat(j.get("bytesWritten").asLong()).isGreaterThan(262_144_000L);

    Path store = tmp.resolve("store");
    CliRun boot =
        CliRun.run(
            env,
            tmp,
            "efs",
            "bootstrap",
            "requirements.txt",
            "--runtime",
            "python3.11",
            "--mount",
            store.toString(),
            "--output",
            "fn/accretion_efs.py",
            "--index-strategy",
            "best-match");
    assertThat(boot.code()).as(boot.toString()).isZero();
    Python.Result run =
        Python.of("3.11")
            .run(
                List.of("-S", "-c", IMPORT_ALL_AND_COMPUTE, tmp.resolve("fn").toString()),
                "",
                Map.of("PATH", System.getenv("PATH")),
                600);
    assertThat(run.code()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("scipy", "pandas", "sklearn", "duckdb", "numpy", "joblib");
    // the only top-level module that does not import: duckdb's ADBC driver, which needs the
    // optional adbc-driver-manager (not a dependency of duckdb, and not on the mirror)
    assertThat(run.stdout())
        .contains("optional-missing: adbc_driver_duckdb->adbc_driver_manager\n");
  }
}
