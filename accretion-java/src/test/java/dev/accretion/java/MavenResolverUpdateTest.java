package dev.accretion.java;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code mvn -U} through {@code MAVEN_ARGS}: metadata checked on every resolution. */
class MavenResolverUpdateTest {
  @Test
  void updateAlways_whenMavenArgsHoldDashU() {
    assertThat(MavenResolver.updateAlways(Map.of())).isFalse();
    assertThat(MavenResolver.updateAlways(Map.of("MAVEN_ARGS", "-B -q"))).isFalse();
    assertThat(MavenResolver.updateAlways(Map.of("MAVEN_ARGS", "-Ux"))).isFalse();
    assertThat(MavenResolver.updateAlways(Map.of("MAVEN_ARGS", " -B  -U "))).isTrue();
    assertThat(MavenResolver.updateAlways(Map.of("MAVEN_ARGS", "--update-snapshots"))).isTrue();
  }
}
