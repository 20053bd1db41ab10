package dev.accretion.efs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.accretion.core.AccretionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EfsGcIT {
  @TempDir Path tmp;

  @Test
  void gc_removesExactlyTheVersionsNoKeptSetUses_andKeepsAnInstallInProgress() throws Exception {
    Path root = tmp.resolve("store");
    Path cache = tmp.resolve("cache");
    InstallOutcome a =
        EfsFixture.install(
            cache,
            EfsFixture.listing(tmp.resolve("a"), "requirements.txt", "requests", "six"),
            root);
    InstallOutcome b =
        EfsFixture.install(
            cache,
            EfsFixture.listing(tmp.resolve("b"), "requirements.txt", "requests", "attrs"),
            root);
    String attrs = path(b, "attrs");
    String six = path(a, "six");

    StoreMaintenance.Listing ls = StoreMaintenance.list(root);
    assertThat(ls.views())
        .extracting(StoreMaintenance.ViewInfo::digest)
        .containsExactlyInAnyOrder(a.set().digest(), b.set().digest());
    assertThat(ls.views()).allMatch(StoreMaintenance.ViewInfo::complete);
    StoreMaintenance.VersionInfo requests =
        ls.versions().stream()
            .filter(v -> v.path().equals(path(a, "requests")))
            .findFirst()
            .orElseThrow();
    assertThat(requests.views()).containsExactlyInAnyOrder(a.set().digest(), b.set().digest());
    assertThat(requests.bytes()).isPositive();

    // dry run: says what would go, removes nothing
    StoreMaintenance.Collected dry = StoreMaintenance.collect(root, Set.of(a.set().digest()), true);
    assertThat(dry.removedVersions()).containsExactly(attrs);
    assertThat(root.resolve(attrs)).isDirectory();

    // an install in progress that needs attrs keeps it
    Files.createDirectories(root.resolve(".installs"));
    try (StoreLock intent =
        StoreLock.tryAcquire(root.resolve(".installs/test.lock"), "version " + attrs + "\n")
            .orElseThrow()) {
      StoreMaintenance.Collected kept =
          StoreMaintenance.collect(root, Set.of(a.set().digest()), false);
      assertThat(kept.removedVersions()).isEmpty();
      assertThat(kept.removedViews()).containsExactly(b.set().digest());
      assertThat(root.resolve(attrs)).isDirectory();
    }

    StoreMaintenance.Collected gc = StoreMaintenance.collect(root, Set.of(a.set().digest()), false);
    assertThat(gc.removedVersions()).containsExactly(attrs);
    assertThat(gc.removedBytes()).isPositive();
    assertThat(root.resolve(attrs)).doesNotExist();
    assertThat(root.resolve(six)).isDirectory();
    assertThat(new EfsStore(root).versions())
        .containsExactlyInAnyOrderElementsOf(
            a.packages().stream().map(v -> root.relativize(v.folder()).toString()).toList());
    EfsConcurrencyIT.assertViewComplete(root, a.set().digest());
    assertThat(root.resolve("views").resolve(b.set().digest())).doesNotExist();

    assertThatThrownBy(() -> StoreMaintenance.collect(root, Set.of("0".repeat(64)), false))
        .isInstanceOf(AccretionException.class)
        .hasMessageContaining("has no view " + "0".repeat(64));
  }

  private static String path(InstallOutcome o, String name) {
    return o.set().packages().stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow()
        .path();
  }
}
