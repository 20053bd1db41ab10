package dev.accretion.java;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.maven.settings.Mirror;
import org.apache.maven.settings.Profile;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsBuilderFactory;
import org.apache.maven.settings.building.DefaultSettingsBuildingRequest;
import org.apache.maven.settings.building.SettingsBuildingException;
import org.apache.maven.settings.building.SettingsBuildingResult;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecrypter;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.eclipse.aether.repository.AuthenticationSelector;
import org.eclipse.aether.repository.MirrorSelector;
import org.eclipse.aether.repository.ProxySelector;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.eclipse.aether.util.repository.DefaultAuthenticationSelector;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.DefaultProxySelector;
import org.sonatype.plexus.components.cipher.DefaultPlexusCipher;
import org.sonatype.plexus.components.sec.dispatcher.DefaultSecDispatcher;

/**
 * Maven's {@code settings.xml}, read, merged (user over global), interpolated ({@code
 * ${user.home}}, {@code ${env.X}}) and decrypted with Maven's own settings builder, and mapped onto
 * Maven Resolver the way Maven 3 maps it ({@code DefaultRepositorySystemSessionFactory}): mirrors
 * (including the blocked {@code external:http:*} mirror that Maven's global settings ship), servers
 * as credentials and HTTP headers per repository id, active proxies, offline, and the repositories
 * of active profiles. Immutable; thread-safe.
 *
 * <p>The resolver does not read settings itself; this class is the one place that does. {@code
 * localRepository} is ignored: Accretion keeps its own local repository in its cache folder.
 */
final class MavenSettings {

  /**
   * The mirror Maven 3.8.1+ declares in its global settings: plain-http repositories other than
   * localhost are blocked (a user mirror of the same repository takes precedence).
   */
  static final String HTTP_BLOCKER_ID = "maven-default-http-blocker";

  private final Settings settings;
  private final List<Path> files;
  private final String selectorText;

  private MavenSettings(Settings settings, List<Path> files, String selectorText) {
    this.settings = settings;
    this.files = List.copyOf(files);
    this.selectorText = selectorText;
  }

