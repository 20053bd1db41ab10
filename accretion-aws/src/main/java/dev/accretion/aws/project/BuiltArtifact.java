package dev.accretion.aws.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.aws.LayerManifest;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A built layer zip ready to publish: the archive, its digests, its manifest and the targets it
 * serves.
 *
 * <ul>
 *   <li>{@code zip}: the archive; {@code sha256Hex} its lower-case hex SHA-256 (checked against the
 *       file again before publishing); {@code contentDigest} the build's compression-independent
 *       content digest, or empty when unknown.
 *   <li>{@code manifestJson}: the manifest as the build wrote it beside the zip (a JSON object with
 *       a {@code packages} array of {@code {"name","version"}}); stored beside the archive in the
 *       staging bucket and read back by {@code describe} and {@code diff}.
 *   <li>{@code runtimes}, {@code architectures}: every Lambda runtime and architecture the zip
 *       serves (not empty, no duplicates).
 * </ul>
 *
 * Immutable apart from the manifest array, which is copied in and out.
 */
public record BuiltArtifact(
    Path zip,
    String sha256Hex,
    String contentDigest,
    byte[] manifestJson,
    List<String> runtimes,
    List<String> architectures) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public BuiltArtifact {
    if (zip == null || sha256Hex == null || manifestJson == null) {
      throw new IllegalArgumentException("zip, sha256Hex and manifestJson are required");
    }
    contentDigest = contentDigest == null ? "" : contentDigest;
    manifestJson = manifestJson.clone();
    runtimes = List.copyOf(new LinkedHashSet<>(runtimes));
    architectures = List.copyOf(new LinkedHashSet<>(architectures));
    if (runtimes.isEmpty() || architectures.isEmpty()) {
      throw new IllegalArgumentException(zip + ": an artifact serves at least one target");
    }
  }

  @Override
  public byte[] manifestJson() {
    return manifestJson.clone();
  }

  /** The manifest the build writes beside a zip: {@code dist/x.zip} → {@code dist/x.json}. */
  public static Path manifestPath(Path zip) {
    String name = zip.getFileName().toString();
    String stem = name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
    return zip.resolveSibling(stem + ".json");
  }

  /**
   * Reads a prebuilt zip and the manifest beside it ({@link #manifestPath}). From the manifest:
   * {@code packages} (required), the runtimes from {@code runtimes}, {@code artifact.runtimes},
   * {@code targets[].runtime} or {@code target.runtime} (the first present), the architectures the
   * same way ({@code architectures}, ...), and from its {@code artifact} section {@code sha256} and
   * {@code contentDigest} when present. Without {@code artifact.sha256} the digest is computed from
   * the zip.
   *
   * @throws AccretionException if the zip or its manifest is missing or unreadable, or the manifest
   *     lacks packages, runtimes or architectures
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
          FailureKind.BAD_INPUT,
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
    LayerManifest.parse(manifest, manifestFile.toString());
    JsonNode root;
    try {
      root = JSON.readTree(manifest);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT, "manifest " + manifestFile + " is not JSON", e);
    }
    List<String> runtimes = targets(root, "runtimes", "runtime");
    List<String> architectures = targets(root, "architectures", "architecture");
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
    JsonNode artifact = root.path("artifact");
    String sha256 = artifact.path("sha256").asText("");
    if (!HEX.matcher(sha256).matches()) {
      sha256 = sha256Hex(zip);
    }
    String contentDigest =
        artifact.path("contentDigest").asText(root.path("contentDigest").asText(""));
    return new BuiltArtifact(zip, sha256, contentDigest, manifest, runtimes, architectures);
  }

  private static List<String> targets(JsonNode root, String plural, String singular) {
    Function<JsonNode, List<String>> strings =
        node -> {
          List<String> out = new ArrayList<>();
          node.forEach(
              n -> {
                if (n.isTextual()) {
                  out.add(n.asText());
                }
              });
          return out;
        };
    if (root.path(plural).isArray()) {
      return strings.apply(root.get(plural));
    }
    if (root.path("artifact").path(plural).isArray()) {
      return strings.apply(root.get("artifact").get(plural));
    }
    // the layer build's manifest: "targets": {"runtimes": [...], "architectures": [...]}
    if (root.path("targets").path(plural).isArray()) {
      return strings.apply(root.get("targets").get(plural));
    }
    Set<String> out = new LinkedHashSet<>();
    if (root.path("targets").isArray()) {
      root.get("targets").forEach(t -> addText(t.path(singular), out));
    }
    addText(root.path("target").path(singular), out);
    return List.copyOf(out);
  }

  private static void addText(JsonNode node, Set<String> out) {
    if (node.isTextual()) {
      out.add(node.asText());
    }
  }

  /**
   * This artifact published for only some of its targets: {@code runtimes} and {@code
   * architectures} (null or empty: all of the artifact's) must be among the ones it serves.
   *
   * @throws AccretionException naming each runtime or architecture the zip was not built for
   */
  public BuiltArtifact restrictTo(List<String> onlyRuntimes, List<String> onlyArchitectures)
      throws AccretionException {
    List<String> problems = new ArrayList<>();
    List<String> r = restrict(runtimes, onlyRuntimes, "runtime", problems);
    List<String> a = restrict(architectures, onlyArchitectures, "architecture", problems);
    if (!problems.isEmpty()) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
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
    return new BuiltArtifact(zip, sha256Hex, contentDigest, manifestJson, r, a);
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

  static String sha256Hex(Path file) throws AccretionException {
    try {
      return dev.accretion.core.FileDigests.sha256Hex(file);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT, "cannot read layer zip " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BuiltArtifact other
        && zip.equals(other.zip)
        && sha256Hex.equals(other.sha256Hex)
        && contentDigest.equals(other.contentDigest)
        && java.util.Arrays.equals(manifestJson, other.manifestJson)
        && runtimes.equals(other.runtimes)
        && architectures.equals(other.architectures);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(zip, sha256Hex, runtimes, architectures);
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
}
