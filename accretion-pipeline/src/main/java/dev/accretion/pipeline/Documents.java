package dev.accretion.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.accretion.core.BuilderVersion;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.artifact.BuiltArtifact;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The JSON documents of a layer: the manifest (inside the zip, and beside it with more) and the
 * CycloneDX 1.5 SBOM. All are deterministic: keys sorted, lists in a fixed order, two-space
 * indentation with LF line ends and a final LF, no timestamps.
 *
 * <h2>Manifest ({@value #SCHEMA})</h2>
 *
 * Inside the layer, at {@link LayerNames#manifestPath}, describing only what is installed:
 *
 * <pre>
 * schema       "accretion/layer-manifest/v2"
 * builder      {name: "accretion", version, id: the builder that laid it out ("python")}
 * layer        the layer name
 * language     the targets' language ("python")
 * targets      {runtimes: [...], architectures: [...]}
 * packages     [{name, version, ecosystem, purl, file, sha256, license, licenseIsExpression,
 *                unzippedBytes, files, + the builder's facts (tags, requiresPython)}], by name
 * sizes        {unzippedBytes, files}: every file of the layer except this manifest
 * notes        what was left out, excluded or merged
 * warnings     problems an option turned into warnings
 * + the builder's layer facts ({@code layout} for Python)
 * </pre>
 *
 * Beside the zip ({@code <base>.json}) the same keys plus {@code artifact} (file, sha256,
 * codeSha256, contentDigest, zippedBytes, unzippedBytes, entries, needsS3Upload, manifestPath),
 * {@code budget} (limitBytes, reserveBytes, budgetBytes, share), {@code listing} (path, format,
 * content), {@code files} (sbom, locks), {@code options}, {@code buildWarnings} (what resolving
 * said) and {@code split} (why targets of the build are in other zips). {@code packages[].url},
 * {@code packages[].dependencies} are only beside.
 *
 * <p>Schema v1 (before the pipeline served every language) had no {@code builder.id}, {@code
 * ecosystem} or {@code purl}, and {@code requiresPython} was null where v2 leaves it out; readers
 * ({@link BuiltArtifact#read}, {@code describe}, {@code diff}) take both.
 */
final class Documents {
  /** The manifest schema id. */
  static final String SCHEMA = "accretion/layer-manifest/v2";

  /** Keys the pipeline writes in a package entry; builders' facts may not use them. */
  static final Set<String> PACKAGE_KEYS =
      Set.of(
          "name",
          "version",
          "ecosystem",
          "purl",
          "file",
          "url",
          "sha256",
          "license",
          "licenseIsExpression",
          "unzippedBytes",
          "files",
          "dependencies",
          "requiredBy");

  /** Top-level keys the pipeline writes; builders' layer facts may not use them. */
  static final Set<String> LAYER_KEYS =
      Set.of(
          "schema",
          "builder",
          "layer",
          "language",
          "targets",
          "packages",
          "sizes",
          "notes",
          "warnings",
          "artifact",
          "budget",
          "listing",
          "files",
          "options",
          "buildWarnings",
          "split");

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter()
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(new DefaultIndenter("  ", "\n"));

  private Documents() {}

  /** Serializes maps, lists, strings, numbers and booleans; keys sorted; LF at the end. */
  static byte[] json(Object value) {
    try {
      String text = MAPPER.writer(PRETTY).writeValueAsString(value);
      return (text + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** The manifest's content description (the inside manifest). */
  static Map<String, Object> inside(
      String builderId,
      String layer,
      String language,
      Map<String, Object> layerFacts,
      List<String> runtimes,
      List<String> architectures,
      List<ManifestPackage> packages,
      long unzippedBytes,
      int files,
      List<String> notes,
      List<String> warnings) {
    Map<String, Object> m = new TreeMap<>();
    layerFacts.forEach(
        (k, v) -> {
          if (!LAYER_KEYS.contains(k)) {
            m.put(k, v);
          }
        });
    m.put("schema", SCHEMA);
    m.put("builder", Map.of("name", "accretion", "version", BuilderVersion.get(), "id", builderId));
    m.put("layer", layer);
    m.put("language", language);
    m.put("targets", Map.of("runtimes", runtimes, "architectures", architectures));
    List<Object> list = new ArrayList<>();
    for (ManifestPackage p : packages) {
      list.add(packageMap(p, false));
    }
    m.put("packages", list);
    m.put("sizes", Map.of("unzippedBytes", unzippedBytes, "files", files));
    m.put("notes", notes);
    m.put("warnings", warnings);
    return m;
  }

  private static Map<String, Object> packageMap(ManifestPackage p, boolean beside) {
    Map<String, Object> m = new TreeMap<>();
    p.facts()
        .forEach(
            (k, v) -> {
              if (!PACKAGE_KEYS.contains(k)) {
                m.put(k, v);
              }
            });
    m.put("name", p.name());
    m.put("version", p.version());
    m.put("ecosystem", p.ecosystem());
    m.put("purl", p.purl());
    m.put("file", p.file());
    m.put("sha256", p.sha256());
    m.put("license", p.license());
    m.put("licenseIsExpression", p.licenseIsExpression());
    m.put("unzippedBytes", p.unzippedBytes());
    m.put("files", p.files());
    if (beside) {
      m.put("url", p.url());
      m.put("dependencies", p.dependencies());
    }
    return m;
  }

  /** What the copy beside the zip adds. */
  record Beside(
      String zipFile,
      String sha256,
      String codeSha256,
      String contentDigest,
      long zippedBytes,
      long unzippedBytes,
      int entries,
      String manifestPath,
      long reserveBytes,
      long budgetBytes,
      Path listing,
      String listingFormat,
      String listingContent,
      String sbomFile,
      List<String> lockFiles,
      Map<String, Object> options,
      List<String> buildWarnings,
      List<String> split) {}

  static Map<String, Object> beside(
      Map<String, Object> inside, List<ManifestPackage> packages, Beside b) {
    Map<String, Object> m = new TreeMap<>(inside);
    List<Object> list = new ArrayList<>();
    for (ManifestPackage p : packages) {
      list.add(packageMap(p, true));
    }
    m.put("packages", list);
    Map<String, Object> artifact = new TreeMap<>();
    artifact.put("file", b.zipFile());
    artifact.put("sha256", b.sha256());
    artifact.put("codeSha256", b.codeSha256());
    artifact.put("contentDigest", b.contentDigest());
    artifact.put("zippedBytes", b.zippedBytes());
    artifact.put("unzippedBytes", b.unzippedBytes());
    artifact.put("entries", b.entries());
    artifact.put("manifestPath", b.manifestPath());
    artifact.put("needsS3Upload", b.zippedBytes() > BuiltArtifact.DIRECT_UPLOAD_BYTES);
    m.put("artifact", artifact);
    Map<String, Object> budget = new TreeMap<>();
    budget.put("limitBytes", ZipLimits.LAMBDA_UNZIPPED_BYTES);
    budget.put("reserveBytes", b.reserveBytes());
    budget.put("budgetBytes", b.budgetBytes());
    budget.put(
        "share",
        Math.round(b.unzippedBytes() * 10000.0 / ZipLimits.LAMBDA_UNZIPPED_BYTES) / 10000.0);
    m.put("budget", budget);
    Map<String, Object> listing = new TreeMap<>();
    listing.put("path", b.listing().toString());
    listing.put("format", b.listingFormat());
    listing.put("content", b.listingContent());
    m.put("listing", listing);
    m.put("files", Map.of("sbom", b.sbomFile(), "locks", b.lockFiles()));
    m.put("options", b.options());
    m.put("buildWarnings", b.buildWarnings());
    m.put("split", b.split());
    return m;
  }

  /** The CycloneDX 1.5 JSON SBOM of one artifact. */
  static Map<String, Object> sbom(
      String layer,
      String artifactBase,
      String zipSha256,
      List<String> runtimes,
      List<String> architectures,
      List<ManifestPackage> packages) {
    Map<String, Object> bom = new LinkedHashMap<>();
    bom.put("bomFormat", "CycloneDX");
    bom.put("specVersion", "1.5");
    bom.put(
        "serialNumber",
        "urn:uuid:"
            + UUID.nameUUIDFromBytes(
                ("accretion-sbom:" + zipSha256).getBytes(StandardCharsets.UTF_8)));
    bom.put("version", 1);
    String layerRef = "layer:" + artifactBase;
    Map<String, Object> component = new TreeMap<>();
    component.put("type", "application");
    component.put("bom-ref", layerRef);
    component.put("name", layer);
    component.put("description", "AWS Lambda layer " + artifactBase + ".zip");
    component.put("hashes", List.of(Map.of("alg", "SHA-256", "content", zipSha256)));
    List<Object> properties = new ArrayList<>();
    for (String runtime : runtimes) {
      properties.add(Map.of("name", "accretion:lambda:runtime", "value", runtime));
    }
    for (String arch : architectures) {
      properties.add(Map.of("name", "accretion:lambda:architecture", "value", arch));
    }
    component.put("properties", properties);
    Map<String, Object> tool = new TreeMap<>();
    tool.put("type", "application");
    tool.put("name", "accretion");
    tool.put("version", BuilderVersion.get());
    Map<String, Object> metadata = new TreeMap<>();
    metadata.put("tools", Map.of("components", List.of(tool)));
    metadata.put("component", component);
    bom.put("metadata", metadata);
    List<Object> components = new ArrayList<>();
    List<Object> dependencies = new ArrayList<>();
    List<String> all = new ArrayList<>();
    Map<String, String> refs = new TreeMap<>();
    for (ManifestPackage p : packages) {
      refs.put(p.name(), p.purl());
    }
    for (ManifestPackage p : packages) {
      String ref = p.purl();
      all.add(ref);
      Map<String, Object> c = new TreeMap<>();
      c.put("type", "library");
      c.put("bom-ref", ref);
      c.put("name", p.name());
      c.put("version", p.version());
      c.put("purl", ref);
      if (p.sha256() != null) {
        c.put("hashes", List.of(Map.of("alg", "SHA-256", "content", p.sha256())));
      }
      if (p.license() != null) {
        c.put(
            "licenses",
            p.licenseIsExpression()
                ? List.of(Map.of("expression", p.license()))
                : List.of(Map.of("license", Map.of("name", p.license()))));
      }
      if (p.url() != null) {
        c.put("externalReferences", List.of(Map.of("type", "distribution", "url", p.url())));
      }
      if (p.file() != null) {
        c.put("properties", List.of(Map.of("name", "accretion:file", "value", p.file())));
      }
      components.add(c);
      List<String> on = new ArrayList<>();
      for (String d : p.dependencies()) {
        String r = refs.get(d);
        if (r != null && !on.contains(r)) {
          on.add(r);
        }
      }
      on.sort(null);
      dependencies.add(Map.of("ref", ref, "dependsOn", on));
    }
    dependencies.add(0, Map.of("ref", layerRef, "dependsOn", all));
    bom.put("components", components);
    bom.put("dependencies", dependencies);
    return bom;
  }
}
