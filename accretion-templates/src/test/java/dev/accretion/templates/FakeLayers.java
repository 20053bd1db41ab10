package dev.accretion.templates;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Published layers held in memory, counting the questions asked. */
final class FakeLayers implements LayerVersions {
  static final String ACCOUNT = "123456789012";
  final Map<String, List<Version>> versions = new LinkedHashMap<>();
  final List<String> asked = new ArrayList<>();

  /** Adds a version (call newest last). */
  FakeLayers add(String region, String layer, long version, String runtime, String arch) {
    String arn = "arn:aws:lambda:" + region + ":" + ACCOUNT + ":layer:" + layer + ":" + version;
    versions
        .computeIfAbsent(region + "/" + layer, k -> new ArrayList<>())
        .add(0, new Version(version, arn, List.of(runtime), List.of(arch)));
    return this;
  }

  @Override
  public String account(String region) {
    return ACCOUNT;
  }

  @Override
  public List<Version> managedVersions(String region, String layer) {
    asked.add(region + "/" + layer);
    return versions.getOrDefault(region + "/" + layer, List.of());
  }

  @Override
  public String placeholderArn(String region, String layer, String runtime, String arch)
      throws AccretionException {
    List<Version> all = versions.get(region + "/" + layer);
    if (all == null) {
      throw new AccretionException(
          FailureKind.NOT_FOUND, "layer " + layer + " has no versions in " + region);
    }
    return all.get(0).layerVersionArn();
  }
}
