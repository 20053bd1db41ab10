package dev.accretion.efs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EfsConcurrencyIT {
  @TempDir Path tmp;

  private Process installerProcess(Path root, Path cache, Path... listings) throws IOException {
    return installerProcess(List.of(), root, cache, listings);
  }

  private Process installerProcess(List<String> properties, Path root, Path cache, Path... listings)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(properties);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(InstallMain.class.getName());
    cmd.add(root.toString());
    cmd.add(cache.toString());
    for (Path l : listings) {
      cmd.add(l.toString());
    }
    return new ProcessBuilder(cmd)
        .redirectError(tmp.resolve("process-" + System.nanoTime() + ".err").toFile())
        .start();
  }

  @Test
  void fourInstallers_threadsAndAProcess_writeEachVersionOnceAndCompleteViews() throws Exception {
    Path root = tmp.resolve("store");
    Path cache = tmp.resolve("cache");
    Path a = EfsFixture.listing(tmp.resolve("a"), "requirements.txt", "requests", "six");
    Path b = EfsFixture.listing(tmp.resolve("b"), "requirements.txt", "requests", "attrs");
    // warm the shared wheel cache so that the installers race on the store, not on downloads
    EfsFixture.installer(cache)
        .resolve(a, null, dev.accretion.pipeline.spi.BuilderOptions.none(), EfsFixture.target());

    Process process = installerProcess(root, cache, b, a);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<List<InstallOutcome>>> threads = new ArrayList<>();
    Path[][] orders = {{a, b}, {b, a}, {a, b}};
    for (Path[] order : orders) {
      Callable<List<InstallOutcome>> job =
          () ->
              List.of(
                  EfsFixture.install(cache, order[0], root),
                  EfsFixture.install(cache, order[1], root));
      threads.add(pool.submit(job));
    }
    Map<String, Integer> writes = new TreeMap<>();
    List<String> digests = new ArrayList<>();
    for (Future<List<InstallOutcome>> f : threads) {
      for (InstallOutcome o : f.get(5, TimeUnit.MINUTES)) {
        digests.add(o.set().digest());
        for (InstallOutcome.Version v : o.packages()) {
          if (v.installed()) {
            writes.merge(v.name() + " " + v.version(), 1, Integer::sum);
          }
        }
      }
    }
    pool.shutdown();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(out).isZero();
    for (String line : out.lines().toList()) {
      if (line.startsWith("installed ")) {
        writes.merge(line.substring("installed ".length()), 1, Integer::sum);
      } else if (line.startsWith("view ")) {
        digests.add(line.substring(5));
      }
    }

    List<String> versions = new EfsStore(root).versions();
    // every version folder of the store was written exactly once, by one of the four
    assertThat(writes.values()).allMatch(n -> n == 1);
    assertThat(writes).hasSize(versions.size());
    assertThat(digests.stream().distinct()).hasSize(2);
    for (String d : digests.stream().distinct().toList()) {
      assertViewComplete(root, d);
    }
    EfsInstallIT.assertNoHidden(root);
  }

  @Test
  void killDashNine_midInstall_leavesNoVisiblePartialVersion_andTheNextInstallCompletesIt()
      throws Exception {
    Path root = tmp.resolve("store");
    Path cache = tmp.resolve("cache");
    Path a = EfsFixture.listing(tmp.resolve("a"), "requirements.txt", "numpy<2.3", "six");
    EfsFixture.installer(cache)
        .resolve(a, null, dev.accretion.pipeline.spi.BuilderOptions.none(), EfsFixture.target());

    Path numpyDir = root.resolve("python3.11/x86_64/numpy");
    Path signal = tmp.resolve("paused");
    // the installer stops for good after writing some of numpy's files: the kill lands mid-write
    Process process =
        installerProcess(
            List.of("-Dpause.in=" + numpyDir, "-Dpause.signal=" + signal), root, cache, a);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!Files.exists(signal) && System.nanoTime() < deadline && process.isAlive()) {
      Thread.sleep(5);
    }
    assertThat(signal).as("the installer started writing numpy").exists();
    Path lastWritten = numpyDir.relativize(Path.of(Files.readString(signal)));
    assertThat(lastWritten.getName(0).toString())
        .as("the paused installer's last file is in a temporary numpy folder")
        .contains(".tmp-");
    process.destroyForcibly(); // SIGKILL
    process.waitFor();
    assertThat(process.exitValue()).isEqualTo(137);

    // what the killed installer left: a temporary folder and a lock, no visible numpy version
    try (Stream<Path> s = Files.list(numpyDir)) {
      List<String> left = s.map(p -> p.getFileName().toString()).toList();
      assertThat(left).allMatch(n -> n.startsWith("."));
      assertThat(left).anyMatch(n -> n.contains(".tmp-"));
    }
    for (String v : new EfsStore(root).versions()) {
      assertVersionComplete(root.resolve(v));
    }

    InstallOutcome next = EfsFixture.install(cache, a, root);
    assertThat(
            next.packages().stream()
                .filter(v -> v.name().equals("numpy"))
                .findFirst()
                .orElseThrow()
                .installed())
        .isTrue();
    assertViewComplete(root, next.set().digest());
    for (String v : new EfsStore(root).versions()) {
      assertVersionComplete(root.resolve(v));
    }
    EfsInstallIT.assertNoHidden(root);
  }

  /** Every file the version's marker counts is there. */
  static void assertVersionComplete(Path version) throws Exception {
    Path marker = version.resolve(EfsStore.VERSION_MARKER);
    assertThat(marker).isRegularFile();
    String json = Files.readString(marker);
    long files = Long.parseLong(json.replaceAll("(?s).*\"files\": (\\d+).*", "$1"));
    try (Stream<Path> s = Files.walk(version)) {
      assertThat(s.filter(Files::isRegularFile).count() - 1).isEqualTo(files);
    }
  }

  static void assertViewComplete(Path root, String digest) throws Exception {
    Path view = root.resolve("views").resolve(digest);
    assertThat(view.resolve(EfsStore.VIEW_MARKER)).isRegularFile();
    EfsSet set = EfsSet.parse(Files.readString(root.resolve("views").resolve(digest + ".json")));
    for (EfsPackage p : set.packages()) {
      assertVersionComplete(root.resolve(p.path()));
    }
    try (Stream<Path> s = Files.walk(view)) {
      for (Path p : s.toList()) {
        assertThat(Files.exists(p)).as("link " + p + " resolves").isTrue();
      }
    }
  }
}
