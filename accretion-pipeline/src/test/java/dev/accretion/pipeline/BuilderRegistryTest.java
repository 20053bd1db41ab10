package dev.accretion.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.pipeline.spi.Builder;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuilderRegistryTest {
  @TempDir Path temp;

  @Test
  void load_findsBuildersWithServiceLoader() {
    BuilderRegistry registry = BuilderRegistry.load();
    assertThat(registry.byId("fake")).isPresent();
  }

  @Test
  void choose_byIdFormatOrFileName() throws Exception {
    BuilderRegistry registry = BuilderRegistry.of(List.of(new FakeBuilder()));
    Path listing = Path.of("deps.fake");
    assertThat(registry.choose(null, listing, null).id()).isEqualTo("fake");
    assertThat(registry.choose(null, Path.of("odd.txt"), "fake").id()).isEqualTo("fake");
    assertThat(registry.choose("fake", Path.of("odd.txt"), null).id()).isEqualTo("fake");

    AccretionException unknown =
        catchThrowableOfType(
            AccretionException.class,
            () -> registry.choose(null, Path.of("requirements.txt"), null));
    assertThat(unknown.kind()).isEqualTo(FailureKind.USAGE);
    assertThat(unknown).hasMessageContaining("can't tell").hasMessageContaining("*.fake");
    assertThat(
            catchThrowableOfType(
                AccretionException.class, () -> registry.choose("npm", listing, null)))
        .hasMessageContaining("there is no builder 'npm'")
        .hasMessageContaining("fake");
    assertThat(
            catchThrowableOfType(
                AccretionException.class, () -> registry.choose(null, listing, "pom")))
        .hasMessageContaining("unknown listing format 'pom'");
  }

  @Test
  void of_refusesTwoBuildersWithOneId() {
    AccretionException e =
        catchThrowableOfType(
            AccretionException.class,
            () -> BuilderRegistry.of(List.of(new FakeBuilder(), new FakeBuilder())));
    assertThat(e.kind()).isEqualTo(FailureKind.CONFLICT);
  }

  /** A plug-in jar compiled here, so its classes are on no class path but its own. */
  private Path pluginJar(String id) throws Exception {
    Path src = temp.resolve("src/plugin/" + id);
    Files.createDirectories(src);
    String className = "Plugin" + Character.toUpperCase(id.charAt(0)) + id.substring(1);
    Path file = src.resolve(className + ".java");
    Files.writeString(
        file,
        "package plugin."
            + id
            + ";\n"
            + "import dev.accretion.pipeline.spi.*;\n"
            + "import java.nio.file.Path;\n"
            + "import java.util.*;\n"
            + "public final class "
            + className
            + " implements Builder {\n"
            + "  public String id() { return \""
            + id
            + "\"; }\n"
            + "  public Set<dev.accretion.core.runtime.Language> languages() { return Set.of(); }\n"
            + "  public List<ListingFormat> formats() {\n"
            + "    return List.of(new ListingFormat(\""
            + id
            + "\", \"plug-in\", List.of(\"*."
            + id
            + "\"), false)); }\n"
            + "  public Optional<ListingFormat> detect(Path p) {\n"
            + "    return p.toString().endsWith(\"."
            + id
            + "\") ? Optional.of(formats().get(0)) : Optional.empty(); }\n"
            + "  public BuildSession open(BuildInput input) { throw new UnsupportedOperationException(); }\n"
            + "}\n");
    Path classes = temp.resolve("classes-" + id);
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc =
        javac.run(
            null,
            null,
            null,
            "-d",
            classes.toString(),
            "-cp",
            System.getProperty("java.class.path"),
            file.toString());
    assertThat(rc).as("the plug-in compiles").isZero();
    Path jar = temp.resolve(id + ".jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      String entry = "plugin/" + id + "/" + className + ".class";
      out.putNextEntry(new JarEntry(entry));
      out.write(Files.readAllBytes(classes.resolve(entry)));
      out.closeEntry();
      out.putNextEntry(new JarEntry("META-INF/services/" + Builder.class.getName()));
      out.write(("plugin." + id + "." + className + "\n").getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }

  @Test
  void withPlugins_loadsEachJarInItsOwnClassLoader() throws Exception {
    BuilderRegistry base = BuilderRegistry.of(List.of(new FakeBuilder()));
    BuilderRegistry registry = base.withPlugins(List.of(pluginJar("ant"), pluginJar("bee")));
    assertThat(registry.builders()).extracting(Builder::id).containsExactly("fake", "ant", "bee");
    Builder ant = registry.byId("ant").orElseThrow();
    Builder bee = registry.byId("bee").orElseThrow();
    assertThat(ant.getClass().getClassLoader())
        .isNotSameAs(bee.getClass().getClassLoader())
        .isNotSameAs(BuilderRegistry.class.getClassLoader());
    assertThat(ant.getClass().getClassLoader().getParent())
        .isSameAs(BuilderRegistry.class.getClassLoader());
    assertThat(registry.choose(null, Path.of("x.bee"), null).id()).isEqualTo("bee");
    assertThat(base.byId("ant")).as("the base registry is unchanged").isEmpty();

    Path empty = temp.resolve("empty.jar");
    try (OutputStream out = new JarOutputStream(Files.newOutputStream(empty))) {
      // no builder in it
    }
    assertThat(
            catchThrowableOfType(AccretionException.class, () -> base.withPlugins(List.of(empty))))
        .hasMessageContaining("provides no builder");
    assertThat(
            catchThrowableOfType(
                AccretionException.class, () -> registry.withPlugins(List.of(pluginJar("ant")))))
        .hasMessageContaining("two builders have the id 'ant'");
    assertThat(
            catchThrowableOfType(
                    AccretionException.class,
                    () -> base.withPlugins(List.of(temp.resolve("missing.jar"))))
                .kind())
        .isEqualTo(FailureKind.NOT_FOUND);
  }
}
