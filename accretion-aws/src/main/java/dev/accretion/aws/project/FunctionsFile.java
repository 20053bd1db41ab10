package dev.accretion.aws.project;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.Language;
import dev.accretion.core.runtime.Runtime;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.toml.Toml;
import dev.accretion.core.toml.TomlArray;
import dev.accretion.core.toml.TomlParseError;
import dev.accretion.core.toml.TomlParseResult;
import dev.accretion.core.toml.TomlPosition;
import dev.accretion.core.toml.TomlTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The function folders a repository's {@code accretion.toml} declares, for {@code functions sync}.
 *
 * <pre>{@code
 * [repository]
 * name = "acme/shop"          # optional: the repository's identity in function names; default:
 *                             # the normalized URL of its remote "origin"
 *
 * [functions."services/orders"]            # a folder, relative to the repository's root
 * runtime = "python3.11"                   # required: a Python or Node.js Lambda runtime
 * handler = "app.handler"                  # required
 * role = "arn:aws:iam::123456789012:role/orders"   # required: the execution role
 * architecture = "x86_64"                  # or "arm64"; default x86_64
 * memory = 256                             # MB, 128 to 10240; default 128
 * timeout = 30                             # seconds, 1 to 900; default 3
 * environment = { TABLE = "orders" }       # variables, strings only
 * layers = ["web-deps", "arn:aws:lambda:us-east-1:123456789012:layer:x:3"]  # managed layer
 *                                          # names (latest version per region) or version ARNs
 * name = "orders"                          # optional: the Lambda function name instead of
 *                                          # <prefix>-<hash>
 * }</pre>
 *
 * Unknown keys, wrong types and bad values are errors naming the file, line and key ({@code
 * accretion.toml:4: functions."svc/a".memory: must be 128 to 10240}); every problem is reported at
 * once. Immutable.
 */
