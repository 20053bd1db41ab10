package dev.accretion.app.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.accretion.aws.LambdaContents;
import dev.accretion.core.runtime.Target;
import dev.accretion.inspect.ElfFile;
import dev.accretion.inspect.EntrySize;
import dev.accretion.inspect.FolderSize;
import dev.accretion.inspect.FunctionReport;
import dev.accretion.inspect.LayerManifest;
import dev.accretion.inspect.LayerReport;
import dev.accretion.inspect.Problem;
import dev.accretion.inspect.ZipInspector;
import dev.accretion.pipeline.spi.ContentProblem;
import dev.accretion.pipeline.spi.FoundPackage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code inspect --json} documents.
 *
 * <pre>
 * layer or zip: {kind: "layer"|"zip", subject, layerVersionArn, codeSha256, compatibleRuntimes,
 *   compatibleArchitectures, fit, targets, read {bytes, requests, of, remote, downloadedWhole},
 *   sizes {zippedBytes, unzippedBytes, files, directories, symlinks, limitBytes},
 *   manifest {path, schema, layer, builder, builderVersion, runtimes, architectures} | null,
 *   packages [{ecosystem, name, version, purl, location, root, unzippedBytes, files, source,
 *              facts}], folders, unowned [{path, files, unzippedBytes, zippedBytes}],
 *   largest [{path, unzippedBytes, zippedBytes}], elf [{path, package, machine, elfClass, glibc,
 *   musl, error}], elfUnchecked, problems [{severity, code, target, layer, path, package, message,
 *   advice}], summary {errors, warnings, notes}}
 * function: {kind: "function", function, functionArn, region, runtime, architecture, target, fit,
 *   code (as a zip), layers [as a layer], overlaps [{path, layers, winner, identical, package}],
 *   versionConflicts [{ecosystem, name, copies [{layer, version, location}], winner, mixed}],
 *   sizes {unzippedBytes, limitBytes}, problems, summary}
 * </pre>
 */
