package dev.accretion.python.index;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.python.ParseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The index settings pip 23.x would use, read from the same configuration files and environment
 * variables as pip, with pip's precedence, so that a machine already set up for pip works
 * unchanged.
 *
 * <p>Files, lowest priority first (pip's {@code Configuration}): global ({@code
 * $XDG_CONFIG_DIRS/pip/pip.conf} for each entry, default {@code /etc/xdg/pip/pip.conf}, then {@code
 * /etc/pip.conf}); user ({@code ~/.pip/pip.conf}, then {@code $XDG_CONFIG_HOME/pip/pip.conf},
 * default {@code ~/.config/pip/pip.conf}), skipped when {@code PIP_CONFIG_FILE} names an existing
 * file; site ({@code <sys.prefix>/pip.conf}, here {@code $VIRTUAL_ENV/pip.conf}); the file named by
 * {@code PIP_CONFIG_FILE}. {@code PIP_CONFIG_FILE=/dev/null} skips every file. Then the {@code
 * PIP_*} environment variables. Within that merged view, pip applies section {@code [global]}, then
 * the command's section ({@code [install]} by default), then the environment; a later value
 * replaces an earlier one (list options are replaced, not appended) and empty values are ignored.
 * List values ({@code extra-index-url}, {@code find-links}, {@code trusted-host}) are split on
 * whitespace. Immutable.
 *
 * @param indexUrl {@code index-url} as configured, or null when not configured (pip then uses
 *     {@link #DEFAULT_INDEX_URL})
 * @param extraIndexUrls {@code extra-index-url}, in order
 * @param findLinks {@code find-links} locations (paths or URLs), in order, as written
 * @param noIndex {@code no-index}
 * @param trustedHosts {@code trusted-host}
 * @param timeout {@code timeout}/{@code default-timeout}, or null when not configured
 * @param cert {@code cert} ({@code PIP_CERT}): a PEM bundle of the certificate authorities that
 *     https indexes are checked against instead of the default ones, as written, or null
 * @param files the configuration files that exist and were read, lowest priority first
 */
public record PipConfiguration(
    String indexUrl,
    List<String> extraIndexUrls,
    List<String> findLinks,
    boolean noIndex,
    List<String> trustedHosts,
    Duration timeout,
    String cert,
    List<Path> files) {

  /** pip's default index. */
  public static final String DEFAULT_INDEX_URL = "https://pypi.org/simple";

  /** The section pip reads for {@code pip install}. */
  public static final String INSTALL = "install";

  public PipConfiguration {
    extraIndexUrls = List.copyOf(extraIndexUrls);
    findLinks = List.copyOf(findLinks);
    trustedHosts = List.copyOf(trustedHosts);
    files = List.copyOf(files);
    if (timeout != null && timeout.isNegative()) {
      throw new IllegalArgumentException("negative timeout " + timeout);
    }
  }

  /** A configuration with nothing set: pip's defaults. */
  public static PipConfiguration defaults() {
    return new PipConfiguration(
        null, List.of(), List.of(), false, List.of(), null, null, List.of());
  }

  /** {@code index-url}, or pip's default when it is not configured. */
  public String effectiveIndexUrl() {
    return indexUrl == null ? DEFAULT_INDEX_URL : indexUrl;
  }

  /**
   * The indexes to search, ranked: none with {@code no-index}, else the extra index URLs in their
   * given order, then the index URL (or pip's default), exact duplicates dropped (the first place
   * kept). This is uv's ranking, not pip's (pip pools every index, so order means nothing to it):
   * in pip's usual layout the private index is an {@code extra-index-url} and the public one the
   * {@code index-url}, so with the first-index strategy a name on the private index can't be taken
   * over by an upload of the same name to the public one (dependency confusion).
   */
  public List<String> indexUrls() {
    if (noIndex) {
      return List.of();
    }
    LinkedHashSet<String> urls = new LinkedHashSet<>(extraIndexUrls);
    urls.add(effectiveIndexUrl());
    return List.copyOf(urls);
  }

  /**
   * Loads the configuration {@code pip install} would see.
   *
   * @param env the environment ({@code System.getenv()} for the real one)
   * @param home the user's home directory (what {@code ~} means)
   * @throws AccretionException if a configuration file cannot be read, is malformed (quoting the
   *     line), or holds a value pip would reject (a non-boolean {@code no-index}, a non-numeric
   *     {@code timeout})
   */
  public static PipConfiguration load(Map<String, String> env, Path home)
      throws AccretionException {
    String virtualEnv = env.get("VIRTUAL_ENV");
    Path site = virtualEnv == null || virtualEnv.isEmpty() ? null : Path.of(virtualEnv);
    return load(env, home, INSTALL, site);
  }

  /**
   * Loads the configuration pip would see for a command.
   *
   * @param command the pip command whose section applies after {@code [global]}, e.g. {@code
   *     install} or {@code download}
   * @param sitePrefix pip's {@code sys.prefix} (the virtual environment), whose {@code pip.conf} is
   *     the site file; null for none
   * @throws AccretionException as {@link #load(Map, Path)}
   */
  public static PipConfiguration load(
      Map<String, String> env, Path home, String command, Path sitePrefix)
      throws AccretionException {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(command, "command");
    // pip's Configuration._dictionary: one map per kind, merged in OVERRIDE_ORDER (global, user,
    // site, env file, env vars). Keys are "section.option"; a key keeps its first position.
    Map<String, String> merged = new LinkedHashMap<>();
    List<Path> read = new ArrayList<>();
    String configFile = env.get("PIP_CONFIG_FILE");
    if (!"/dev/null".equals(configFile)) {
      List<Path> global = new ArrayList<>();
      String xdgDirs = env.getOrDefault("XDG_CONFIG_DIRS", "");
      if (IniFile.strip(xdgDirs).isEmpty()) {
        xdgDirs = "/etc/xdg";
      }
      for (String dir : xdgDirs.split(":", -1)) {
        global.add(Path.of(expandUser(dir, home), "pip", "pip.conf"));
      }
      global.add(Path.of("/etc", "pip.conf"));
      List<Path> user = new ArrayList<>();
      boolean configFileExists = configFile != null && !configFile.isEmpty() && exists(configFile);
      if (!configFileExists) {
        user.add(home.resolve(".pip").resolve("pip.conf"));
        String xdgHome = env.getOrDefault("XDG_CONFIG_HOME", "");
        Path configHome =
            IniFile.strip(xdgHome).isEmpty() ? home.resolve(".config") : Path.of(xdgHome);
        user.add(configHome.resolve("pip").resolve("pip.conf"));
      }
      List<Path> site = sitePrefix == null ? List.of() : List.of(sitePrefix.resolve("pip.conf"));
      List<Path> envFile =
          configFile == null || configFile.isEmpty() ? List.of() : List.of(Path.of(configFile));
      for (List<Path> kind : List.of(global, user, site, envFile)) {
        for (Path file : kind) {
          String text = Files.exists(file) ? readConfig(file) : null;
          if (text != null) {
            IniFile ini = IniFile.parse(text, file.toString());
            for (String section : ini.sections()) {
              ini.items(section)
                  .forEach((key, value) -> merged.put(section + "." + normalizeName(key), value));
            }
            read.add(file);
          }
        }
      }
    }
    // pip walks os.environ in the process's order, which a Map does not keep; sorting makes the
    // rare clash of two variables for one option (PIP_TIMEOUT, PIP_DEFAULT_TIMEOUT) deterministic.
    for (Map.Entry<String, String> variable : new TreeMap<>(env).entrySet()) {
      String key = variable.getKey();
      if (key.startsWith("PIP_")) {
        String name = key.substring(4).toLowerCase(Locale.ROOT);
        if (!name.equals("version") && !name.equals("help")) {
          merged.put(":env:." + normalizeName(name), variable.getValue());
        }
      }
    }
    return resolve(merged, command, read);
  }

  /** pip's {@code ConfigOptionParser._update_defaults} for the options this record holds. */
  private static PipConfiguration resolve(
      Map<String, String> merged, String command, List<Path> read) throws AccretionException {
    String indexUrl = null;
    List<String> extraIndexUrls = List.of();
    List<String> findLinks = List.of();
    boolean noIndex = false;
    List<String> trustedHosts = List.of();
    Duration timeout = null;
    String cert = null;
    for (String section : List.of("global", command, ":env:")) {
      for (Map.Entry<String, String> entry : merged.entrySet()) {
        String sectionKey = entry.getKey();
        String value = entry.getValue();
        int dot = sectionKey.indexOf('.');
        if (!sectionKey.substring(0, dot).equals(section) || value.isEmpty()) {
          continue;
        }
        String where = section.equals(":env:") ? "environment" : "[" + section + "]";
        switch (normalizeName(sectionKey.substring(dot + 1))) {
          case "index-url", "pypi-url" -> indexUrl = value;
          case "extra-index-url" -> extraIndexUrls = IniFile.splitWhitespace(value);
          case "find-links" -> findLinks = IniFile.splitWhitespace(value);
          case "trusted-host" -> trustedHosts = IniFile.splitWhitespace(value);
          case "no-index" -> noIndex = parseBoolean(value, where);
          case "timeout", "default-timeout" -> timeout = parseTimeout(value, where);
          case "cert" -> cert = value;
          default -> {
            // every other pip option is not about indexes
          }
        }
      }
    }
    return new PipConfiguration(
        indexUrl, extraIndexUrls, findLinks, noIndex, trustedHosts, timeout, cert, read);
  }

  /** pip's {@code _normalize_name}: lower case, {@code _} to {@code -}, no leading {@code --}. */
  private static String normalizeName(String name) {
    String normalized = name.toLowerCase(Locale.ROOT).replace('_', '-');
    return normalized.startsWith("--") ? normalized.substring(2) : normalized;
  }

  /** pip's {@code strtobool}. */
  private static boolean parseBoolean(String value, String where) throws ParseException {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "y", "yes", "t", "true", "on", "1" -> true;
      case "n", "no", "f", "false", "off", "0" -> false;
      default ->
          throw new ParseException(
              "pip configuration no-index (" + where + ")",
              value,
              0,
              "not a boolean; use yes/no, true/false or 1/0");
    };
  }

  private static Duration parseTimeout(String value, String where) throws ParseException {
    double seconds;
    try {
      seconds = Double.parseDouble(IniFile.strip(value));
    } catch (NumberFormatException e) {
      seconds = Double.NaN;
    }
    if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds < 0) {
      throw new ParseException(
          "pip configuration timeout (" + where + ")", value, 0, "not a number of seconds");
    }
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }

  /** {@code os.path.expanduser} for {@code ~} and {@code ~/...}, with {@code home} as HOME. */
  private static String expandUser(String path, Path home) {
    if (path.equals("~")) {
      return home.toString();
    }
    if (path.startsWith("~/")) {
      return home + path.substring(1);
    }
    return path;
  }

  private static boolean exists(String path) {
    try {
      return Files.exists(Path.of(path));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The file's text, or null when it cannot be opened (configparser skips such files). */
  private static String readConfig(Path file) throws AccretionException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      return null;
    }
    try {
      // pip reads with the locale's encoding; Accretion assumes UTF-8 (the locale of every
      // supported build host) and, like pip, refuses a file that does not decode.
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "pip configuration file " + file + " is not valid UTF-8; save it as UTF-8",
          e);
    }
  }
}
