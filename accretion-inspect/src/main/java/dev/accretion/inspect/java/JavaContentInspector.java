package dev.accretion.inspect.java;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.Language;
import dev.accretion.core.runtime.Runtime;
import dev.accretion.core.runtime.Target;
import dev.accretion.inspect.Purls;
import dev.accretion.pipeline.spi.ContentEntry;
import dev.accretion.pipeline.spi.ContentInspector;
import dev.accretion.pipeline.spi.ContentProblem;
import dev.accretion.pipeline.spi.ContentReport;
import dev.accretion.pipeline.spi.FoundPackage;
import dev.accretion.pipeline.spi.LayerContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Finds Java libraries in a layer ({@code java/lib/*.jar}) or function package ({@code lib/*.jar}):
 * Maven coordinates from the jar's {@code META-INF/maven/<group>/<artifact>/ pom.properties} (the
 * one matching the file name when a shaded jar carries several), else from the file name ({@code
 * artifact-version.jar}); and the newest class file version inside, to check against the runtime's
 * Java. Jars are read whole (their own index is at their end). Stateless and thread-safe.
 *
 * <p>Lives in accretion-inspect until the Java builder module is on main; it depends only on the
 * SPI and moves there unchanged.
 */
public final class JavaContentInspector implements ContentInspector {
  private static final Pattern POM_PROPERTIES =
      Pattern.compile("META-INF/maven/([^/]+)/([^/]+)/pom\\.properties");
  private static final Pattern FILE_NAME = Pattern.compile("(.+?)-(\\d[^/]*)\\.jar");
  private static final long MAX_JAR = 512L << 20;
  private static final int EXAMPLES = 3;

  @Override
  public String id() {
    return "java";
  }

  @Override
  public String ecosystem() {
    return "maven";
  }

  @Override
  public Language language() {
    return Language.JAVA;
  }

  @Override
  public List<String> searchPath(Runtime runtime, boolean functionCode) {
    if (runtime.language() != Language.JAVA) {
      return List.of();
    }
    // The Java runtimes' class path: /var/task, /var/task/lib/*.jar, then /opt/java/lib/*.jar
    return List.of(functionCode ? "lib" : "java/lib");
  }

  /** What one jar says. */
  private static final class Jar {
    final List<String[]> coordinates = new ArrayList<>();
    int maxClassMajor;
    String unreadable;
  }

  @Override
  public ContentReport inspect(LayerContent content) throws AccretionException {
    List<ContentEntry> jars =
        content.entries().stream()
            .filter(e -> e.isFile() && e.path().endsWith(".jar") && javaPlace(e.path()))
            .toList();
    if (jars.isEmpty()) {
      return ContentReport.empty();
    }
    Map<String, Jar> read = new TreeMap<>();
    List<ContentProblem> problems = new ArrayList<>();
    content.read(
        jars,
        MAX_JAR,
        new LayerContent.Reader() {
          @Override
          public void read(ContentEntry entry, InputStream in) {
            read.put(entry.path(), scan(in));
          }

          @Override
          public void skipped(ContentEntry entry, String why) {
            Jar jar = new Jar();
            jar.unreadable = why;
            read.put(entry.path(), jar);
          }
        });
    List<FoundPackage> packages = new ArrayList<>();
    for (ContentEntry e : jars) {
      Jar jar = read.get(e.path());
      String file = e.fileName();
      String root = e.path().contains("/") ? e.path().substring(0, e.path().lastIndexOf('/')) : "";
      Map<String, Object> facts = new LinkedHashMap<>();
      String[] chosen = choose(jar.coordinates, file);
      String name;
      String version;
      if (chosen != null) {
        name = chosen[0] + ":" + chosen[1];
        version = chosen[2];
        facts.put("coordinatesFrom", "pom.properties");
        if (jar.coordinates.size() > 1) {
          List<String> shaded = new ArrayList<>();
          for (String[] c : jar.coordinates) {
            if (c != chosen) {
              shaded.add(c[0] + ":" + c[1] + ":" + c[2]);
            }
          }
          facts.put("shaded", shaded);
        }
      } else {
        Matcher m = FILE_NAME.matcher(file);
        name = m.matches() ? m.group(1) : file.substring(0, file.length() - 4);
        version = m.matches() ? m.group(2) : "";
        facts.put("coordinatesFrom", "file name");
      }
      if (jar.maxClassMajor > 0) {
        facts.put("classFileMajor", jar.maxClassMajor);
        facts.put("minimumJava", jar.maxClassMajor - 44);
      }
      if (jar.unreadable != null) {
        problems.add(
            ContentProblem.warning(
                "jar-unreadable",
                e.path(),
                null,
                e.path() + " could not be read as a jar (" + jar.unreadable + ")",
                null));
      }
      packages.add(
          new FoundPackage(
              "maven",
              name,
              version,
              Purls.of("maven", name, version),
              root,
              e.path(),
              List.of(e.path()),
              e.size(),
              facts));
    }
    return new ContentReport(packages, problems);
  }

  /**
   * Whether a jar lies where Java libraries of a layer or function package go (or go astray):
   * {@code java/}, {@code lib/} or the root. Jars inside other languages' packages (py4j's) are
   * theirs, not libraries of the function.
   */
  private static boolean javaPlace(String path) {
    return path.startsWith("java/") || path.startsWith("lib/") || !path.contains("/");
  }

  /** The coordinates that match the file name, else the only ones; null when none fit. */
  private static String[] choose(List<String[]> coordinates, String file) {
    for (String[] c : coordinates) {
      if (file.startsWith(c[1] + "-" + c[2])) {
        return c;
      }
    }
    return coordinates.size() == 1 ? coordinates.get(0) : null;
  }

  private static Jar scan(InputStream in) {
    Jar jar = new Jar();
    try (ZipInputStream zip = new ZipInputStream(in)) {
      ZipEntry entry;
      byte[] head = new byte[8];
      while ((entry = zip.getNextEntry()) != null) {
        String name = entry.getName();
        Matcher m = POM_PROPERTIES.matcher(name);
        if (m.matches()) {
          Properties p = new Properties();
          p.load(
              new StringReader(
                  new String(
                      zip.readNBytes(1 << 20), java.nio.charset.StandardCharsets.ISO_8859_1)));
          String group = p.getProperty("groupId", m.group(1)).strip();
          String artifact = p.getProperty("artifactId", m.group(2)).strip();
          String version = p.getProperty("version", "").strip();
          jar.coordinates.add(new String[] {group, artifact, version});
        } else if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
          // Multi-release classes under META-INF/versions/N are only loaded on Java N and newer.
          if (zip.readNBytes(head, 0, 8) == 8
              && (head[0] & 0xff) == 0xCA
              && (head[1] & 0xff) == 0xFE
              && (head[2] & 0xff) == 0xBA
              && (head[3] & 0xff) == 0xBE) {
            int major = (head[6] & 0xff) << 8 | (head[7] & 0xff);
            jar.maxClassMajor = Math.max(jar.maxClassMajor, major);
          }
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      jar.unreadable = e.getMessage();
    }
    return jar;
  }

  @Override
  public List<ContentProblem> check(LayerContent content, ContentReport report, Target target) {
    List<ContentProblem> out = new ArrayList<>();
    Runtime runtime = target.runtime();
    if (runtime.language() != Language.JAVA) {
      if (!report.packages().isEmpty()) {
        out.add(
            ContentProblem.warning(
                "language",
                null,
                null,
                report.packages().size()
                    + " jar(s) ("
                    + labels(report.packages())
                    + "), but "
                    + runtime.id()
                    + " does not load Java libraries",
                "use this layer with a Java runtime"));
      }
      return out;
    }
    List<String> search = searchPath(runtime, content.functionCode());
    int java = Integer.parseInt(runtime.languageVersion());
    List<FoundPackage> misplaced = new ArrayList<>();
    for (FoundPackage p : report.packages()) {
      if (!search.contains(p.root())) {
        if (p.root().equals("java") || p.root().startsWith("java/") || p.root().equals("lib")) {
          misplaced.add(p);
        }
        continue;
      }
      Object minimum = p.facts().get("minimumJava");
      if (minimum instanceof Integer needed && needed > java) {
        out.add(
            ContentProblem.error(
                "class-version",
                p.location(),
                p.label(),
                p.location()
                    + " ("
                    + p.label()
                    + ") holds classes for Java "
                    + needed
                    + "; "
                    + runtime.id()
                    + " runs Java "
                    + java,
                "use a release of it built for Java "
                    + java
                    + ", or the java"
                    + needed
                    + " runtime (or newer)"));
      }
    }
    if (!misplaced.isEmpty()) {
      out.add(
          ContentProblem.error(
              "not-on-path",
              misplaced.get(0).location(),
              misplaced.size() == 1 ? misplaced.get(0).label() : null,
              misplaced.size()
                  + " jar(s) ("
                  + labels(misplaced)
                  + ") are not in "
                  + search.get(0)
                  + "/, the only folder "
                  + runtime.id()
                  + " loads jars from",
              "put the jars directly in " + search.get(0) + "/ (no subfolders)"));
    }
    return out;
  }

  private static String labels(List<FoundPackage> packages) {
    List<String> names = packages.stream().limit(EXAMPLES).map(FoundPackage::label).toList();
    return String.join(", ", names) + (packages.size() > EXAMPLES ? ", ..." : "");
  }
}
