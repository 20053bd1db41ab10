package dev.accretion.aws;

import dev.accretion.core.AccretionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Checks a {@link PublishRequest} against Lambda's documented limits before anything touches AWS:
 * every problem is reported at once, in one {@link AccretionException}, so a bad request never
 * leaves half its regions published.
 *
 * <p>Limits (Lambda API reference, PublishLayerVersion and quotas): LayerName {@code
 * [a-zA-Z0-9-_]+}, 1 to 140 characters (an ARN is also accepted by the API but not here);
 * Description at most 256 characters including Accretion's marker; LicenseInfo at most 512; at most
 * 15 CompatibleRuntimes, each a runtime the SDK knows; CompatibleArchitectures from {@code x86_64}
 * and {@code arm64}; the unzipped layer at most 262,144,000 bytes (250 MiB). Archives are always
 * staged in S3, so the 50 MB limit of direct uploads does not apply.
 */
public final class PublishValidation {
  /** Lambda's limit on a layer's unzipped size, in bytes. */
  public static final long MAX_UNZIPPED_BYTES = 262_144_000L;

  /** Lambda's limit on the number of CompatibleRuntimes. */
  public static final int MAX_RUNTIMES = 15;

  /** Lambda's limit on LicenseInfo. */
  public static final int MAX_LICENSE_INFO = 512;

  /** Lambda's limit on LayerName. */
  public static final int MAX_LAYER_NAME = 140;

  private static final Pattern LAYER_NAME = Pattern.compile("[a-zA-Z0-9_-]+");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Set<String> ARCHITECTURES = Set.of("x86_64", "arm64");
  // Bucket naming rules of S3 (general purpose buckets), simplified to what a pattern can break.
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private PublishValidation() {}

  /**
   * Checks the request.
   *
   * @param regions the regions to publish to, already resolved (never empty)
   * @throws AccretionException naming every problem and what to do
   */
  public static void check(PublishRequest request, List<String> regions) throws AccretionException {
    List<String> problems = new ArrayList<>();
    checkLayerName(request.layerName(), problems);
    if (!HEX.matcher(request.sha256Hex()).matches()) {
      problems.add(
          "sha256 '"
              + request.sha256Hex()
              + "' is not 64 lower-case hex digits (the zip's SHA-256)");
    }
    if (request.description().length() > VersionMarker.MAX_USER_DESCRIPTION) {
      problems.add(descriptionProblem(request.description()));
    }
    if (request.licenseInfo() != null && request.licenseInfo().length() > MAX_LICENSE_INFO) {
      problems.add(
          "license info is "
              + request.licenseInfo().length()
              + " characters; Lambda allows at most 512 (use an SPDX id or a URL)");
    }
    checkRuntimes(request.compatibleRuntimes(), problems);
    checkArchitectures(request.compatibleArchitectures(), problems);
    checkRegions(regions, problems);
    checkBucketPattern(request.stagingBucketPattern(), regions, problems);
    if (request.ssmParameterName() != null) {
      checkSsmParameter(request.ssmParameterName(), request.compatibleRuntimes(), problems);
    }
    try {
      LayerManifest.parse(request.manifestJson(), "of layer " + request.layerName());
    } catch (AccretionException e) {
      problems.add(e.getMessage());
    }
    checkArchive(request.zip(), request.sha256Hex(), problems);
    if (!problems.isEmpty()) {
      throw new AccretionException(
          "cannot publish layer '"
              + request.layerName()
              + "': "
              + String.join("; ", problems)
              + (problems.size() > 1 ? " (" + problems.size() + " problems)" : ""));
    }
  }

  /** Checks a layer name alone (for read commands). */
  public static void checkLayerName(String name) throws AccretionException {
    List<String> problems = new ArrayList<>();
    checkLayerName(name, problems);
    if (!problems.isEmpty()) {
      throw new AccretionException(problems.get(0));
    }
  }

  /** Checks a region name alone against the SDK's list of real regions. */
  public static void checkRegion(String region) throws AccretionException {
    List<String> problems = new ArrayList<>();
    checkRegions(List.of(region), problems);
    if (!problems.isEmpty()) {
      throw new AccretionException(problems.get(0));
    }
  }

  /** Checks one runtime identifier against the SDK's list of Lambda runtimes. */
  public static void checkRuntime(String runtime) throws AccretionException {
    List<String> problems = new ArrayList<>();
    checkRuntimes(List.of(runtime), problems);
    if (!problems.isEmpty()) {
      throw new AccretionException(problems.get(0));
    }
  }

  /** Checks one architecture name ({@code x86_64} or {@code arm64}). */
  public static void checkArchitecture(String architecture) throws AccretionException {
    List<String> problems = new ArrayList<>();
    checkArchitectures(List.of(architecture), problems);
    if (!problems.isEmpty()) {
      throw new AccretionException(problems.get(0));
    }
  }

  /**
   * Checks an SSM parameter name pattern (PutParameter's Name, with the placeholders of {@link
   * SsmParameterNames}).
   */
  public static void checkSsmParameter(String name) throws AccretionException {
    SsmParameterNames.check(name);
  }

  /**
   * Checks a staging bucket pattern: it must contain {@code {region}} and give valid S3 bucket
   * names for the regions (us-east-1 and ap-southeast-1 when none are given).
   */
  public static void checkStagingBucketPattern(String pattern, List<String> regions)
      throws AccretionException {
    List<String> problems = new ArrayList<>();
    checkBucketPattern(
        pattern, regions.isEmpty() ? List.of("us-east-1", "ap-southeast-1") : regions, problems);
    if (!problems.isEmpty()) {
      throw new AccretionException(problems.get(0));
    }
  }

