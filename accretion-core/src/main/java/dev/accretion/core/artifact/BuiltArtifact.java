package dev.accretion.core.artifact;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.FileDigests;
import dev.accretion.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One layer zip, built by Accretion (or prebuilt by someone else) and ready to publish: the
 * archive, its side files, its digests, the targets it serves and what is inside. The one model of
 * a built artifact that the layer pipeline returns and the publisher takes. Immutable apart from
 * the manifest bytes, which are copied in and out.
 *
 * @param zip the layer zip
 * @param manifest the manifest beside it ({@code <base>.json})
 * @param sbom the CycloneDX SBOM beside it ({@code <base>.cdx.json}), or null when there is none (a
 *     prebuilt zip)
 * @param locks the lock file of each target it serves (empty for a prebuilt zip without them)
 * @param runtimes the Lambda runtimes it serves, in runtime-matrix order; not empty
 * @param architectures the architectures it serves ({@code x86_64}, {@code arm64}); not empty
 * @param sha256Hex lowercase hex SHA-256 of the zip
 * @param codeSha256 the same digest as Lambda reports it ({@code CodeSha256}: base64)
 * @param contentDigest the compression-independent content digest (see {@code
 *     ReproducibleZipWriter}), or empty when unknown
 * @param zippedBytes the size of the zip
 * @param unzippedBytes the total size of the files in the zip, or -1 when unknown
 * @param budgetBytes the unzipped budget it was checked against (262,144,000 minus the reserve), or
 *     -1 when unknown
 * @param packages what is installed, by name
 * @param notes what was left out or merged
 * @param warnings what the user should look at
 * @param manifestJson the manifest's bytes as read or written (published beside the zip)
 */