final class InspectJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private InspectJson() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> layer(LayerReport r, LambdaContents.LayerVersionContent layer) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", r.functionCode() ? "code" : layer == null ? "zip" : "layer");
    m.put("subject", r.label());
    if (layer != null) {
      m.put("layerVersionArn", layer.layerVersionArn());
      m.put("codeSha256", layer.codeSha256());
      m.put("compatibleRuntimes", layer.compatibleRuntimes());
      m.put("compatibleArchitectures", layer.compatibleArchitectures());
    }
    m.put("fit", r.fit());
    m.put("targets", r.targets().stream().map(Target::toString).toList());
    Map<String, Object> read = new LinkedHashMap<>();
    read.put("bytes", r.bytesRead());
    read.put("requests", r.reads());
    read.put("of", r.zippedBytes());
    read.put("remote", r.remote());
    read.put("downloadedWhole", r.downloadedWhole());
    m.put("read", read);
    Map<String, Object> sizes = new LinkedHashMap<>();
    sizes.put("zippedBytes", r.zippedBytes());
    sizes.put("unzippedBytes", r.unzippedBytes());
    sizes.put("files", r.files());
    sizes.put("directories", r.directories());
    sizes.put("symlinks", r.symlinks());
    sizes.put("limitBytes", ZipInspector.UNZIPPED_LIMIT);
    m.put("sizes", sizes);
    m.put("manifest", manifest(r.manifest()));
    List<Object> packages = new ArrayList<>();
    r.packages()
        .forEach(
            p -> packages.add(found(p, r.manifest() == null ? "content" : "content+manifest")));
    r.manifestOnly().forEach(p -> packages.add(found(p, "manifest")));
    m.put("packages", packages);
    m.put("folders", folders(r.folders()));
    m.put("unowned", folders(r.unowned()));
    List<Object> largest = new ArrayList<>();
    for (EntrySize e : r.largest()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("path", e.path());
      x.put("unzippedBytes", e.unzippedBytes());
      x.put("zippedBytes", e.zippedBytes());
      largest.add(x);
    }
    m.put("largest", largest);
    List<Object> elf = new ArrayList<>();
    for (ElfFile f : r.elf()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("path", f.path());
      x.put("package", f.packageName());
      x.put("machine", f.machine());
      x.put("elfClass", f.elfClass());
      x.put("glibc", f.glibc());
      x.put("musl", f.musl());
      x.put("error", f.error());
      elf.add(x);
    }
    m.put("elf", elf);
    m.put("elfUnchecked", r.elfUnchecked());
    m.put("problems", problems(r.problems()));
    m.put("summary", summary(r.problems()));
    return m;
  }

  static Map<String, Object> function(
      FunctionReport r,
      LambdaContents.FunctionContent f,
      List<LambdaContents.LayerVersionContent> layers) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "function");
    m.put("function", f.name());
    m.put("functionArn", f.functionArn());
    m.put("region", f.region());
    m.put("runtime", f.runtime());
    m.put("architecture", f.architecture());
    m.put("target", r.target() == null ? null : r.target().toString());
    m.put("fit", r.fit());
    m.put("code", layer(r.code(), null));
    List<Object> ls = new ArrayList<>();
    for (int i = 0; i < r.layers().size(); i++) {
      ls.add(layer(r.layers().get(i), i < layers.size() ? layers.get(i) : null));
    }
    m.put("layers", ls);
    List<Object> overlaps = new ArrayList<>();
    for (FunctionReport.Overlap o : r.overlaps()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("path", o.path());
      x.put("layers", o.layers());
      x.put("winner", o.winner());
      x.put("identical", o.identical());
      x.put("package", o.packageName());
      overlaps.add(x);
    }
    m.put("overlaps", overlaps);
    List<Object> conflicts = new ArrayList<>();
    for (FunctionReport.VersionConflict c : r.versionConflicts()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("ecosystem", c.ecosystem());
      x.put("name", c.name());
      List<Object> copies = new ArrayList<>();
      c.copies().forEach(copy -> copies.add(copy(copy)));
      x.put("copies", copies);
      x.put("winner", copy(c.winner()));
      x.put("mixed", c.mixed());
      conflicts.add(x);
    }
    m.put("versionConflicts", conflicts);
    Map<String, Object> sizes = new LinkedHashMap<>();
    sizes.put("unzippedBytes", r.unzippedBytes());
    sizes.put("limitBytes", ZipInspector.UNZIPPED_LIMIT);
    m.put("sizes", sizes);
    m.put("problems", problems(r.problems()));
    m.put("summary", summary(r.problems()));
    return m;
  }

  private static Map<String, Object> copy(FunctionReport.Copy c) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("layer", c.layer());
    x.put("version", c.version());
    x.put("location", c.location());
    return x;
  }

  private static Map<String, Object> manifest(LayerManifest manifest) {
    if (manifest == null) {
      return null;
    }
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("path", manifest.path());
    x.put("schema", manifest.schema());
    x.put("layer", manifest.layer());
    x.put("builder", manifest.builder());
    x.put("builderVersion", manifest.builderVersion());
    x.put("runtimes", manifest.runtimes());
    x.put("architectures", manifest.architectures());
    return x;
  }

  private static Map<String, Object> found(FoundPackage p, String source) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("ecosystem", p.ecosystem());
    x.put("name", p.name());
    x.put("version", p.version());
    x.put("purl", p.purl());
    x.put("location", p.location());
    x.put("root", p.root());
    x.put("unzippedBytes", p.unzippedBytes());
    x.put("files", p.files().size());
    x.put("source", source);
    Map<String, Object> facts = new java.util.TreeMap<>(p.facts());
    facts.remove("source");
    x.put("facts", facts);
    return x;
  }

  private static List<Object> folders(List<FolderSize> folders) {
    List<Object> out = new ArrayList<>();
    for (FolderSize f : folders) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("path", f.path());
      x.put("files", f.files());
      x.put("unzippedBytes", f.unzippedBytes());
      x.put("zippedBytes", f.zippedBytes());
      out.add(x);
    }
    return out;
  }

  private static List<Object> problems(List<Problem> problems) {
    List<Object> out = new ArrayList<>();
    for (Problem p : problems) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("severity", p.severity().name().toLowerCase(Locale.ROOT));
      x.put("code", p.code());
      x.put("target", p.target());
      x.put("layer", p.layer());
      x.put("path", p.path());
      x.put("package", p.packageName());
      x.put("message", p.message());
      x.put("advice", p.advice());
      out.add(x);
    }
    return out;
  }

  private static Map<String, Object> summary(List<Problem> problems) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("errors", count(problems, ContentProblem.Severity.ERROR));
    x.put("warnings", count(problems, ContentProblem.Severity.WARNING));
    x.put("notes", count(problems, ContentProblem.Severity.NOTE));
    return x;
  }

  private static long count(List<Problem> problems, ContentProblem.Severity s) {
    return problems.stream().filter(p -> p.severity() == s).count();
  }
}
