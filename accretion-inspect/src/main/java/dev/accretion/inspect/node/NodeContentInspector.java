package dev.accretion.inspect.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.Language;
import dev.accretion.core.runtime.Runtime;
import dev.accretion.core.runtime.Target;
import dev.accretion.inspect.Purls;
import dev.accretion.pipeline.spi.ContentEntry;
import dev.accretion.pipeline.spi.ContentInspector;
import dev.accretion.pipeline.spi.ContentProblem;
import dev.accretion.pipeline.spi.ContentReport;
import dev.accretion.pipeline.spi.FoundPackage;
import dev.accretion.pipeline.spi.LayerContent;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds Node.js packages in a layer or function package: every {@code
 * node_modules/<name>/package.json} and {@code node_modules/@scope/<name>/package.json}, at any
 * depth, with its name (the folder's, which is what {@code require} uses; npm aliases differ from
 * the manifest's own name), version, and the package it is nested in. Stateless and thread-safe.
 *
 * <p>Lives in accretion-inspect until the Node.js builder module is on main; it depends only on the
 * SPI and moves there unchanged.
 */
public final class NodeContentInspector implements ContentInspector {
  private static final Pattern PACKAGE_JSON =
      Pattern.compile("(.*?node_modules)/((?:@[^/]+/)?[^/@][^/]*)/package\\.json");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long MAX_PACKAGE_JSON = 4 << 20;
  private static final int EXAMPLES = 3;

  @Override
  public String id() {
    return "nodejs";
  }

  @Override
  public String ecosystem() {
    return "npm";
  }

  @Override
  public Language language() {
    return Language.NODEJS;
  }

  @Override
  public List<String> searchPath(Runtime runtime, boolean functionCode) {
    if (runtime.language() != Language.NODEJS) {
      return List.of();
    }
    if (functionCode) {
      return List.of("node_modules");
    }
    // NODE_PATH on Lambda: /opt/nodejs/nodeNN/node_modules, then /opt/nodejs/node_modules
    String major = runtime.languageVersion().split("\\.")[0];
    return List.of("nodejs/node" + major + "/node_modules", "nodejs/node_modules");
  }

  @Override
  public ContentReport inspect(LayerContent content) throws AccretionException {
    Map<String, ContentEntry> manifests = new TreeMap<>();
    for (ContentEntry e : content.entries()) {
      if (e.isFile() && e.path().endsWith("/package.json")) {
        Matcher m = PACKAGE_JSON.matcher(e.path());
        if (m.matches() && !m.group(2).contains("/node_modules")) {
          manifests.put(e.path(), e);
        }
      }
    }
    if (manifests.isEmpty()) {
      return ContentReport.empty();
    }
    Map<String, JsonNode> read = new HashMap<>();
    List<ContentProblem> problems = new ArrayList<>();
    content.read(
        manifests.values(),
        MAX_PACKAGE_JSON,
        new LayerContent.Reader() {
          @Override
          public void read(ContentEntry entry, InputStream in) {
            try {
              read.put(entry.path(), MAPPER.readTree(in));
            } catch (IOException e) {
              problems.add(
                  ContentProblem.warning(
                      "package-json-unreadable",
                      entry.path(),
                      null,
                      entry.path()
                          + " is not valid JSON ("
                          + e.getMessage().lines().findFirst().orElse("")
                          + ")",
                      null));
            }
          }

          @Override
          public void skipped(ContentEntry entry, String why) {
            problems.add(
                ContentProblem.warning(
                    "package-json-unreadable",
                    entry.path(),
                    null,
                    entry.path() + " was not read: " + why,
                    null));
          }
        });
    // package folder -> files it owns (not those of packages nested in it)
    Map<String, List<String>> owned = new TreeMap<>();
    for (String manifest : manifests.keySet()) {
      owned.put(
          manifest.substring(0, manifest.length() - "/package.json".length()), new ArrayList<>());
    }
    Map<String, Long> sizes = new HashMap<>();
    for (ContentEntry e : content.entries()) {
      if (e.kind() == ContentEntry.Kind.DIRECTORY) {
        continue;
      }
      String folder = ownerFolder(e.path(), owned);
      if (folder != null) {
        owned.get(folder).add(e.path());
        sizes.merge(folder, e.size(), Long::sum);
      }
    }
    List<FoundPackage> packages = new ArrayList<>();
    for (Map.Entry<String, ContentEntry> m : manifests.entrySet()) {
      Matcher matcher = PACKAGE_JSON.matcher(m.getKey());
      if (!matcher.matches()) {
        continue;
      }
      String root = matcher.group(1);
      String name = matcher.group(2);
      String folder = root + "/" + name;
      JsonNode json = read.get(m.getKey());
      String version = json == null ? "" : json.path("version").asText("");
      Map<String, Object> facts = new LinkedHashMap<>();
      String declared = json == null ? null : json.path("name").asText(null);
      if (declared != null && !declared.equals(name)) {
        facts.put("declaredName", declared);
      }
      String nestedIn = nestedIn(root);
      if (nestedIn != null) {
        facts.put("nestedIn", nestedIn);
      }
      if (json != null && json.path("gypfile").asBoolean(false)) {
        facts.put("nativeAddon", true);
      }
      packages.add(
          new FoundPackage(
              "npm",
              name,
              version,
              Purls.of("npm", name, version),
              root,
              folder,
              owned.get(folder).stream().sorted().toList(),
              sizes.getOrDefault(folder, 0L),
              facts));
    }
    return new ContentReport(packages, problems);
  }

  /** {@code a/node_modules/debug/node_modules} → {@code a/node_modules/debug}; null when top. */
  private static String nestedIn(String root) {
    String parent = root.substring(0, root.length() - "node_modules".length());
    if (parent.isEmpty()) {
      return null;
    }
    parent = parent.substring(0, parent.length() - 1);
    return parent.contains("node_modules/") ? parent : null;
  }

  /** The deepest package folder a file lies in. */
  private static String ownerFolder(String path, Map<String, List<String>> folders) {
    String best = null;
    for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      String candidate = path.substring(0, slash);
      if (folders.containsKey(candidate)) {
        best = candidate;
        break;
      }
    }
    return best;
  }

  @Override
  public List<ContentProblem> check(LayerContent content, ContentReport report, Target target) {
    List<ContentProblem> out = new ArrayList<>();
    Runtime runtime = target.runtime();
    List<FoundPackage> top =
        report.packages().stream().filter(p -> !p.facts().containsKey("nestedIn")).toList();
    if (runtime.language() != Language.NODEJS) {
      if (!top.isEmpty()) {
        out.add(
            ContentProblem.warning(
                "language",
                null,
                null,
                top.size()
                    + " Node.js package(s) ("
                    + labels(top)
                    + "), but "
                    + runtime.id()
                    + " does not load Node.js packages",
                "use this layer with a Node.js runtime"));
      }
      return out;
    }
    List<String> search = searchPath(runtime, content.functionCode());
    Map<String, List<FoundPackage>> misplaced = new TreeMap<>();
    for (FoundPackage p : top) {
      if (!search.contains(p.root())) {
        misplaced.computeIfAbsent(p.root(), k -> new ArrayList<>()).add(p);
      }
    }
    misplaced.forEach(
        (root, packages) ->
            out.add(
                ContentProblem.error(
                    "not-on-path",
                    root,
                    packages.size() == 1 ? packages.get(0).label() : null,
                    packages.size()
                        + " package(s) in "
                        + root
                        + "/ ("
                        + labels(packages)
                        + "), where "
                        + runtime.id()
                        + " does not look (it looks in "
                        + String.join("/ and ", search)
                        + "/)",
                    content.functionCode()
                        ? "install them into node_modules/ at the root of the package"
                        : "put them in nodejs/node_modules/ (npm ci inside a nodejs/ folder)")));
    List<FoundPackage> sdk =
        top.stream()
            .filter(p -> search.contains(p.root()) && p.name().startsWith("@aws-sdk/"))
            .toList();
    if (!sdk.isEmpty()) {
      out.add(
          ContentProblem.note(
              "shadows-runtime",
              sdk.get(0).location(),
              null,
              sdk.size()
                  + " AWS SDK for JavaScript v3 package(s) ("
                  + labels(sdk)
                  + ") hide the"
                  + " copies "
                  + runtime.id()
                  + " provides; functions load these",
              "leave them out to use the runtime's, or keep them to pin versions on purpose"));
    }
    return out;
  }

  private static String labels(List<FoundPackage> packages) {
    List<String> names = packages.stream().limit(EXAMPLES).map(FoundPackage::label).toList();
    return String.join(", ", names) + (packages.size() > EXAMPLES ? ", ..." : "");
  }
}
