package dev.accretion.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.accretion.core.BuilderVersion;
import dev.accretion.pipeline.spi.FoundPackage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The CycloneDX 1.5 JSON SBOM of what an inspection found: every package with its Package URL, for
 * a function nested under the layer (or the function's own package) that holds it. Deterministic:
 * the same findings give the same bytes (the serial number is derived from them).
 */
public final class CycloneDxSbom {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private CycloneDxSbom() {}

  /** The SBOM of one zip. */
  public static String of(LayerReport report) {
    Map<String, Object> subject = component("application", "subject", report.label());
    Set<String> refs = new HashSet<>();
    List<Object> components = packages(report, "", refs);
    return write(report.label(), subject, components, refs);
  }

  /** The SBOM of a function: one component per layer (and its package), packages nested. */
  public static String of(FunctionReport report) {
    Map<String, Object> subject = component("application", "subject", report.name());
    if (report.runtime() != null) {
      subject.put(
          "properties",
          List.of(Map.of("name", "accretion:lambda:runtime", "value", report.runtime())));
    }
    Set<String> refs = new HashSet<>();
    List<Object> components = new ArrayList<>();
    List<LayerReport> all = new ArrayList<>();
    all.add(report.code());
    all.addAll(report.layers());
    for (int i = 0; i < all.size(); i++) {
      LayerReport l = all.get(i);
      String prefix = i == 0 ? "code/" : "layer-" + i + "/";
      Map<String, Object> c =
          component("file", prefix.substring(0, prefix.length() - 1), l.label());
      c.put(
          "description",
          i == 0 ? "the function's own package" : "layer " + i + " of " + report.layers().size());
      c.put("components", packages(l, prefix, refs));
      components.add(c);
    }
    return write(report.name(), subject, components, refs);
  }

  private static Map<String, Object> component(String type, String ref, String name) {
    Map<String, Object> c = new TreeMap<>();
    c.put("type", type);
    c.put("bom-ref", ref);
    c.put("name", name);
    return c;
  }

  private static List<Object> packages(LayerReport report, String prefix, Set<String> refs) {
    List<FoundPackage> all = new ArrayList<>(report.packages());
    all.addAll(report.manifestOnly());
    List<Object> out = new ArrayList<>();
    for (FoundPackage p : all) {
      String ref = prefix + p.purl();
      for (int n = 2; !refs.add(ref); n++) {
        ref = prefix + p.purl() + "#" + n;
      }
      Map<String, Object> c = new TreeMap<>();
      c.put("type", "library");
      c.put("bom-ref", ref);
      int colon = p.name().indexOf(':');
      int slash = p.name().indexOf('/');
      if (p.ecosystem().equals("maven") && colon > 0) {
        c.put("group", p.name().substring(0, colon));
        c.put("name", p.name().substring(colon + 1));
      } else if (p.ecosystem().equals("npm") && p.name().startsWith("@") && slash > 0) {
        c.put("group", p.name().substring(0, slash));
        c.put("name", p.name().substring(slash + 1));
      } else {
        c.put("name", p.name());
      }
      if (!p.version().isEmpty()) {
        c.put("version", p.version());
      }
      c.put("purl", p.purl());
      List<Object> properties = new ArrayList<>();
      properties.add(Map.of("name", "accretion:location", "value", p.location()));
      Object installer = p.facts().get("installer");
      if (installer instanceof String s) {
        properties.add(Map.of("name", "accretion:installer", "value", s));
      }
      c.put("properties", properties);
      out.add(c);
    }
    return out;
  }

  private static String write(
      String name, Map<String, Object> subject, List<Object> components, Set<String> refs) {
    Map<String, Object> bom = new LinkedHashMap<>();
    bom.put("bomFormat", "CycloneDX");
    bom.put("specVersion", "1.5");
    List<String> sorted = new ArrayList<>(refs);
    sorted.sort(null);
    bom.put(
        "serialNumber",
        "urn:uuid:"
            + UUID.nameUUIDFromBytes(
                ("accretion-inspect:" + name + "\n" + String.join("\n", sorted))
                    .getBytes(StandardCharsets.UTF_8)));
    bom.put("version", 1);
    Map<String, Object> tool = new TreeMap<>();
    tool.put("type", "application");
    tool.put("name", "accretion");
    tool.put("version", BuilderVersion.get());
    Map<String, Object> metadata = new TreeMap<>();
    metadata.put("tools", Map.of("components", List.of(tool)));
    metadata.put("component", subject);
    bom.put("metadata", metadata);
    bom.put("components", components);
    try {
      return MAPPER.writeValueAsString(bom) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the SBOM", e);
    }
  }
}
