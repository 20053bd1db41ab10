package dev.accretion.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A build manifest as the publisher sees it: the raw JSON (kept byte for byte) and the packages it
 * lists. Only {@code packages[].name} and {@code packages[].version} are interpreted; everything
 * else is opaque. Immutable.
 */
public record LayerManifest(String json, List<PackageVersion> packages) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public LayerManifest {
    packages = List.copyOf(packages);
  }

  /**
   * Parses manifest JSON.
   *
   * @throws AccretionException if the bytes are not a JSON object with a {@code packages} array of
   *     objects that each have string {@code name} and {@code version}
   */
  public static LayerManifest parse(byte[] json, String source) throws AccretionException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT, "manifest " + source + " is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject() || !root.path("packages").isArray()) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "manifest " + source + " has no \"packages\" array; rebuild the layer with Accretion");
    }
    List<PackageVersion> packages = new ArrayList<>();
    int i = 0;
    for (JsonNode p : root.get("packages")) {
      if (!p.path("name").isTextual() || !p.path("version").isTextual()) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            "manifest "
                + source
                + ": packages["
                + i
                + "] needs string \"name\" and \"version\", found "
                + p);
      }
      packages.add(new PackageVersion(p.get("name").asText(), p.get("version").asText()));
      i++;
    }
    return new LayerManifest(new String(json, StandardCharsets.UTF_8), packages);
  }
}
