package dev.accretion.java;

import dev.accretion.core.AccretionException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.model.Dependency;
import org.apache.maven.model.Model;
import org.apache.maven.model.io.xpp3.MavenXpp3Reader;
import org.apache.maven.settings.Server;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.util.version.GenericVersionScheme;
import org.eclipse.aether.version.InvalidVersionSpecificationException;
import org.eclipse.aether.version.Version;
import org.eclipse.aether.version.VersionConstraint;

/**
 * What watching Maven repositories for new releases needs from the Java builder: the repositories a
 * listing resolves from (as a build reads them: the pom's {@code <repositories>}, the active
 * settings profiles' ones, then Maven Central, each through the settings' mirrors, with the
 * settings' server credentials), the version each listed coordinate asks for, and whether a
 * released version is one that request could now pick up (Maven Resolver's version scheme). The
 * service reads no options here: its builds use the user's {@code ~/.m2/settings.xml} only.
 * Stateless; thread-safe.
 */
public final class MavenUpstream {
  private static final GenericVersionScheme SCHEME = new GenericVersionScheme();
  private static final Pattern VERSIONS =
      Pattern.compile("<versions>(.*?)</versions>", Pattern.DOTALL);
  private static final Pattern VERSION = Pattern.compile("<version>\\s*([^<\\s]+)\\s*</version>");
  private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)\\}");

  private MavenUpstream() {}

  /**
   * A repository to read {@code maven-metadata.xml} from.
   *
   * @param id the repository's id (the mirror's, when a mirror stands for it)
   * @param url its base URL, with a trailing slash
   * @param authorization the {@code Authorization} header of its server credentials, or null
   */
  public record Repository(String id, String url, String authorization) {}

  /**
   * The repositories a build of this listing reads, first-searched first, mirrors applied (a
   * blocked mirror's repository left out), each once.
   *
   * @throws AccretionException the settings cannot be read
   */
  public static List<Repository> repositories(
      Map<String, String> env, Path home, String listingFilename, String listingContent)
      throws AccretionException {
    MavenSettings settings =
        MavenSettings.read(home.resolve(".m2").resolve("settings.xml"), false, null, home, env);
    List<RemoteRepository> repos = new ArrayList<>();
    Model pom = pom(listingFilename, listingContent);
    if (pom != null) {
      for (org.apache.maven.model.Repository r : pom.getRepositories()) {
        if (r.getUrl() != null && (r.getReleases() == null || r.getReleases().isEnabled())) {
          repos.add(new RemoteRepository.Builder(r.getId(), "default", r.getUrl()).build());
        }
      }
    }
    for (org.apache.maven.settings.Profile p : settings.activeProfilesWithoutProject()) {
      for (org.apache.maven.settings.Repository r : p.getRepositories()) {
        repos.add(SettingsProfiles.remote(SettingsProfiles.toModel(r)));
      }
    }
    repos.add(
        new RemoteRepository.Builder(MavenResolver.CENTRAL_ID, "default", MavenResolver.CENTRAL_URL)
            .build());
    Map<String, Repository> out = new LinkedHashMap<>();
    var mirrors = settings.mirrorSelector();
    for (RemoteRepository r : repos) {
      RemoteRepository mirror = mirrors.getMirror(r);
      RemoteRepository used = mirror != null ? mirror : r;
      if (used.isBlocked()) {
        continue;
      }
      String url = used.getUrl().endsWith("/") ? used.getUrl() : used.getUrl() + "/";
      out.putIfAbsent(
          url, new Repository(used.getId(), url, authorization(settings.server(used.getId()))));
    }
    return List.copyOf(out.values());
  }

  private static String authorization(Server s) {
    if (s == null || s.getUsername() == null || s.getPassword() == null) {
      return null;
    }
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(
                (s.getUsername() + ":" + s.getPassword()).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The version each coordinate of a listing asks for, as written (properties of the pom itself
   * filled in): {@code group:artifact} (or {@code group:artifact:extension:classifier}, the names
   * builds give packages) → version or range. A pom's test and provided dependencies are left out;
   * a lock listing (or one that cannot be read) asks for nothing.
   */
  public static Map<String, String> requested(String listingFilename, String listingContent) {
    Map<String, String> out = new LinkedHashMap<>();
    if (listingFilename.endsWith("java-lock.json")) {
      return out;
    }
    Model pom = pom(listingFilename, listingContent);
    if (pom != null) {
      Properties props = new Properties();
      props.putAll(pom.getProperties());
      if (pom.getVersion() != null) {
        props.setProperty("project.version", pom.getVersion());
      }
      for (Dependency d : pom.getDependencies()) {
        String scope = d.getScope() == null ? "compile" : d.getScope();
        if (d.getVersion() == null || !(scope.equals("compile") || scope.equals("runtime"))) {
          continue;
        }
        String type = d.getType() == null ? "jar" : d.getType();
        String classifier = d.getClassifier() == null ? "" : d.getClassifier();
        out.put(
            name(
                fill(d.getGroupId(), props),
                fill(d.getArtifactId(), props),
                type.equals("test-jar") ? "jar" : type,
                classifier),
            fill(d.getVersion(), props));
      }
      return out;
    }
    try {
      CoordinateList list =
          CoordinateList.parse(
              Path.of(listingFilename), listingContent.getBytes(StandardCharsets.UTF_8));
      for (Artifact a : list.artifacts()) {
        out.put(
            name(a.getGroupId(), a.getArtifactId(), a.getExtension(), a.getClassifier()),
            a.getVersion());
      }
    } catch (AccretionException | RuntimeException e) {
      // not a coordinate list
    }
    return out;
  }

  private static String name(String group, String artifact, String extension, String classifier) {
    return extension.equals("jar") && classifier.isEmpty()
        ? group + ":" + artifact
        : group + ":" + artifact + ":" + extension + ":" + classifier;
  }

  private static String fill(String s, Properties props) {
    Matcher m = PROPERTY.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String v = props.getProperty(m.group(1));
      m.appendReplacement(b, Matcher.quoteReplacement(v == null ? m.group(0) : v));
    }
    m.appendTail(b);
    return b.toString().strip();
  }

  private static Model pom(String listingFilename, String listingContent) {
    if (!(listingFilename.endsWith("pom.xml") || listingFilename.endsWith(".pom"))) {
      return null;
    }
    try {
      return new MavenXpp3Reader().read(new StringReader(listingContent), false);
    } catch (java.io.IOException | org.codehaus.plexus.util.xml.pull.XmlPullParserException e) {
      return null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The path of a package's {@code maven-metadata.xml} under a repository: {@code
   * group/path/artifact/maven-metadata.xml} for a package name {@code group:artifact[:...]}.
   */
  public static String metadataPath(String packageName) {
    String[] parts = packageName.split(":");
    if (parts.length < 2) {
      throw new IllegalArgumentException("not a Maven package name: " + packageName);
    }
    return parts[0].replace('.', '/') + "/" + parts[1] + "/maven-metadata.xml";
  }

  /** The versions a {@code maven-metadata.xml} lists (its {@code <versioning><versions>}). */
  public static List<String> versions(String metadataXml) {
    List<String> out = new ArrayList<>();
    Matcher block = VERSIONS.matcher(metadataXml);
    while (block.find()) {
      Matcher v = VERSION.matcher(block.group(1));
      while (v.find()) {
        out.add(v.group(1));
      }
    }
    return out;
  }

  /** Whether {@code requested} is a version range ({@code [1.0,2.0)}), not a pinned version. */
  public static boolean isRange(String requested) {
    String r = requested.strip();
    return r.startsWith("[") || r.startsWith("(");
  }

  /**
   * Whether a build asking for {@code requested} could now pick {@code candidate} instead of {@code
   * locked}: the request is a range that contains the candidate, the candidate is newer than the
   * locked version, and not a snapshot. A pinned version (Maven's soft requirement {@code 1.2}, or
   * {@code [1.2]}) never moves: a release cannot change it.
   */
  public static boolean couldPickUp(String requested, String locked, String candidate) {
    if (requested == null || !isRange(requested) || candidate.endsWith("-SNAPSHOT")) {
      return false;
    }
    try {
      VersionConstraint c = SCHEME.parseVersionConstraint(requested.strip());
      Version v = SCHEME.parseVersion(candidate);
      Version l = SCHEME.parseVersion(locked);
      return c.getRange() != null && c.containsVersion(v) && v.compareTo(l) > 0;
    } catch (InvalidVersionSpecificationException e) {
      return false;
    }
  }

  /** Whether two Maven versions are the same ({@code 1.0} and {@code 1.0.0}). */
  public static boolean sameVersion(String a, String b) {
    try {
      return SCHEME.parseVersion(a).compareTo(SCHEME.parseVersion(b)) == 0;
    } catch (InvalidVersionSpecificationException e) {
      return a.equals(b);
    }
  }
}
