package dev.accretion.aws.project;

import dev.accretion.aws.Notifications;
import dev.accretion.aws.PublishRequest;
import dev.accretion.aws.PublishValidation;
import dev.accretion.aws.Sharing;
import dev.accretion.aws.VersionMarker;
import dev.accretion.aws.Webhook;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.toml.Toml;
import dev.accretion.core.toml.TomlArray;
import dev.accretion.core.toml.TomlParseError;
import dev.accretion.core.toml.TomlParseResult;
import dev.accretion.core.toml.TomlPosition;
import dev.accretion.core.toml.TomlTable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A project's {@code accretion.toml}: the layers it builds and where they are published.
 *
 * <pre>{@code
 * builders = ["plugins/x.jar"]    # optional; builder plug-in jars, relative to this file
 * [defaults]                      # optional; any layer key but "listing" and "artifact"
 * regions = ["us-east-1", "eu-west-1"]
 * staging-bucket = "accretion-{account}-{region}"
 *
 * [layers.web-deps]               # the table name is the layer name: [a-zA-Z0-9_-]{1,140}
 * listing = "requirements.txt"    # what to build from, relative to this file
 * builder = "java"                # optional; default: the builder that reads the listing
 * source = "tools"                # instead of listing: the folder of a command builder
 * offline = true                  # other keys: options of the layer's builder (only with
 *                                 # readWithBuilderOptions; the caller checks them)
 * artifact = "dist/web-deps.zip"  # or a prebuilt zip (or a list of zips), its manifest beside
 *                                 # it as dist/web-deps.json; one of listing/artifact is required
 * runtimes = ["python3.12", "python3.13"]   # required (here or in defaults), 1 to 15
 * architectures = ["x86_64", "arm64"]       # default ["x86_64"]
 * regions = ["us-east-1"]         # default: the environment's region (AWS_REGION, profile)
 * sharing = "private"             # "private", "public", a 12-digit account id, an organization
 *                                 # id ("o-..." or "org:o-..."), or a list of them
 * staging-bucket = "accretion-{account}-{region}"   # must contain {region}
 * description = "Web dependencies"          # at most 172 characters
 * license = "MIT"                 # LicenseInfo, at most 512
 * ssm-parameter = "/layers/web-deps/{runtime}/{arch}/arn"   # optional; one per target, see
 *                                 # SsmParameterNames (never shared by two Lambda layers)
 * sns = true                      # SNS topic accretion-<layer> per region
 * webhooks = [{ url = "https://ci.example/hook", secret-env = "HOOK_SECRET" }]
 * }</pre>
 *
 * Secrets never live in the file: {@code secret-env} names an environment variable; one that is not
 * set is recorded in that layer's {@link LayerConfig#missingSecrets} (only publishing that layer
 * fails, naming the line). Unknown keys, wrong types and bad values are errors that name the key
 * and its line: {@code accretion.toml:7: layers.web-deps.regionz: unknown key (known: ...)}; every
 * problem of the file is reported at once. How a layer with several targets becomes Lambda layers
 * is {@link LayerNaming}'s rule.
 *
 * <p>{@code secretsResolved} is false for a file read with {@link #readIgnoringSecrets}, whose
 * webhooks carry no secrets: such a file serves the read commands (regions, staging bucket) and
 * cannot make publish requests. Immutable.
 */
public record ProjectFile(Path path, List<LayerConfig> layers, boolean secretsResolved) {
  /** The file name looked for in a project's folder. */
  public static final String FILE_NAME = "accretion.toml";

  private static final Set<String> LAYER_KEYS =
      Set.of(
          "listing",
          "artifact",
          "runtimes",
          "architectures",
          "regions",
          "sharing",
          "staging-bucket",
          "description",
          "license",
          "ssm-parameter",
          "sns",
          "webhooks",
          "builder",
          "source",
          "schedule");

  /** Layer keys that never come from {@code [defaults]}. */
  private static final Set<String> LAYER_ONLY = Set.of("listing", "artifact", "source");

  private static final Set<String> WEBHOOK_KEYS = Set.of("url", "secret-env");

  /**
   * One layer of the project, with defaults applied. {@code listing} is null when the layer names
   * only prebuilt {@code artifacts} (absolute paths; empty when it names a listing). {@code line}
   * is the line of its table in the file. {@code missingSecrets} names each webhook secret variable
   * that was not set when the file was read with an environment (file, line and key): only a
   * publish of this layer fails for it, so another layer's missing secret does not stop this one.
   * {@code builder} is the builder id ({@code builder = "java"}), or null to choose it from the
   * listing; {@code listing} is the {@code source} folder for a folder-based builder ({@code
   * command}). {@code builderOptions} are the layer's other keys, for its builder to check (read
   * with {@link #readWithBuilderOptions}; empty otherwise); {@code optionLines} the line of each
   * option and of {@code builder} and {@code runtimes}. {@code plugins} are the file's {@code
   * builders = [...]} jars (absolute).
   */
  public record LayerConfig(
      String name,
      Path listing,
      List<Path> artifacts,
      List<String> runtimes,
      List<String> architectures,
      List<String> regions,
      Sharing sharing,
      String stagingBucketPattern,
      String description,
      String licenseInfo,
      String ssmParameterName,
      Notifications notifications,
      List<String> missingSecrets,
      Path file,
      int line,
      String builder,
      Map<String, List<String>> builderOptions,
      Map<String, Integer> optionLines,
      List<Path> plugins) {
    public LayerConfig {
      java.util.TreeMap<String, List<String>> options = new java.util.TreeMap<>();
      builderOptions.forEach((k, v) -> options.put(k, List.copyOf(v)));
      builderOptions = java.util.Collections.unmodifiableMap(options);
      optionLines = Map.copyOf(optionLines);
      plugins = List.copyOf(plugins);
      missingSecrets = List.copyOf(missingSecrets);
      artifacts = List.copyOf(artifacts);
      runtimes = List.copyOf(runtimes);
      architectures = List.copyOf(architectures);
      regions = List.copyOf(regions);
    }

    /**
     * A layer with the default builder (found from the listing), no builder options or plug-ins.
     */
    public LayerConfig(
        String name,
        Path listing,
        List<Path> artifacts,
        List<String> runtimes,
        List<String> architectures,
        List<String> regions,
        Sharing sharing,
        String stagingBucketPattern,
        String description,
        String licenseInfo,
        String ssmParameterName,
        Notifications notifications,
        List<String> missingSecrets,
        Path file,
        int line) {
      this(
          name,
          listing,
          artifacts,
          runtimes,
          architectures,
          regions,
          sharing,
          stagingBucketPattern,
          description,
          licenseInfo,
          ssmParameterName,
          notifications,
          missingSecrets,
          file,
          line,
          null,
          Map.of(),
          Map.of(),
          List.of());
    }

    /** This layer with another builder, builder options (and their lines) and plug-in jars. */
    public LayerConfig withBuilder(
        String newBuilder,
        Map<String, List<String>> newOptions,
        Map<String, Integer> newOptionLines,
        List<Path> newPlugins) {
      return new LayerConfig(
          name,
          listing,
          artifacts,
          runtimes,
          architectures,
          regions,
          sharing,
          stagingBucketPattern,
          description,
          licenseInfo,
          ssmParameterName,
          notifications,
          missingSecrets,
          file,
          line,
          newBuilder,
          newOptions,
          newOptionLines,
          newPlugins);
    }

    /** Where a builder option of this layer is written: {@code accretion.toml:9: layers.x.KEY}. */
    public String where(String option) {
      Integer at = optionLines.get(option);
      return (file == null ? "" : file.getFileName() + ":" + (at == null ? line : at) + ": ")
          + "layers."
          + name
          + "."
          + option;
    }

    /** Where this layer is defined, for messages: {@code accretion.toml:6: layers.web-deps}. */
    public String where() {
      return (file == null ? "" : file.getFileName() + ":" + line + ": ") + "layers." + name;
    }

    /**
     * The publish request for one built artifact of this layer. {@code layerName} is the Lambda
     * layer name (the layer's own name, or a per-target name when the layer has several zips, see
     * {@link LayerNaming}); {@code regionsOverride} null or empty means the layer's regions.
     *
     * @throws IllegalStateException if a webhook secret is missing ({@link #missingSecrets})
     */
    public PublishRequest publishRequest(
        String layerName,
        Path zip,
        String sha256Hex,
        String contentDigest,
        List<String> compatibleRuntimes,
        List<String> compatibleArchitectures,
        byte[] manifestJson,
        List<String> regionsOverride) {
      if (!missingSecrets.isEmpty()) {
        throw new IllegalStateException(String.join("; ", missingSecrets));
      }
      return new PublishRequest(
          layerName,
          zip,
          sha256Hex,
          contentDigest,
          compatibleRuntimes,
          compatibleArchitectures,
          description,
          licenseInfo,
          regionsOverride == null || regionsOverride.isEmpty() ? regions : regionsOverride,
          sharing,
          stagingBucketPattern,
          manifestJson,
          ssmParameterName,
          notifications);
    }
  }

  public ProjectFile {
    layers = List.copyOf(layers);
  }

  /** The layer named {@code name}, or null. */
  public LayerConfig layer(String name) {
    return layers.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
  }

  /**
   * The project file of a folder ({@value #FILE_NAME}), or empty when there is none.
   *
   * @param directory the folder to look in (not its parents)
   */
  public static java.util.Optional<Path> find(Path directory) {
    Path file = directory.resolve(FILE_NAME);
    return Files.isRegularFile(file) ? java.util.Optional.of(file) : java.util.Optional.empty();
  }

  /**
   * Reads and checks a project file, looking up webhook secrets.
   *
   * @param environment where {@code secret-env} names are looked up (normally System.getenv())
   * @throws AccretionException naming the file, line and key of every problem
   */
  public static ProjectFile read(Path file, Map<String, String> environment)
      throws AccretionException {
    return parse(file, readText(file), environment);
  }

  /**
   * Reads and checks a project file, looking up webhook secrets (null: left out), taking every
   * layer key that is not one of the publish keys as an option of the layer's builder ({@link
   * LayerConfig#builderOptions}): a string, an array of strings, a boolean or an integer, kept as
   * text with its line. Which builder takes which key is not known here: the caller checks them
   * against the layer's builder.
   *
   * @throws AccretionException naming the file, line and key of every problem
   */
  public static ProjectFile readWithBuilderOptions(Path file, Map<String, String> environment)
      throws AccretionException {
    return parse(file, readText(file), environment, true);
  }

  /**
   * Reads and checks a project file without looking up webhook secrets (for commands that only read
   * what is published); the result cannot make publish requests with signed webhooks.
   *
   * @throws AccretionException naming the file, line and key of every problem
   */
  public static ProjectFile readIgnoringSecrets(Path file) throws AccretionException {
    return parse(file, readText(file), null);
  }

  private static String readText(Path file) throws AccretionException {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT, "cannot read project file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses project file text; {@code file} names it in messages and anchors relative paths.
   *
   * @param environment where {@code secret-env} names are looked up; null to leave secrets out
   */
  public static ProjectFile parse(Path file, String text, Map<String, String> environment)
      throws AccretionException {
    return parse(file, text, environment, false);
  }

  /**
   * Parses project file text; with {@code builderOptions}, unknown layer keys are builder options
   * (see {@link #readWithBuilderOptions}), else they are problems.
   */
  public static ProjectFile parse(
      Path file, String text, Map<String, String> environment, boolean builderOptions)
      throws AccretionException {
    TomlParseResult toml = Toml.parse(text);
    Reader r = new Reader(file, environment, builderOptions);
    for (TomlParseError e : toml.errors()) {
      r.problem(e.position(), null, e.getMessage());
    }
    if (!r.problems.isEmpty()) {
      throw r.failure();
    }
    for (String key : toml.keySet()) {
      if (!Set.of("builders", "defaults", "layers", "functions", "repository").contains(key)) {
        r.problem(
            toml.inputPositionOf(List.of(key)),
            key,
            "unknown key (known: builders, defaults, functions, layers, repository)");
      }
    }
    // builder plug-in jars, relative to this file
    List<Path> plugins = new ArrayList<>();
    if (toml.get(List.of("builders")) != null) {
      Reader.Found f =
          new Reader.Found(
              toml.get(List.of("builders")), toml.inputPositionOf(List.of("builders")), "builders");
      List<String> jars = r.distinctStrings(f);
      for (String jar : jars == null ? List.<String>of() : jars) {
        if (!jar.endsWith(".jar")) {
          r.problem(f.position(), "builders", "'" + jar + "' is not a .jar file");
        }
        plugins.add(file.toAbsolutePath().getParent().resolve(jar).normalize());
      }
    }
    r.plugins = plugins;
    TomlTable defaults = r.table(toml, List.of("defaults"));
    if (defaults != null) {
      for (String key : defaults.keySet()) {
        if (!LAYER_KEYS.contains(key) || LAYER_ONLY.contains(key)) {
          r.problem(
              toml.inputPositionOf(List.of("defaults", key)),
              "defaults." + key,
              (LAYER_ONLY.contains(key) ? "belongs to a layer, not to the defaults" : "unknown key")
                  + " (known: "
                  + String.join(", ", sorted(LAYER_KEYS, LAYER_ONLY))
                  + ")");
        }
      }
    }
    TomlTable layersTable = r.table(toml, List.of("layers"));
    List<LayerConfig> layers = new ArrayList<>();
    if (layersTable == null || layersTable.isEmpty()) {
      // a repository may declare only functions ([functions."<path>"], read by FunctionsFile)
      if (toml.get(List.of("functions")) == null) {
        r.problem(
            null, "layers", "no layers: add a [layers.<name>] table with a listing or an artifact");
      }
    } else {
      for (String name : layersTable.keySet()) {
        LayerConfig layer = r.layer(toml, name, defaults);
        if (layer != null) {
          layers.add(layer);
        }
      }
    }
    if (!r.problems.isEmpty()) {
      throw r.failure();
    }
    return new ProjectFile(file, layers, environment != null);
  }

  private static List<String> sorted(Set<String> keys, Set<String> except) {
    return keys.stream().filter(k -> !except.contains(k)).sorted().toList();
  }

  /** Collects problems with their positions while reading. */
  private static final class Reader {
    private final Path file;
    private final Map<String, String> environment;
    private final boolean builderOptions;
    private final List<String> problems = new ArrayList<>();
    private List<Path> plugins = List.of();

    Reader(Path file, Map<String, String> environment, boolean builderOptions) {
      this.file = file;
      this.environment = environment;
      this.builderOptions = builderOptions;
    }

    void problem(TomlPosition position, String key, String message) {
      problems.add(
          file.getFileName()
              + (position == null ? "" : ":" + position.line())
              + ": "
              + (key == null ? "" : key + ": ")
              + message);
    }

    AccretionException failure() {
      return new AccretionException(
          FailureKind.BAD_INPUT,
          "invalid project file " + file + ": " + String.join("; ", problems));
    }

    TomlTable table(TomlTable root, List<String> path) {
      Object value = root.get(path);
      if (value == null) {
        return null;
      }
      if (!(value instanceof TomlTable t)) {
        problem(root.inputPositionOf(path), String.join(".", path), "must be a table");
        return null;
      }
      return t;
    }

    /** The value of a layer key, falling back to [defaults]; with the position it came from. */
    record Found(Object value, TomlPosition position, String key) {}

    private Found find(TomlTable root, String layer, TomlTable defaults, String key) {
      List<String> path = List.of("layers", layer, key);
      Object v = root.get(path);
      if (v != null) {
        return new Found(v, root.inputPositionOf(path), "layers." + layer + "." + key);
      }
      if (defaults != null && defaults.get(List.of(key)) != null) {
        return new Found(
            defaults.get(List.of(key)),
            root.inputPositionOf(List.of("defaults", key)),
            "defaults." + key);
      }
      return null;
    }

    private String string(Found f) {
      if (f == null) {
        return null;
      }
      if (f.value() instanceof String s) {
        return s;
      }
      problem(f.position(), f.key(), "must be a string");
      return null;
    }

    /** An array of distinct strings; a repeated entry is a problem. */
    List<String> distinctStrings(Found f) {
      List<String> out = strings(f);
      if (out != null) {
        Set<String> seen = new java.util.HashSet<>();
        for (String v : out) {
          if (!seen.add(v)) {
            problem(f.position(), f.key(), "'" + v + "' is listed twice");
          }
        }
      }
      return out;
    }

    private List<String> strings(Found f) {
      if (f == null) {
        return null;
      }
      if (f.value() instanceof TomlArray a) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
          if (a.get(i) instanceof String s) {
            out.add(s);
          } else {
            problem(f.position(), f.key(), "must be an array of strings");
            return null;
          }
        }
        return out;
      }
      problem(f.position(), f.key(), "must be an array of strings");
      return null;
    }

    LayerConfig layer(TomlTable root, String name, TomlTable defaults) {
      String prefix = "layers." + name;
      TomlTable t = table(root, List.of("layers", name));
      if (t == null) {
        return null;
      }
      TomlPosition at = root.inputPositionOf(List.of("layers", name));
      int before = problems.size();
      try {
        PublishValidation.checkLayerName(name);
      } catch (AccretionException e) {
        problem(at, prefix, e.getMessage());
      }
      Map<String, List<String>> options = new java.util.TreeMap<>();
      Map<String, Integer> optionLines = new java.util.HashMap<>();
      for (String key : t.keySet()) {
        if (LAYER_KEYS.contains(key)) {
          continue;
        }
        TomlPosition keyAt = root.inputPositionOf(List.of("layers", name, key));
        if (!builderOptions) {
          problem(
              keyAt,
              prefix + "." + key,
              "unknown key (known: " + String.join(", ", sorted(LAYER_KEYS, Set.of())) + ")");
          continue;
        }
        List<String> values = optionValues(t.get(List.of(key)));
        if (!key.matches("[a-z0-9][a-z0-9-]*")) {
          problem(keyAt, prefix + "." + key, "unknown key (a builder option is [a-z0-9-]+)");
        } else if (values == null) {
          problem(
              keyAt,
              prefix + "." + key,
              "a builder option is a string, an array of strings, a boolean or an integer");
        } else {
          options.put(key, values);
          optionLines.put(key, keyAt == null ? 0 : keyAt.line());
        }
      }
      Found builderFound = find(root, name, defaults, "builder");
      String builder = string(builderFound);
      // where builder and runtimes are written, for the caller's messages about them
      if (builderFound != null && builderFound.position() != null) {
        optionLines.put("builder", builderFound.position().line());
      }
      if (builder != null && !builder.matches("[a-z][a-z0-9-]*")) {
        problem(
            builderFound.position(),
            builderFound.key(),
            "'"
                + builder
                + "' is not a builder id ([a-z][a-z0-9-]*: python, nodejs, java, command"
                + " or a plug-in's)");
      }
      Found listingFound = find(root, name, null, "listing");
      Found sourceFound = find(root, name, null, "source");
      if (listingFound != null && sourceFound != null) {
        problem(
            sourceFound.position(),
            sourceFound.key(),
            "give either listing (a dependency listing) or source (a folder, for the command"
                + " builder), not both");
      }
      String listing = string(listingFound != null ? listingFound : sourceFound);
      if (listingFound == null) {
        listingFound = sourceFound;
      }
      Found artifactFound = find(root, name, null, "artifact");
      List<String> artifacts = List.of();
      if (artifactFound != null) {
        artifacts =
            artifactFound.value() instanceof String one ? List.of(one) : strings(artifactFound);
        if (artifacts != null && artifacts.isEmpty()) {
          problem(artifactFound.position(), artifactFound.key(), "names no zip");
        }
        for (String a : artifacts == null ? List.<String>of() : artifacts) {
          if (!a.endsWith(".zip")) {
            problem(
                artifactFound.position(),
                artifactFound.key(),
                "'" + a + "' is not a .zip file (its manifest is the .json beside it)");
          }
        }
      }
      if (listingFound == null && artifactFound == null) {
        problem(
            at,
            prefix + ".listing",
            "missing: name the dependency listing to build from (or the source folder of a"
                + " command builder), or set artifact to a prebuilt zip");
      }
      Found runtimesFound = find(root, name, defaults, "runtimes");
      if (runtimesFound != null && runtimesFound.position() != null) {
        optionLines.put("runtimes", runtimesFound.position().line());
      }
      List<String> runtimes = distinctStrings(runtimesFound);
      if (runtimesFound == null) {
        problem(
            at, prefix + ".runtimes", "missing: list the Lambda runtimes, e.g. [\"python3.12\"]");
      } else if (runtimes != null) {
        if (runtimes.isEmpty() || runtimes.size() > PublishValidation.MAX_RUNTIMES) {
          problem(runtimesFound.position(), runtimesFound.key(), "needs 1 to 15 runtimes");
        }
        for (String runtime : runtimes) {
          try {
            PublishValidation.checkRuntime(runtime);
          } catch (AccretionException e) {
            problem(runtimesFound.position(), runtimesFound.key(), e.getMessage());
          }
        }
      }
      Found archFound = find(root, name, defaults, "architectures");
      List<String> archs = archFound == null ? List.of("x86_64") : distinctStrings(archFound);
      if (archs != null && archFound != null) {
        for (String arch : archs) {
          try {
            PublishValidation.checkArchitecture(arch);
          } catch (AccretionException e) {
            problem(archFound.position(), archFound.key(), e.getMessage());
          }
        }
      }
      Found regionsFound = find(root, name, defaults, "regions");
      List<String> regions = regionsFound == null ? List.of() : distinctStrings(regionsFound);
      if (regions != null && regionsFound != null) {
        for (String region : regions) {
          try {
            PublishValidation.checkRegion(region);
          } catch (AccretionException e) {
            problem(regionsFound.position(), regionsFound.key(), e.getMessage());
          }
        }
      }
      Sharing sharing = sharing(find(root, name, defaults, "sharing"));
      Found bucketFound = find(root, name, defaults, "staging-bucket");
      String bucket = string(bucketFound);
      if (bucket != null) {
        try {
          PublishValidation.checkStagingBucketPattern(
              bucket, regions == null ? List.of() : regions);
        } catch (AccretionException e) {
          problem(bucketFound.position(), bucketFound.key(), e.getMessage());
        }
      }
      Found descFound = find(root, name, defaults, "description");
      String description = string(descFound);
      if (description != null && description.length() > VersionMarker.MAX_USER_DESCRIPTION) {
        problem(
            descFound.position(),
            descFound.key(),
            "is "
                + description.length()
                + " characters; at most "
                + VersionMarker.MAX_USER_DESCRIPTION);
      }
      Found licenseFound = find(root, name, defaults, "license");
      String license = string(licenseFound);
      if (license != null && license.length() > PublishValidation.MAX_LICENSE_INFO) {
        problem(licenseFound.position(), licenseFound.key(), "is over 512 characters");
      }
      Found ssmFound = find(root, name, defaults, "ssm-parameter");
      String ssm = string(ssmFound);
      if (ssm != null) {
        try {
          PublishValidation.checkSsmParameter(ssm);
        } catch (AccretionException e) {
          problem(ssmFound.position(), ssmFound.key(), e.getMessage());
        }
      }
      // the service's rebuild schedule (accretion serve); the commands check it and do not use it
      Found scheduleFound = find(root, name, defaults, "schedule");
      if (scheduleFound != null) {
        if (scheduleFound.value() instanceof String text) {
          try {
            dev.accretion.core.LayerSchedule.parse(text);
          } catch (AccretionException e) {
            problem(scheduleFound.position(), scheduleFound.key(), e.getMessage());
          }
        } else {
          problem(scheduleFound.position(), scheduleFound.key(), "must be a string");
        }
      }
      Found snsFound = find(root, name, defaults, "sns");
      boolean sns = false;
      if (snsFound != null) {
        if (snsFound.value() instanceof Boolean b) {
          sns = b;
        } else {
          problem(snsFound.position(), snsFound.key(), "must be true or false");
        }
      }
      List<String> missingSecrets = new ArrayList<>();
      List<Webhook> webhooks = webhooks(find(root, name, defaults, "webhooks"), missingSecrets);
      if (problems.size() > before) {
        return null;
      }
      Path base = file.toAbsolutePath().getParent();
      return new LayerConfig(
          name,
          listing == null ? null : base.resolve(listing).normalize(),
          artifacts.stream().map(a -> base.resolve(a).normalize()).toList(),
          runtimes,
          archs,
          regions,
          sharing,
          bucket,
          description == null ? "" : description,
          license,
          ssm,
          new Notifications(sns, webhooks),
          missingSecrets,
          file,
          at == null ? 0 : at.line(),
          builder,
          options,
          optionLines,
          plugins);
    }

    /** A builder option's value as text; null for a type options cannot have. */
    private static List<String> optionValues(Object v) {
      if (v instanceof String s) {
        return List.of(s);
      }
      if (v instanceof Boolean || v instanceof Long || v instanceof Integer) {
        return List.of(String.valueOf(v));
      }
      if (v instanceof TomlArray a) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
          if (!(a.get(i) instanceof String s)) {
            return null;
          }
          out.add(s);
        }
        return out;
      }
      return null;
    }

    private Sharing sharing(Found f) {
      if (f == null) {
        return Sharing.privateOnly();
      }
      List<String> entries = f.value() instanceof String s ? List.of(s) : strings(f);
      if (entries == null) {
        return null;
      }
      try {
        return Sharing.parse(entries);
      } catch (AccretionException e) {
        problem(f.position(), f.key(), e.getMessage());
        return null;
      }
    }

    private List<Webhook> webhooks(Found f, List<String> missingSecrets) {
      if (f == null) {
        return List.of();
      }
      if (!(f.value() instanceof TomlArray a)) {
        problem(f.position(), f.key(), "must be an array of { url, secret-env } tables");
        return List.of();
      }
      List<Webhook> out = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        if (!(a.get(i) instanceof TomlTable t)) {
          problem(f.position(), f.key(), "must be an array of { url, secret-env } tables");
          continue;
        }
        String key = f.key() + "[" + i + "]";
        for (String k : t.keySet()) {
          if (!WEBHOOK_KEYS.contains(k)) {
            problem(f.position(), key + "." + k, "unknown key (known: secret-env, url)");
          }
        }
        if (!(t.get("url") instanceof String url)) {
          problem(f.position(), key + ".url", "missing or not a string");
          continue;
        }
        String secret = null;
        Object env = t.get("secret-env");
        if (env != null) {
          if (!(env instanceof String name)) {
            problem(f.position(), key + ".secret-env", "must be a string");
            continue;
          }
          secret = environment == null ? null : environment.get(name);
          if (environment != null && (secret == null || secret.isEmpty())) {
            missingSecrets.add(
                file.getFileName()
                    + (f.position() == null ? "" : ":" + f.position().line())
                    + ": "
                    + key
                    + ".secret-env: environment variable "
                    + name
                    + " is not set; export the webhook secret");
            secret = null;
          }
        }
        try {
          out.add(new Webhook(URI.create(url), secret));
        } catch (IllegalArgumentException e) {
          problem(f.position(), key + ".url", e.getMessage());
        }
      }
      return out;
    }
  }
}