public record FunctionsFile(Path path, String repositoryName, List<FunctionConfig> functions) {
  private static final Set<String> KEYS =
      Set.of(
          "runtime",
          "handler",
          "role",
          "architecture",
          "memory",
          "timeout",
          "environment",
          "layers",
          "name");
  private static final Pattern ROLE =
      Pattern.compile("arn:aws[a-zA-Z-]*:iam::\\d{12}:role/[a-zA-Z_0-9+=,.@/-]+");
  private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final Pattern LAYER_ARN =
      Pattern.compile("arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:layer:[a-zA-Z0-9_-]+:\\d+");
  private static final Pattern LAYER_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,140}");
  private static final Pattern ENV_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]*");

  /**
   * One function folder with its settings, defaults applied.
   *
   * @param path the folder, relative to the repository's root, {@code /}-separated, normalized
   * @param runtime the Lambda runtime id ({@code python3.11}, {@code nodejs20.x})
   * @param language python or nodejs
   * @param architecture {@code x86_64} or {@code arm64}
   * @param memory MB
   * @param timeout seconds
   * @param environment variables, sorted by name
   * @param layers managed layer names or layer version ARNs, in order
   * @param name the configured function name, or null for {@code <prefix>-<hash>}
   * @param line the line of the function's table, for messages
   */
  public record FunctionConfig(
      String path,
      String runtime,
      Language language,
      String handler,
      String role,
      String architecture,
      int memory,
      int timeout,
      Map<String, String> environment,
      List<String> layers,
      String name,
      Path file,
      int line) {
    public FunctionConfig {
      environment = java.util.Collections.unmodifiableMap(new TreeMap<>(environment));
      layers = List.copyOf(layers);
    }

    /** Where this function is declared: {@code accretion.toml:6: functions."svc/a"}. */
    public String where() {
      return (file == null ? "" : file.getFileName() + ":" + line + ": ")
          + "functions.\""
          + path
          + "\"";
    }
  }

  public FunctionsFile {
    functions = List.copyOf(functions);
  }

  /**
   * Reads the functions of a repository's project file.
   *
   * @throws AccretionException (bad input) naming the file, line and key of every problem, or when
   *     the file declares no function
   */
  public static FunctionsFile read(Path file) throws AccretionException {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT, "cannot read project file " + file + ": " + e.getMessage(), e);
    }
    return parse(file, text);
  }

  /** Parses project file text; {@code file} names it in messages. */
  public static FunctionsFile parse(Path file, String text) throws AccretionException {
    TomlParseResult toml = Toml.parse(text);
    List<String> problems = new ArrayList<>();
    String fileName = file.getFileName().toString();
    for (TomlParseError e : toml.errors()) {
      problems.add(problem(fileName, e.position(), null, e.getMessage()));
    }
    if (!problems.isEmpty()) {
      throw failure(file, problems);
    }
    String repositoryName = null;
    Object repo = toml.get(List.of("repository"));
    if (repo != null) {
      TomlPosition at = toml.inputPositionOf(List.of("repository"));
      if (!(repo instanceof TomlTable t)) {
        problems.add(problem(fileName, at, "repository", "must be a table"));
      } else {
        for (String key : t.keySet()) {
          if (!key.equals("name")) {
            problems.add(
                problem(
                    fileName,
                    toml.inputPositionOf(List.of("repository", key)),
                    "repository." + key,
                    "unknown key (known: name)"));
          }
        }
        Object name = t.get("name");
        if (name != null) {
          if (!(name instanceof String s) || s.isBlank()) {
            problems.add(
                problem(
                    fileName,
                    toml.inputPositionOf(List.of("repository", "name")),
                    "repository.name",
                    "must be a non-empty string"));
          } else {
            repositoryName = s.strip();
          }
        }
      }
    }
    Object functionsValue = toml.get(List.of("functions"));
    List<FunctionConfig> functions = new ArrayList<>();
    if (functionsValue == null) {
      problems.add(
          problem(
              fileName,
              null,
              "functions",
              "no function folders: add a [functions.\"<folder>\"] table with runtime, handler"
                  + " and role"));
    } else if (!(functionsValue instanceof TomlTable table)) {
      problems.add(
          problem(
              fileName,
              toml.inputPositionOf(List.of("functions")),
              "functions",
              "must be a table of [functions.\"<folder>\"] tables"));
    } else {
      RuntimeMatrix matrix = RuntimeMatrix.load();
      Map<String, String> seenPaths = new LinkedHashMap<>();
      for (String path : table.keySet()) {
        FunctionConfig f = function(file, toml, path, matrix, problems);
        if (f != null) {
          String earlier = seenPaths.putIfAbsent(f.path(), path);
          if (earlier != null) {
            problems.add(
                problem(
                    fileName,
                    toml.inputPositionOf(List.of("functions", path)),
                    "functions.\"" + path + "\"",
                    "names the same folder as functions.\"" + earlier + "\""));
          }
          functions.add(f);
        }
      }
      if (table.isEmpty()) {
        problems.add(
            problem(
                fileName,
                toml.inputPositionOf(List.of("functions")),
                "functions",
                "declares no folder"));
      }
      Map<String, String> names = new LinkedHashMap<>();
      for (FunctionConfig f : functions) {
        if (f.name() != null) {
          String earlier = names.putIfAbsent(f.name(), f.path());
          if (earlier != null) {
            problems.add(
                problem(
                    fileName,
                    toml.inputPositionOf(List.of("functions", f.path(), "name")),
                    "functions.\"" + f.path() + "\".name",
                    "'" + f.name() + "' is also the name of functions.\"" + earlier + "\""));
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw failure(file, problems);
    }
    return new FunctionsFile(file, repositoryName, functions);
  }

  private static FunctionConfig function(
      Path file, TomlTable root, String rawPath, RuntimeMatrix matrix, List<String> problems) {
    String fileName = file.getFileName().toString();
    String key = "functions.\"" + rawPath + "\"";
    List<String> tablePath = List.of("functions", rawPath);
    TomlPosition at = root.inputPositionOf(tablePath);
    int before = problems.size();
    if (!(root.get(tablePath) instanceof TomlTable t)) {
      problems.add(problem(fileName, at, key, "must be a table"));
      return null;
    }
    String path = normalizePath(rawPath);
    if (path == null) {
      problems.add(
          problem(
              fileName,
              at,
              key,
              "is not a folder inside the repository: give a relative path like"
                  + " \"services/orders\" (no '..', no leading '/')"));
    }
    for (String k : t.keySet()) {
      if (!KEYS.contains(k)) {
        problems.add(
            problem(
                fileName,
                root.inputPositionOf(List.of("functions", rawPath, k)),
                key + "." + k,
                "unknown key (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")"));
      }
    }
    // a missing key is reported at its table's line
    java.util.function.Function<String, TomlPosition> pos =
        k -> {
          TomlPosition p = root.inputPositionOf(List.of("functions", rawPath, k));
          return p != null ? p : at;
        };
    String runtime = string(t, "runtime", key, pos, fileName, problems, true);
    Language language = null;
    if (runtime != null) {
      try {
        Runtime r = matrix.get(runtime);
        language = r.language();
        if (language != Language.PYTHON && language != Language.NODEJS) {
          problems.add(
              problem(
                  fileName,
                  pos.apply("runtime"),
                  key + ".runtime",
                  "'"
                      + runtime
                      + "' is not a Python or Node.js runtime: functions sync builds Python and"
                      + " Node.js folders"));
        }
      } catch (AccretionException e) {
        problems.add(problem(fileName, pos.apply("runtime"), key + ".runtime", e.getMessage()));
      }
    }
    String handler = string(t, "handler", key, pos, fileName, problems, true);
    if (handler != null && (handler.isBlank() || handler.length() > 128)) {
      problems.add(
          problem(fileName, pos.apply("handler"), key + ".handler", "must be 1 to 128 characters"));
    }
    String role = string(t, "role", key, pos, fileName, problems, true);
    if (role != null && !ROLE.matcher(role).matches()) {
      problems.add(
          problem(
              fileName,
              pos.apply("role"),
              key + ".role",
              "'" + role + "' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)"));
    }
    String architecture = string(t, "architecture", key, pos, fileName, problems, false);
    if (architecture == null) {
      architecture = "x86_64";
    } else {
      try {
        Architecture a = Architecture.parse(architecture);
        architecture = a.lambdaName();
      } catch (AccretionException e) {
        problems.add(
            problem(fileName, pos.apply("architecture"), key + ".architecture", e.getMessage()));
      }
    }
    int memory = integer(t, "memory", 128, 128, 10240, key, pos, fileName, problems);
    int timeout = integer(t, "timeout", 3, 1, 900, key, pos, fileName, problems);
    Map<String, String> environment = new TreeMap<>();
    Object env = t.get("environment");
    if (env != null) {
      if (!(env instanceof TomlTable e)) {
        problems.add(
            problem(
                fileName,
                pos.apply("environment"),
                key + ".environment",
                "must be a table of strings, like { TABLE = \"orders\" }"));
      } else {
        for (String name : e.keySet()) {
          if (!(e.get(name) instanceof String v)) {
            problems.add(
                problem(
                    fileName,
                    pos.apply("environment"),
                    key + ".environment." + name,
                    "must be a string"));
          } else if (!ENV_NAME.matcher(name).matches()) {
            problems.add(
                problem(
                    fileName,
                    pos.apply("environment"),
                    key + ".environment." + name,
                    "is not a valid variable name (a letter, then letters, digits or '_')"));
          } else if (name.startsWith("AWS_") || name.equals("PYTHONPATH")) {
            problems.add(
                problem(
                    fileName,
                    pos.apply("environment"),
                    key + ".environment." + name,
                    name.equals("PYTHONPATH")
                        ? "must not be set: it replaces the runtime's layer paths"
                        : "is reserved by Lambda"));
          } else {
            environment.put(name, v);
          }
        }
      }
    }
    List<String> layers = new ArrayList<>();
    Object layersValue = t.get("layers");
    if (layersValue != null) {
      if (!(layersValue instanceof TomlArray a)) {
        problems.add(
            problem(fileName, pos.apply("layers"), key + ".layers", "must be an array of strings"));
      } else {
        for (int i = 0; i < a.size(); i++) {
          if (!(a.get(i) instanceof String s)
              || !(LAYER_ARN.matcher(s).matches() || LAYER_NAME.matcher(s).matches())) {
            problems.add(
                problem(
                    fileName,
                    pos.apply("layers"),
                    key + ".layers[" + i + "]",
                    "must be a managed layer's name or a layer version ARN"));
          } else if (layers.contains(s)) {
            problems.add(
                problem(
                    fileName,
                    pos.apply("layers"),
                    key + ".layers[" + i + "]",
                    "'" + s + "' is listed twice"));
          } else {
            layers.add(s);
          }
        }
        if (layers.size() > 5) {
          problems.add(
              problem(
                  fileName,
                  pos.apply("layers"),
                  key + ".layers",
                  "lists " + layers.size() + " layers; a function takes at most 5"));
        }
      }
    }
    String name = string(t, "name", key, pos, fileName, problems, false);
    if (name != null && !FUNCTION_NAME.matcher(name).matches()) {
      problems.add(
          problem(
              fileName,
              pos.apply("name"),
              key + ".name",
              "'" + name + "' is not a Lambda function name: 1 to 64 letters, digits, '-' or '_'"));
    }
    if (problems.size() > before) {
      return null;
    }
    return new FunctionConfig(
        path,
        runtime,
        language,
        handler,
        role,
        architecture,
        memory,
        timeout,
        environment,
        layers,
        name,
        file,
        at == null ? 0 : at.line());
  }

  /** {@code a/b}, from {@code ./a//b/}; null if it leaves the repository or names its root. */
  static String normalizePath(String raw) {
    if (raw.startsWith("/") || raw.contains("\\")) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    for (String part : raw.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..") || part.equals(".git")) {
        return null;
      }
      parts.add(part);
    }
    return parts.isEmpty() ? null : String.join("/", parts);
  }

  private static String string(
      TomlTable t,
      String k,
      String key,
      java.util.function.Function<String, TomlPosition> pos,
      String fileName,
      List<String> problems,
      boolean required) {
    Object v = t.get(k);
    if (v == null) {
      if (required) {
        problems.add(
            problem(
                fileName,
                pos.apply(k) == null ? null : pos.apply(k),
                key + "." + k,
                "missing: "
                    + switch (k) {
                      case "runtime" -> "the Lambda runtime, e.g. \"python3.11\" or \"nodejs20.x\"";
                      case "handler" -> "the handler, e.g. \"app.handler\" or \"index.handler\"";
                      default -> "the execution role's ARN";
                    }));
      }
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    problems.add(problem(fileName, pos.apply(k), key + "." + k, "must be a string"));
    return null;
  }

  private static int integer(
      TomlTable t,
      String k,
      int fallback,
      int min,
      int max,
      String key,
      java.util.function.Function<String, TomlPosition> pos,
      String fileName,
      List<String> problems) {
    Object v = t.get(k);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Long l && l >= min && l <= max) {
      return l.intValue();
    }
    problems.add(
        problem(
            fileName,
            pos.apply(k),
            key + "." + k,
            "must be a whole number from " + min + " to " + max));
    return fallback;
  }

  private static String problem(String file, TomlPosition position, String key, String message) {
    return file
        + (position == null ? "" : ":" + position.line())
        + ": "
        + (key == null ? "" : key + ": ")
        + message;
  }

  private static AccretionException failure(Path file, List<String> problems) {
    return new AccretionException(
        FailureKind.BAD_INPUT,
        "invalid project file " + file + ": " + String.join("; ", problems),
        "fix the lines named; see the README's \"Functions sync\" section for the keys",
        null);
  }
}
