package dev.accretion.efs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.accretion.testkit.Python;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EfsInstallIT {
  @TempDir Path tmp;

  static final String IMPORT_ALL =
      "import accretion_efs, os, importlib, sys\n"
          + "view = sys.path[0]\n"
          + "mods = []\n"
          + "for p in ([view] if len(sys.argv) < 3 else sys.argv[2].split(os.pathsep)):\n"
          + "    for n in sorted(os.listdir(p)):\n"
          + "        full = os.path.join(p, n)\n"
          + "        if n.startswith(('.', '_')) or n.endswith(('.dist-info', '.libs', '.pth')):\n"
          + "            continue\n"
          + "        if n.endswith('.py'):\n"
          + "            mods.append(n[:-3])\n"
          + "        elif os.path.isdir(full) and os.path.exists(os.path.join(full, '__init__.py')):\n"
          + "            mods.append(n)\n"
          + "        elif n.endswith('.so'):\n"
          + "            mods.append(n.split('.')[0])\n"
          + "for m in mods:\n"
          + "    importlib.import_module(m)\n"
          + "import numpy, requests\n"
          + "assert int(numpy.arange(10).dot(numpy.arange(10))) == 285\n"
          + "r = requests.Request('GET', 'https://example.com', params={'a': 1}).prepare()\n"
          + "assert r.url == 'https://example.com/?a=1', r.url\n"
          + "print(len(mods), ' '.join(sorted(mods)))\n"
          + "print(numpy.__file__)\n";

  @Test
  void install_viewAndBootstrap_importEveryTopLevelModuleUnderDashS() throws Exception {
    Path root = tmp.resolve("store");
    Path cache = tmp.resolve("cache");
    Path listing =
        EfsFixture.listing(tmp.resolve("a"), "requirements.txt", "requests", "numpy<2.3");

    InstallOutcome first = EfsFixture.install(cache, listing, root);

    assertThat(first.packages())
        .extracting(InstallOutcome.Version::name)
        .contains("numpy", "requests", "urllib3", "idna", "certifi", "charset-normalizer");
    assertThat(first.installedCount()).isEqualTo(first.packages().size());
    assertThat(first.viewCreated()).isTrue();
    assertThat(first.view()).isEqualTo(root.resolve("views").resolve(first.set().digest()));
    assertThat(root.resolve("views").resolve(first.set().digest() + ".json")).isRegularFile();
    for (InstallOutcome.Version v : first.packages()) {
      assertThat(v.folder())
          .isEqualTo(root.resolve("python3.11/x86_64").resolve(v.name()).resolve(v.version()));
      try (Stream<Path> s = Files.list(v.folder())) {
        assertThat(s.map(p -> p.getFileName().toString()))
            .anyMatch(n -> n.endsWith(".dist-info"))
            .noneMatch(n -> n.equals("bin"));
      }
    }
    // the view links into the version folders with relative links
    Path numpyLink = first.view().resolve("numpy");
    assertThat(Files.isSymbolicLink(numpyLink)).isTrue();
    assertThat(Files.readSymbolicLink(numpyLink).isAbsolute()).isFalse();
    assertThat(numpyLink.toRealPath())
        .startsWith(root.resolve("python3.11/x86_64/numpy").toRealPath());
    assertNoHidden(root);

    Path fn = Files.createDirectories(tmp.resolve("function"));
    Files.writeString(
        fn.resolve("accretion_efs.py"), Bootstrap.render(first.set(), root.toString(), true));
    Python.Result run = EfsFixture.runIsolated(fn, IMPORT_ALL);
    assertThat(run.code()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("numpy", "requests", "urllib3", "idna", "certifi");
    assertThat(run.stdout().lines().toList().get(1)).startsWith(first.view().toString());

    // --no-view: one entry per version folder, in lock order
    Files.writeString(
        fn.resolve("accretion_efs.py"), Bootstrap.render(first.set(), root.toString(), false));
    Python.Result noView =
        EfsFixture.runIsolated(
            fn,
            "import accretion_efs, sys, numpy, requests; print(sys.path[0]); print(numpy.__file__)");
    assertThat(noView.code()).as(noView.stderr()).isZero();
    assertThat(noView.stdout().lines().toList().get(1))
        .startsWith(root.resolve("python3.11/x86_64/numpy").toString());

    // the same lock again writes nothing
    InstallOutcome again = EfsFixture.install(cache, listing, root);
    assertThat(again.bytesWritten()).isZero();
    assertThat(again.installedCount()).isZero();
    assertThat(again.viewCreated()).isFalse();
    assertThat(again.set().digest()).isEqualTo(first.set().digest());

    // a second lock sharing most packages writes only the versions the first lacked
    Path listingB = EfsFixture.listing(tmp.resolve("b"), "requirements.txt", "requests", "attrs");
    InstallOutcome second = EfsFixture.install(cache, listingB, root);
    assertThat(second.packages().stream().filter(InstallOutcome.Version::installed))
        .extracting(InstallOutcome.Version::name)
        .containsExactly("attrs");
    long attrsBytes =
        second.packages().stream()
            .filter(v -> v.name().equals("attrs"))
            .findFirst()
            .orElseThrow()
            .bytes();
    assertThat(second.bytesWritten()).isEqualTo(attrsBytes).isPositive();
    assertThat(second.bytesWritten()).isLessThan(first.bytesWritten() / 10);
    Files.writeString(
        fn.resolve("accretion_efs.py"), Bootstrap.render(second.set(), root.toString(), true));
    Python.Result runB =
        EfsFixture.runIsolated(
            fn, "import accretion_efs, attrs, requests, urllib3; print(attrs.__file__)");
    assertThat(runB.code()).as(runB.stderr()).isZero();
    assertThat(runB.stdout()).startsWith(second.view().toString());
  }

  @Test
  void bootstrap_failsClearlyWhenTheViewOrAVersionIsMissing() throws Exception {
    Path root = tmp.resolve("store");
    Path listing = EfsFixture.listing(tmp.resolve("a"), "requirements.txt", "six", "idna");
    InstallOutcome out = EfsFixture.install(tmp.resolve("cache"), listing, root);
    Path fn = Files.createDirectories(tmp.resolve("function"));
    Files.writeString(
        fn.resolve("accretion_efs.py"), Bootstrap.render(out.set(), root.toString(), true));
    assertThat(EfsFixture.runIsolated(fn, "import accretion_efs, six").code()).isZero();

    StoreMaintenance.collect(root, java.util.Set.of(), false); // removes the view and the versions
    Python.Result gone = EfsFixture.runIsolated(fn, "import accretion_efs");
    assertThat(gone.code()).isNotZero();
    assertThat(gone.stderr())
        .contains(
            "ImportError: accretion efs: the set is incomplete: 2 of 2 package versions are missing")
        .contains("accretion efs install");

    Files.createDirectories(root.resolve("python3.11/x86_64/six/" + version(out, "six")));
    Files.createDirectories(root.resolve("python3.11/x86_64/idna/" + version(out, "idna")));
    Python.Result noView = EfsFixture.runIsolated(fn, "import accretion_efs");
    assertThat(noView.stderr()).contains("the view views/" + out.set().digest() + " is missing");
  }

  private static String version(InstallOutcome out, String name) {
    return out.packages().stream()
        .filter(v -> v.name().equals(name))
        .findFirst()
        .orElseThrow()
        .version();
  }

  static void assertNoHidden(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      assertThat(
              s.filter(p -> !Files.isSymbolicLink(p))
                  .map(p -> root.relativize(p).toString())
                  .filter(
                      n ->
                          n.contains(".tmp-")
                              || n.contains(".lock") && !n.startsWith(".installs")
                              || n.contains(".trash-")))
          .isEmpty();
    }
    try (Stream<Path> s = Files.list(root.resolve(".installs"))) {
      assertThat(s).isEmpty();
    }
  }
}
