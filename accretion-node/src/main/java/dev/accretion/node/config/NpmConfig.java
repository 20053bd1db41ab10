package dev.accretion.node.config;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * npm's configuration as npm reads it for installing: {@code .npmrc} files in the global, user and
 * project places, then {@code npm_config_*} environment variables (later places win), then
 * Accretion's own options. Read only from the {@link dev.accretion.pipeline.spi.BuildContext}'s
 * environment and home. Immutable.
 *
 * <p>What it answers: the registry of a package (a scoped package only from its scope's {@code
 * @scope:registry}), the {@code Authorization} header for a URL ({@code //host/path/:_authToken},
 * {@code :_auth}, {@code :username} with {@code :_password}, matched by walking up the URL's path
 * as npm does), the trusted CAs ({@code ca}, {@code cafile}), {@code replace-registry-host}, and
 * {@code legacy-peer-deps}.
 */
public final class NpmConfig {
  /** npm's default registry. */
  public static final String DEFAULT_REGISTRY = "https://registry.npmjs.org/";

  private static final Pattern ENV_REF =
      Pattern.compile("(?<!\\\\)(\\\\*)\\$\\{([^${}?]+)(\\?)?\\}");

  private final Map<String, Object> values;
  private final List<Path> files;

  private NpmConfig(Map<String, Object> values, List<Path> files) {
    this.values = values;
    this.files = List.copyOf(files);
  }

  /**
   * Loads the configuration for a project.
   *
   * @param env the environment variables
   * @param home the user's home folder
   * @param projectDir the folder of the project's package.json (its {@code .npmrc} is read)
   * @param overrides settings that win over every file and variable (the builder's options)
   * @throws AccretionException {@link FailureKind#BAD_INPUT} when a named configuration file cannot
   *     be read
   */
  public static NpmConfig load(
      Map<String, String> env, Path home, Path projectDir, Map<String, String> overrides)
      throws AccretionException {
    Map<String, Object> envValues = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String k = e.getKey();
      if (!k.toLowerCase(Locale.ROOT).startsWith("npm_config_") || e.getValue().isEmpty()) {
        continue;
      }
      String key = k.substring("npm_config_".length());
      if (!key.startsWith("//")) {
        key = key.charAt(0) + key.substring(1).replace('_', '-');
        key = key.toLowerCase(Locale.ROOT);
      }
      envValues.put(key, e.getValue());
    }
    List<Path> read = new ArrayList<>();
    Map<String, Object> merged = new LinkedHashMap<>();
    // global: globalconfig, else <prefix>/etc/npmrc with npm's prefix (PREFIX, else the node on
    // PATH)
    Path global = null;
    Object globalConfig = firstOf("globalconfig", overrides, envValues);
    if (globalConfig != null) {
      global = Path.of(globalConfig.toString());
    } else {
      Path prefix = null;
      Object p = firstOf("prefix", overrides, envValues);
      if (p != null) {
        prefix = Path.of(p.toString());
      } else if (env.get("PREFIX") != null && !env.get("PREFIX").isEmpty()) {
        prefix = Path.of(env.get("PREFIX"));
      } else {
        prefix = nodePrefix(env);
      }
      if (prefix != null) {
        global = prefix.resolve("etc/npmrc");
      }
    }
    Path user;
    Object userConfig = firstOf("userconfig", overrides, envValues);
    user =
        userConfig != null
            ? Path.of(expandHome(userConfig.toString(), home))
            : home.resolve(".npmrc");
    Path project = projectDir.resolve(".npmrc");
    for (Path file : new Path[] {global, user}) {
      if (file != null && Files.isRegularFile(file)) {
        merged.putAll(readFile(file, env));
        read.add(file);
      }
    }
    if (Files.isRegularFile(project) && !sameFile(project, user)) {
      merged.putAll(readFile(project, env));
      read.add(project);
    }
    for (Map.Entry<String, Object> e : envValues.entrySet()) {
      merged.put(e.getKey(), e.getValue() instanceof String s ? envReplace(s, env) : e.getValue());
    }
    merged.putAll(overrides);
    return new NpmConfig(merged, read);
  }

  /** A configuration of exactly these values (tests, and the defaults). */
  public static NpmConfig of(Map<String, ?> values) {
    return new NpmConfig(new LinkedHashMap<>(values), List.of());
  }

  private static Object firstOf(
      String key, Map<String, String> overrides, Map<String, Object> env) {
    if (overrides.containsKey(key)) {
      return overrides.get(key);
    }
    return env.get(key);
  }

  private static String expandHome(String p, Path home) {
    return p.startsWith("~/") ? home.resolve(p.substring(2)).toString() : p;
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  /** The prefix npm derives from the node binary: the folder above the {@code bin} holding it. */
  private static Path nodePrefix(Map<String, String> env) {
    String path = env.get("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path node = Path.of(dir, "node");
      if (Files.isExecutable(node) && Files.isRegularFile(node)) {
        try {
          Path real = node.toRealPath();
          Path bin = real.getParent();
          return bin == null || bin.getParent() == null ? null : bin.getParent();
        } catch (IOException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static Map<String, Object> readFile(Path file, Map<String, String> env)
      throws AccretionException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "cannot read the npm configuration " + file + ": " + e.getMessage(),
          "fix its permissions, or point NPM_CONFIG_USERCONFIG elsewhere",
          e);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : Ini.parse(text).entrySet()) {
      String key = envReplace(e.getKey(), env);
      Object v = e.getValue();
      if (v instanceof String s) {
        v = envReplace(s, env);
      } else if (v instanceof List<?> l) {
        List<String> list = new ArrayList<>();
        for (Object o : l) {
          list.add(envReplace(o.toString(), env));
        }
        v = List.copyOf(list);
      }
      if (key.equals("cafile") || key.endsWith(":cafile")) {
        Path p = Path.of(v.toString());
        if (!p.isAbsolute()) {
          v = file.getParent().resolve(p).toString();
        }
      }
      out.put(key, v);
    }
    return out;
  }

  /** npm's {@code ${VAR}} substitution ({@code ${VAR?}} gives "" when unset). */
  static String envReplace(String s, Map<String, String> env) {
    Matcher m = ENV_REF.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String escapes = m.group(1);
      String name = m.group(2);
      boolean optional = m.group(3) != null;
      String replacement;
      if (escapes.length() % 2 == 1) {
        replacement =
            escapes.substring(0, (escapes.length() - 1) / 2)
                + m.group(0).substring(escapes.length());
      } else {
        String v = env.get(name);
        String prefix = escapes.substring(0, escapes.length() / 2);
        replacement = v != null ? prefix + v : optional ? prefix : m.group(0);
      }
      m.appendReplacement(b, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(b);
    return b.toString();
  }

  /** The files read, in the order read. */
  public List<Path> files() {
    return files;
  }

  /** A setting's value as text, if set. */
  public Optional<String> get(String key) {
    Object v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof List<?> l) {
      return l.isEmpty() ? Optional.empty() : Optional.of(l.get(l.size() - 1).toString());
    }
    return Optional.of(v.toString());
  }

  /** A setting's values (a {@code key[]} list, or one value). */
  public List<String> list(String key) {
    Object v = values.get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l) {
      List<String> out = new ArrayList<>();
      for (Object o : l) {
        out.add(o.toString());
      }
      return out;
    }
    return List.of(v.toString());
  }

  private boolean flag(String key, boolean otherwise) {
    return get(key).map(v -> v.equalsIgnoreCase("true")).orElse(otherwise);
  }

  /** The default registry, with a trailing slash. */
  public String registry() {
    return withSlash(get("registry").orElse(DEFAULT_REGISTRY));
  }

  /** The registry a package comes from: its scope's registry, else the default one. */
  public String registryFor(String packageName) {
    String scope = scopeOf(packageName);
    if (scope != null) {
      Optional<String> r = get(scope + ":registry");
      if (r.isPresent()) {
        return withSlash(r.get());
      }
    }
    return registry();
  }

  /** Whether the package's scope has a registry of its own. */
  public boolean hasScopeRegistry(String packageName) {
    String scope = scopeOf(packageName);
    return scope != null && get(scope + ":registry").isPresent();
  }

  /** {@code @scope} of {@code @scope/name}, or null. */
  public static String scopeOf(String name) {
    if (name != null && name.startsWith("@") && name.indexOf('/') > 1) {
      return name.substring(0, name.indexOf('/'));
    }
    return null;
  }

  private static String withSlash(String url) {
    return url.endsWith("/") ? url : url + "/";
  }

  /**
   * The {@code replace-registry-host} setting as a host name, {@code always}, or {@code never}
   * (npm's default {@code npmjs} means {@code registry.npmjs.org}).
   */
  public String replaceRegistryHost() {
    String v = get("replace-registry-host").orElse("npmjs");
    return v.equals("npmjs") ? "registry.npmjs.org" : v;
  }

  /** Whether {@code legacy-peer-deps} is on (peer dependencies are then not installed). */
  public boolean legacyPeerDeps() {
    return flag("legacy-peer-deps", false);
  }

  /**
   * Whether {@code prefer-online} is on: cached registry metadata is revalidated on every use
   * instead of being trusted for a few minutes (npm's option; a rebuild that must see a release
   * published a moment ago sets it).
   */
  public boolean preferOnline() {
    return flag("prefer-online", false);
  }

  /** Whether {@code strict-ssl} is on (npm's default). */
  public boolean strictSsl() {
    return flag("strict-ssl", true);
  }

  /**
   * A lock's {@code resolved} URL as npm fetches it: when its host is the one {@code
   * replace-registry-host} names (or it is {@code always}), the host, port and path prefix of the
   * configured registry replace it.
   */
  public String replaceRegistry(String resolved) {
    String replace = replaceRegistryHost();
    if (replace.equals("never")) {
      return resolved;
    }
    URI uri;
    try {
      uri = URI.create(resolved);
    } catch (IllegalArgumentException e) {
      return resolved;
    }
    // registry.yarnpkg.com serves the npm registry's content: yarn.lock URLs follow npmjs's rule
    boolean yarnMirror =
        replace.equals("registry.npmjs.org") && "registry.yarnpkg.com".equals(uri.getHost());
    if (uri.getHost() == null
        || !(replace.equals("always") || replace.equals(uri.getHost()) || yarnMirror)) {
      return resolved;
    }
    URI registry = URI.create(registry());
    String registryPath =
        registry.getRawPath() == null ? "" : registry.getRawPath().replaceAll("/$", "");
    String path = uri.getRawPath();
    if (!registryPath.isEmpty() && !registryPath.equals("/") && !path.startsWith(registryPath)) {
      path = registryPath + path;
    }
    StringBuilder b = new StringBuilder(uri.getScheme()).append("://").append(registry.getHost());
    if (registry.getPort() >= 0) {
      b.append(':').append(registry.getPort());
    }
    b.append(path);
    if (uri.getRawQuery() != null) {
      b.append('?').append(uri.getRawQuery());
    }
    return b.toString();
  }

  /**
   * The {@code Authorization} header npm sends with a request to {@code url}, if any: the
   * credentials of the longest {@code //host/path/} key that has some, else those of {@code
   * registry} when the URL is on the registry's host.
   */
  public Optional<String> authorization(String url, String registry) {
    String key = regKey(url);
    if (key == null && registry != null && !url.equals(registry) && sameHost(url, registry)) {
      key = regKey(registry);
    }
    if (key == null) {
      return Optional.empty();
    }
    Optional<String> token = get(key + ":_authToken");
    if (token.isPresent() && !token.get().isEmpty()) {
      return Optional.of("Bearer " + token.get());
    }
    Optional<String> auth = get(key + ":_auth");
    if (auth.isPresent() && !auth.get().isEmpty()) {
      return Optional.of("Basic " + auth.get());
    }
    Optional<String> user = get(key + ":username");
    Optional<String> password = get(key + ":_password");
    if (user.isPresent() && password.isPresent()) {
      String decoded =
          new String(Base64.getDecoder().decode(password.get().strip()), StandardCharsets.UTF_8);
      return Optional.of(
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user.get() + ":" + decoded).getBytes(StandardCharsets.UTF_8)));
    }
    return Optional.empty();
  }

  private String regKey(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (uri.getRawAuthority() == null) {
      return null;
    }
    String key = "//" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    while (key.length() > 2) {
      if (hasAuth(key)) {
        return key;
      }
      key = key.replaceFirst("([^/]+|/)$", "");
    }
    return null;
  }

  private boolean hasAuth(String key) {
    return get(key + ":_authToken").isPresent()
        || get(key + ":_auth").isPresent()
        || (get(key + ":username").isPresent() && get(key + ":_password").isPresent());
  }

  private static boolean sameHost(String a, String b) {
    try {
      URI x = URI.create(a);
      URI y = URI.create(b);
      return x.getHost() != null
          && x.getHost().equalsIgnoreCase(y.getHost())
          && x.getPort() == y.getPort();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * PEM texts of the CAs to trust instead of the JDK's ({@code ca}, then {@code cafile}); empty for
   * the default trust.
   */
  public List<String> caPems() throws AccretionException {
    List<String> out = new ArrayList<>();
    for (String ca : list("ca")) {
      if (!ca.isBlank() && !ca.equals("null")) {
        out.add(ca.replace("\\n", "\n") + "\n");
      }
    }
    Optional<String> cafile = get("cafile");
    if (cafile.isPresent() && !cafile.get().isBlank()) {
      try {
        out.add(Files.readString(Path.of(cafile.get()), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            "cannot read the npm cafile " + cafile.get() + ": " + e.getMessage(),
            "fix the cafile setting in your .npmrc",
            e);
      }
    }
    return out;
  }

  /**
   * The settings that decide where packages come from, without secrets, sorted: registries, scope
   * registries, replace-registry-host, legacy-peer-deps, and which hosts have credentials (not the
   * credentials).
   */
  public String selectorText() {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(values)
        .forEach(
            (k, v) -> {
              if (k.equals("registry")
                  || k.endsWith(":registry")
                  || k.equals("replace-registry-host")
                  || k.equals("legacy-peer-deps")
                  || k.equals("omit-lockfile-registry-resolved")) {
                b.append(k).append('=').append(v).append('\n');
              } else if (k.startsWith("//")) {
                b.append(k).append("=<set>\n");
              }
            });
    return b.toString();
  }
}
