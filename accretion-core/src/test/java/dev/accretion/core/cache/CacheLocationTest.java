package dev.accretion.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CacheLocationTest {
  private static final Path HOME = Path.of("/home/someone");

  @Test
  void resolve_flagWinsOverEverything() {
    CacheLocation location =
        CacheLocation.resolve(
            Optional.of(Path.of("/flag/cache")),
            Map.of("ACCRETION_CACHE_DIR", "/env/cache", "XDG_CACHE_HOME", "/xdg"),
            HOME);

    assertThat(location.root()).isEqualTo(Path.of("/flag/cache"));
  }

  @Test
  void resolve_environmentVariableWinsOverXdg() {
    CacheLocation location =
        CacheLocation.resolve(
            Optional.empty(),
            Map.of("ACCRETION_CACHE_DIR", "/env/cache", "XDG_CACHE_HOME", "/xdg"),
            HOME);

    assertThat(location.root()).isEqualTo(Path.of("/env/cache"));
  }

  @Test
  void resolve_usesXdgCacheHomeSubfolder() {
    CacheLocation location =
        CacheLocation.resolve(Optional.empty(), Map.of("XDG_CACHE_HOME", "/xdg"), HOME);

    assertThat(location.root()).isEqualTo(Path.of("/xdg/accretion"));
  }

  @Test
  void resolve_defaultsToDotCacheInHome() {
    CacheLocation location = CacheLocation.resolve(Optional.empty(), Map.of(), HOME);

    assertThat(location.root()).isEqualTo(Path.of("/home/someone/.cache/accretion"));
  }

  @Test
  void resolve_treatsEmptyVariablesAsUnset() {
    CacheLocation location =
        CacheLocation.resolve(
            Optional.empty(), Map.of("ACCRETION_CACHE_DIR", "", "XDG_CACHE_HOME", ""), HOME);

    assertThat(location.root()).isEqualTo(Path.of("/home/someone/.cache/accretion"));
  }

  @Test
  void resolve_ignoresRelativeXdgCacheHomeAsTheSpecRequires() {
    CacheLocation location =
        CacheLocation.resolve(Optional.empty(), Map.of("XDG_CACHE_HOME", "relative/dir"), HOME);

    assertThat(location.root()).isEqualTo(Path.of("/home/someone/.cache/accretion"));
  }

  @Test
  void root_isMadeAbsoluteAndNormalized() {
    CacheLocation location = CacheLocation.of(Path.of("some/../cache"));

    assertThat(location.root().isAbsolute()).isTrue();
    assertThat(location.root()).isEqualTo(Path.of("cache").toAbsolutePath());
  }

  @Test
  void layout_namesTheDesignFolders() {
    CacheLocation location = CacheLocation.of(Path.of("/c"));

    assertThat(location.blobDirectory()).isEqualTo(Path.of("/c/blobs/sha256"));
    assertThat(location.selectorDirectory()).isEqualTo(Path.of("/c/selectors"));
    assertThat(location.tmpDirectory()).isEqualTo(Path.of("/c/tmp"));
    assertThat(location.quarantineDirectory()).isEqualTo(Path.of("/c/quarantine"));
  }
}
