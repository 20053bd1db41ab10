package dev.accretion.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .mvn/jdk.sh}, which ./accretion and ./mvnw source to find a JDK 21+ with no setup:
 * JAVA_HOME first, then the java on PATH, then the newest JDK 21+ in the system JVM folders.
 */
class JdkFinderTest {
  @TempDir Path dir;

  private static final Path SCRIPT = Path.of("..", ".mvn", "jdk.sh").toAbsolutePath().normalize();

  private Path fakeJdk(String name, String version) throws IOException {
    Path home = Files.createDirectories(dir.resolve(name).resolve("bin"));
    for (String tool : List.of("java", "javac")) {
      Path p = home.resolve(tool);
      Files.writeString(p, "#!/bin/sh\necho 'openjdk version \"" + version + "\"' >&2\n");
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.writeString(
        home.getParent().resolve("release"),
        "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
    return home.getParent();
  }

  private String find(Map<String, String> env) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            "bash",
            "-c",
            ". '" + SCRIPT + "'; accretion_find_jdk && echo \"$ACCRETION_JAVA_HOME\"");
    pb.environment().remove("JAVA_HOME");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void javaHomeComesFirstWhenItIsAJdk21OrNewer() throws Exception {
    Path jdk22 = fakeJdk("jdk-22", "22.0.1");
    assertThat(find(Map.of("JAVA_HOME", jdk22.toString()))).isEqualTo(jdk22.toString());
  }

  @Test
  void aJdkWithoutAReleaseFileIsAskedForItsVersion() throws Exception {
    Path jdk21 = fakeJdk("jdk-21", "21.0.4");
    Files.delete(jdk21.resolve("release")); // `java -version` then tells
    assertThat(find(Map.of("JAVA_HOME", jdk21.toString()))).isEqualTo(jdk21.toString());
    Path jdk11 = fakeJdk("jdk-11", "1.11.0"); // the old 1.x form, and too old
    Files.delete(jdk11.resolve("release"));
    assertThat(find(Map.of("JAVA_HOME", jdk11.toString()))).isNotEqualTo(jdk11.toString());
  }

  @Test
  void anOlderJavaHomeFallsBackToTheJavaOnPath() throws Exception {
    Path jdk17 = fakeJdk("jdk-17", "17.0.15");
    Path jdk23 = fakeJdk("jdk-23", "23");
    String path = jdk23.resolve("bin") + ":" + System.getenv("PATH");
    assertThat(find(Map.of("JAVA_HOME", jdk17.toString(), "PATH", path)))
        .isEqualTo(jdk23.toRealPath().toString());
  }

  @Test
  void withNothingSetTheSystemFolderGivesAJdk21OrNewer() throws Exception {
    // this machine: java on PATH is 17, a JDK 25 sits in /usr/lib/jvm
    String found = find(Map.of());
    String release = Files.readString(Path.of(found, "release"));
    String version = release.replaceAll("(?s).*JAVA_VERSION=\"([0-9]+).*", "$1");
    assertThat(Integer.parseInt(version)).isGreaterThanOrEqualTo(21);
  }
}