public record BuiltArtifact(
    Path zip,
    Path manifest,
    Path sbom,
    List<Path> locks,
    List<String> runtimes,
    List<String> architectures,
    String sha256Hex,
    String codeSha256,
    String contentDigest,
    long zippedBytes,
    long unzippedBytes,
    long budgetBytes,
    List<PackageSize> packages,
    List<String> notes,
    List<String> warnings,
    byte[] manifestJson) {

  /** The zip size above which Lambda needs the layer uploaded through S3 (50 MiB). */
  public static final long DIRECT_UPLOAD_BYTES = 50L * 1024 * 1024;

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public BuiltArtifact {
    Objects.requireNonNull(zip, "zip");
    Objects.requireNonNull(manifest, "manifest");
    locks = List.copyOf(locks);
    runtimes = List.copyOf(new LinkedHashSet<>(runtimes));
    architectures = List.copyOf(new LinkedHashSet<>(architectures));
    if (runtimes.isEmpty() || architectures.isEmpty()) {
      throw new IllegalArgumentException(zip + ": an artifact serves at least one target");
    }
    Objects.requireNonNull(sha256Hex, "sha256Hex");
    if (!HEX.matcher(sha256Hex).matches()) {
      throw new IllegalArgumentException("not a lowercase hex sha256: " + sha256Hex);
    }
    Objects.requireNonNull(codeSha256, "codeSha256");
    contentDigest = contentDigest == null ? "" : contentDigest;
    packages = List.copyOf(packages);
    notes = List.copyOf(notes);
    warnings = List.copyOf(warnings);
    manifestJson = Objects.requireNonNull(manifestJson, "manifestJson").clone();
  }

  /**
   * A prebuilt zip known by its digest and manifest alone (sizes unknown, no side files): for
   * callers that have a zip from elsewhere.
   */
  public static BuiltArtifact of(
      Path zip,
      String sha256Hex,
      String contentDigest,
      byte[] manifestJson,
      List<String> runtimes,
      List<String> architectures) {
    return new BuiltArtifact(
        zip,
        manifestPath(zip),
        null,
        List.of(),
        runtimes,
        architectures,
        sha256Hex,
        codeSha256(sha256Hex),
        contentDigest,
        -1,
        -1,
        -1,
        List.of(),
        List.of(),
        List.of(),
        manifestJson);
  }

  /**
   * One installed package and its share of the layer.
   *
   * @param name the name as its ecosystem normalizes it
   * @param version the version
   * @param unzippedBytes the size of its installed files, or 0 when the manifest does not say
   * @param files how many files it installed, or 0 when the manifest does not say
   */
  public record PackageSize(String name, String version, long unzippedBytes, int files) {
    public PackageSize {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(version, "version");
    }
  }

  @Override
  public byte[] manifestJson() {
    return manifestJson.clone();
  }

  /** Whether the zip is over Lambda's 50 MiB direct-upload limit (publish through S3). */
  public boolean needsS3Upload() {
    return zippedBytes > DIRECT_UPLOAD_BYTES;
  }

  /** The manifest a build writes beside a zip: {@code dist/x.zip} → {@code dist/x.json}. */
  public static Path manifestPath(Path zip) {
    String name = zip.getFileName().toString();
    String stem = name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
    return zip.resolveSibling(stem + ".json");
  }

  /** Lambda's {@code CodeSha256}: the base64 of the digest given in hex. */
  public static String codeSha256(String sha256Hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex));
  }

  /**
   * Reads a zip and the manifest beside it ({@link #manifestPath}). Accretion's manifests (schema
   * v1 and v2) give everything; a manifest written by hand needs only {@code packages} (objects
   * with string {@code name} and {@code version}) and the targets: the runtimes from {@code
   * runtimes}, {@code artifact.runtimes}, {@code targets.runtimes}, {@code targets[].runtime} or
   * {@code target.runtime} (the first present), the architectures the same way. The digest comes
   * from {@code artifact.sha256}, else it is computed from the zip; sizes and side files the
   * manifest does not give are unknown (-1, null, empty).
   *
   * @throws AccretionException if the zip or its manifest is missing or unreadable ({@link
   *     FailureKind#NOT_FOUND}), or the manifest is not JSON or lacks packages, runtimes or
   *     architectures ({@link FailureKind#BAD_INPUT})
   */
  public static BuiltArtifact read(Path zip) throws AccretionException {
    if (!Files.isRegularFile(zip)) {
      throw new AccretionException(
          FailureKind.NOT_FOUND, "layer zip " + zip + " does not exist; build the layer first");
    }
    Path manifestFile = manifestPath(zip);
    byte[] manifest;
    try {
      manifest = Files.readAllBytes(manifestFile);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.NOT_FOUND,
          "layer zip "
              + zip
              + " has no readable manifest beside it ("
              + manifestFile
              + ": "
              + e.getMessage()
              + "); the build writes it: rebuild the layer, or write one with \"packages\","
              + " \"runtimes\" and \"architectures\"",
          e);
    }
    return read(zip, manifestFile, manifest);
  }

  /**
   * As {@link #read(Path)}, from manifest bytes already in hand ({@code manifestFile} names where
   * they are, for messages and side files).
   */
  public static BuiltArtifact read(Path zip, Path manifestFile, byte[] manifest)
      throws AccretionException {
    Manifest m = Manifest.parse(manifest, manifestFile.toString());
    List<String> runtimes = m.targets("runtimes", "runtime");
    List<String> architectures = m.targets("architectures", "architecture");
    List<String> missing = new ArrayList<>();
    if (runtimes.isEmpty()) {
      missing.add("runtimes");
    }
    if (architectures.isEmpty()) {
      missing.add("architectures");
    }
    if (!missing.isEmpty()) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "manifest "
              + manifestFile
              + " does not say which "
              + String.join(" and ", missing)
              + " the zip serves (e.g. \"runtimes\": [\"python3.12\"], \"architectures\":"
              + " [\"x86_64\"]); rebuild the layer with Accretion");
    }
    Map<String, Json.Node> artifact = m.object(m.root(), "artifact");
    String sha256 = Manifest.string(artifact, "sha256", "");
    if (!HEX.matcher(sha256).matches()) {
      sha256 = sha256Hex(zip);
    }
    String codeSha256 = Manifest.string(artifact, "codeSha256", "");
    if (codeSha256.isEmpty()) {
      codeSha256 = codeSha256(sha256);
    }
    String contentDigest =
        Manifest.string(artifact, "contentDigest", Manifest.string(m.root(), "contentDigest", ""));
    long zipped = Manifest.number(artifact, "zippedBytes", -1);
    if (zipped < 0) {
      try {
        zipped = Files.size(zip);
      } catch (IOException e) {
        zipped = -1;
      }
    }
    long unzipped =
        Manifest.number(
            artifact,
            "unzippedBytes",
            Manifest.number(m.object(m.root(), "sizes"), "unzippedBytes", -1));
    long budget = Manifest.number(m.object(m.root(), "budget"), "budgetBytes", -1);
    List<PackageSize> packages = new ArrayList<>();
    for (Map<String, Json.Node> p : m.packages()) {
      packages.add(
          new PackageSize(
              Manifest.string(p, "name", ""),
              Manifest.string(p, "version", ""),
              Manifest.number(p, "unzippedBytes", 0),
              (int) Manifest.number(p, "files", 0)));
    }
    Map<String, Json.Node> files = m.object(m.root(), "files");
    String sbomName = Manifest.string(files, "sbom", "");
    Path sbom = sbomName.isEmpty() || !safeFileName(sbomName) ? null : zip.resolveSibling(sbomName);
    List<Path> locks = new ArrayList<>();
    for (String lock : Manifest.strings(files.get("locks"))) {
      if (safeFileName(lock)) {
        locks.add(zip.resolveSibling(lock));
      }
    }
    return new BuiltArtifact(
        zip,
        manifestFile,
        sbom,
        locks,
        runtimes,
        architectures,
        sha256,
        codeSha256,
        contentDigest,
        zipped,
        unzipped,
        budget,
        packages,
        Manifest.strings(m.root().get("notes")),
        Manifest.strings(m.root().get("warnings")),
        manifest);
  }

  /**
   * This artifact published for only some of its targets: {@code runtimes} and {@code
   * architectures} (null or empty: all of the artifact's) must be among the ones it serves.
   *
   * @throws AccretionException ({@link FailureKind#CONFLICT}) naming each runtime or architecture
   *     the zip was not built for
   */
  public BuiltArtifact restrictTo(List<String> onlyRuntimes, List<String> onlyArchitectures)
      throws AccretionException {
    List<String> problems = new ArrayList<>();
    List<String> r = restrict(runtimes, onlyRuntimes, "runtime", problems);
    List<String> a = restrict(architectures, onlyArchitectures, "architecture", problems);
    if (!problems.isEmpty()) {
      throw new AccretionException(
          FailureKind.CONFLICT,
          "layer zip "
              + zip.getFileName()
              + " was built for "
              + String.join(", ", runtimes)
              + " on "
              + String.join(", ", architectures)
              + ": "
              + String.join("; ", problems)
              + "; rebuild it for those targets or publish only what it serves");
    }
    return new BuiltArtifact(
        zip,
        manifest,
        sbom,
        locks,
        r,
        a,
        sha256Hex,
        codeSha256,
        contentDigest,
        zippedBytes,
        unzippedBytes,
        budgetBytes,
        packages,
        notes,
        warnings,
        manifestJson);
  }

  private static List<String> restrict(
      List<String> served, List<String> wanted, String what, List<String> problems) {
    if (wanted == null || wanted.isEmpty()) {
      return served;
    }
    for (String w : wanted) {
      if (!served.contains(w)) {
        problems.add("it does not serve " + what + " " + w);
      }
    }
    return wanted;
  }

  private static String sha256Hex(Path file) throws AccretionException {
    try {
      return FileDigests.sha256Hex(file);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.NOT_FOUND, "cannot read layer zip " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean safeFileName(String name) {
    return !name.isEmpty()
        && !name.contains("/")
        && !name.contains("\\")
        && !name.equals(".")
        && !name.equals("..")
        && name.chars().noneMatch(c -> c < 0x20);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BuiltArtifact other
        && zip.equals(other.zip)
        && manifest.equals(other.manifest)
        && Objects.equals(sbom, other.sbom)
        && locks.equals(other.locks)
        && runtimes.equals(other.runtimes)
        && architectures.equals(other.architectures)
        && sha256Hex.equals(other.sha256Hex)
        && codeSha256.equals(other.codeSha256)
        && contentDigest.equals(other.contentDigest)
        && zippedBytes == other.zippedBytes
        && unzippedBytes == other.unzippedBytes
        && budgetBytes == other.budgetBytes
        && packages.equals(other.packages)
        && notes.equals(other.notes)
        && warnings.equals(other.warnings)
        && Arrays.equals(manifestJson, other.manifestJson);
  }

  @Override
  public int hashCode() {
    return Objects.hash(zip, sha256Hex, runtimes, architectures);
  }

  @Override
  public String toString() {
    return "BuiltArtifact["
        + zip
        + " sha256:"
        + sha256Hex
        + " "
        + runtimes
        + " "
        + architectures
        + "]";
  }

  /** A manifest's JSON, read with the JDK-only reader (no Jackson on this path). */
  private record Manifest(Map<String, Json.Node> root, List<Map<String, Json.Node>> packages) {

    @SuppressWarnings("unchecked")
    static Manifest parse(byte[] bytes, String source) throws AccretionException {
      Json.Node node;
      try {
        String text = new String(bytes, StandardCharsets.UTF_8);
        node = Json.parse(text.startsWith("\uFEFF") ? text.substring(1) : text);
      } catch (Json.SyntaxError e) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            "manifest " + source + " is not valid JSON: " + e.getMessage() + " at " + e.position);
      }
      if (!(node.value() instanceof Map<?, ?> map)
          || !(((Map<String, Json.Node>) map).get("packages") instanceof Json.Node p)
          || !(p.value() instanceof List<?>)) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            "manifest " + source + " has no \"packages\" array; rebuild the layer with Accretion");
      }
      Map<String, Json.Node> root = (Map<String, Json.Node>) map;
      List<Map<String, Json.Node>> packages = new ArrayList<>();
      int i = 0;
      for (Json.Node item : (List<Json.Node>) root.get("packages").value()) {
        if (!(item.value() instanceof Map<?, ?> pkg)
            || !(stringOrNull((Map<String, Json.Node>) pkg, "name") != null)
            || stringOrNull((Map<String, Json.Node>) pkg, "version") == null) {
          throw new AccretionException(
              FailureKind.BAD_INPUT,
              "manifest " + source + ": packages[" + i + "] needs string \"name\" and \"version\"");
        }
        packages.add((Map<String, Json.Node>) pkg);
        i++;
      }
      return new Manifest(root, packages);
    }

    @SuppressWarnings("unchecked")
    Map<String, Json.Node> object(Map<String, Json.Node> in, String key) {
      Json.Node n = in.get(key);
      return n != null && n.value() instanceof Map<?, ?> m ? (Map<String, Json.Node>) m : Map.of();
    }

    /** Targets from the places {@link BuiltArtifact#read} lists, in that order. */
    @SuppressWarnings("unchecked")
    List<String> targets(String plural, String singular) {
      if (root.get(plural) != null && root.get(plural).value() instanceof List<?>) {
        return strings(root.get(plural));
      }
      Json.Node fromArtifact = object(root, "artifact").get(plural);
      if (fromArtifact != null && fromArtifact.value() instanceof List<?>) {
        return strings(fromArtifact);
      }
      Json.Node targets = root.get("targets");
      if (targets != null && targets.value() instanceof Map<?, ?> t) {
        Json.Node list = ((Map<String, Json.Node>) t).get(plural);
        if (list != null && list.value() instanceof List<?>) {
          return strings(list);
        }
      }
      Set<String> out = new LinkedHashSet<>();
      if (targets != null && targets.value() instanceof List<?> list) {
        for (Json.Node t : (List<Json.Node>) list) {
          if (t.value() instanceof Map<?, ?> target) {
            String s = stringOrNull((Map<String, Json.Node>) target, singular);
            if (s != null) {
              out.add(s);
            }
          }
        }
      }
      String single = stringOrNull(object(root, "target"), singular);
      if (single != null) {
        out.add(single);
      }
      return List.copyOf(out);
    }

    static String stringOrNull(Map<String, Json.Node> in, String key) {
      Json.Node n = in.get(key);
      return n != null && n.value() instanceof String s ? s : null;
    }

    static String string(Map<String, Json.Node> in, String key, String otherwise) {
      String s = stringOrNull(in, key);
      return s == null ? otherwise : s;
    }

    static long number(Map<String, Json.Node> in, String key, long otherwise) {
      Json.Node n = in.get(key);
      if (n != null && n.value() instanceof Json.JsonNumber number) {
        try {
          return Long.parseLong(number.text());
        } catch (NumberFormatException e) {
          return otherwise;
        }
      }
      return otherwise;
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Json.Node node) {
      List<String> out = new ArrayList<>();
      if (node != null && node.value() instanceof List<?> list) {
        for (Json.Node n : (List<Json.Node>) list) {
          if (n.value() instanceof String s) {
            out.add(s);
          }
        }
      }
      return out;
    }
  }
}
