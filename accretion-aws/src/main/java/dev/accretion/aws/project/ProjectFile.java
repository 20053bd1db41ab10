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
 * [defaults]                      # optional; any layer key but "listing" and "artifact"
 * regions = ["us-east-1", "eu-west-1"]
 * staging-bucket = "accretion-{account}-{region}"
 *
 * [layers.web-deps]               # the table name is the layer name: [a-zA-Z0-9_-]{1,140}
 * listing = "requirements.txt"    # what to build from, relative to this file
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
          "webhooks");
  private static final Set<String> WEBHOOK_KEYS = Set.of("url", "secret-env");

  /**
   * One layer of the project, with defaults applied. {@code listing} is null when the layer names
   * only prebuilt {@code artifacts} (absolute paths; empty when it names a listing). {@code line}
   * is the line of its table in the file. {@code missingSecrets} names each webhook secret variable
   * that was not set when the file was read with an environment (file, line and key): only a
   * publish of this layer fails for it, so another layer's missing secret does not stop this one.
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
      int line) {
    public LayerConfig {
      missingSecrets = List.copyOf(missingSecrets);
      artifacts = List.copyOf(artifacts);
      runtimes = List.copyOf(runtimes);
      architectures = List.copyOf(architectures);
      regions = List.copyOf(regions);
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
    TomlParseResult toml = Toml.parse(text);
    Reader r = new Reader(file, environment);
    for (TomlParseError e : toml.errors()) {
      r.problem(e.position(), null, e.getMessage());
    }
    if (!r.problems.isEmpty()) {
      throw r.failure();
    }
    for (String key : toml.keySet()) {
      if (!Set.of("defaults", "layers", "functions", "repository").contains(key)) {
        r.problem(
            toml.inputPositionOf(List.of(key)),
            key,
            "unknown key (known: defaults, functions, layers, repository)");
      }
    }
    TomlTable defaults = r.table(toml, List.of("defaults"));
    if (defaults != null) {
      for (String key : defaults.keySet()) {
        if (!LAYER_KEYS.contains(key) || key.equals("listing") || key.equals("artifact")) {
          r.problem(
              toml.inputPositionOf(List.of("defaults", key)),
              "defaults." + key,
              (key.equals("listing") || key.equals("artifact")
                      ? "belongs to a layer, not to the defaults"
                      : "unknown key")
                  + " (known: "
                  + String.join(", ", sorted(LAYER_KEYS, Set.of("listing", "artifact")))
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
    private final List<String> problems = new ArrayList<>();

    Reader(Path file, Map<String, String> environment) {
      this.file = file;
      this.environment = environment;
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
    private record Found(Object value, TomlPosition position, String key) {}

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
    private List<String> distinctStrings(Found f) {
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
      for (String key : t.keySet()) {
        if (!LAYER_KEYS.contains(key)) {
          problem(
              root.inputPositionOf(List.of("layers", name, key)),
              prefix + "." + key,
              "unknown key (known: " + String.join(", ", sorted(LAYER_KEYS, Set.of())) + ")");
        }
      }
      Found listingFound = find(root, name, null, "listing");
      String listing = string(listingFound);
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
            "missing: name the dependency listing to build from, or set artifact to a prebuilt"
                + " zip");
      }
      Found runtimesFound = find(root, name, defaults, "runtimes");
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
          at == null ? 0 : at.line());
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