  /**
   * Reads settings as {@code mvn [-s user] [-gs global]} does.
   *
   * @param userFile the user settings file: {@code -s}, else {@code ~/.m2/settings.xml}
   * @param userFileNamed whether the user file was named explicitly (then it must exist)
   * @param globalFile the global settings file, or null
   * @param home the user's home folder, for {@code ${user.home}} and {@code settings-security.xml}
   * @param env the environment, for {@code ${env.X}}
   * @throws AccretionException {@link FailureKind#NOT_FOUND} for a named file that does not exist,
   *     {@link FailureKind#BAD_INPUT} naming the file, line and problem for a malformed one
   */
  static MavenSettings read(
      Path userFile, boolean userFileNamed, Path globalFile, Path home, Map<String, String> env)
      throws AccretionException {
    if (userFileNamed && !Files.isRegularFile(userFile)) {
      throw new AccretionException(
          FailureKind.NOT_FOUND,
          "Maven settings file " + userFile + " does not exist",
          "name an existing settings.xml (option settings, mvn's -s)",
          null);
    }
    if (globalFile != null && !Files.isRegularFile(globalFile)) {
      throw new AccretionException(
          FailureKind.NOT_FOUND,
          "Maven global settings file " + globalFile + " does not exist",
          "name an existing settings.xml (option global-settings, mvn's -gs)",
          null);
    }
    if (!Files.isRegularFile(userFile) && globalFile == null) {
      // nothing to read: skip the settings builder (an unchanged rebuild only opens the listing)
      Settings empty = new Settings();
      return new MavenSettings(empty, List.of(), describe(empty, List.of()));
    }
    Properties system = new Properties();
    system.setProperty("user.home", home.toString());
    env.forEach((k, v) -> system.setProperty("env." + k, v));
    DefaultSettingsBuildingRequest request = new DefaultSettingsBuildingRequest();
    request.setSystemProperties(system);
    request.setUserProperties(new Properties());
    List<Path> files = new ArrayList<>();
    if (Files.isRegularFile(userFile)) {
      request.setUserSettingsFile(userFile.toFile());
      files.add(userFile);
    } else {
      request.setUserSettingsFile(new File(userFile.toString() + ".absent"));
    }
    if (globalFile != null) {
      request.setGlobalSettingsFile(globalFile.toFile());
      files.add(globalFile);
    }
    Settings settings;
    try {
      SettingsBuildingResult result =
          new DefaultSettingsBuilderFactory().newInstance().build(request);
      settings = result.getEffectiveSettings();
    } catch (SettingsBuildingException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "Maven settings are not valid: " + problems(e.getProblems()),
          "fix the settings file (mvn reads it the same way)",
          null);
    }
    boolean encrypted =
        settings.getServers().stream()
                .anyMatch(s -> isEncrypted(s.getPassword()) || isEncrypted(s.getPassphrase()))
            || settings.getProxies().stream().anyMatch(p -> isEncrypted(p.getPassword()));
    if (encrypted) {
      // Maven's password encryption: the master password lives in ~/.m2/settings-security.xml.
      Path security = home.resolve(".m2").resolve("settings-security.xml");
      DefaultSecDispatcher dispatcher =
          new DefaultSecDispatcher(new DefaultPlexusCipher(), Map.of(), security.toString());
      SettingsDecryptionResult decrypted =
          new DefaultSettingsDecrypter(dispatcher)
              .decrypt(
                  new DefaultSettingsDecryptionRequest()
                      .setServers(settings.getServers())
                      .setProxies(settings.getProxies()));
      List<SettingsProblem> errors =
          decrypted.getProblems().stream()
              .filter(p -> p.getSeverity() != SettingsProblem.Severity.WARNING)
              .toList();
      if (!errors.isEmpty()) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            "Maven settings: an encrypted password could not be decrypted: " + problems(errors),
            "check " + security + " (the master password) or give the password in plain text",
            null);
      }
      settings.setServers(new ArrayList<>(decrypted.getServers()));
      settings.setProxies(new ArrayList<>(decrypted.getProxies()));
    }
    return new MavenSettings(settings, files, describe(settings, files));
  }

  private static boolean isEncrypted(String s) {
    return s != null && s.strip().startsWith("{") && s.strip().endsWith("}");
  }

  private static String problems(List<? extends SettingsProblem> problems) {
    List<String> lines = new ArrayList<>();
    for (SettingsProblem p : problems) {
      String where = p.getSource() == null || p.getSource().isEmpty() ? "" : p.getSource();
      if (p.getLineNumber() > 0) {
        where += ":" + p.getLineNumber();
      }
      lines.add((where.isEmpty() ? "" : where + ": ") + p.getMessage());
    }
    return String.join("; ", lines);
  }

  /** Whether settings say to work offline. */
  boolean offline() {
    return settings.isOffline();
  }

  /** The settings files that were read (for messages). */
  List<Path> files() {
    return files;
  }

  /** The settings' profiles, for the model builder (activation is decided there). */
  List<Profile> profiles() {
    return settings.getProfiles();
  }

  /** The profile ids {@code <activeProfiles>} names. */
  List<String> activeProfiles() {
    return settings.getActiveProfiles();
  }

  /**
   * The profiles that are active without a project: named in {@code <activeProfiles>} or {@code
   * activeByDefault}. (With a pom, the model builder decides activation itself.)
   */
  List<Profile> activeProfilesWithoutProject() {
    List<Profile> active = new ArrayList<>();
    for (Profile p : settings.getProfiles()) {
      boolean byDefault = p.getActivation() != null && p.getActivation().isActiveByDefault();
      if (settings.getActiveProfiles().contains(p.getId()) || byDefault) {
        active.add(p);
      }
    }
    return active;
  }

  /** Mirrors as Maven maps them: the user's first, then the http blocker of Maven's defaults. */
  MirrorSelector mirrorSelector() {
    DefaultMirrorSelector selector = new DefaultMirrorSelector();
    for (Mirror m : settings.getMirrors()) {
      selector.add(
          m.getId(),
          m.getUrl(),
          m.getLayout(),
          false,
          m.isBlocked(),
          m.getMirrorOf(),
          m.getMirrorOfLayouts());
    }
    selector.add(
        HTTP_BLOCKER_ID, "http://0.0.0.0/", "default", false, true, "external:http:*", "default");
    return selector;
  }

  /** Active proxies, with their credentials and non-proxy hosts. */
  ProxySelector proxySelector() {
    DefaultProxySelector selector = new DefaultProxySelector();
    for (Proxy p : settings.getProxies()) {
      if (!p.isActive()) {
        continue;
      }
      AuthenticationBuilder auth = new AuthenticationBuilder();
      auth.addUsername(p.getUsername()).addPassword(p.getPassword());
      selector.add(
          new org.eclipse.aether.repository.Proxy(
              p.getProtocol(), p.getHost(), p.getPort(), auth.build()),
          p.getNonProxyHosts());
    }
    return selector;
  }

  /** The server entry (decrypted credentials) of a repository id, or null. */
  Server server(String id) {
    for (Server s : settings.getServers()) {
      if (s.getId() != null && s.getId().equals(id)) {
        return s;
      }
    }
    return null;
  }

  /** Server credentials (user and password, private key and passphrase) by repository id. */
  AuthenticationSelector authenticationSelector() {
    DefaultAuthenticationSelector selector = new DefaultAuthenticationSelector();
    for (Server s : settings.getServers()) {
      AuthenticationBuilder auth = new AuthenticationBuilder();
      auth.addUsername(s.getUsername()).addPassword(s.getPassword());
      auth.addPrivateKey(s.getPrivateKey(), s.getPassphrase());
      selector.add(s.getId(), auth.build());
    }
    return selector;
  }

  /**
   * Resolver configuration from servers' {@code <configuration>}: {@code httpHeaders} (as {@code
   * aether.transport.http.headers.<id>}), {@code connectTimeout} and {@code requestTimeout}.
   */
  Map<String, Object> serverConfiguration() {
    Map<String, Object> config = new LinkedHashMap<>();
    for (Server s : settings.getServers()) {
      if (!(s.getConfiguration() instanceof Xpp3Dom dom)) {
        continue;
      }
      Xpp3Dom headers = dom.getChild("httpHeaders");
      if (headers != null) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Xpp3Dom property : headers.getChildren("property")) {
          Xpp3Dom name = property.getChild("name");
          Xpp3Dom value = property.getChild("value");
          if (name != null && value != null) {
            map.put(name.getValue(), value.getValue());
          }
        }
        config.put("aether.transport.http.headers." + s.getId(), map);
      }
      Xpp3Dom connect = dom.getChild("connectTimeout");
      if (connect != null) {
        config.put("aether.transport.http.connectTimeout." + s.getId(), connect.getValue());
      }
      Xpp3Dom request = dom.getChild("requestTimeout");
      if (request != null) {
        config.put("aether.transport.http.requestTimeout." + s.getId(), request.getValue());
      }
    }
    return config;
  }

  /**
   * What in these settings decides a build's result, without secrets: mirrors, server ids and user
   * names, proxies, offline, profiles' repositories.
   */
  String selectorText() {
    return selectorText;
  }

  private static String describe(Settings s, List<Path> files) {
    StringBuilder b = new StringBuilder();
    b.append("offline=").append(s.isOffline()).append('\n');
    for (Mirror m : s.getMirrors()) {
      b.append("mirror ")
          .append(m.getId())
          .append(' ')
          .append(m.getUrl())
          .append(' ')
          .append(m.getMirrorOf())
          .append(' ')
          .append(m.isBlocked())
          .append('\n');
    }
    for (Server sv : s.getServers()) {
      b.append("server ").append(sv.getId()).append(' ').append(sv.getUsername()).append('\n');
    }
    for (Proxy p : s.getProxies()) {
      if (p.isActive()) {
        b.append("proxy ")
            .append(p.getProtocol())
            .append(' ')
            .append(p.getHost())
            .append(':')
            .append(p.getPort())
            .append(' ')
            .append(p.getNonProxyHosts())
            .append('\n');
      }
    }
    for (Profile p : s.getProfiles()) {
      b.append("profile ").append(p.getId()).append('\n');
      p.getRepositories()
          .forEach(r -> b.append(" repository ").append(r.getId()).append(' ').append(r.getUrl()));
      p.getProperties().forEach((k, v) -> b.append(" property ").append(k).append('=').append(v));
    }
    b.append("active ").append(s.getActiveProfiles()).append('\n');
    return b.toString();
  }
}