  /** Checks a description (the user's part) against what is left of Lambda's 256 characters. */
  public static void checkDescription(String description) throws AccretionException {
    if (description.length() > VersionMarker.MAX_USER_DESCRIPTION) {
      throw new AccretionException(descriptionProblem(description));
    }
  }

  private static String descriptionProblem(String description) {
    return "description is "
        + description.length()
        + " characters; Lambda allows 256 and Accretion's marker takes "
        + VersionMarker.MARKER_LENGTH
        + ", so shorten it to at most "
        + VersionMarker.MAX_USER_DESCRIPTION;
  }

  private static void checkSsmParameter(String name, List<String> runtimes, List<String> problems) {
    String problem = SsmParameterNames.problem(name);
    if (problem != null) {
      problems.add(problem);
    } else if (name.contains(SsmParameterNames.RUNTIME) && runtimes.isEmpty()) {
      problems.add(
          "SSM parameter name '"
              + name
              + "' uses "
              + SsmParameterNames.RUNTIME
              + " but the layer lists no runtimes: give the runtimes, or drop the placeholder");
    }
  }

  private static void checkLayerName(String name, List<String> problems) {
    if (name.isEmpty() || name.length() > MAX_LAYER_NAME) {
      problems.add(
          "layer name '"
              + name
              + "' is "
              + name.length()
              + " characters; Lambda allows 1 to "
              + MAX_LAYER_NAME);
    } else if (!LAYER_NAME.matcher(name).matches()) {
      problems.add(
          "layer name '"
              + name
              + "' may contain only letters, digits, '-' and '_' (Lambda's LayerName pattern)");
    }
  }

  private static void checkRuntimes(List<String> runtimes, List<String> problems) {
    if (runtimes.size() > MAX_RUNTIMES) {
      problems.add(
          runtimes.size()
              + " compatible runtimes given; Lambda allows at most 15: split the layer by runtime");
    }
    Set<String> seen = new HashSet<>();
    for (String runtime : runtimes) {
      if (Runtime.fromValue(runtime) == Runtime.UNKNOWN_TO_SDK_VERSION) {
        problems.add(
            "runtime '" + runtime + "' is not a Lambda runtime identifier (like python3.12)");
      }
      if (!seen.add(runtime)) {
        problems.add("runtime '" + runtime + "' is listed twice");
      }
    }
  }

  private static void checkArchitectures(List<String> architectures, List<String> problems) {
    Set<String> seen = new HashSet<>();
    for (String arch : architectures) {
      if (!ARCHITECTURES.contains(arch)) {
        problems.add(
            "architecture '" + arch + "' is not one of Lambda's: x86_64, arm64 (aarch64 is arm64)");
      }
      if (!seen.add(arch)) {
        problems.add("architecture '" + arch + "' is listed twice");
      }
    }
  }

  private static void checkRegions(List<String> regions, List<String> problems) {
    Set<String> known = new HashSet<>();
    for (Region r : Region.regions()) {
      if (!r.isGlobalRegion()) {
        known.add(r.id());
      }
    }
    Set<String> seen = new HashSet<>();
    for (String region : regions) {
      if (!known.contains(region)) {
        problems.add(
            "region '" + region + "' is not an AWS region name (like us-east-1 or eu-west-1)");
      }
      if (!seen.add(region)) {
        problems.add("region '" + region + "' is listed twice");
      }
    }
  }

  private static void checkBucketPattern(
      String pattern, List<String> regions, List<String> problems) {
    if (!pattern.contains("{region}")) {
      // Lambda reads the archive from a bucket in the same region as the layer.
      problems.add(
          "staging bucket pattern '"
              + pattern
              + "' has no {region}: each region needs its own bucket");
      return;
    }
    for (String region : regions) {
      String name = StagingBucket.name(pattern, "123456789012", region);
      if (!BUCKET.matcher(name).matches() || name.contains("..")) {
        problems.add(
            "staging bucket pattern '"
                + pattern
                + "' gives '"
                + name
                + "', not a valid S3 bucket name (3-63 of a-z 0-9 . -)");
        return;
      }
    }
  }

  private static void checkArchive(Path zip, String sha256Hex, List<String> problems) {
    if (!Files.isRegularFile(zip)) {
      problems.add("layer archive " + zip + " does not exist; build the layer first");
      return;
    }
    long unzipped = 0;
    try (ZipFile file = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        long size = entries.nextElement().getSize();
        unzipped += Math.max(size, 0);
      }
    } catch (IOException e) {
      problems.add("layer archive " + zip + " is not a readable zip: " + e.getMessage());
      return;
    }
    if (unzipped > MAX_UNZIPPED_BYTES) {
      problems.add(
          "layer archive "
              + zip
              + " unzips to "
              + unzipped
              + " bytes; Lambda allows 262144000 (250 MiB) for a function and all its layers:"
              + " split it into several layers or side-load the largest packages");
    }
    String actual = sha256Hex(zip, problems);
    if (actual != null && !actual.equals(sha256Hex)) {
      problems.add(
          "layer archive "
              + zip
              + " has sha256 "
              + actual
              + ", not the "
              + sha256Hex
              + " given; it changed after the build: rebuild it");
    }
  }

  static String sha256Hex(Path file, List<String> problems) {
    try {
      return dev.accretion.core.FileDigests.sha256Hex(file);
    } catch (IOException e) {
      problems.add("cannot read layer archive " + file + ": " + e.getMessage());
      return null;
    }
  }
}
