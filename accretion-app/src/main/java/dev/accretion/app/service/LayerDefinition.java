package dev.accretion.app.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A managed layer as the service receives it: the fields of a layer of {@code accretion.toml}, with
 * the listing given as text instead of a path. Checked by {@link DefineLayer}. Immutable.
 *
 * @param name the layer name ({@code [a-zA-Z0-9_-]}, at most 140 characters)
 * @param listingFilename the listing's file name, which chooses the builder ({@code
 *     requirements.txt}, {@code package-lock.json}, {@code pom.xml}, ...)
 * @param listingContent the listing's text
 * @param targets every runtime × architecture pair to build for
 * @param regions the regions to publish to (at least one)
 * @param sharing {@code private}, {@code public}, account ids, {@code org:o-...}; empty: private
 * @param description the layer version description, or null
 * @param license the LicenseInfo, or null
 * @param sns announce new versions on the layer's SNS topic, or null
 * @param builder the builder id asked for, or null to choose by the listing's file name
 * @param schedule the rebuild schedule of the service ({@code daily}, {@code weekly}, {@code
 *     monthly} or a cron expression, UTC; see {@link dev.accretion.core.LayerSchedule}), or null
 */
public record LayerDefinition(
    String name,
    String listingFilename,
    String listingContent,
    List<Target> targets,
    List<String> regions,
    List<String> sharing,
    String description,
    String license,
    Boolean sns,
    String builder,
    String schedule) {
  /** A definition without a schedule. */
  public LayerDefinition(
      String name,
      String listingFilename,
      String listingContent,
      List<Target> targets,
      List<String> regions,
      List<String> sharing,
      String description,
      String license,
      Boolean sns,
      String builder) {
    this(
        name,
        listingFilename,
        listingContent,
        targets,
        regions,
        sharing,
        description,
        license,
        sns,
        builder,
        null);
  }

  public LayerDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(listingFilename, "listingFilename");
    Objects.requireNonNull(listingContent, "listingContent");
    targets = List.copyOf(targets);
    regions = List.copyOf(regions);
    sharing = List.copyOf(sharing);
  }

  /** One target: a runtime ({@code python3.12}) and an architecture ({@code x86_64}, arm64). */
  public record Target(String runtime, String arch) {
    public Target {
      Objects.requireNonNull(runtime, "runtime");
      Objects.requireNonNull(arch, "arch");
    }
  }

  /** The runtimes of the targets, in order, each once. */
  public List<String> runtimes() {
    List<String> out = new ArrayList<>();
    for (Target t : targets) {
      if (!out.contains(t.runtime())) {
        out.add(t.runtime());
      }
    }
    return out;
  }

  /** The architectures of the targets, in order, each once. */
  public List<String> architectures() {
    List<String> out = new ArrayList<>();
    for (Target t : targets) {
      if (!out.contains(t.arch())) {
        out.add(t.arch());
      }
    }
    return out;
  }

  /** This with another name. */
  public LayerDefinition withName(String newName) {
    return new LayerDefinition(
        newName,
        listingFilename,
        listingContent,
        targets,
        regions,
        sharing,
        description,
        license,
        sns,
        builder,
        schedule);
  }

  /**
   * The API's document: {@code {"name", "listing": {"filename", "content"}, "targets": [{"runtime",
   * "arch"}], "regions", "sharing", "description", "license", "sns", "builder", "schedule"}} (null
   * fields left out).
   */
  public Map<String, Object> tree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    Map<String, Object> listing = new LinkedHashMap<>();
    listing.put("filename", listingFilename);
    listing.put("content", listingContent);
    m.put("listing", listing);
    List<Map<String, Object>> ts = new ArrayList<>();
    for (Target t : targets) {
      Map<String, Object> tm = new LinkedHashMap<>();
      tm.put("runtime", t.runtime());
      tm.put("arch", t.arch());
      ts.add(tm);
    }
    m.put("targets", ts);
    m.put("regions", regions);
    m.put("sharing", sharing);
    if (description != null) {
      m.put("description", description);
    }
    if (license != null) {
      m.put("license", license);
    }
    if (sns != null) {
      m.put("sns", sns);
    }
    if (builder != null) {
      m.put("builder", builder);
    }
    if (schedule != null) {
      m.put("schedule", schedule);
    }
    return m;
  }
}
